"""JobApi: create jobs, add media, ask for transcription (the ``/job/...`` endpoints)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Union

from cielo24.api_client import ApiClient, Endpoint
from cielo24.model.add_media_response import AddMediaResponse
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.new_job_response import NewJobResponse
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.model.perform_transcription_response import PerformTranscriptionResponse
from cielo24.model_utils import TRUE_FALSE, param, true_false
from cielo24.upload import MediaBody, MediaUpload, ProgressCallback

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.api_client import RequestOptions


def _version_one(value: Any) -> Any:
    if value != 1 or isinstance(value, bool):
        raise ValueError(f"must be 1, the only API version, got {value!r}")
    return value


_V = param("v", int, required=True, convert=_version_one)
_JOB_ID = param("job_id", str, required=True)
_IS_DUPLICATE = param("is_duplicate", Union[str, bool], enum=TRUE_FALSE, convert=true_false)

NEW_JOB = Endpoint(
    "new_job", "POST", "/job/new", [_V], body_type=NewJobBody, response_type=NewJobResponse
)
ADD_MEDIA_URL = Endpoint(
    "add_media_url",
    "GET",
    "/job/add_media",
    [_V, _JOB_ID, param("media_url", str, required=True), _IS_DUPLICATE],
    response_type=AddMediaResponse,
)
ADD_MEDIA_FILE = Endpoint(
    "add_media_file",
    "POST",
    "/job/add_media",
    [_V, _JOB_ID, _IS_DUPLICATE],
    content_type="video/mp4",
    response_type=AddMediaResponse,
)
PERFORM_TRANSCRIPTION = Endpoint(
    "perform_transcription",
    "POST",
    "/job/perform_transcription",
    [_V],
    body_type=PerformTranscriptionBody,
    response_type=PerformTranscriptionResponse,
)
AUTHORIZE_JOB = Endpoint("authorize_job", "POST", "/job/authorize", [_V, _JOB_ID])


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
