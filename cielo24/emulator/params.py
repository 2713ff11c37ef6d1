"""Request parameters: decoding query strings and form or JSON bodies, and typed access."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from .errors import INVALID_OPTION, INVALID_QUERY, INVALID_URL, MISSING_PARAMETER, ApiError

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
MAX_JSON_DEPTH = 64
"""The deepest nesting of arrays and objects read from a JSON body or parameter."""
PLACES = ("query", "form", "json")
"""Where a parameter can come from, in the order they are read (a later place wins)."""

_INTEGER = re.compile(r"[+-]?[0-9]+")
_MOMENT = re.compile(
    r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})"
    r"(?:[T ](?P<hour>[0-9]{2}):(?P<minute>[0-9]{2})"
    r"(?::(?P<second>[0-9]{2})(?:\.(?P<fraction>[0-9]{1,6}))?)?"
    r"(?P<offset>[Zz]|[+-][0-9]{2}:?[0-9]{2})?)?"
)
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_TRUE = ("true", "t", "yes", "y")
_FALSE = ("false", "f", "no", "n")


def parse_query(query: str) -> dict[str, list[str]]:
    """Decode a query string (or form body) into every value of every name.

    Raises:
        ApiError: INVALID_QUERY when a percent-decoded value is not UTF-8.
    """
    try:
        return parse_qs(query, keep_blank_values=True, errors="strict")
    except UnicodeDecodeError:
        comment = "parameters are not valid UTF-8 once percent-decoded"
        raise ApiError(INVALID_QUERY, comment) from None


def last_values(values: Mapping[str, list[str]]) -> dict[str, str]:
    """Keep the last value of each repeated name, as the service does."""
    return {name: items[-1] for name, items in values.items()}


def decode_json(text: str | bytes) -> Any:
    """Decode JSON nested at most MAX_JSON_DEPTH deep.

    The depth is measured on the text before it is parsed, so a deep document is refused the
    same way on every Python, whether or not the rest of it is well-formed JSON.

    Raises:
        ValueError: it is not JSON.
        ApiError: INVALID_QUERY when it is nested deeper than MAX_JSON_DEPTH.
    """
    if _nesting(text) > MAX_JSON_DEPTH:
        raise ApiError(INVALID_QUERY, f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    return json.loads(text)


def _nesting(text: str | bytes) -> int:
    """The deepest run of open arrays and objects in JSON text, strings left out."""
    chars = text.decode("latin-1") if isinstance(text, bytes) else text
    if chars.count("[") + chars.count("{") <= MAX_JSON_DEPTH:
        return 0  # the common case, at the cost of two counts
    depth = deepest = 0
    for bracket in _NOT_BRACKET.sub("", _JSON_STRING.sub("", chars)):
        depth += 1 if bracket in "[{" else -1
        deepest = max(deepest, depth)
    return deepest


def form_fields(body: bytes) -> dict[str, list[str]]:
    """Decode a form body into every value of every name.

    Raises:
        ApiError: INVALID_QUERY when the body is not valid UTF-8 form data.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise ApiError(INVALID_QUERY, f"the {FORM} body is not valid UTF-8") from None
    return parse_query(text)


def json_fields(body: bytes) -> dict[str, Any] | None:
    """Decode a JSON object body; None when the body is empty.

    Raises:
        ApiError: INVALID_QUERY when the body is not a JSON object, or is nested too deep.
    """
    if not body.strip():
        return None
    try:
        document = decode_json(body)
    except ValueError:
        raise ApiError(INVALID_QUERY, "the request body is not valid JSON") from None
    if not isinstance(document, dict):
        raise ApiError(INVALID_QUERY, "the JSON request body must be an object")
    return cast("dict[str, Any]", document)  # JSON: keys are str, values anything


def json_parameters(fields: Mapping[str, Any]) -> dict[str, str]:
    """A JSON object's fields as parameters.

    JSON values become the text a query string would carry: ``true``/``false`` for booleans,
    numbers as written, arrays and objects as compact JSON; ``null`` counts as absent.
    """
    return {name: _as_text(value) for name, value in fields.items() if value is not None}


