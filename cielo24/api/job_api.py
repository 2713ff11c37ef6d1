"""JobApi: create jobs, add media, ask for transcription (the ``/job/...`` endpoints).

Each method is the whole declaration of its endpoint (see cielo24.api.endpoint): its
signature names the parameters and the response, ``@endpoint`` beside it the HTTP method, the
path and whether the call may be sent again.
"""

# The method bodies are never run: @endpoint builds each call from the signature.
# mypy: disable-error-code="empty-body"

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, TypedDict, Union, overload

from cielo24.api._params import CommaList, HttpUrl, OneOrMore, Positive, TrueFalse, YesNo
from cielo24.api.endpoint import Api, Param, RawResponses, endpoint
from cielo24.api_client import UNSET, Destination, RawResponse, RequestOptions
from cielo24.enums import (
    CaptionFormatName,
    FidelityName,
    GroupByName,
    IWPName,
    JobDifficultyName,
    JobStatusName,
    MediaFlavorName,
    MetricName,
    PriorityName,
    TranscriptFormatName,
)
from cielo24.exceptions import ApiValueError
from cielo24.rest import Timeout
from cielo24.upload import MediaBody, MediaUpload, ProgressCallback

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.api.output_options import CaptionCallOptions, TranscriptCallOptions
    from cielo24.models import (
        AddMediaResponse,
        AggregateStatisticsResponse,
        CustomGuidelinesResponse,
        ElementList,
        ElementListVersion,
        JobInfoResponse,
        JobListResponse,
        ListRelatedJobsResponse,
        MediaUrlResponse,
        NewJobBody,
        NewJobResponse,
        PerformTranscriptionBody,
        PerformTranscriptionResponse,
        PerformTranslationResponse,
        RequestUploadUrlResponse,
        TaskResponse,
        UplevelJobResponse,
    )
    from cielo24.waiter import WaitOptions

Moment = Union[datetime, date, str]
"""A date and time: a datetime, a date, or an ISO 8601 string sent as it is."""


class JobListFilters(TypedDict, total=False):
    """The filters of job_list; each is sent under its documented PascalCase name
    (``creation_date_from`` as ``CreationDateFrom``). ``external_id`` is sent as both
    ``ExternalID`` and ``ExternalId``, ``username`` as both ``Username`` and ``username``: the
    docs and the clients tested against the service spell them differently."""

    creation_date_from: Moment
    creation_date_to: Moment
    start_date_from: Moment
    start_date_to: Moment
    due_date_from: Moment
    due_date_to: Moment
    complete_date_from: Moment
    complete_date_to: Moment
    return_date_from: Moment
    return_date_to: Moment
    authorization_date_from: Moment
    authorization_date_to: Moment
    job_status: JobStatusName
    fidelity: str
    priority: str
    turnaround_time_hours_from: int
    turnaround_time_hours_to: int
    job_name: str
    external_id: Annotated[str, Param("ExternalID", "ExternalId")]
    username: Annotated[str, Param("Username", "username")]
    job_difficulty: JobDifficultyName


class JobListCallOptions(JobListFilters, RequestOptions, total=False):
    """job_list's keyword arguments: filters and per-call options."""


def _one_kind_of_guidelines(arguments: dict[str, Any]) -> None:
    if (arguments["guidelines_url"] is None) == (arguments["guidelines_data"] is None):
        raise ApiValueError(
            "add_custom_guidelines needs either guidelines_url or guidelines_data (not both)"
        )
    if arguments["guidelines_data"] is not None and arguments["is_html"] is not None:
        raise ApiValueError("is_html goes with guidelines_url, not guidelines_data")


def _url_or_destination(arguments: dict[str, Any]) -> None:
    if arguments.get("build_url") and arguments.get("destination") is not None:
        raise ApiValueError("build_url returns a URL: it cannot go with destination")


