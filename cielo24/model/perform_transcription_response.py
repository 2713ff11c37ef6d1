"""PerformTranscriptionResponse: what perform_transcription returns."""

from typing import ClassVar

from cielo24.model_utils import Model


class PerformTranscriptionResponse(Model):
    """The id of the transcription task (``TaskId``)."""

    _wire_case: ClassVar[str] = "camel"

    task_id: str
