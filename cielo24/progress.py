"""Progress people can read, for one media or many: on a terminal, in a pipe, as JSON lines
or in a Jupyter notebook.

:class:`Progress` is fed by ``cielo24.transcribe``, ``cielo24.transcribe_many`` and the
``cielo24 transcribe`` command: each media moves through phases (checking, creating,
uploading, waiting, fetching, done or failed), uploads report bytes, waits report the job's
status. What is shown depends on the mode (see :func:`choose_mode`):

- ``terminal``: a block redrawn in place (one summary line for several media, then one line
  per media in flight), each line cut to the terminal's width so that lines never wrap or
  tear; finished media leave a line above it. The elapsed times tick every second.
- ``plain``: a line at each change, and every 30 s a line with the totals.
- ``json``: one JSON object per line and per event (upload progress at most once a second).
- ``notebook``: an HTML table shown with IPython's ``display`` and refreshed with
  ``update_display``; IPython is imported only when running in a notebook.
- ``off``: nothing.

Safe to feed from several threads.
"""

from __future__ import annotations

import html
import importlib
import json
import os
import shutil
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, TextIO

if TYPE_CHECKING:
    from cielo24.model.job_info_response import JobInfoResponse
    from cielo24.upload import ProgressCallback
    from cielo24.waiter import StatusCallback

#: The phases of a media, in order; the last three end it.
CHECKING, CREATING, UPLOADING, WAITING, FETCHING = (
    "checking",
    "creating",
    "uploading",
    "waiting",
    "fetching",
)
DONE, FAILED, SKIPPED = "done", "failed", "skipped"
FINISHED = frozenset({DONE, FAILED, SKIPPED})
MODES = ("terminal", "plain", "json", "notebook", "off")
#: Seconds between two lines of totals when the output is not a terminal.
PLAIN_EVERY = 30.0


def in_notebook() -> bool:
    """Whether this runs in a Jupyter kernel (IPython is looked at only if already loaded)."""
    if "IPython" not in sys.modules:
        return False
    shell = getattr(sys.modules["IPython"], "get_ipython", lambda: None)()
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def choose_mode(progress: bool | None, stream: TextIO | None = None) -> str:
    """The mode for ``progress``: False is off; None is the notebook display in a notebook
    and off elsewhere (what the Python calls do by default); True is the notebook display
    in a notebook, else ``terminal`` or ``plain`` as ``stream`` (stderr) is a terminal."""
    if progress is False:
        return "off"
    if in_notebook():
        return "notebook"
    if progress is None:
        return "off"
    return "terminal" if is_terminal(stream or sys.stderr) else "plain"


@dataclass
class _Media:
    label: str
    phase: str = CHECKING
    job_id: str | None = None
    status: str | None = None
    sent: int = 0
    size: int = 0
    error: str | None = None
    started: float = 0.0  # when the current phase began
    upload_started: float = 0.0
    reported: float = 0.0  # the last upload event written in JSON mode


