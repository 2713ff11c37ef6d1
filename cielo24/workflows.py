"""One call for the common case: media in, captions out (``cielo24.transcribe``).

``transcribe`` creates a job, adds the media (a path, an open binary file, bytes or an
http(s) URL), asks for the transcription, waits for it and returns a :class:`Transcription`,
which fetches or saves captions, transcripts and the element list.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Callable, TypeVar, cast

from cielo24 import progress as shown
from cielo24.api.job_api import JobApi
from cielo24.api_client import ApiClient
from cielo24.captions import CAPTION_EXTENSIONS, Caption, caption_format_for
from cielo24.configuration import Configuration
from cielo24.enums import (
    CaptionFormat,
    CaptionFormatName,
    FidelityName,
    IWPName,
    Priority,
    RequestPriorityName,
    enum_values,
)
from cielo24.exceptions import ApiKeyError, ApiValueError, UnexpectedResponseError
from cielo24.media_source import Media, MediaSource
from cielo24.model.job_options import JobOptions
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.waiter import MAX_POLL_INTERVAL, POLL_INTERVAL, TIMEOUT, StatusCallback

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from cielo24.api.output_options import CaptionCallOptions, TranscriptCallOptions
    from cielo24.api_client import Destination, RequestOptions
    from cielo24.model.element_list import ElementList
    from cielo24.model.job_info_response import JobInfoResponse
    from cielo24.upload import ProgressCallback

NO_CREDENTIALS = (
    "no cielo24 credentials: set CIELO24_API_TOKEN, or CIELO24_USERNAME with "
    "CIELO24_PASSWORD (or CIELO24_API_SECUREKEY), or pass configuration= or api_client="
)


class Transcription:
    """A job submitted by :func:`transcribe`, and what came of it.

    Attributes:
        job_id: the job.
        jobs: the JobApi it calls (``jobs.api_client`` is the client).
        job_info: the last JobInfoResponse read (the final one after waiting), or None.
        caption_formats: the formats fetched when the job is done.
        captions: those captions by format, once the job is done.

    Its ApiClient is closed by :meth:`close` (or at the end of a ``with`` block) when
    transcribe made it; a client you passed in is yours to close.
    """

    def __init__(
        self,
        jobs: JobApi,
        job_id: str,
        *,
        caption_formats: Sequence[CaptionFormatName] = (CaptionFormat.SRT,),
        owns_client: bool = False,
    ) -> None:
        self.jobs = jobs
        self.job_id = job_id
        self.caption_formats = tuple(caption_formats)
        self.captions: dict[str, Caption] = {}
        self.job_info: JobInfoResponse | None = None
        self._owns_client = owns_client

    @property
    def status(self) -> str | None:
        """The job's status at the last look (``refresh`` looks again)."""
        return None if self.job_info is None else self.job_info.job_status

    def refresh(self) -> JobInfoResponse:
        """Read the job info again; returns it."""
        self.job_info = self.jobs.job_info(self.job_id)
        return self.job_info

    def wait(
        self,
        *,
        timeout: float | None = TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        on_status_change: StatusCallback | None = None,
    ) -> Transcription:
        """Wait until the job is Complete (see JobApi.wait_for_job), then fetch the captions
        of ``caption_formats``; returns self.

        Raises:
            MediaFailureError, WaitTimeoutError: as wait_for_job.
        """
        self.job_info = self.jobs.wait_for_job(
            self.job_id,
            timeout=timeout,
            poll_interval=poll_interval,
            max_poll_interval=max_poll_interval,
            on_status_change=on_status_change,
        )
        for caption_format in self.caption_formats:
            self.captions[caption_format] = self.caption(caption_format)
        return self

    def caption(
        self,
        caption_format: CaptionFormatName = CaptionFormat.SRT,
        **options: Unpack[CaptionCallOptions],
    ) -> Caption:
        """The captions in ``caption_format``, with get_caption's options."""
        text = self.jobs.get_caption(self.job_id, caption_format, **options)
        return Caption(text, caption_format)

    def save_caption(
        self,
        path: str | os.PathLike[str],
        caption_format: CaptionFormatName | None = None,
        **options: Unpack[CaptionCallOptions],
    ) -> Path:
        """Stream the captions to ``path`` (written whole or not at all); returns it.

        Args:
            caption_format: the format; read from the extension when None (``.srt``,
                ``.vtt``, ... see CAPTION_EXTENSIONS).
        """
        caption_format = caption_format or caption_format_for(path)
        self.jobs.get_caption(self.job_id, caption_format, destination=path, **options)
        return Path(path)

    def save_captions(
        self, directory: str | os.PathLike[str] = ".", stem: str | None = None
    ) -> dict[str, Path]:
        """Write the captions of every format in ``caption_formats`` into ``directory``, as
        ``<stem>.<extension>`` (the stem is the job id unless given); returns the paths by
        format. Captions fetched already are written as they are; others are fetched."""
        paths: dict[str, Path] = {}
        for caption_format in self.caption_formats:
            extension = CAPTION_EXTENSIONS.get(caption_format, caption_format.lower())
            path = Path(directory) / f"{stem or self.job_id}.{extension}"
            fetched = self.captions.get(caption_format)
            paths[caption_format] = (
                fetched.save(path)
                if fetched is not None
                else self.save_caption(path, caption_format)
            )
        return paths

    def transcript(self, **options: Unpack[TranscriptCallOptions]) -> str:
        """The transcript as text, with get_transcript's options."""
        return self.jobs.get_transcript(self.job_id, **options)

    def save_transcript(
        self, path: str | os.PathLike[str], **options: Unpack[TranscriptCallOptions]
    ) -> Path:
        """Stream the transcript to ``path`` (``file_format="pdf"`` or ``"html"`` for those);
        returns it."""
        self.jobs.get_transcript(self.job_id, destination=path, **options)
        return Path(path)

    def element_list(
        self,
        *,
        elementlist_version: str | None = None,
        iwp_name: IWPName | None = None,
        **options: Unpack[RequestOptions],
    ) -> ElementList:
        """The element list (the latest version unless one is named)."""
        return self.jobs.get_element_list(
            self.job_id, elementlist_version=elementlist_version, iwp_name=iwp_name, **options
        )

    def save_element_list(
        self,
        destination: Destination,
        *,
        elementlist_version: str | None = None,
        iwp_name: IWPName | None = None,
    ) -> int:
        """Write the element list's JSON, as the service sent it, to a path or a binary file;
        returns the number of bytes written."""
        return save_element_list(
            self.jobs,
            self.job_id,
            destination,
            elementlist_version=elementlist_version,
            iwp_name=iwp_name,
        )

    def close(self) -> None:
        """Close the ApiClient if transcribe made it."""
        if self._owns_client:
            self.jobs.api_client.close()

    def __enter__(self) -> Transcription:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Transcription(job_id={self.job_id!r}, status={self.status!r})"

    def _repr_html_(self) -> str:
        from cielo24.notebook import table

        info = self.job_info.to_dict() if self.job_info is not None else {"job_id": self.job_id}
        rows = [*info.items(), ("captions", ", ".join(self.captions) or None)]
        return table(rows, caption="transcription")


