"""JobApi: create jobs, add media, ask for transcription (the ``/job/...`` endpoints)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypedDict, Union, cast, overload

from cielo24.api._params import IS_DUPLICATE, JOB_ID, V, flag
from cielo24.api_client import UNSET, ApiClient, Destination, Endpoint, split_options
from cielo24.enums import (
    IWP,
    Fidelity,
    JobDifficulty,
    JobStatus,
    MediaFlavor,
    Metric,
    Priority,
    TranscriptFormat,
    enum_values,
)
from cielo24.exceptions import ApiValueError
from cielo24.model_utils import http_url, param, positive, true_false
from cielo24.rest import Timeout
from cielo24.upload import MediaBody, MediaUpload, ProgressCallback

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.api.output_options import CaptionOptions, TranscriptOptions
    from cielo24.api_client import RequestOptions
    from cielo24.model.add_media_response import AddMediaResponse
    from cielo24.model.aggregate_statistics_response import AggregateStatisticsResponse
    from cielo24.model.custom_guidelines_response import CustomGuidelinesResponse
    from cielo24.model.element_list import ElementList
    from cielo24.model.element_list_version import ElementListVersion
    from cielo24.model.job_info_response import JobInfoResponse
    from cielo24.model.job_list_response import JobListResponse
    from cielo24.model.list_related_jobs_response import ListRelatedJobsResponse
    from cielo24.model.media_url_response import MediaUrlResponse
    from cielo24.model.new_job_body import NewJobBody
    from cielo24.model.new_job_response import NewJobResponse
    from cielo24.model.perform_transcription_body import PerformTranscriptionBody
    from cielo24.model.perform_transcription_response import PerformTranscriptionResponse
    from cielo24.model.perform_translation_response import PerformTranslationResponse
    from cielo24.model.request_upload_url_response import RequestUploadUrlResponse
    from cielo24.model.task_response import TaskResponse
    from cielo24.model.uplevel_job_response import UplevelJobResponse
    from cielo24.waiter import WaitOptions


NEW_JOB = Endpoint(
    "new_job",
    "POST",
    "/job/new",
    [V],
    body_type="cielo24.model.new_job_body.NewJobBody",
    response_type="cielo24.model.new_job_response.NewJobResponse",
    body_in_query=True,
)
ADD_MEDIA_URL = Endpoint(
    "add_media_url",
    "GET",
    "/job/add_media",
    [V, JOB_ID, param("media_url", str, required=True), IS_DUPLICATE],
    response_type="cielo24.model.add_media_response.AddMediaResponse",
)
ADD_MEDIA_FILE = Endpoint(
    "add_media_file",
    "POST",
    "/job/add_media",
    [V, JOB_ID, IS_DUPLICATE],
    content_type="video/mp4",
    response_type="cielo24.model.add_media_response.AddMediaResponse",
)
PERFORM_TRANSCRIPTION = Endpoint(
    "perform_transcription",
    "POST",
    "/job/perform_transcription",
    [V],
    body_type="cielo24.model.perform_transcription_body.PerformTranscriptionBody",
    response_type="cielo24.model.perform_transcription_response.PerformTranscriptionResponse",
    body_in_query=True,
)
AUTHORIZE_JOB = Endpoint("authorize_job", "POST", "/job/authorize", [V, JOB_ID])


class JobListFilters(TypedDict, total=False):
    """The filters of job_list; each is sent under its documented PascalCase name
    (``creation_date_from`` as ``CreationDateFrom``). ``external_id`` is sent as both
    ``ExternalID`` and ``ExternalId``, ``username`` as both ``Username`` and ``username``: the
    docs and the clients tested against the service spell them differently."""

    creation_date_from: datetime | date | str
    creation_date_to: datetime | date | str
    start_date_from: datetime | date | str
    start_date_to: datetime | date | str
    due_date_from: datetime | date | str
    due_date_to: datetime | date | str
    complete_date_from: datetime | date | str
    complete_date_to: datetime | date | str
    return_date_from: datetime | date | str
    return_date_to: datetime | date | str
    authorization_date_from: datetime | date | str
    authorization_date_to: datetime | date | str
    job_status: str
    fidelity: str
    priority: str
    turnaround_time_hours_from: int
    turnaround_time_hours_to: int
    job_name: str
    external_id: str
    username: str
    job_difficulty: str


if TYPE_CHECKING:

    class CaptionCallOptions(CaptionOptions, RequestOptions, total=False):
        """get_caption's keyword arguments: caption options and per-call options."""

    class TranscriptCallOptions(TranscriptOptions, RequestOptions, total=False):
        """get_transcript's keyword arguments: transcript options and per-call options."""

    class JobListCallOptions(JobListFilters, RequestOptions, total=False):
        """job_list's keyword arguments: filters and per-call options."""


