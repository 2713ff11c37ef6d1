"""Every model, importable from one place: ``from cielo24.models import NewJobBody``."""

from cielo24.model.account_settings import AccountSettings
from cielo24.model.add_media_response import AddMediaResponse
from cielo24.model.aggregate_statistics_response import AggregateStatisticsResponse
from cielo24.model.caption_url_response import CaptionUrlResponse
from cielo24.model.custom_guidelines_response import CustomGuidelinesResponse
from cielo24.model.element_list import ElementList
from cielo24.model.element_list_version import ElementListVersion
from cielo24.model.error_response import ErrorResponse
from cielo24.model.generate_api_key_response import GenerateApiKeyResponse
from cielo24.model.iwp_enum import IWPEnum
from cielo24.model.job_info_response import JobInfoResponse
from cielo24.model.job_list_response import JobListResponse
from cielo24.model.job_options import JobOptions
from cielo24.model.list_related_jobs_response import ListRelatedJobsResponse
from cielo24.model.login_body import LoginBody
from cielo24.model.login_response import LoginResponse
from cielo24.model.media_url_response import MediaUrlResponse
from cielo24.model.meta_token import MetaToken
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.new_job_response import NewJobResponse
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.model.perform_transcription_response import PerformTranscriptionResponse
from cielo24.model.perform_translation_response import PerformTranslationResponse
from cielo24.model.related_job import RelatedJob
from cielo24.model.request_upload_url_response import RequestUploadUrlResponse
from cielo24.model.segment import Segment
from cielo24.model.sequence import Sequence
from cielo24.model.speaker import Speaker
from cielo24.model.statistics_bucket import StatisticsBucket
from cielo24.model.task_response import TaskResponse
from cielo24.model.time_range import TimeRange
from cielo24.model.token import Token
from cielo24.model.uplevel_job_response import UplevelJobResponse
from cielo24.model.verify_key_response import VerifyKeyResponse

__all__ = [
    "AccountSettings",
    "AddMediaResponse",
    "AggregateStatisticsResponse",
    "CaptionUrlResponse",
    "CustomGuidelinesResponse",
    "ElementList",
    "ElementListVersion",
    "ErrorResponse",
    "GenerateApiKeyResponse",
    "IWPEnum",
    "JobInfoResponse",
    "JobListResponse",
    "JobOptions",
    "ListRelatedJobsResponse",
    "LoginBody",
    "LoginResponse",
    "MediaUrlResponse",
    "MetaToken",
    "NewJobBody",
    "NewJobResponse",
    "PerformTranscriptionBody",
    "PerformTranscriptionResponse",
    "PerformTranslationResponse",
    "RelatedJob",
    "RequestUploadUrlResponse",
    "Segment",
    "Sequence",
    "Speaker",
    "StatisticsBucket",
    "TaskResponse",
    "TimeRange",
    "Token",
    "UplevelJobResponse",
    "VerifyKeyResponse",
]