def save_element_list(
    jobs: JobApi,
    job_id: str,
    destination: Destination,
    *,
    elementlist_version: str | None = None,
    iwp_name: IWPName | None = None,
) -> int:
    """Write a job's element list JSON, byte for byte as the service sent it, to a path
    (written whole or not at all) or a binary file; returns the number of bytes."""
    return jobs.get_element_list(
        job_id,
        elementlist_version=elementlist_version,
        iwp_name=iwp_name,
        destination=destination,
    )


def transcribe(
    media: Media,
    *,
    fidelity: FidelityName,
    priority: RequestPriorityName = Priority.STANDARD,
    caption_formats: Sequence[CaptionFormatName] = (CaptionFormat.SRT,),
    wait: bool = True,
    job_name: str | None = None,
    language: str | None = None,
    external_id: str | None = None,
    options: JobOptions | Mapping[str, Any] | None = None,
    callback_url: str | None = None,
    turnaround_hours: int | None = None,
    authorize: bool = False,
    timeout: float | None = TIMEOUT,
    poll_interval: float = POLL_INTERVAL,
    max_poll_interval: float = MAX_POLL_INTERVAL,
    on_status_change: StatusCallback | None = None,
    progress_callback: ProgressCallback | None = None,
    progress: bool | None = None,
    is_duplicate: bool = False,
    configuration: Configuration | None = None,
    api_client: ApiClient | None = None,
) -> Transcription:
    """Transcribe media in one call: create a job, add the media, ask for the transcription,
    wait for it and fetch the captions.

    Every argument is checked, and a local file opened, before the job is created.

    Args:
        media: a path, a file open in binary mode (sent from its current position), bytes,
            or an http(s) URL the service fetches itself.
        fidelity: MECHANICAL, PREMIUM or PROFESSIONAL (cielo24.enums.Fidelity).
        priority: STANDARD or PRIORITY.
        caption_formats: the caption formats fetched once the job is done
            (``result.captions``); SRT by default.
        wait: wait for the job; False returns as soon as it is submitted (call
            ``result.wait()`` later).
        job_name: the job's name; the media's file name when None.
        language: the language spoken (the service's default, ``en``, when None).
        external_id: your own identifier for the job.
        options: job options (a JobOptions or a dict), e.g. ``{"return_iwp": ["MECHANICAL"]}``.
        callback_url: a URL cielo24 calls when the job is done (see cielo24.callbacks).
        turnaround_hours: hours until the job is due.
        authorize: also authorize the job, for accounts that hold new jobs for approval.
        timeout, poll_interval, max_poll_interval, on_status_change: how to wait (see
            JobApi.wait_for_job).
        progress_callback: called as ``progress_callback(bytes_sent, total)`` during an upload.
        progress: show the upload (bytes, rate, ETA, elapsed) and the wait (status, elapsed):
            None shows it only in a Jupyter notebook (an HTML display), True also on stderr
            elsewhere, False never (see cielo24.progress).
        is_duplicate: make the job even if one with this ``external_id`` exists, and add a
            media URL that another job has already (sent as ``is_duplicate=true``).
        configuration: the Configuration to use; ``Configuration.from_env()`` when neither it
            nor ``api_client`` is given.
        api_client: a client to use (and to leave open), e.g. one shared by several threads.

    Returns:
        A Transcription: ``job_id``, ``job_info`` (final when waited), ``captions``, and
        methods to fetch and save captions, transcripts and the element list.

    Raises:
        OSError: a media path that cannot be opened (nothing was sent).
        ApiValueError, ApiTypeError: a bad argument (nothing was sent).
        ApiKeyError: no credentials at all.
        MediaFailureError, WaitTimeoutError: from waiting; they hold the job id.
        ApiException, ApiConnectionError: a call failed.
    """
    if configuration is not None and api_client is not None:
        raise ApiValueError("give configuration or api_client, not both")
    formats = _caption_formats(caption_formats)
    body = PerformTranscriptionBody(
        job_id="-",  # checked now, set once the job exists
        transcription_fidelity=fidelity,
        priority=priority,
        callback_url=callback_url,
        options=dict(options) if isinstance(options, Mapping) else options,
        turnaround_hours=turnaround_hours,
    )
    new_job = NewJobBody(
        job_name=job_name,
        language=language,
        external_id=external_id,
        is_duplicate=True if is_duplicate else None,
    )
    with MediaSource(media) as source:
        if new_job.job_name is None:
            new_job.job_name = source.name
        client, owns_client = _client(configuration, api_client)
        mode = shown.choose_mode(progress)
        display = None if mode == "off" else shown.Progress(1, mode)
        key = source.name
        try:
            jobs = JobApi(client)
            if display is not None:
                display.update(key, shown.CREATING)
                progress_callback = _both(progress_callback, display.upload_callback(key))
                on_status_change = _both(on_status_change, display.status_callback(key))
            job_id = jobs.new_job(new_job).job_id
            if not job_id:  # the service sent JobId null
                raise UnexpectedResponseError(200, "OK", "new_job answered without a JobId")
            if display is not None:
                display.update(key, job_id=job_id)
            source.add_to(
                jobs, job_id, progress_callback, is_duplicate=True if is_duplicate else None
            )
            body.job_id = job_id
            jobs.perform_transcription(body)
            if authorize:
                jobs.authorize_job(job_id)
            result = Transcription(jobs, job_id, caption_formats=formats, owns_client=owns_client)
            if wait:
                if display is not None:
                    display.update(key, shown.WAITING)
                result.wait(
                    timeout=timeout,
                    poll_interval=poll_interval,
                    max_poll_interval=max_poll_interval,
                    on_status_change=on_status_change,
                )
            if display is not None:
                display.update(key, shown.DONE, status=result.status or "submitted")
            return result
        except BaseException as exc:
            if display is not None:
                display.update(key, shown.FAILED, error=str(exc) or type(exc).__name__)
            if owns_client:
                client.close()
            raise
        finally:
            if display is not None:
                display.close()


T = TypeVar("T", bound=Callable[..., None])


def _both(first: T | None, second: T) -> T:
    """A callback calling ``first`` (when given), then ``second``."""
    if first is None:
        return second

    def both(*args: Any) -> None:
        first(*args)
        second(*args)

    return cast(T, both)


def _caption_formats(caption_formats: Sequence[str]) -> tuple[CaptionFormatName, ...]:
    if isinstance(caption_formats, str):
        caption_formats = (caption_formats,)
    known = enum_values(CaptionFormat)
    for caption_format in caption_formats:
        if caption_format not in known:
            raise ApiValueError(
                f"caption_formats: {caption_format!r} is not one of {', '.join(known)}"
            )
    return cast("tuple[CaptionFormatName, ...]", tuple(dict.fromkeys(caption_formats)))


def _client(
    configuration: Configuration | None, api_client: ApiClient | None
) -> tuple[ApiClient, bool]:
    """The client to use, and whether transcribe made it (and so must close it)."""
    if api_client is not None:
        return api_client, False
    if configuration is None:
        configuration = Configuration.from_env()
        if not configuration.api_key.get("ApiKeyAuth") and not configuration.has_credentials:
            raise ApiKeyError(NO_CREDENTIALS)
    return ApiClient(configuration), True