def _filter(name: str, annotation: Any, **kwargs: Any) -> Any:
    kwargs.setdefault("wire", "".join(part.capitalize() for part in name.split("_")))
    return param(name, annotation, **kwargs)


def _job_list_params() -> list[Any]:
    dates = [
        _filter(f"{what}_date_{end}", datetime)
        for what in ("creation", "start", "due", "complete", "return", "authorization")
        for end in ("from", "to")
    ]
    return [
        V,
        *dates,
        _filter("job_status", str, enum=enum_values(JobStatus)),
        _filter("fidelity", str),
        _filter("priority", str),
        _filter("turnaround_time_hours_from", int),
        _filter("turnaround_time_hours_to", int),
        _filter("job_name", str),
        _filter("external_id", str, wire="ExternalID"),  # cielo24's docs
        _filter("external_id", str, wire="ExternalId"),  # the clients tested on the service
        _filter("username", str),  # cielo24's docs
        _filter("username", str, wire="username"),  # the Java client
        _filter("job_difficulty", str, enum=enum_values(JobDifficulty)),
    ]


JOB_INFO = Endpoint(
    "job_info",
    "GET",
    "/job/info",
    [V, JOB_ID],
    response_type="cielo24.model.job_info_response.JobInfoResponse",
)
JOB_LIST = Endpoint(
    "job_list",
    "GET",
    "/job/list",
    _job_list_params,
    response_type="cielo24.model.job_list_response.JobListResponse",
)
DELETE_JOB = Endpoint(
    "delete_job",
    "GET",
    "/job/delete",
    [V, JOB_ID],
    response_type="cielo24.model.task_response.TaskResponse",
    fallback_path="/job/del",  # what the older clients call; tried when /job/delete is absent
)
MODIFY_JOB = Endpoint(
    "modify_job",
    "POST",
    "/job/modify",
    [
        V,
        JOB_ID,
        param("transcription_fidelity", str, enum=enum_values(Fidelity)),
        param("turnaround_hours", int, convert=positive),
        param("priority", str, enum=enum_values(Priority)),
        param("account_id", str),
        param("requestor_id", str),
        param("callback_url", str, convert=http_url),
        param("expected_speakers", int),
        param("notes", str),
    ],
)
LIST_RELATED_JOBS = Endpoint(
    "list_related_jobs",
    "GET",
    "/job/list_related",
    [V, JOB_ID],
    response_type="cielo24.model.list_related_jobs_response.ListRelatedJobsResponse",
)
ADD_EMBEDDED_MEDIA = Endpoint(
    "add_embedded_media",
    "GET",
    "/job/add_media_url",
    [V, JOB_ID, param("media_url", str, required=True)],
    response_type="cielo24.model.add_media_response.AddMediaResponse",
)
_TRANSCRIPT_FORMAT = param("format", str, required=True, enum=enum_values(TranscriptFormat))
ADD_TRANSCRIPT_URL = Endpoint(
    "add_transcript_url",
    "GET",
    "/job/add_transcript",
    [V, JOB_ID, param("transcript_url", str, required=True), _TRANSCRIPT_FORMAT],
    response_type="cielo24.model.task_response.TaskResponse",
)
ADD_TRANSCRIPT_FILE = Endpoint(
    "add_transcript_file",
    "POST",
    "/job/add_transcript",
    [V, JOB_ID, _TRANSCRIPT_FORMAT],
    content_type="text/plain",
    response_type="cielo24.model.task_response.TaskResponse",
)
ADD_CUSTOM_GUIDELINES_URL = Endpoint(
    "add_custom_guidelines",
    "GET",
    "/job/add_custom_guidelines",
    [V, JOB_ID, param("guidelines_url", str, required=True), flag("is_html")],
    response_type="cielo24.model.custom_guidelines_response.CustomGuidelinesResponse",
)
ADD_CUSTOM_GUIDELINES_TEXT = Endpoint(
    "add_custom_guidelines",
    "POST",
    "/job/add_custom_guidelines",
    [V, JOB_ID, param("guidelines_data", str, required=True, location="form")],
    response_type="cielo24.model.custom_guidelines_response.CustomGuidelinesResponse",
)


