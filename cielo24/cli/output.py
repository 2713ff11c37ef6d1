"""What the command writes: results on stdout (text or JSON), everything else on stderr."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, TextIO

from cielo24.progress import Progress, choose_mode, is_terminal


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

    Progress (cielo24.progress, the display of ``cielo24 transcribe``) is shown on a
    terminal, or always with ``progress=True``; never with ``progress=False``. Safe to use
    from several threads.
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
        self.progress = progress if progress is not None else is_terminal(self.stderr)
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

    def display(self, shown: bool = True) -> Progress:
        """The progress display of one media or job on stderr (JSON lines in JSON mode); it
        shows nothing without progress or when not ``shown``. Use it in a ``with`` block."""
        if not (self.progress and shown):
            return Progress(1, "off")
        mode = "json" if self.json_mode else choose_mode(True, self.stderr)
        return Progress(1, mode, self.stderr)


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