class Progress:
    """The progress of ``total`` media, shown in ``mode`` (one of MODES) on ``stream``
    (stderr by default).

    Use it in a ``with`` block, or call :meth:`close` at the end.
    """

    def __init__(
        self,
        total: int,
        mode: str = "plain",
        stream: TextIO | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        tick: float = 1.0,
        plain_every: float = PLAIN_EVERY,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"progress mode {mode!r} is not one of {', '.join(MODES)}")
        self.total = total
        self.mode = mode
        self.stream = stream or sys.stderr
        self.clock = clock
        self.started = clock()
        self.plain_every = plain_every
        self._media: dict[str, _Media] = {}
        self._counts = {DONE: 0, FAILED: 0, SKIPPED: 0}
        self._lock = threading.RLock()
        self._drawn = 0  # lines of the terminal block on screen
        self._last_plain = self.started
        self._last_html = 0.0
        self._display_id = f"cielo24-{uuid.uuid4().hex}"
        self._displayed = False
        self._closed = threading.Event()
        self._ticker: threading.Thread | None = None
        if mode in ("terminal", "plain", "notebook"):
            self._ticker = threading.Thread(
                target=self._tick, args=(tick,), name="cielo24-progress", daemon=True
            )
            self._ticker.start()

    # --- feeding it -----------------------------------------------------------------------

    def update(
        self,
        key: str,
        phase: str | None = None,
        *,
        label: str | None = None,
        job_id: str | None = None,
        status: str | None = None,
        error: str | None = None,
    ) -> None:
        """Record what became of media ``key`` (its label is ``key`` unless given); a change
        of phase, job or status is shown."""
        with self._lock:
            media = self._media.get(key)
            if media is None:
                media = self._media[key] = _Media(label or key, started=self.clock())
            changed = False
            if phase is not None and phase != media.phase:
                media.phase, media.started, changed = phase, self.clock(), True
                if phase in FINISHED:
                    self._counts[phase] += 1
                if phase == UPLOADING:
                    media.upload_started, media.sent = media.started, 0
            for name, value in (("job_id", job_id), ("status", status), ("error", error)):
                if value is not None and getattr(media, name) != value:
                    setattr(media, name, value)
                    changed = True
            if changed:
                self._changed(key, media)

    def uploaded(self, key: str, sent: int, size: int) -> None:
        """``sent`` of ``size`` bytes of media ``key`` are uploaded."""
        with self._lock:
            media = self._media.get(key)
            if media is None or media.phase != UPLOADING:
                self.update(key, UPLOADING)
                media = self._media[key]
            media.sent, media.size = sent, size
            now = self.clock()
            if self.mode == "json" and (now - media.reported >= 1.0 or sent >= size):
                media.reported = now
                self._json(key, media, "upload")
            elif self.mode == "terminal":
                self._draw()
            elif self.mode == "plain" and sent >= size:
                self._write(f"{self.line(key)}\n")
            elif self.mode == "notebook" and (now - self._last_html >= 0.5 or sent >= size):
                self._show_html()

    def upload_callback(self, key: str) -> ProgressCallback:
        """A ``progress_callback(sent, total)`` for the upload of media ``key``."""
        return lambda sent, size: self.uploaded(key, sent, size)

    def status_callback(self, key: str) -> StatusCallback:
        """An ``on_status_change(info)`` for the wait of media ``key``."""

        def changed(info: JobInfoResponse) -> None:
            self.update(key, WAITING, job_id=info.job_id, status=info.job_status)

        return changed

    def close(self) -> None:
        """Stop the ticking, and leave the last state on screen."""
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            if self.mode == "terminal":
                self._draw()
            elif self.mode == "plain" and self.total > 1:
                self._write(self.summary() + "\n")
            elif self.mode == "notebook":
                self._show_html()

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- what is shown --------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Media done, failed, uploading and waiting (the others are being checked, created
        or fetched)."""
        with self._lock:
            phases = [m.phase for m in self._media.values()]
            return {
                DONE: self._counts[DONE],
                FAILED: self._counts[FAILED] + self._counts[SKIPPED],
                UPLOADING: phases.count(UPLOADING),
                WAITING: phases.count(WAITING),
            }

    def summary(self) -> str:
        """``3 done, 1 failed, 2 uploading, 10 waiting of 20  2.5 media/min  ETA 4 min
        elapsed 1 min 36 s``."""
        counts = self.counts()
        elapsed = self.clock() - self.started
        finished = counts[DONE] + counts[FAILED]
        line = (
            f"{counts[DONE]} done, {counts[FAILED]} failed, {counts[UPLOADING]} uploading, "
            f"{counts[WAITING]} waiting of {self.total}"
        )
        if finished and elapsed > 0:
            rate = finished / elapsed
            line += f"  {rate * 60:.1f} media/min"
            if finished < self.total:
                line += f"  ETA {duration((self.total - finished) / rate)}"
        return f"{line}  elapsed {duration(elapsed)}"

    def line(self, key: str) -> str:
        """One media's line: ``talk.mp4  uploading  12.0 MB of 48.0 MB  25%  4.0 MB/s  ETA
        9 s  elapsed 3 s``, ``talk.mp4  job 1f3e...  In Process  elapsed 1 min 12 s``."""
        with self._lock:
            media = self._media[key]
            now = self.clock()
            parts = [media.label]
            if media.job_id:
                parts.append(f"job {media.job_id}")
            if media.phase == UPLOADING and media.size:
                parts.append(_upload_text(media, now))
            elif media.phase == WAITING:
                parts.append(media.status or "submitted")
            elif media.phase == FAILED:
                parts.append(f"failed: {media.error}" if media.error else "failed")
            elif media.phase == DONE:
                parts.append(media.status or "done")
            else:
                parts.append(media.phase)
            if media.phase not in FINISHED:
                parts.append(f"elapsed {duration(now - media.started)}")
            return "  ".join(parts)

    def _changed(self, key: str, media: _Media) -> None:
        if self.mode == "json":
            self._json(key, media, "phase")
        elif self.mode == "plain":
            self._write(f"{self.line(key)}\n")
        elif self.mode == "terminal":
            if media.phase in FINISHED:
                self._draw(above=self.line(key))
            else:
                self._draw()
        elif self.mode == "notebook":
            self._show_html()

    def _json(self, key: str, media: _Media, event: str) -> None:
        data: dict[str, Any] = {
            "event": event,
            "media": media.label,
            "phase": media.phase,
            "job_id": media.job_id,
            "status": media.status,
            "elapsed": round(self.clock() - self.started, 3),
        }
        if event == "upload":
            elapsed = self.clock() - media.upload_started
            data.update(sent=media.sent, size=media.size, rate=_rate(media.sent, elapsed))
        if media.error:
            data["error"] = media.error
        self._write(json.dumps(data) + "\n")

    def _in_flight(self) -> list[str]:
        return [k for k, m in self._media.items() if m.phase not in FINISHED]

    def _draw(self, above: str | None = None) -> None:
        """Redraw the terminal block in place: up to where it began, each line cleared and
        cut to the width, then whatever is left of the old block cleared."""
        width, height = self._terminal_size()
        lines = [self.summary()] if self.total > 1 else []
        flying = self._in_flight()
        room = max(1, height - 2 - len(lines))
        if len(flying) > room:
            lines += [self.line(k) for k in flying[: room - 1]]
            lines.append(f"... and {len(flying) - room + 1} more")
        else:
            lines += [self.line(k) for k in flying]
        if self._closed.is_set() and self.total == 1 and not flying:
            lines = []
        text = f"\x1b[{self._drawn}F" if self._drawn else "\r"
        if above is not None:
            text += f"\x1b[2K{above[: width - 1]}\n"
        text += "".join(f"\x1b[2K{line[: width - 1]}\n" for line in lines) + "\x1b[J"
        self._drawn = len(lines)
        self._write(text)

    def _terminal_size(self) -> os.terminal_size:
        try:
            return os.get_terminal_size(self.stream.fileno())
        except (AttributeError, OSError, ValueError):
            return shutil.get_terminal_size()

    def _show_html(self) -> None:
        ipython: Any = importlib.import_module("IPython.display")  # only in a notebook

        self._last_html = self.clock()
        rows = "".join(
            f"<tr><td>{html.escape(self.line(key))}</td></tr>"
            for key in (self._media if self.total == 1 else self._in_flight())
        )
        head = "" if self.total == 1 else f"<caption>{html.escape(self.summary())}</caption>"
        content = ipython.HTML(f"<table>{head}{rows}</table>")
        if self._displayed:
            ipython.update_display(content, display_id=self._display_id)
        else:
            ipython.display(content, display_id=self._display_id)
            self._displayed = True

    def _tick(self, every: float) -> None:
        while not self._closed.wait(every):
            with self._lock:
                if self._closed.is_set():
                    return
                if self.mode == "terminal" and self._media:
                    self._draw()
                elif self.mode == "notebook" and self._media:
                    self._show_html()
                elif self.mode == "plain" and self.clock() - self._last_plain >= self.plain_every:
                    flying = self._in_flight()
                    if self.total > 1:
                        self._write(self.summary() + "\n")
                    elif flying:
                        self._write(self.line(flying[0]) + "\n")

    def _write(self, text: str) -> None:
        if self.mode == "plain":
            self._last_plain = self.clock()
        try:
            self.stream.write(text)
            self.stream.flush()
        except ValueError:  # the stream was closed under us
            pass


def _upload_text(media: _Media, now: float) -> str:
    elapsed = now - media.upload_started
    percent = 100 * media.sent // media.size
    text = f"uploading {size(media.sent)} of {size(media.size)}  {percent}%"
    rate = _rate(media.sent, elapsed)
    if rate:
        text += f"  {size(round(rate))}/s"
        if media.sent < media.size:
            text += f"  ETA {duration((media.size - media.sent) / rate)}"
    return text


def _rate(sent: int, elapsed: float) -> float:
    return sent / elapsed if elapsed > 0 else 0.0


def size(count: int) -> str:
    """A number of bytes for people: 512 B, 48.0 kB, 1.2 MB, 3.4 GB."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} B"


def duration(seconds: float) -> str:
    """Seconds for people: ``4 s``, ``1 min 12 s``, ``2 h 05 min``."""
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal (False for anything that cannot say)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
