"""NewJobBody: the parameters of new_job."""

from typing import Optional, Union

from cielo24.model_utils import TRUE_FALSE, Model, field, true_false


class NewJobBody(Model):
    """Parameters of a new job; every one is optional.

    Attributes:
        job_name: a human-readable name for the job.
        language: the media's language (an RFC 5646 / cielo24 code; the service defaults to
            ``"en"``).
        external_id: your own identifier for the job.
        username: create the job in this sub-account.
        requestor: who asked for the job.
        reference: your reference for the job.
        expected_speakers: how many speakers the media has.
        is_duplicate: ``"true"`` to allow another job with the same external_id (a bool is
            accepted too).
    """

    job_name: Optional[str] = None
    language: Optional[str] = None
    external_id: Optional[str] = None
    username: Optional[str] = None
    requestor: Optional[str] = None
    reference: Optional[str] = None
    expected_speakers: Optional[int] = None
    is_duplicate: Union[str, bool, None] = field(default=None, enum=TRUE_FALSE, convert=true_false)
