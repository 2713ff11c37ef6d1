"""JobListResponse: what job_list returns."""

from typing import ClassVar, Optional

from cielo24.model.job_info_response import JobInfoResponse
from cielo24.model_utils import Model


class JobListResponse(Model):
    """The jobs that match the filters, newest first (``ActiveJobs``), and the ``Username``."""

    _wire_case: ClassVar[str] = "camel"

    username: Optional[str] = None
    active_jobs: Optional[list[JobInfoResponse]] = None

    #: The columns of the HTML table shown in notebooks.
    _HTML_COLUMNS: ClassVar[tuple[str, ...]] = (
        "job_id",
        "job_name",
        "job_status",
        "fidelity",
        "priority",
        "media_length_seconds",
        "creation_date",
    )

    def _repr_html_(self) -> str:
        """One row per job (id, name, status, fidelity, ...), for notebooks."""
        from cielo24.notebook import table

        jobs = self.active_jobs or []
        rows = ([getattr(job, name) for name in self._HTML_COLUMNS] for job in jobs)
        count = f"{len(jobs)} job{'' if len(jobs) == 1 else 's'}"
        caption = f"{count} of {self.username}" if self.username else count
        return table(rows, self._HTML_COLUMNS, caption)
