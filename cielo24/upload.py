"""MediaUpload: a media body streamed in fixed blocks, checked before any byte is sent."""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Iterator
from typing import IO, Callable, Union, cast

from cielo24.exceptions import ApiTypeError, ApiValueError

#: The largest media the service takes: 10 GiB - 1 byte (the spec's Content-Length maximum).
MAX_MEDIA_BYTES = 10737418239
#: Bytes read and sent at a time; memory use stays near this whatever the media's size.
BLOCK_SIZE = 1024 * 1024

MediaBody = Union[IO[bytes], str, "os.PathLike[str]", bytes, bytearray, memoryview]
ProgressCallback = Callable[[int, int], None]


class MediaUpload:
    """The body of add_media_file: ``content_length`` bytes of a file, a path or bytes.

    Everything is checked when it is built, before any request: the length against the 10 GB
    limit and against the bytes the body really has from its current position, a closed or a
    text-mode file, a missing path. Iterating yields the bytes in blocks of BLOCK_SIZE and calls
    ``progress_callback(bytes_sent, total)`` after each block. ``close()`` puts the caller's file
    back where it was (it is never closed) or closes the file this object opened from a path.
    Iterating again starts again from the beginning, so a failed upload can be sent again;
    ``sent`` tells how far the last pass got.
    """

    def __init__(
        self,
        body: MediaBody,
        content_length: int,
        progress_callback: ProgressCallback | None = None,
    ) -> None:
        check_content_length(content_length)
        if progress_callback is not None and not callable(progress_callback):
            raise ApiTypeError(f"progress_callback must be callable, got {progress_callback!r}")
        self.content_length = content_length
        self.progress_callback = progress_callback
        #: Bytes handed to the connection by the current (or last) pass over the body.
        self.sent = 0
        self._bytes: memoryview | None = None
        self._file: IO[bytes] | None = None
        self._owns_file = False
        self._start = 0
        if isinstance(body, (bytes, bytearray, memoryview)):
            self._bytes = memoryview(body).cast("B")
            available = self._bytes.nbytes
            name = "bytes"
        elif isinstance(body, (str, os.PathLike)):
            name = repr(os.fspath(body))
            self._file = _open(body)
            self._owns_file = True
            available = os.fstat(self._file.fileno()).st_size
        elif hasattr(body, "read"):
            name = repr(getattr(body, "name", type(body).__name__))
            available = bytes_left(body)
            self._start = body.tell()
            self._file = body
        else:
            raise ApiTypeError(
                "body must be a binary file, a path or bytes, got " + type(body).__name__
            )
        if available != content_length:
            self.close()
            raise ApiValueError(
                f"content_length is {content_length} but body {name} has {available} bytes "
                f"from position {self._start}"
            )

    def __iter__(self) -> Iterator[bytes]:
        if self._bytes is not None:
            view = self._bytes
            # memoryview slices: sent like bytes, without copying the caller's buffer
            blocks = cast(
                Iterator[bytes],
                (view[i : i + BLOCK_SIZE] for i in range(0, self.content_length, BLOCK_SIZE)),
            )
        else:
            assert self._file is not None
            self._file.seek(self._start)
            blocks = self._read_file(self._file)
        self.sent = 0
        for block in blocks:
            yield block
            self.sent += len(block)
            if self.progress_callback is not None:
                self.progress_callback(self.sent, self.content_length)

    def _read_file(self, file: IO[bytes]) -> Iterator[bytes]:
        remaining = self.content_length
        while remaining:
            block = file.read(min(BLOCK_SIZE, remaining))
            if not block:
                raise ApiValueError(
                    f"body ended {remaining} bytes short of content_length "
                    f"{self.content_length} (did the file shrink?)"
                )
            remaining -= len(block)
            yield block

    def close(self) -> None:
        """Close the file opened from a path, or put the caller's file back where it was."""
        if self._file is None or self._file.closed:
            return
        if self._owns_file:
            self._file.close()
        else:
            self._file.seek(self._start)


def _open(path: str | os.PathLike[str]) -> IO[bytes]:
    try:
        return open_media(path)  # closed by MediaUpload.close()
    except FileNotFoundError:
        raise ApiValueError(f"body path {os.fspath(path)!r} does not exist") from None
    except OSError as exc:
        raise ApiValueError(f"body path {os.fspath(path)!r} cannot be read: {exc}") from None


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def open_media(path: str | os.PathLike[str]) -> IO[bytes]:
    """``path`` opened for binary reading, once it is known to be a regular file.

    A named pipe, a socket, a device or a directory is refused before it is opened (a pipe
    would block ``open()`` until something writes to it), and again on what was opened, in
    case the path changed meanwhile (opened without blocking).

    Raises:
        ApiValueError: the path is not a regular file; the message names it and what it is.
        OSError: the path cannot be read (FileNotFoundError when it does not exist).
    """
    name = os.fspath(path)
    _check_regular(os.stat(name).st_mode, f"media path {name!r}")
    fd = os.open(name, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0))
    try:
        _check_regular(os.fstat(fd).st_mode, f"media path {name!r}")
        if _NONBLOCK:
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _check_regular(mode: int, what: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((kind for test, kind in _KINDS if test(mode)), "not a regular file")
    raise ApiValueError(f"{what} is {kind}: only a regular file can be uploaded")


def check_content_length(content_length: int) -> int:
    """``content_length`` if it is an int from 1 to MAX_MEDIA_BYTES; ApiTypeError or
    ApiValueError, naming it, otherwise."""
    if isinstance(content_length, bool) or not isinstance(content_length, int):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
        raise ApiTypeError(
            f"content_length must be an int, got {type(content_length).__name__}: "
            f"{content_length!r}"
        )
    if not 0 < content_length <= MAX_MEDIA_BYTES:
        raise ApiValueError(
            f"content_length must be from 1 to {MAX_MEDIA_BYTES} bytes (10 GB), "
            f"got {content_length}"
        )
    return content_length


def bytes_left(body: IO[bytes] | bytes | bytearray | memoryview) -> int:
    """The bytes an upload of ``body`` sends: its length for bytes, or what an open binary
    file has from its position (checked to be open, binary and seekable; left where it was)."""
    if isinstance(body, (bytes, bytearray, memoryview)):
        return memoryview(body).nbytes
    start = _check_file(body, repr(getattr(body, "name", type(body).__name__)))
    end = body.seek(0, io.SEEK_END)
    body.seek(start)
    return end - start


def _check_file(file: IO[bytes], name: str) -> int:
    """The file's current position, once it is known to be an open, seekable binary file."""
    if getattr(file, "closed", False):
        raise ApiValueError(f"body file {name} is closed")
    if isinstance(file, io.TextIOBase) or "b" not in getattr(file, "mode", "b"):
        raise ApiTypeError(f"body file {name} is open in text mode; open it with 'rb'")
    try:
        fd = file.fileno()
    except (OSError, ValueError, AttributeError):  # in memory (BytesIO): no descriptor
        fd = None
    if fd is not None:
        _check_regular(os.fstat(fd).st_mode, f"body file {name}")
    if not (hasattr(file, "seekable") and file.seekable()):
        raise ApiValueError(f"body file {name} must be seekable to check its length and rewind")
    return file.tell()