def _comma_list(value: Any) -> Any:
    return ",".join(cast("list[str]", value)) if isinstance(value, (list, tuple)) else value


def _yes_no(name: str) -> Any:
    """A yes/no parameter: a bool, or yes, no, t, f, true or false in any case."""
    return param(
        name, Union[str, bool], enum=("yes", "no", "t", "f", "true", "false"), convert=true_false
    )


PERFORM_TRANSLATION = Endpoint(
    "perform_translation",
    "GET",
    "/job/translate",
    [
        V,
        JOB_ID,
        param("target_languages", Union[str, list[str]], required=True, convert=_comma_list),
        _yes_no("approve_uplevel"),
    ],
    response_type="cielo24.model.perform_translation_response.PerformTranslationResponse",
)
UPLEVEL_JOB = Endpoint(
    "uplevel_job",
    "GET",
    "/job/uplevel",
    [
        V,
        JOB_ID,
        _yes_no("speaker_id"),
        param("priority", str, enum=enum_values(Priority)),
        _yes_no("timing"),
        param("requestor", str),
        param("reference", str),
        _yes_no("caption_import_as_fp"),
    ],
    response_type="cielo24.model.uplevel_job_response.UplevelJobResponse",
)
GET_MEDIA = Endpoint(
    "get_media",
    "GET",
    "/job/media",
    [V, JOB_ID],
    response_type="cielo24.model.media_url_response.MediaUrlResponse",
)
_FLAVOR = enum_values(MediaFlavor)
GET_TRANSCODED_MEDIA = Endpoint(
    "get_transcoded_media",
    "GET",
    "/job/transcoded_media",
    [V, JOB_ID, param("transcoded_version", str, required=True, enum=_FLAVOR)],
    response_type="cielo24.model.media_url_response.MediaUrlResponse",
)
DOWNLOAD_MEDIA = Endpoint(
    "download_media",
    "GET",
    "/job/download_media",
    [V, JOB_ID, param("media_type", str, required=True, enum=_FLAVOR), flag("text_to_speech")],
)
REQUEST_UPLOAD_URL = Endpoint(
    "request_upload_url",
    "GET",
    "/job/request_upload_url",
    [V, JOB_ID],
    response_type="cielo24.model.request_upload_url_response.RequestUploadUrlResponse",
)
BURN_IN_CAPTION = Endpoint(
    "burn_in_caption", "GET", "/job/burn_in_caption", [V, JOB_ID, param("send_to_email", str)]
)
AGGREGATE_STATISTICS = Endpoint(
    "aggregate_statistics",
    "GET",
    "/job/aggregate_statistics",
    [
        V,
        param("metrics", list[str], enum=enum_values(Metric)),
        param("group_by", str, enum=("week", "month")),
        param("start_date", datetime),
        param("end_date", datetime),
        param("account_id", str),
    ],
    response_type="cielo24.model.aggregate_statistics_response.AggregateStatisticsResponse",
)


def _output_options() -> Any:
    """The transcript and caption options, loaded with the first call that needs them."""
    from cielo24.api import output_options

    return output_options


