"""RelatedJob: one job of list_related_jobs."""

from typing import Optional

from cielo24.model_utils import Model


class RelatedJob(Model):
    """A job related to another (a translation or an uplevel of it, or its leading job).

    ``media_length`` is the service's text, e.g. ``"0:10:22.844807"``; ``current_fidelity``
    uses the job-info vocabulary; ``language`` reads like ``"fr:en,fr"``.
    """

    job_id: str
    job_status: str
    current_priority: Optional[str] = None
    current_fidelity: Optional[str] = None
    media_length: Optional[str] = None
    language: Optional[str] = None
