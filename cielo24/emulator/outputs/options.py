"""Option values as the service reads them from request strings; bad values raise OptionError.

Each ``parse_*`` function (or parser built by ``at_least`` / ``one_of``) takes the option's
name and its text and returns the typed value. :func:`option` looks one option up in a
request's parameters, with a default when it is absent. Names the service does not know are
never looked up, so they are ignored, as the service ignores extra parameters.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping, Sequence
from typing import Callable, TypeVar, cast

from ..params import decode_json
from .errors import OptionError

T = TypeVar("T")
D = TypeVar("D")
Parser = Callable[[str, str], T]

SOUND_TAGS = (
    "UNKNOWN",
    "INAUDIBLE",
    "CROSSTALK",
    "MUSIC",
    "NOISE",
    "LAUGH",
    "COUGH",
    "FOREIGN",
    "BLANK_AUDIO",
    "APPLAUSE",
    "BLEEP",
    "ENDS_SENTENCE",
    "SOUND",
)
"""The SoundTag enum, plus ``SOUND``, a tag the service's own lists carry."""

_TRUE = frozenset({"true", "t", "yes", "1"})
_FALSE = frozenset({"false", "f", "no", "0"})
_INTEGER = re.compile(r"[+-]?[0-9]{1,18}")
_MAX_BOUNDARIES_TEXT = 64


def option(options: Mapping[str, str], name: str, parse: Parser[T], default: D) -> T | D:
    """The parsed value of option ``name``, or ``default`` when the request lacks it."""
    value = options.get(name)
    return default if value is None else parse(name, value)


def first_present(options: Mapping[str, str], *names: str) -> str | None:
    """The first of ``names`` that the request carries (for options with two spellings)."""
    for name in names:
        if name in options:
            return name
    return None


def parse_bool(name: str, value: str) -> bool:
    """``true``/``false``, ``t``/``f``, ``yes``/``no`` or ``1``/``0``, in any case."""
    word = value.strip().lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise OptionError(name, f"invalid {name} {value!r}: expected true or false")


def parse_int(name: str, value: str) -> int:
    """A whole number written in decimal digits, with an optional sign."""
    if not _INTEGER.fullmatch(value.strip()):
        raise OptionError(name, f"invalid {name} {value!r}: expected an integer")
    return int(value)


def parse_text(name: str, value: str) -> str:
    """Any text, unchanged."""
    return value


def at_least(minimum: int) -> Parser[int]:
    """A parser of integers no smaller than ``minimum``."""

    def parse(name: str, value: str) -> int:
        number = parse_int(name, value)
        if number < minimum:
            raise OptionError(name, f"invalid {name} {value!r}: must be at least {minimum}")
        return number

    return parse


def one_of(*choices: str) -> Parser[str]:
    """A parser of one of ``choices`` (matched in any case, returned as spelled here)."""
    by_key = {choice.lower(): choice for choice in choices}

    def parse(name: str, value: str) -> str:
        choice = by_key.get(value.strip().lower())
        if choice is None:
            expected = ", ".join(repr(c) for c in choices)
            raise OptionError(name, f"invalid {name} {value!r}: expected one of {expected}")
        return choice

    return parse


def parse_tag_list(name: str, value: str) -> tuple[str, ...]:
    """A JSON list of sound tags, e.g. ``["MUSIC","LAUGH"]``; tags are returned upper-case."""
    try:
        document = decode_json(value)
    except ValueError:
        document = None
    if not isinstance(document, list) or not all(
        isinstance(tag, str) for tag in cast("list[object]", document)
    ):
        raise OptionError(
            name, f'invalid {name} {value!r}: expected a JSON list such as ["MUSIC","LAUGH"]'
        )
    tags = tuple(tag.upper() for tag in cast("list[str]", document))
    unknown = [tag for tag in tags if tag not in SOUND_TAGS]
    if unknown:
        raise OptionError(name, f"invalid {name} {value!r}: unknown sound tag {unknown[0]!r}")
    return tags


def parse_boundaries(name: str, value: str) -> tuple[str, str]:
    """A pair of strings: the DOCS tuple form ``('[',']')`` or a JSON list ``["[","]"]``."""
    pair: object = None
    if len(value) <= _MAX_BOUNDARIES_TEXT:
        try:
            pair = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            pair = None
    if (
        not isinstance(pair, (tuple, list))
        or len(cast("Sequence[object]", pair)) != 2
        or not all(
            isinstance(side, str) and not _has_line_break(side)
            for side in cast("Sequence[object]", pair)
        )
    ):
        raise OptionError(
            name, f"invalid {name} {value!r}: expected two strings, such as ('[',']')"
        )
    sides = cast("Sequence[str]", pair)
    return sides[0], sides[1]


def _has_line_break(text: str) -> bool:
    """Whether ``text`` holds a carriage return or a line feed."""
    return "\n" in text or "\r" in text
