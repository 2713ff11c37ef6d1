"""Times in milliseconds written as the outputs need them."""

from __future__ import annotations

import re

_FIELD = re.compile(r"%([HMSf%])")


def clock(ms: int) -> tuple[int, int, int, int]:
    """Hours, minutes, seconds and milliseconds of a non-negative time in ms."""
    seconds, millis = divmod(max(ms, 0), 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return hours, minutes, seconds, millis


def hms(ms: int, separator: str = ".", *, hour_digits: int = 2) -> str:
    """``HH:MM:SS.mmm`` (the millisecond separator and the hour's width may differ)."""
    hours, minutes, seconds, millis = clock(ms)
    return f"{hours:0{hour_digits}d}:{minutes:02d}:{seconds:02d}{separator}{millis:03d}"


def strftime_like(template: str, ms: int) -> str:
    """``template`` with ``%H``, ``%M``, ``%S``, ``%f`` (milliseconds) and ``%%`` filled in.

    Other ``%`` sequences are left as written.
    """
    hours, minutes, seconds, millis = clock(ms)
    fields = {"H": f"{hours:02d}", "M": f"{minutes:02d}", "S": f"{seconds:02d}"}
    fields.update({"f": f"{millis:03d}", "%": "%"})
    return _FIELD.sub(lambda match: fields[match.group(1)], template)
