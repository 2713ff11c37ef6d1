"""Captions as text: format names, the file name extension of each format, and the Caption
string, which shows as a short summary (format, cues, duration, first cues) in a notebook."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from typing import Any, NamedTuple, cast

from cielo24.enums import CaptionFormat, CaptionFormatName, enum_values
from cielo24.exceptions import ApiValueError

#: The file name extension of each caption format.
CAPTION_EXTENSIONS = {
    CaptionFormat.SRT: "srt",
    CaptionFormat.WEB_VTT: "vtt",
    CaptionFormat.DFXP: "dfxp",
    CaptionFormat.SBV: "sbv",
    CaptionFormat.SAMI: "smi",
    CaptionFormat.QT: "qt.txt",
    CaptionFormat.SCC: "scc",
    CaptionFormat.TPM: "tpm",
    CaptionFormat.TWX: "twx",
    CaptionFormat.ECHO: "echo",
    CaptionFormat.TRANSCRIPT: "txt",
}

#: Other names of formats, beyond their extensions (lower case).
_ALIASES = {"webvtt": CaptionFormat.WEB_VTT, "sami": CaptionFormat.SAMI, "qt": CaptionFormat.QT}


def caption_format_named(name: str) -> CaptionFormatName:
    """The caption format a name stands for, in any case: a format (``web_vtt``) or a usual
    file name extension (``vtt``, ``srt``, ``smi``, ``sami``, ``qt``, ``txt``, ...).

    Raises:
        ApiValueError: a name that is neither; the message lists the formats.
    """
    key = name.strip().lower()
    for caption_format in enum_values(CaptionFormat):
        if key in (caption_format.lower(), CAPTION_EXTENSIONS.get(caption_format)):
            return cast("CaptionFormatName", caption_format)
    if key in _ALIASES:
        return cast("CaptionFormatName", _ALIASES[key])
    known = ", ".join(enum_values(CaptionFormat))
    raise ApiValueError(f"{name!r} is not a caption format ({known}, or srt, vtt, smi, txt ...)")


def caption_format_for(path: str | os.PathLike[str]) -> CaptionFormatName:
    """The caption format a file name's extension stands for (``talk.srt`` -> ``SRT``).

    Raises:
        ApiValueError: an extension that is not in CAPTION_EXTENSIONS.
    """
    name = os.fspath(path).lower()
    by_length = sorted(CAPTION_EXTENSIONS.items(), key=lambda item: -len(item[1]))
    for caption_format, extension in by_length:
        if name.endswith("." + extension):
            return cast("CaptionFormatName", caption_format)
    known = ", ".join(f".{e}" for e in CAPTION_EXTENSIONS.values())
    raise ApiValueError(f"no caption format for {os.fspath(path)!r}: give one ({known})")


class Cue(NamedTuple):
    """One caption: when it shows (seconds from the start of the media) and its text."""

    start: float
    end: float | None
    text: str


#: How many cues a summary shows.
SHOWN_CUES = 3

_CLOCK = r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{1,3})"
#: SRT, WebVTT (``-->``) and SBV (``,``) timing lines.
_TIMING = re.compile(rf"^\s*{_CLOCK}\s*(?:-->|,)\s*{_CLOCK}")
_DFXP_CUE = re.compile(r'<p\b[^>]*\bbegin="([^"]+)"[^>]*\bend="([^"]+)"[^>]*>(.*?)</p>', re.S)
_SAMI_SYNC = re.compile(r'<SYNC\s+Start="?(\d+)"?[^>]*>(.*?)(?=<SYNC|</BODY>)', re.S | re.I)
_QT_STAMP = re.compile(r"^\[(\d+):(\d{2}):(\d{2})[.,](\d{1,3})\]\s*$", re.M)
_TAG = re.compile(r"<[^>]+>")


class Caption(str):
    """Captions as text (a ``str``), with the format they are in.

    ``str(caption)`` (and printing it) gives the text. Its repr, and its display in a
    notebook, is a summary: the format, the number of cues, the duration and the first cues.
    """

    caption_format: str

    def __new__(cls, text: str, caption_format: str) -> Caption:
        caption = super().__new__(cls, text)
        caption.caption_format = caption_format
        return caption

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the captions to ``path`` in UTF-8, line endings as they are; returns it."""
        target = Path(path)
        with open(target, "w", encoding="utf-8", newline="") as file:
            file.write(self)
        return target

    @property
    def cues(self) -> list[Cue]:
        """The cues, read from SRT, WEB_VTT, SBV, DFXP, SAMI and QT text; [] for other
        formats (SCC, TRANSCRIPT, ...)."""
        return _cues(str(self), self.caption_format)

    @property
    def duration(self) -> float | None:
        """Seconds from the start of the media to the end of the last cue, or None."""
        cues = self.cues
        return max((cue.end or cue.start for cue in cues), default=None)

    def _summary(self) -> str:
        cues = self.cues
        if not cues and self.strip():
            return f"{len(self.splitlines())} lines, {len(self)} characters"
        duration = max((cue.end or cue.start for cue in cues), default=0.0)
        return f"{len(cues)} cue{'' if len(cues) == 1 else 's'}, {_clock(duration)}"

    def __repr__(self) -> str:
        first = next((cue.text for cue in self.cues), None)
        if first is None:
            first = next((line for line in self.splitlines() if line.strip()), "")
        preview = first if len(first) <= 40 else first[:39] + "…"
        return f"<Caption {self.caption_format}: {self._summary()}; {preview!r}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        from cielo24.notebook import preformatted, table

        title = f"{self.caption_format} captions: {self._summary()}"
        cues = self.cues
        if cues:
            rows = [(_clock(c.start), "" if c.end is None else _clock(c.end), c.text) for c in cues]
            more = len(rows) - SHOWN_CUES
            shown = rows[:SHOWN_CUES] + ([("…", "", f"{more} more")] if more > 0 else [])
            return table(shown, ("start", "end", "text"), caption=title)
        lines = self.splitlines()
        text = "\n".join(lines[: SHOWN_CUES * 2]) + ("\n…" if len(lines) > SHOWN_CUES * 2 else "")
        return f"<div>{html.escape(title)}</div>{preformatted(text)}"


