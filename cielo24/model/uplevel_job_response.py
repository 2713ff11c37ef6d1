"""UplevelJobResponse: what uplevel_job returns."""

from typing import Optional

from cielo24.model_utils import Model


class UplevelJobResponse(Model):
    """The new, upleveled job and the workflow it runs."""

    upleveled_job_id: Optional[str] = None
    upleveled_workflow: Optional[str] = None