def merge_places(
    places: Mapping[str, Mapping[str, str]],
) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Merge the parameters found in each place (by PLACES order): the values and, for each
    name, the places that carried it.

    Raises:
        ApiError: INVALID_QUERY when two places carry different values for one name (values
            that mean the same, see :func:`same_meaning`, do not conflict).
    """
    values: dict[str, str] = {}
    sources: dict[str, tuple[str, ...]] = {}
    for place in PLACES:
        for name, value in places.get(place, {}).items():
            if name in values and not same_meaning(values[name], value):
                raise ApiError(
                    INVALID_QUERY,
                    f"conflicting values for parameter {name}: the {' and '.join(sources[name])} "
                    f"and the {place} carry different values",
                )
            values[name] = value
            sources[name] = (*sources.get(name, ()), place)
    return values, sources


def check_names(
    kind: str,
    given: Iterable[str],
    accepted: Collection[str],
    documented: Collection[str],
    where: str,
) -> None:
    """Strict mode: refuse every name not ``accepted``, suggesting the closest ``documented``
    one (``kind`` is what a name is, e.g. "parameter"; ``where`` says where it was sent).

    Raises:
        ApiError: INVALID_OPTION naming every unknown name.
    """
    faults: list[str] = []
    for name in given:
        if name in accepted:
            continue
        match = difflib.get_close_matches(name, sorted(documented), n=1)
        hint = f"did you mean {match[0]}?" if match else f"it is not documented for {where}"
        faults.append(f"unknown {kind} {name}; {hint}")
    if faults:
        raise ApiError(INVALID_OPTION, "; ".join(faults))


def same_meaning(first: str, second: str) -> bool:
    """Whether two parameter texts mean the same: equal text, ``true``/``false`` in any case,
    or the same JSON document however it is spaced."""
    if first == second:
        return True
    if first.lower() in ("true", "false"):
        return first.lower() == second.lower()
    canonical = [_canonical_json(text) for text in (first, second)]
    return canonical[0] is not None and canonical[0] == canonical[1]


def _canonical_json(text: str) -> str | None:
    """JSON text in one canonical spelling (keys sorted, compact), or None when not JSON."""
    try:
        return json.dumps(json.loads(text), sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        return None


def _as_text(value: Any) -> str:
    """Render one JSON value as the text a query string would carry for it."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


