"""NewJobResponse: what new_job returns."""

from typing import ClassVar

from cielo24.model_utils import Model


class NewJobResponse(Model):
    """The new job's id, and the id of the task that created it (``JobId``, ``TaskId``)."""

    _wire_case: ClassVar[str] = "camel"

    job_id: str
    task_id: str
