"""Caption files in text formats: SRT, WebVTT, SBV, QuickTime text and plain transcript."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence

from .errors import OptionError
from .layout import Cue
from .timecodes import clock, hms

SRT_PLACEHOLDERS = (
    "caption_number",
    "start_hour",
    "start_minute",
    "start_second",
    "start_millisecond",
    "end_hour",
    "end_minute",
    "end_second",
    "end_millisecond",
    "caption_text",
)
"""The names an ``srt_format`` template may use (Python ``str.format`` fields)."""

QT_HEADER = (
    "{QTtext} {font:Tahoma} {plain} {size:20} {textColor: 65535, 65535, 65535}"
    " {backColor: 0, 0, 0} {justify:center} {timeScale:1000} {width:640} {height:60}"
    " {timeStamps:absolute} {language:0} {textEncoding:0}"
)
_LONG_NUMBER = re.compile(r"[0-9]{4,}")


def write_srt(cues: Sequence[Cue], srt_format: str | None = None) -> str:
    """SubRip: numbered cues, ``HH:MM:SS,mmm --> HH:MM:SS,mmm``, text, a blank line.

    Args:
        srt_format: the client's ``str.format`` template for one cue, in which the two
            characters ``\\n`` stand for a newline; None for the standard form.

    Raises:
        OptionError: ``srt_format`` uses an unknown field or is not a valid template.
    """
    if srt_format is None:
        return "".join(
            f"{number}\n{hms(cue.start_ms, ',')} --> {hms(cue.end_ms, ',')}\n"
            + "\n".join(cue.lines)
            + "\n\n"
            for number, cue in enumerate(cues, 1)
        )
    template = _srt_template(srt_format)
    try:
        return "".join(
            template.format(**_srt_fields(number, cue)) for number, cue in enumerate(cues, 1)
        )
    except (ValueError, TypeError) as exc:
        raise OptionError("srt_format", f"invalid srt_format {srt_format!r}: {exc}") from None


def _srt_template(srt_format: str) -> str:
    """The template with ``\\n`` turned into newlines, checked to use only known fields."""
    template = srt_format.replace("\\n", "\n")
    try:
        fields = [
            (name, spec)
            for _, name, spec, _ in string.Formatter().parse(template)
            if name is not None
        ]
    except ValueError as exc:
        raise OptionError("srt_format", f"invalid srt_format {srt_format!r}: {exc}") from None
    for name, spec in fields:
        if name not in SRT_PLACEHOLDERS:
            expected = ", ".join(SRT_PLACEHOLDERS)
            raise OptionError(
                "srt_format",
                f"invalid srt_format {srt_format!r}: unknown field {name!r}; expected {expected}",
            )
        if spec and ("{" in spec or _LONG_NUMBER.search(spec)):
            raise OptionError(
                "srt_format", f"invalid srt_format {srt_format!r}: unsupported format spec {spec!r}"
            )
    return template


def _srt_fields(number: int, cue: Cue) -> dict[str, int | str]:
    """The values of the ``srt_format`` fields for one cue."""
    start_hour, start_minute, start_second, start_millisecond = clock(cue.start_ms)
    end_hour, end_minute, end_second, end_millisecond = clock(cue.end_ms)
    return {
        "caption_number": number,
        "start_hour": start_hour,
        "start_minute": start_minute,
        "start_second": start_second,
        "start_millisecond": start_millisecond,
        "end_hour": end_hour,
        "end_minute": end_minute,
        "end_second": end_second,
        "end_millisecond": end_millisecond,
        "caption_text": "\n".join(cue.lines),
    }


def write_web_vtt(cues: Sequence[Cue]) -> str:
    """WebVTT: the ``WEBVTT`` header, then ``HH:MM:SS.mmm --> HH:MM:SS.mmm`` cues."""
    blocks = [
        f"{hms(cue.start_ms)} --> {hms(cue.end_ms)}\n" + "\n".join(map(_vtt_escape, cue.lines))
        for cue in cues
    ]
    return "".join(f"{block}\n\n" for block in ["WEBVTT", *blocks])


def _vtt_escape(text: str) -> str:
    """Cue text with ``&``, ``<`` and the ``>`` of ``-->`` written as character references."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace("-->", "--&gt;")


def write_sbv(cues: Sequence[Cue]) -> str:
    """SubViewer (YouTube): ``H:MM:SS.mmm,H:MM:SS.mmm``, text, a blank line."""
    return "".join(
        f"{hms(cue.start_ms, hour_digits=1)},{hms(cue.end_ms, hour_digits=1)}\n"
        + "\n".join(cue.lines)
        + "\n\n"
        for cue in cues
    )


def write_qt(cues: Sequence[Cue], seamless: bool = False) -> str:
    """QuickTime text: a ``{QTtext}`` header, then ``[HH:MM:SS.mmm]`` stamps before texts.

    An empty text after a stamp clears the screen at a cue's end. With ``seamless`` each
    caption stays up until the next one starts, so only the last is cleared.
    """
    lines = [QT_HEADER]
    for index, cue in enumerate(cues):
        lines.append(f"[{hms(cue.start_ms)}]")
        lines.extend(cue.lines)
        following = cues[index + 1].start_ms if index + 1 < len(cues) else None
        if following is None or not (seamless or following == cue.end_ms):
            lines.extend([f"[{hms(cue.end_ms)}]", ""])
    return "\n".join(lines) + "\n"


def write_transcript(cues: Sequence[Cue]) -> str:
    """The captions' text without timings: each caption's lines, then a blank line."""
    return "".join("\n".join(cue.lines) + "\n\n" for cue in cues)
