"""The media of a job, as transcribe and the command line take it: a path, a binary file,
bytes or an http(s) URL, checked before any request."""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Union
from urllib.parse import unquote, urlsplit

from cielo24.exceptions import ApiTypeError, ApiValueError
from cielo24.upload import ProgressCallback, bytes_left, check_content_length, open_media

if TYPE_CHECKING:
    from cielo24.api.job_api import JobApi
    from cielo24.model.add_media_response import AddMediaResponse

#: What transcribe takes as media: a path, a file open in binary mode, bytes, or a URL.
Media = Union[str, "os.PathLike[str]", IO[bytes], bytes, bytearray]


def is_url(media: object) -> bool:
    """Whether ``media`` is an http:// or https:// URL (a str), for the service to fetch."""
    return isinstance(media, str) and media.lower().startswith(("http://", "https://"))


def media_name(media: str | os.PathLike[str]) -> str:
    """The file name of a media path, or of a media URL's path."""
    if is_url(media):
        parts = urlsplit(os.fspath(media))
        return unquote(parts.path.rstrip("/").rsplit("/", 1)[-1]) or parts.hostname or "media"
    return os.path.basename(os.fspath(media))


class MediaSource:
    """Media to give a job: a path (opened at once), a binary file, bytes or an http(s) URL,
    checked before any request. Use it in a ``with`` block, which closes a file it opened.

    Attributes:
        name: the media's file name (from the path, the file or the URL).
        url: the URL, for media the service fetches itself; None otherwise.
        size: the bytes to upload (not set for a URL).

    Raises:
        OSError: a path that cannot be opened.
        ApiValueError, ApiTypeError: media that cannot be sent (empty, closed, text mode, a
            named pipe, socket, device or directory...).
    """

    def __init__(self, media: Media) -> None:
        self.url: str | None = None
        self.file: IO[bytes] | None = None
        self.data: bytes | bytearray | None = None
        self._opened = False
        if is_url(media):
            assert isinstance(media, str)
            if not urlsplit(media).hostname:
                raise ApiValueError(f"media URL {media!r} has no host")
            self.url = media
            self.name = media_name(media)
            return
        if isinstance(media, (str, os.PathLike)):
            self.file = open_media(media)  # closed by close()
            self._opened = True
            self.name = media_name(media)
        elif isinstance(media, (bytes, bytearray)):
            self.data = media
            self.name = "media"
        elif hasattr(media, "read"):
            self.file = media
            self.name = os.path.basename(str(getattr(media, "name", "media")))
        else:
            raise ApiTypeError(
                f"media must be a path, a binary file, bytes or an http(s) URL, got "
                f"{type(media).__name__}"
            )
        body = self.file if self.file is not None else self.data
        assert body is not None
        try:
            self.size = check_content_length(bytes_left(body))
        except BaseException:
            self.close()
            raise

    def add_to(
        self,
        jobs: JobApi,
        job_id: str,
        progress: ProgressCallback | None = None,
        *,
        is_duplicate: bool | None = None,
    ) -> AddMediaResponse:
        """Give the job its media: by URL (add_media_url), or uploaded (add_media_file, with
        ``progress(bytes_sent, total)`` after each block)."""
        if self.url is not None:
            return jobs.add_media_url(job_id, self.url, is_duplicate=is_duplicate)
        body = self.file if self.file is not None else self.data
        assert body is not None
        return jobs.add_media_file(
            job_id, self.size, body, is_duplicate=is_duplicate, progress_callback=progress
        )

    def close(self) -> None:
        if self._opened and self.file is not None:
            self.file.close()

    def __enter__(self) -> MediaSource:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