class JobApi(Api):
    """The job endpoints. Every method also takes the per-call options of RequestOptions
    (``async_req``, ``_request_timeout``, ``_preload_content``, ``_return_http_data_only``,
    ``_content_type``, ``_extra_params``).

    Thread-safe when its ApiClient is (it is).
    """

    @property
    def with_raw_response(self) -> JobApiWithRawResponse:
        """The same endpoint methods, each returning a RawResponse: the answer's ``status``
        and ``headers`` with the parsed answer, ``data``."""
        return JobApiWithRawResponse(self.api_client)

    @endpoint("POST", "/job/new", body_in_query=True)
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
        ...

    @endpoint("GET", "/job/add_media")
    def add_media_url(
        self,
        job_id: str,
        media_url: str,
        v: int = 1,
        *,
        is_duplicate: TrueFalse = None,
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
        ...

    @endpoint("POST", "/job/add_media", content_type="video/mp4")
    def add_media_file(
        self,
        job_id: str,
        content_length: int,
        body: MediaBody,
        v: int = 1,
        *,
        is_duplicate: TrueFalse = None,
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
        ...

    @endpoint("POST", "/job/perform_transcription", body_in_query=True)
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
        ...

    @endpoint("POST", "/job/authorize", retry=True)  # a second one does nothing
    def authorize_job(self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]) -> None:
        """Authorize a job held in "Authorizing" (POST /job/authorize); no effect otherwise.

        Args:
            job_id: the job.
            v: the API version; 1.
        """
        ...

    @endpoint("GET", "/job/info", retry=True)
    def job_info(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> JobInfoResponse:
        """A job's status, settings and dates (GET /job/info)."""
        ...

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
        from cielo24.waiter import Waiter  # loaded by the first wait, not at import

        return Waiter(self).wait(job_id, **options)

    @endpoint("GET", "/job/list", retry=True, wire_case="camel")
    def job_list(self, v: int = 1, **kwargs: Unpack[JobListCallOptions]) -> JobListResponse:
        """The account's jobs that match every filter given, newest first (GET /job/list).

        Filters (all optional, see JobListFilters): ``creation_date_from`` / ``_to`` and the
        same for start, due, complete, return and authorization dates (a datetime, a date or
        an ISO string); ``job_status``; ``fidelity``; ``priority``;
        ``turnaround_time_hours_from`` / ``_to``; ``job_name`` (``*`` is a wildcard);
        ``external_id``; ``username`` (a sub-account, ``*`` for all); ``job_difficulty``.
        The service has no pagination: every matching job comes back.
        """
        ...

    # /job/del is what the older clients call; tried when /job/delete is absent
    @endpoint("GET", "/job/delete", fallback_path="/job/del")
    def delete_job(self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]) -> TaskResponse:
        """Delete a job (GET /job/delete, or /job/del where that one is not found)."""
        ...

    @endpoint("POST", "/job/modify")
    def modify_job(
        self,
        job_id: str,
        v: int = 1,
        *,
        transcription_fidelity: FidelityName | None = None,
        turnaround_hours: Positive = None,
        priority: PriorityName | None = None,
        account_id: str | None = None,
        requestor_id: str | None = None,
        callback_url: HttpUrl = None,
        expected_speakers: int | None = None,
        notes: str | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> None:
        """Change a job that is still "Authorizing" (POST /job/modify, parameters in the query).

        Only the arguments given are changed; ``account_id`` moves the job to that account.
        """
        ...

    @endpoint("GET", "/job/list_related", retry=True)
    def list_related_jobs(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> ListRelatedJobsResponse:
        """The leading job and the jobs related to it (translations, uplevels)
        (GET /job/list_related; not on the sandbox)."""
        ...

    @endpoint("GET", "/job/add_media_url")
    def add_embedded_media(
        self, job_id: str, media_url: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> AddMediaResponse:
        """Add media from a video page (YouTube, Vimeo, Brightcove, Kaltura)
        (GET /job/add_media_url). For a direct media URL use add_media_url."""
        ...

    @endpoint("GET", "/job/add_transcript")
    def add_transcript_url(
        self,
        job_id: str,
        transcript_url: str,
        format: TranscriptFormatName,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> TaskResponse:
        """Give the job an existing transcript from a URL (GET /job/add_transcript).

        Args:
            format: text, srt, vtt or dfxp (cielo24.enums.TranscriptFormat).
        """
        ...

    @endpoint("POST", "/job/add_transcript", content_type="text/plain")
    def add_transcript_file(
        self,
        job_id: str,
        content_length: int,
        body: MediaBody,
        format: TranscriptFormatName,
        v: int = 1,
        *,
        progress_callback: ProgressCallback | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> TaskResponse:
        """Upload an existing transcript as the raw body (POST /job/add_transcript).

        Streamed and checked like add_media_file's body; Content-Type is text/plain unless
        ``_content_type`` says otherwise.
        """
        ...

    # A GET with guidelines_url; guidelines_data is a form field, which makes it a POST.
    @endpoint("GET", "/job/add_custom_guidelines", check=_one_kind_of_guidelines)
    def add_custom_guidelines(
        self,
        job_id: str,
        v: int = 1,
        *,
        guidelines_url: str | None = None,
        is_html: bool | None = None,
        guidelines_data: Annotated[str | None, Param(location="form")] = None,
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
        ...

    @endpoint("GET", "/job/translate")
    def perform_translation(
        self,
        job_id: str,
        target_languages: Annotated[str | Sequence[str], CommaList],
        v: int = 1,
        *,
        approve_uplevel: YesNo = None,
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
        ...

    @endpoint("GET", "/job/uplevel")
    def uplevel_job(
        self,
        job_id: str,
        v: int = 1,
        *,
        speaker_id: YesNo = None,
        priority: PriorityName | None = None,
        timing: YesNo = None,
        requestor: str | None = None,
        reference: str | None = None,
        caption_import_as_fp: YesNo = None,
        **kwargs: Unpack[RequestOptions],
    ) -> UplevelJobResponse:
        """Order a higher fidelity of a job, as a new job (GET /job/uplevel; not on the sandbox)."""
        ...

    @endpoint("GET", "/job/media", retry=True)
    def get_media(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> MediaUrlResponse:
        """The URL of the job's media (GET /job/media); none for uploaded media."""
        ...

    @endpoint("GET", "/job/transcoded_media", retry=True)
    def get_transcoded_media(
        self,
        job_id: str,
        transcoded_version: MediaFlavorName,
        v: int = 1,
        **kwargs: Unpack[RequestOptions],
    ) -> MediaUrlResponse:
        """The URL of the media transcoded to mp4 or mp3 (GET /job/transcoded_media; not on
        the sandbox)."""
        ...

    @endpoint("GET", "/job/download_media", retry=True)
    def download_media(
        self,
        job_id: str,
        media_type: MediaFlavorName,
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
        ...

    @endpoint("GET", "/job/request_upload_url", retry=True)
    def request_upload_url(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> RequestUploadUrlResponse:
        """A pre-signed URL to upload the job's media to (GET /job/request_upload_url; not on
        the sandbox): send the file there with upload_to_url, then perform_transcription."""
        ...

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
        for every call; the other per-call options do not apply to this plain upload. Never
        sent twice.
        """
        upload = MediaUpload(body, content_length, progress_callback)
        self.api_client.put_to_url(upload_url, upload, _request_timeout)

    @endpoint("GET", "/job/burn_in_caption")
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
        ...

    @endpoint("GET", "/job/aggregate_statistics", retry=True)
    def aggregate_statistics(
        self,
        v: int = 1,
        *,
        metrics: Annotated[MetricName | Sequence[MetricName] | None, OneOrMore] = None,
        group_by: GroupByName | None = None,
        start_date: Moment | None = None,
        end_date: Moment | None = None,
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
        ...

    @overload
    def get_transcript(  # type: ignore[misc, overload-overlap]  # the raw view, a subclass
        self: JobApiWithRawResponse,
        job_id: str,
        v: int = ...,
        *,
        destination: None = ...,
        **kwargs: Unpack[TranscriptCallOptions],
    ) -> RawResponse[str]: ...

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

    # mypy checks the overloads against the Operation @endpoint makes, not this function
    @endpoint("GET", "/job/get_transcript", retry=True)  # type: ignore[misc]
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
        ...

    @overload
    def get_caption(  # type: ignore[misc, overload-overlap]  # the raw view, a subclass
        self: JobApiWithRawResponse,
        job_id: str,
        caption_format: CaptionFormatName,
        v: int = ...,
        *,
        build_url: bool | None = ...,
        destination: None = ...,
        **kwargs: Unpack[CaptionCallOptions],
    ) -> RawResponse[str]: ...

    @overload
    def get_caption(
        self,
        job_id: str,
        caption_format: CaptionFormatName,
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
        caption_format: CaptionFormatName,
        v: int = ...,
        *,
        build_url: bool | None = ...,
        destination: Destination,
        **kwargs: Unpack[CaptionCallOptions],
    ) -> int: ...

    # mypy checks the overloads against the Operation @endpoint makes, not this function
    @endpoint(  # type: ignore[misc]
        "GET",
        "/job/get_caption",
        retry=True,
        unwrap=("build_url", ("CaptionUrl", "caption_url")),
        check=_url_or_destination,
    )
    def get_caption(
        self,
        job_id: str,
        caption_format: CaptionFormatName,
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
        ...

    @overload
    def get_element_list(  # type: ignore[misc, overload-overlap]  # the raw view, a subclass
        self: JobApiWithRawResponse,
        job_id: str,
        v: int = ...,
        *,
        elementlist_version: str | datetime | None = ...,
        iwp_name: IWPName | None = ...,
        audio_description: bool | None = ...,
        destination: None = ...,
        **kwargs: Unpack[RequestOptions],
    ) -> RawResponse[ElementList]: ...

    @overload
    def get_element_list(
        self,
        job_id: str,
        v: int = ...,
        *,
        elementlist_version: str | datetime | None = ...,
        iwp_name: IWPName | None = ...,
        audio_description: bool | None = ...,
        destination: None = ...,
        **kwargs: Unpack[RequestOptions],
    ) -> ElementList: ...

    @overload
    def get_element_list(
        self,
        job_id: str,
        v: int = ...,
        *,
        elementlist_version: str | datetime | None = ...,
        iwp_name: IWPName | None = ...,
        audio_description: bool | None = ...,
        destination: Destination,
        **kwargs: Unpack[RequestOptions],
    ) -> int: ...

    # mypy checks the overloads against the Operation @endpoint makes, not this function
    @endpoint("GET", "/job/get_elementlist", retry=True)  # type: ignore[misc]
    def get_element_list(
        self,
        job_id: str,
        v: int = 1,
        *,
        elementlist_version: str | datetime | None = None,
        iwp_name: IWPName | None = None,
        audio_description: bool | None = None,
        destination: Destination | None = None,
        **kwargs: Unpack[RequestOptions],
    ) -> ElementList | int:
        """The job's element list: every word with its timing, speakers, keywords and topics
        (GET /job/get_elementlist). The latest version unless ``elementlist_version`` (from
        list_element_lists) or ``iwp_name`` says otherwise.

        With ``destination`` (a path, written whole or not at all, or a binary file), the JSON
        is streamed there byte for byte as the service sent it, and the number of bytes is
        returned."""
        ...

    @endpoint("GET", "/job/list_elementlists", retry=True)
    def list_element_lists(
        self, job_id: str, v: int = 1, **kwargs: Unpack[RequestOptions]
    ) -> list[ElementListVersion]:
        """The versions of the job's element list (GET /job/list_elementlists)."""
        ...


class JobApiWithRawResponse(RawResponses, JobApi):
    """``jobs.with_raw_response``: JobApi whose endpoint methods return a RawResponse."""