GET_TRANSCRIPT = Endpoint(
    "get_transcript",
    "GET",
    "/job/get_transcript",
    lambda: [V, JOB_ID, *_output_options().TRANSCRIPT_PARAMS],
    response_type=str,
)
GET_CAPTION = Endpoint(
    "get_caption",
    "GET",
    "/job/get_caption",
    lambda: [V, JOB_ID, *_output_options().CAPTION_PARAMS],
    response_type=str,
)
GET_CAPTION_URL = Endpoint(
    "get_caption",
    "GET",
    "/job/get_caption",
    lambda: [V, JOB_ID, *_output_options().CAPTION_PARAMS],
    response_type="cielo24.model.caption_url_response.CaptionUrlResponse",
    unwrap="caption_url",
)
GET_ELEMENT_LIST = Endpoint(
    "get_element_list",
    "GET",
    "/job/get_elementlist",
    [
        V,
        JOB_ID,
        param("elementlist_version", datetime),
        param("iwp_name", str, enum=enum_values(IWP)),
        flag("audio_description"),
    ],
    response_type="cielo24.model.element_list.ElementList",
)
LIST_ELEMENT_LISTS = Endpoint(
    "list_element_lists",
    "GET",
    "/job/list_elementlists",
    [V, JOB_ID],
    response_type="cielo24.model.element_list_version.ElementListVersion",
    response_list=True,
)


