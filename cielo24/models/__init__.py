"""Every model, importable from one place: ``from cielo24.models import NewJobBody``."""

from cielo24.model.add_media_response import AddMediaResponse
from cielo24.model.error_response import ErrorResponse
from cielo24.model.job_options import JobOptions
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.new_job_response import NewJobResponse
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.model.perform_transcription_response import PerformTranscriptionResponse

__all__ = [
    "AddMediaResponse",
    "ErrorResponse",
    "JobOptions",
    "NewJobBody",
    "NewJobResponse",
    "PerformTranscriptionBody",
    "PerformTranscriptionResponse",
]
