"""JobInfoResponse: what job_info returns, and each job of job_list."""

from datetime import datetime
from typing import Any, ClassVar, Optional

from cielo24.enums import requested_fidelity
from cielo24.model_utils import Model, field


class JobInfoResponse(Model):
    """A job's state and settings.

    Values are kept as the service reports them: ``fidelity`` uses the job-info vocabulary
    (``STANDARD`` for PREMIUM, ``HIGH`` for PROFESSIONAL; see ``requested_fidelity``) and
    ``priority`` may hold a legacy value such as ``CRITICAL``. Dates are naive datetimes (the
    service gives no time zone); an empty or missing date is None.

    Attributes:
        job_id, job_name: the job.
        media_length_seconds: the media's length.
        external_id: your identifier (``ExternalID``; ``ExternalId`` is read too).
        priority, fidelity, job_status, job_difficulty: see cielo24.enums.
        options: the job options, ``{name: {"label": ..., "setting": ...}}``.
        return_targets: where results are sent, e.g. ``{"url": [{"callback_url": ...}]}``.
        source_language, target_language: language codes.
        creation_date, start_date, due_date, completed_date, return_date, authorization_date.
        username: the job's account (in job_list).
    """

    _wire_case: ClassVar[str] = "camel"

    job_id: str
    job_name: Optional[str] = None
    media_length_seconds: Optional[float] = None
    external_id: Optional[str] = field(default=None, wire="ExternalID", aliases=("ExternalId",))
    priority: Optional[str] = None
    fidelity: Optional[str] = None
    job_status: str
    options: Optional[dict[str, Any]] = None
    return_targets: Optional[dict[str, Any]] = None
    source_language: Optional[str] = None
    target_language: Optional[str] = None
    creation_date: Optional[datetime] = None
    start_date: Optional[datetime] = None
    due_date: Optional[datetime] = None
    completed_date: Optional[datetime] = None
    return_date: Optional[datetime] = None
    authorization_date: Optional[datetime] = None
    job_difficulty: Optional[str] = None
    username: Optional[str] = None

    @property
    def requested_fidelity(self) -> Optional[str]:
        """The fidelity in the request vocabulary: STANDARD -> PREMIUM, HIGH -> PROFESSIONAL."""
        return None if self.fidelity is None else requested_fidelity(self.fidelity)

    def _repr_html_(self) -> str:
        """The set fields as a two-column HTML table, for notebooks."""
        from cielo24.notebook import table

        return table(self.to_dict().items(), caption=f"job {getattr(self, 'job_id', '')}".strip())