class Params:
    """Typed, validating access to one request's merged parameters.

    Every accessor raises :class:`ApiError` with the ErrorType the service gives for that fault.
    A parameter that is present is validated even when it is empty.
    """

    def __init__(self, values: Mapping[str, str]) -> None:
        self._values = dict(values)

    def as_dict(self) -> dict[str, str]:
        """A copy of every parameter, by name."""
        return dict(self._values)

    def optional(self, name: str) -> str | None:
        """The parameter's text, or None when absent."""
        return self._values.get(name)

    def required(self, name: str) -> str:
        """The parameter's text; MISSING_PARAMETER when absent or empty."""
        value = self._values.get(name)
        if not value:
            raise ApiError(MISSING_PARAMETER, f"missing required parameter: {name}")
        return value

    def integer(
        self, name: str, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        """An optional integer (within ``minimum`` and ``maximum`` when given);
        INVALID_QUERY when it is not one."""
        value = self._values.get(name)
        if value is None:
            return None
        if not _INTEGER.fullmatch(value):
            raise ApiError(INVALID_QUERY, f"{name} must be an integer, got {value!r}")
        number = int(value)
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise ApiError(
                INVALID_QUERY, f"{name} must be between {minimum} and {maximum}, got {value!r}"
            )
        return number

    def boolean(self, name: str) -> bool:
        """An optional ``true``/``false`` (any case), False when absent; else INVALID_OPTION."""
        value = self._values.get(name)
        if value is None:
            return False
        if value.lower() not in ("true", "false"):
            raise ApiError(INVALID_OPTION, f"{name} must be true or false, got {value!r}")
        return value.lower() == "true"

    def flag(self, name: str, default: bool = False) -> bool:
        """An optional yes/no value as the newer endpoints take it: ``true``, ``t``, ``yes``,
        ``y`` or their opposites, in any case; ``default`` when absent, else INVALID_OPTION."""
        value = self._values.get(name)
        if value is None:
            return default
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise ApiError(
            INVALID_OPTION, f"{name} must be true/false, t/f, yes/no or y/n, got {value!r}"
        )

    def choice(self, name: str, allowed: tuple[str, ...]) -> str:
        """A required value from ``allowed``; INVALID_OPTION when it is another."""
        value = self.required(name)
        if value not in allowed:
            expected = ", ".join(allowed)
            raise ApiError(INVALID_OPTION, f"invalid {name} {value!r}: expected one of {expected}")
        return value

    def optional_choice(self, name: str, allowed: tuple[str, ...]) -> str | None:
        """An optional value from ``allowed``; None when absent, INVALID_OPTION when another."""
        if self._values.get(name) is None:
            return None
        return self.choice(name, allowed)

    def moment(self, name: str, *, end_of_day: bool = False) -> datetime | None:
        """An optional ISO 8601 date, or date and time, as an aware UTC datetime.

        Accepted: ``2014-08-27``, ``2014-08-27T14:44`` and ``2014-08-27T14:44:54`` (a space may
        replace the ``T``), seconds with 1 to 6 decimals, and an optional ``Z`` or ``+HH:MM``.
        A date alone means its first instant, or its last with ``end_of_day`` (so that a
        ``...To`` filter includes the whole day). A time without an offset is UTC.

        Raises:
            ApiError: INVALID_QUERY when the value is neither, or out of range.
        """
        value = self._values.get(name)
        if value is None:
            return None
        match = _MOMENT.fullmatch(value.strip())
        try:
            if match is None:
                raise ValueError(value)
            day = date(*(int(match[part]) for part in ("year", "month", "day")))
            if match["hour"] is None:
                moment = datetime.combine(day, time.max if end_of_day else time.min)
            else:
                fraction = (match["fraction"] or "").ljust(6, "0")
                clock = time(
                    int(match["hour"]),
                    int(match["minute"]),
                    int(match["second"] or 0),
                    int(fraction),
                )
                moment = datetime.combine(day, clock)
            offset = timedelta(0)
            if match["offset"] not in (None, "Z", "z"):
                sign = -1 if match["offset"][0] == "-" else 1
                hours, minutes = int(match["offset"][1:3]), int(match["offset"][-2:])
                offset = sign * timedelta(hours=hours, minutes=minutes)
            return (moment - offset).replace(tzinfo=timezone.utc)
        except ValueError:
            raise ApiError(
                INVALID_QUERY,
                f"{name} must be an ISO 8601 date or date and time "
                f"(e.g. 2014-08-27 or 2014-08-27T14:44:54), got {value!r}",
            ) from None
        except OverflowError:
            raise ApiError(INVALID_QUERY, f"{name} is out of range: {value!r}") from None

    def url(self, name: str) -> str | None:
        """An optional http or https URL with a host; INVALID_URL when it is not one."""
        value = self._values.get(name)
        if value is None:
            return None
        try:
            parts = urlsplit(value)
            valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        except ValueError:
            valid = False
        if not valid:
            raise ApiError(INVALID_URL, f"{name} must be an http or https URL, got {value!r}")
        return value

    def json_list(self, name: str) -> list[Any] | None:
        """An optional parameter holding a JSON array, e.g. ``["MUSIC","LAUGH"]``;
        INVALID_OPTION when it holds anything else."""
        value = self._values.get(name)
        if value is None:
            return None
        try:
            document = decode_json(value)
        except ValueError:
            document = None
        if not isinstance(document, list):
            raise ApiError(
                INVALID_OPTION, f'{name} must be a JSON list such as ["a","b"], got {value!r}'
            )
        return cast("list[object]", document)  # JSON: items are anything

    def json_object(self, name: str) -> dict[str, Any] | None:
        """An optional parameter holding a JSON object; INVALID_OPTION when it holds another."""
        value = self._values.get(name)
        if value is None:
            return None
        try:
            document = decode_json(value)
        except ValueError:
            document = None
        if not isinstance(document, dict):
            raise ApiError(INVALID_OPTION, f"{name} must be a JSON object, got {value!r}")
        return cast("dict[str, Any]", document)  # JSON: keys are str
