"""TaskResponse: what delete_job and add_transcript return."""

from typing import ClassVar

from cielo24.model_utils import Model


class TaskResponse(Model):
    """The id of the task the call started (``TaskId``)."""

    _wire_case: ClassVar[str] = "camel"

    task_id: str
