"""JobListResponse: what job_list returns."""

from collections.abc import Iterator
from typing import ClassVar

from cielo24.model.job_info_response import JobInfoResponse
from cielo24.model_utils import Model


class JobListResponse(Model):
    """The jobs that match the filters, newest first (``ActiveJobs``), and the ``Username``.

    Iterating over it gives the jobs, and ``len()`` counts them (so a list with no job is
    false, like an empty list).
    """

    _wire_case: ClassVar[str] = "camel"

    username: str
    active_jobs: list[JobInfoResponse]

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

    def __iter__(self) -> Iterator[JobInfoResponse]:
        return iter(self.active_jobs)

    def __len__(self) -> int:
        return len(self.active_jobs)

    def _repr_html_(self) -> str:
        """One row per job (id, name, status, fidelity, ...), for notebooks."""
        from cielo24.notebook import table

        jobs: list[JobInfoResponse] = getattr(self, "active_jobs", [])
        rows = ([getattr(job, name, None) for name in self._HTML_COLUMNS] for job in jobs)
        count = f"{len(jobs)} job{'' if len(jobs) == 1 else 's'}"
        username = getattr(self, "username", None)
        caption = f"{count} of {username}" if username else count
        return table(rows, self._HTML_COLUMNS, caption)
