"""What the command writes: results on stdout (text or JSON), everything else on stderr."""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from cielo24.model.job_info_response import JobInfoResponse


def to_json(value: Any) -> str:
    """JSON text of a result; dates in ISO 8601."""
    return json.dumps(value, indent=2, default=_plain, ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


class Output:
    """Writes results to stdout as text or JSON, and notices and progress to stderr.

    Progress (upload bars, status changes) is shown on a terminal, or always with
    ``progress=True``; never with ``progress=False``. Safe to use from several threads.
    """

    def __init__(
        self,
        json_mode: bool = False,
        progress: bool | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> None:
        self.json_mode = json_mode
        self.stdout = stdout or sys.stdout
        self.stderr = stderr or sys.stderr
        self.progress = progress if progress is not None else _is_terminal(self.stderr)
        self.lock = threading.Lock()

    def result(self, data: Any, text: str | None = None) -> None:
        """Write a result: ``data`` as JSON in JSON mode, else ``text`` (or ``data``)."""
        line = to_json(data) if self.json_mode or text is None else text
        with self.lock:
            self.stdout.write(line if line.endswith("\n") else line + "\n")
            self.stdout.flush()

    def raw(self, text: str) -> None:
        """Write text to stdout as it is (captions, transcripts)."""
        with self.lock:
            self.stdout.write(text)
            self.stdout.flush()

    def notice(self, message: str) -> None:
        """A message for the person at the terminal, on stderr."""
        self.error_line(f"cielo24: {message}")

    def error_line(self, line: str) -> None:
        with self.lock:
            self.stderr.write(line + "\n")
            self.stderr.flush()

    def progress_bar(self, label: str) -> ProgressBar | None:
        """An upload progress callback drawing a bar on stderr, or None without progress."""
        return ProgressBar(label, self.stderr, self.lock) if self.progress else None

    def status_reporter(self, label: str | None = None) -> StatusReporter | None:
        """A wait's on_status_change writing each new status on stderr, or None."""
        return StatusReporter(label, self) if self.progress else None


class ProgressBar:
    """``progress_callback(sent, total)`` drawing ``label [#####.....]  50%  1.2 MB of 2.4 MB``."""

    WIDTH = 30

    def __init__(self, label: str, stream: TextIO, lock: threading.Lock) -> None:
        self.label = label
        self.stream = stream
        self.lock = lock
        self._shown = -1

    def __call__(self, sent: int, total: int) -> None:
        percent = 100 * sent // total if total else 100
        if percent == self._shown:
            return
        self._shown = percent
        filled = self.WIDTH * percent // 100
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = f"\r{self.label} [{bar}] {percent:3d}%  {_size(sent)} of {_size(total)}"
        with self.lock:
            self.stream.write(line + ("\n" if sent >= total else ""))
            self.stream.flush()


class StatusReporter:
    """``on_status_change(info)`` writing ``[label: ]job <id> is <status> (<elapsed> s)``."""

    def __init__(self, label: str | None, output: Output) -> None:
        self.prefix = f"{label}: " if label else ""
        self.output = output
        self.started = time.monotonic()

    def __call__(self, info: JobInfoResponse) -> None:
        elapsed = round(time.monotonic() - self.started)
        self.output.error_line(f"{self.prefix}job {info.job_id} is {info.job_status} ({elapsed} s)")


def columns(rows: Iterable[Sequence[Any]], header: Sequence[str]) -> str:
    """Rows as aligned text columns under a header."""
    table = [list(header), *([("" if v is None else str(v)) for v in row] for row in rows)]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in table
    )


def fields(data: dict[str, Any]) -> str:
    """A dict as ``name: value`` lines, names aligned."""
    width = max((len(name) for name in data), default=0) + 1
    return "\n".join(f"{name + ':':<{width}} {_text(value)}" for name, value in data.items())


def _text(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, (dict, list)):
        return json.dumps(value, default=_plain, ensure_ascii=False)
    return "" if value is None else str(value)


def _size(count: int) -> str:
    """A number of bytes for people: 512 B, 48.0 kB, 1.2 MB, 3.4 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