def _clock(seconds: float) -> str:
    """``H:MM:SS`` (to the second)."""
    whole = int(seconds)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


def _seconds(hours: str | None, minutes: str, secs: str, fraction: str) -> float:
    whole = int(hours or 0) * 3600 + int(minutes) * 60 + int(secs)
    return whole + int(fraction) / float(10 ** len(fraction))


def _plain(markup: str) -> str:
    """Text of an XML or HTML fragment: line breaks as spaces, tags dropped, unescaped."""
    text = re.sub(r"<br\s*/?>", " ", markup, flags=re.I)
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _dfxp_time(text: str) -> float:
    parts = re.match(r"^(\d+):(\d{2}):(\d{2})(?:[.,](\d+))?$", text.strip())
    if parts is None:  # offset times ("3.1s") are left at 0
        return 0.0
    hours, minutes, secs, fraction = parts.groups()
    return _seconds(hours, minutes, secs, fraction or "0")


def _cues(text: str, caption_format: str) -> list[Cue]:
    if caption_format in (CaptionFormat.SRT, CaptionFormat.WEB_VTT, CaptionFormat.SBV):
        cues: list[Cue] = []
        for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
            lines = block.strip("\n").split("\n")
            for number, line in enumerate(lines):
                timing = _TIMING.match(line)
                if timing is not None:
                    groups = timing.groups()
                    words = " ".join(" ".join(lines[number + 1 :]).split())
                    cues.append(Cue(_seconds(*groups[:4]), _seconds(*groups[4:]), words))
                    break
        return cues
    if caption_format == CaptionFormat.DFXP:
        return [
            Cue(_dfxp_time(begin), _dfxp_time(end), _plain(body))
            for begin, end, body in _DFXP_CUE.findall(text)
        ]
    if caption_format == CaptionFormat.SAMI:
        syncs = [(int(start) / 1000, _plain(body)) for start, body in _SAMI_SYNC.findall(text)]
        return _until_next(syncs)
    if caption_format == CaptionFormat.QT:
        stamps = list(_QT_STAMP.finditer(text))
        timed: list[tuple[float, str]] = []
        for number, stamp in enumerate(stamps):
            stop = stamps[number + 1].start() if number + 1 < len(stamps) else len(text)
            timed.append((_seconds(*stamp.groups()), " ".join(text[stamp.end() : stop].split())))
        return _until_next(timed)
    return []


def _until_next(timed: list[tuple[float, str]]) -> list[Cue]:
    """Cues from (start, text) marks where each cue lasts until the next mark; empty marks
    only end the cue before them."""
    cues: list[Cue] = []
    for number, (start, words) in enumerate(timed):
        if words:
            end = timed[number + 1][0] if number + 1 < len(timed) else None
            cues.append(Cue(start, end, words))
    return cues