class JobApi:
    """The job endpoints. Every method also takes the per-call options of RequestOptions
    (``async_req``, ``_request_timeout``, ``_preload_content``, ``_return_http_data_only``,
    ``_content_type``).

    Thread-safe when its ApiClient is (it is).
    """

    def __init__(self, api_client: ApiClient | None = None) -> None:
        self.api_client = api_client if api_client is not None else ApiClient()

    def new_job(
        self, new_job_body: NewJobBody, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> NewJobResponse:
        """Create a job, the container for media and transcription (POST /job/new).

        Args:
            new_job_body: the job's name, language, external id and so on.
            v: the API version; 1.

        Returns:
            NewJobResponse with ``job_id`` and ``task_id``.
        """
        result: NewJobResponse = self.api_client.call_api(NEW_JOB, {"v": v}, new_job_body, **kwargs)
        return result

    def add_media_url(
        self,
        job_id: str,
        media_url: str,
        v: int = 1,
        *,
        is_duplicate: str | bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AddMediaResponse:
        """Add media to a job from a public URL (GET /job/add_media).

        A job holds one media; adding a second is an error.

        Args:
            job_id: the job.
            media_url: a publicly reachable, direct URL of the media.
            v: the API version; 1.
            is_duplicate: ``"true"`` to allow the same media_url on more than one job.

        Returns:
            AddMediaResponse with ``task_id``.
        """
        params = {"v": v, "job_id": job_id, "media_url": media_url, "is_duplicate": is_duplicate}
        result: AddMediaResponse = self.api_client.call_api(ADD_MEDIA_URL, params, **kwargs)
        return result

    def add_media_file(
        self,
        job_id: str,
        content_length: int,
        body: MediaBody,
        v: int = 1,
        *,
        is_duplicate: str | bool | None = None,
        progress_callback: ProgressCallback | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AddMediaResponse:
        """Upload media to a job as the raw request body (POST /job/add_media).

        The body is streamed in 1 MiB blocks with ``Content-Length: content_length`` (never
        chunked, never a form); memory use does not grow with the file. The caller's file is
        not closed and is put back at the position it had, so it can be uploaded again.

        Args:
            job_id: the job.
            content_length: the number of bytes to send: all the bytes the body has from its
                current position, at most 10737418239.
            body: a file open in binary mode, a path, or bytes.
            v: the API version; 1.
            is_duplicate: ``"true"`` to allow the same media on more than one job.
            progress_callback: called as ``progress_callback(bytes_sent, total)`` after each
                block.

        Content-Type is ``video/mp4`` (what every cielo24 client sends, whatever the media);
        pass ``_content_type`` to change it, or None to send none.

        Returns:
            AddMediaResponse with ``task_id``.
        """
        upload = MediaUpload(body, content_length, progress_callback)
        params = {"v": v, "job_id": job_id, "is_duplicate": is_duplicate}
        result: AddMediaResponse = self.api_client.call_api(
            ADD_MEDIA_FILE, params, upload, **kwargs
        )
        return result

    def perform_transcription(
        self,
        perform_transcription_body: PerformTranscriptionBody,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> PerformTranscriptionResponse:
        """Ask for the job's media to be transcribed (POST /job/perform_transcription).

        Args:
            perform_transcription_body: the job, fidelity, priority, callback and options.
            v: the API version; 1.

        Returns:
            PerformTranscriptionResponse with ``task_id``.
        """
        result: PerformTranscriptionResponse = self.api_client.call_api(
            PERFORM_TRANSCRIPTION, {"v": v}, perform_transcription_body, **kwargs
        )
        return result

    def authorize_job(self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]) -> None:
        """Authorize a job held in "Authorizing" (POST /job/authorize); no effect otherwise.

        Args:
            job_id: the job.
            v: the API version; 1.
        """
        result: None = self.api_client.call_api(AUTHORIZE_JOB, {"v": v, "job_id": job_id}, **kwargs)
        return result  # None, unless a per-call option asks for more

    def job_info(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> JobInfoResponse:
        """A job's status, settings and dates (GET /job/info)."""
        result: JobInfoResponse = self.api_client.call_api(
            JOB_INFO, {"v": v, "job_id": job_id}, **kwargs
        )
        return result

    def wait_for_job(self, job_id: str, **options: Unpack[WaitOptions]) -> JobInfoResponse:
        """Poll job_info until the job is Complete, less and less often (see cielo24.waiter).

        Keyword arguments (all optional): ``timeout`` (seconds in all, 72 hours by default;
        None for no limit), ``poll_interval`` (the first pause, 5 s), ``max_poll_interval``
        (the longest pause, 60 s), ``on_status_change`` (called with the JobInfoResponse at
        the first look and at each change of status) and ``iwp_name`` (wait for that
        element list version instead, e.g. ``"MECHANICAL"``).

        Returns:
            The final JobInfoResponse.

        Raises:
            MediaFailureError: the job reported Media Failure.
            WaitTimeoutError: the timeout passed first (``status`` holds the last status seen).
            WaitError: the job is Complete without the ``iwp_name`` version.
        """
        from cielo24.waiter import Waiter

        return Waiter(self).wait(job_id, **options)

    def job_list(self, v: int = 1, **kwargs: Unpack[JobListCallOptions]) -> JobListResponse:
        """The account's jobs that match every filter given, newest first (GET /job/list).

        Filters (all optional, see JobListFilters): ``creation_date_from`` / ``_to`` and the
        same for start, due, complete, return and authorization dates (a datetime, a date or
        an ISO string); ``job_status``; ``fidelity``; ``priority``;
        ``turnaround_time_hours_from`` / ``_to``; ``job_name`` (``*`` is a wildcard);
        ``external_id``; ``username`` (a sub-account, ``*`` for all); ``job_difficulty``.
        The service has no pagination: every matching job comes back.
        """
        params, options = split_options(kwargs)
        result: JobListResponse = self.api_client.call_api(JOB_LIST, {"v": v, **params}, **options)
        return result

    def delete_job(self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]) -> TaskResponse:
        """Delete a job (GET /job/delete, or /job/del where that one is not found)."""
        result: TaskResponse = self.api_client.call_api(
            DELETE_JOB, {"v": v, "job_id": job_id}, **kwargs
        )
        return result

    def modify_job(
        self,
        job_id: str,
        v: int = 1,
        *,
        transcription_fidelity: str | None = None,
        turnaround_hours: int | None = None,
        priority: str | None = None,
        account_id: str | None = None,
        requestor_id: str | None = None,
        callback_url: str | None = None,
        expected_speakers: int | None = None,
        notes: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change a job that is still "Authorizing" (POST /job/modify, parameters in the query).

        Only the arguments given are changed; ``account_id`` moves the job to that account.
        """
        params = {
            "v": v,
            "job_id": job_id,
            "transcription_fidelity": transcription_fidelity,
            "turnaround_hours": turnaround_hours,
            "priority": priority,
            "account_id": account_id,
            "requestor_id": requestor_id,
            "callback_url": callback_url,
            "expected_speakers": expected_speakers,
            "notes": notes,
        }
        result: None = self.api_client.call_api(MODIFY_JOB, params, **kwargs)
        return result

    def list_related_jobs(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> ListRelatedJobsResponse:
        """The leading job and the jobs related to it (translations, uplevels)
        (GET /job/list_related; not on the sandbox)."""
        result: ListRelatedJobsResponse = self.api_client.call_api(
            LIST_RELATED_JOBS, {"v": v, "job_id": job_id}, **kwargs
        )
        return result

    def add_embedded_media(
        self, job_id: str, media_url: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> AddMediaResponse:
        """Add media from a video page (YouTube, Vimeo, Brightcove, Kaltura)
        (GET /job/add_media_url). For a direct media URL use add_media_url."""
        params = {"v": v, "job_id": job_id, "media_url": media_url}
        result: AddMediaResponse = self.api_client.call_api(ADD_EMBEDDED_MEDIA, params, **kwargs)
        return result

    def add_transcript_url(
        self,
        job_id: str,
        transcript_url: str,
        format: str,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> TaskResponse:
        """Give the job an existing transcript from a URL (GET /job/add_transcript).

        Args:
            format: text, srt, vtt or dfxp (cielo24.enums.TranscriptFormat).
        """
        params = {"v": v, "job_id": job_id, "transcript_url": transcript_url, "format": format}
        result: TaskResponse = self.api_client.call_api(ADD_TRANSCRIPT_URL, params, **kwargs)
        return result

    def add_transcript_file(
        self,
        job_id: str,
        content_length: int,
        body: MediaBody,
        format: str,
        v: int = 1,
        *,
        progress_callback: ProgressCallback | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> TaskResponse:
        """Upload an existing transcript as the raw body (POST /job/add_transcript).

        Streamed and checked like add_media_file's body; Content-Type is text/plain unless
        ``_content_type`` says otherwise.
        """
        upload = MediaUpload(body, content_length, progress_callback)
        params = {"v": v, "job_id": job_id, "format": format}
        result: TaskResponse = self.api_client.call_api(
            ADD_TRANSCRIPT_FILE, params, upload, **kwargs
        )
        return result

    def add_custom_guidelines(
        self,
        job_id: str,
        v: int = 1,
        *,
        guidelines_url: str | None = None,
        is_html: bool | None = None,
        guidelines_data: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> CustomGuidelinesResponse:
        """Give transcribers your instructions for this job (/job/add_custom_guidelines; not on
        the sandbox). Pass the job option ``custom_special_handling=True`` when you perform
        the transcription.

        Args:
            guidelines_url: a URL of the guidelines (a download, or a web page with is_html).
            guidelines_data: the guidelines as text, lines separated by newlines (sent as a
                form). Give exactly one of guidelines_url and guidelines_data.
        """
        if (guidelines_url is None) == (guidelines_data is None):
            raise ApiValueError(
                "add_custom_guidelines needs either guidelines_url or guidelines_data (not both)"
            )
        if guidelines_url is not None:
            params = {
                "v": v,
                "job_id": job_id,
                "guidelines_url": guidelines_url,
                "is_html": is_html,
            }
            endpoint = ADD_CUSTOM_GUIDELINES_URL
        else:
            if is_html is not None:
                raise ApiValueError("is_html goes with guidelines_url, not guidelines_data")
            params = {"v": v, "job_id": job_id, "guidelines_data": guidelines_data}
            endpoint = ADD_CUSTOM_GUIDELINES_TEXT
        result: CustomGuidelinesResponse = self.api_client.call_api(endpoint, params, **kwargs)
        return result

    def perform_translation(
        self,
        job_id: str,
        target_languages: str | Sequence[str],
        v: int = 1,
        *,
        approve_uplevel: str | bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> PerformTranslationResponse:
        """Order translations of a transcribed job (GET /job/translate; not on the sandbox).

        Args:
            target_languages: language codes, as a list or a comma-separated string.
            approve_uplevel: needed (True) for MECHANICAL or PREMIUM jobs, which are
                upleveled first.

        Returns:
            The new translation jobs' ids and the service's message.
        """
        params = {
            "v": v,
            "job_id": job_id,
            "target_languages": target_languages,
            "approve_uplevel": approve_uplevel,
        }
        result: PerformTranslationResponse = self.api_client.call_api(
            PERFORM_TRANSLATION, params, **kwargs
        )
        return result

    def uplevel_job(
        self,
        job_id: str,
        v: int = 1,
        *,
        speaker_id: str | bool | None = None,
        priority: str | None = None,
        timing: str | bool | None = None,
        requestor: str | None = None,
        reference: str | None = None,
        caption_import_as_fp: str | bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> UplevelJobResponse:
        """Order a higher fidelity of a job, as a new job (GET /job/uplevel; not on the sandbox)."""
        params = {
            "v": v,
            "job_id": job_id,
            "speaker_id": speaker_id,
            "priority": priority,
            "timing": timing,
            "requestor": requestor,
            "reference": reference,
            "caption_import_as_fp": caption_import_as_fp,
        }
        result: UplevelJobResponse = self.api_client.call_api(UPLEVEL_JOB, params, **kwargs)
        return result

    def get_media(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> MediaUrlResponse:
        """The URL of the job's media (GET /job/media); none for uploaded media."""
        result: MediaUrlResponse = self.api_client.call_api(
            GET_MEDIA, {"v": v, "job_id": job_id}, **kwargs
        )
        return result

    def get_transcoded_media(
        self, job_id: str, transcoded_version: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> MediaUrlResponse:
        """The URL of the media transcoded to mp4 or mp3 (GET /job/transcoded_media; not on
        the sandbox)."""
        params = {"v": v, "job_id": job_id, "transcoded_version": transcoded_version}
        result: MediaUrlResponse = self.api_client.call_api(GET_TRANSCODED_MEDIA, params, **kwargs)
        return result

    def download_media(
        self,
        job_id: str,
        media_type: str,
        destination: Destination,
        v: int = 1,
        *,
        text_to_speech: bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> int:
        """Download the job's media as mp3 or mp4 into ``destination`` (GET /job/download_media).

        Streamed in blocks: memory use does not grow with the file. A path is written whole
        or not at all; a file object open for binary writing is written to and left open.

        Args:
            text_to_speech: download the generated audio-description audio instead.

        Returns:
            The number of bytes written.
        """
        params = {
            "v": v,
            "job_id": job_id,
            "media_type": media_type,
            "text_to_speech": text_to_speech,
        }
        result: int = self.api_client.call_api(DOWNLOAD_MEDIA, params, None, destination, **kwargs)
        return result

    def request_upload_url(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> RequestUploadUrlResponse:
        """A pre-signed URL to upload the job's media to (GET /job/request_upload_url; not on
        the sandbox): send the file there with upload_to_url, then perform_transcription."""
        result: RequestUploadUrlResponse = self.api_client.call_api(
            REQUEST_UPLOAD_URL, {"v": v, "job_id": job_id}, **kwargs
        )
        return result

    def upload_to_url(
        self,
        upload_url: str,
        content_length: int,
        body: MediaBody,
        *,
        progress_callback: ProgressCallback | None = None,
        _request_timeout: Timeout | object = UNSET,
    ) -> None:
        """PUT media to a URL from request_upload_url: raw bytes, no token, no Content-Type.

        The body is streamed and checked like add_media_file's. ``_request_timeout`` works as
        for every call; the other per-call options do not apply to this plain upload.
        """
        upload = MediaUpload(body, content_length, progress_callback)
        self.api_client.put_to_url(upload_url, upload, _request_timeout)

    def burn_in_caption(
        self,
        job_id: str,
        v: int = 1,
        *,
        send_to_email: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Ask for a copy of the video with the captions burned in, sent by email
        (GET /job/burn_in_caption; to the account's address unless ``send_to_email``)."""
        params = {"v": v, "job_id": job_id, "send_to_email": send_to_email}
        result: None = self.api_client.call_api(BURN_IN_CAPTION, params, **kwargs)
        return result

    def aggregate_statistics(
        self,
        v: int = 1,
        *,
        metrics: str | Sequence[str] | None = None,
        group_by: str | None = None,
        start_date: datetime | date | str | None = None,
        end_date: datetime | date | str | None = None,
        account_id: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> AggregateStatisticsResponse:
        """Billable minutes, in total or per week or month (GET /job/aggregate_statistics).

        Args:
            metrics: which (cielo24.enums.Metric), one or a list; all when not given. Sent as a
                JSON list.
            group_by: "week" or "month"; one period when not given.
            start_date, end_date: the range (a datetime, a date or an ISO string).
            account_id: a sub-account's username, or ``*`` for this account and its
                sub-accounts.
        """
        params = {
            "v": v,
            "metrics": [metrics] if isinstance(metrics, str) else metrics,
            "group_by": group_by,
            "start_date": start_date,
            "end_date": end_date,
            "account_id": account_id,
        }
        result: AggregateStatisticsResponse = self.api_client.call_api(
            AGGREGATE_STATISTICS, params, **kwargs
        )
        return result

    @overload
    def get_transcript(
        self,
        job_id: str,
        v: int = ...,
        *,
        destination: None = ...,
        **kwargs: Unpack[TranscriptCallOptions],
    ) -> str: ...

    @overload
    def get_transcript(
        self,
        job_id: str,
        v: int = ...,
        *,
        destination: Destination,
        **kwargs: Unpack[TranscriptCallOptions],
    ) -> int: ...

    def get_transcript(
        self,
        job_id: str,
        v: int = 1,
        *,
        destination: Destination | None = None,
        **kwargs: Unpack[TranscriptCallOptions],
    ) -> str | int:
        """The job's transcript, formatted as the options say (GET /job/get_transcript).

        Every documented option is a keyword argument (see TranscriptOptions), checked before
        sending. With ``destination`` (a path or a binary file) the transcript is streamed
        there and the number of bytes is returned; otherwise the text is.
        """
        params, options = split_options(kwargs)
        result: str | int = self.api_client.call_api(
            GET_TRANSCRIPT, {"v": v, "job_id": job_id, **params}, None, destination, **options
        )
        return result

    @overload
    def get_caption(
        self,
        job_id: str,
        caption_format: str,
        v: int = ...,
        *,
        build_url: bool | None = ...,
        destination: None = ...,
        **kwargs: Unpack[CaptionCallOptions],
    ) -> str: ...

    @overload
    def get_caption(
        self,
        job_id: str,
        caption_format: str,
        v: int = ...,
        *,
        build_url: bool | None = ...,
        destination: Destination,
        **kwargs: Unpack[CaptionCallOptions],
    ) -> int: ...

    def get_caption(
        self,
        job_id: str,
        caption_format: str,
        v: int = 1,
        *,
        build_url: bool | None = None,
        destination: Destination | None = None,
        **kwargs: Unpack[CaptionCallOptions],
    ) -> str | int:
        """The job's captions in ``caption_format`` (GET /job/get_caption).

        Every documented option is a keyword argument (see CaptionOptions), checked before
        sending: enums, types, lists (sent as JSON lists) and ``sound_boundaries`` (a pair,
        sent as ``('[',']')``).

        Args:
            caption_format: SRT, WEB_VTT, DFXP, SBV, SAMI, QT, TRANSCRIPT, ...
                (cielo24.enums.CaptionFormat).
            build_url: return a permanent URL of the caption file instead of its text.
            destination: stream the captions to this path or binary file and return the number
                of bytes written.
        """
        params, options = split_options(kwargs)
        params.update(v=v, job_id=job_id, caption_format=caption_format, build_url=build_url)
        if build_url:
            if destination is not None:
                raise ApiValueError("build_url returns a URL: it cannot go with destination")
            url: str = self.api_client.call_api(GET_CAPTION_URL, params, **options)
            return url
        result: str | int = self.api_client.call_api(
            GET_CAPTION, params, None, destination, **options
        )
        return result

    def get_element_list(
        self,
        job_id: str,
        v: int = 1,
        *,
        elementlist_version: str | datetime | None = None,
        iwp_name: str | None = None,
        audio_description: bool | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> ElementList:
        """The job's element list: every word with its timing, speakers, keywords and topics
        (GET /job/get_elementlist). The latest version unless ``elementlist_version`` (from
        list_element_lists) or ``iwp_name`` says otherwise."""
        params = {
            "v": v,
            "job_id": job_id,
            "elementlist_version": elementlist_version,
            "iwp_name": iwp_name,
            "audio_description": audio_description,
        }
        result: ElementList = self.api_client.call_api(GET_ELEMENT_LIST, params, **kwargs)
        return result

    def list_element_lists(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> list[ElementListVersion]:
        """The versions of the job's element list (GET /job/list_elementlists)."""
        result: list[ElementListVersion] = self.api_client.call_api(
            LIST_ELEMENT_LISTS, {"v": v, "job_id": job_id}, **kwargs
        )
        return result
