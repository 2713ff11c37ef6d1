"""Uploaded media on disk, in a temporary directory the emulator owns and deletes on stop."""

from __future__ import annotations

import shutil
import tempfile
import threading
import weakref
from pathlib import Path
from typing import IO

DIRECTORY_PREFIX = "cielo24-emulator-"


class MediaStore:
    """Files in a private temporary directory, created on first use.

    :meth:`clear` deletes the directory and everything in it; the next write creates a new
    one. The directory is also deleted when the store is garbage-collected or the interpreter
    exits, should nobody call :meth:`clear`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._directory: Path | None = None
        self._finalizer: weakref.finalize[[str], MediaStore] | None = None

    @property
    def directory(self) -> Path | None:
        """The directory, or None while nothing was stored since the last clear."""
        return self._directory

    def open_new(self, name: str) -> tuple[Path, IO[bytes]]:
        """A new, empty file for writing, and its path; ``name`` is a prefix for readability."""
        with self._lock:
            if self._directory is None:
                directory = tempfile.mkdtemp(prefix=DIRECTORY_PREFIX)
                self._directory = Path(directory)
                self._finalizer = weakref.finalize(self, _remove, directory)
            handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 - the caller closes it
                "wb", dir=self._directory, prefix=f"{name}-", suffix=".media", delete=False
            )
        return Path(handle.name), handle

    def discard(self, path: Path | None) -> None:
        """Delete one stored file, if it is still there."""
        if path is not None:
            path.unlink(missing_ok=True)

    def contains(self, path: Path | None) -> bool:
        """Whether ``path`` is a file of this store that still exists."""
        directory = self._directory
        return (
            path is not None
            and directory is not None
            and path.parent == directory
            and path.is_file()
        )

    def clear(self) -> None:
        """Delete the directory and every file in it."""
        with self._lock:
            finalizer, self._finalizer, self._directory = self._finalizer, None, None
        if finalizer is not None:
            finalizer()


def _remove(directory: str) -> None:
    shutil.rmtree(directory, ignore_errors=True)
