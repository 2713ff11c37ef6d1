"""AddMediaResponse: what add_media_url and add_media_file return."""

from typing import ClassVar

from cielo24.model_utils import Model


class AddMediaResponse(Model):
    """The id of the task that adds the media (``TaskId``)."""

    _wire_case: ClassVar[str] = "camel"

    task_id: str
