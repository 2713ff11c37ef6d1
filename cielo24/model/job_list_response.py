"""JobListResponse: what job_list returns."""

from typing import ClassVar, Optional

from cielo24.model.job_info_response import JobInfoResponse
from cielo24.model_utils import Model


class JobListResponse(Model):
    """The jobs that match the filters, newest first (``ActiveJobs``), and the ``Username``."""

    _wire_case: ClassVar[str] = "camel"

    username: Optional[str] = None
    active_jobs: Optional[list[JobInfoResponse]] = None
