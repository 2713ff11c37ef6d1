"""Argument types and option groups shared by the commands."""

from __future__ import annotations

import argparse
import json
from typing import Any, Protocol, cast

from cielo24.captions import caption_format_named
from cielo24.configuration import SERVERS
from cielo24.enums import IWP, REQUEST_PRIORITIES, Fidelity, enum_values
from cielo24.exceptions import ApiValueError
from cielo24.waiter import MAX_POLL_INTERVAL, POLL_INTERVAL, TIMEOUT

#: The parser of every command's function; set with ``set_defaults(run=...)``.
COMMAND = "run"

#: The published documentation, which --help points at.
DOCS_URL = "https://github.com/cielo24/cielo24-python/blob/main/docs/"


class SubParsers(Protocol):
    """What a command module uses of the object ``ArgumentParser.add_subparsers()`` returns."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


def common_options() -> argparse.ArgumentParser:
    """The options every command that calls the service takes."""
    common = argparse.ArgumentParser(add_help=False)
    group = common.add_argument_group("service")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--host", metavar="URL", help="the API's URL (instead of CIELO24_HOST)")
    where.add_argument(
        "--server", choices=sorted(SERVERS), help="a named server (instead of CIELO24_SERVER)"
    )
    group.add_argument(
        "--profile",
        metavar="NAME",
        help="use the token saved by `cielo24 login --save --profile NAME` (instead of the "
        "variables)",
    )
    group.add_argument("--json", action="store_true", help="write the result as JSON")
    group.add_argument(
        "--debug", action="store_true", help="log each request on stderr (secrets masked)"
    )
    return common


def add_progress(parser: argparse.ArgumentParser) -> None:
    """--progress / --no-progress: progress on stderr (by default only on a terminal)."""
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show upload and wait progress on stderr (default: on a terminal)",
    )


def add_wait_options(parser: argparse.ArgumentParser) -> None:
    """--timeout, --poll-interval, --max-poll-interval."""
    parser.add_argument(
        "--timeout",
        type=seconds,
        default=TIMEOUT,
        metavar="S",
        help="seconds to wait for the job in all (default %(default)g, 72 hours)",
    )
    parser.add_argument(
        "--poll-interval",
        type=positive_seconds,
        default=POLL_INTERVAL,
        metavar="S",
        help="seconds before the second look at the job (default %(default)g); the pauses "
        "double each time",
    )
    parser.add_argument(
        "--max-poll-interval",
        type=positive_seconds,
        default=MAX_POLL_INTERVAL,
        metavar="S",
        help="the longest pause between two looks (default %(default)g)",
    )


def add_fidelity(parser: argparse.ArgumentParser, default: str | None) -> None:
    """--fidelity and --priority."""
    parser.add_argument(
        "--fidelity",
        type=str.upper,
        choices=enum_values(Fidelity),
        default=default,
        required=default is None,
        help="MECHANICAL (machine only, fastest), PREMIUM or PROFESSIONAL"
        + (f" (default {default})" if default else ""),
    )
    parser.add_argument(
        "--priority",
        type=str.upper,
        choices=REQUEST_PRIORITIES,
        default=REQUEST_PRIORITIES[0],
        help="default %(default)s",
    )


def add_job_settings(parser: argparse.ArgumentParser) -> None:
    """The options of perform_transcription beyond fidelity and priority."""
    parser.add_argument(
        "--callback-url", metavar="URL", help="a URL cielo24 calls when the job is done"
    )
    parser.add_argument(
        "--turnaround-hours", type=positive_int, metavar="N", help="hours until the job is due"
    )
    parser.add_argument(
        "--options",
        type=json_object,
        metavar="JSON",
        help='job options as a JSON object, e.g. \'{"notes": "two speakers"}\'',
    )


def caption_format(text: str) -> str:
    """A caption format, in any case, or its usual file extension (``vtt``, ``smi``, ...)."""
    try:
        return caption_format_named(text)
    except ApiValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def iwp_name(text: str) -> str:
    """An interim work product name, in any case."""
    value = text.upper()
    if value not in enum_values(IWP):
        raise argparse.ArgumentTypeError(f"{text!r} is not one of {', '.join(enum_values(IWP))}")
    return value


def seconds(text: str) -> float:
    """Zero or more seconds."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"must be zero or more: {text!r}")
    return value


def positive_seconds(text: str) -> float:
    """More than zero seconds."""
    value = seconds(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than zero")
    return value


def positive_int(text: str) -> int:
    """A whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def json_object(text: str) -> dict[str, Any]:
    """A JSON object."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise argparse.ArgumentTypeError("must be a JSON object ({...})")
    return cast("dict[str, Any]", value)


def name_value(text: str) -> tuple[str, Any]:
    """``NAME=VALUE``: the value read as JSON when it is (``32``, ``true``, ``["MUSIC"]``),
    otherwise as text."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {text!r}")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    if value is None:  # "null": keep it as written
        value = raw
    return name.strip().replace("-", "_"), value
