"""Callbacks: build a callback URL with cielo24's tags, and read the callback when it comes.

cielo24 calls a job's ``callback_url`` with a GET and no body when the job is done (and at
each interim version named in the job option ``return_iwp``), after replacing the tags
``{job_id}``, ``{job_name}``, ``{elementlist_version}`` and ``{iwp_name}`` in the URL. So
everything the receiver needs must be in the URL::

    url = build_callback_url("https://example.com/cielo24/done", {"secret": SECRET})
    ...
    callback = parse_callback(request.query_string)       # in the web app's handler
    captions = jobs.get_caption(callback.job_id, "SRT")
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Union
from urllib.parse import parse_qsl, quote, urlsplit

from cielo24.enums import IWP
from cielo24.exceptions import ApiTypeError, ApiValueError

#: cielo24's substitution tags, added to the query by build_callback_url.
CALLBACK_TAGS = ("job_id", "job_name", "elementlist_version", "iwp_name")

_TAG_NAME = re.compile(r"^[A-Za-z0-9_]+$")
#: A job id fit for a URL or a file name (the service's are 32 hexadecimal digits).
_JOB_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")

#: What parse_callback reads: a query string (or a URL or path with one), or a mapping of
#: parameters as web frameworks give them (values may be lists, as parse_qs makes them).
CallbackQuery = Union[str, Mapping[str, Union[str, Sequence[str]]]]


def build_callback_url(
    url: str,
    params: Mapping[str, str | int] | None = None,
    *,
    tags: Iterable[str] = CALLBACK_TAGS,
) -> str:
    """``url`` with your ``params`` and cielo24's tags added to its query.

    Each tag is added as ``name={name}``, braces intact, for cielo24 to replace. Your params
    are percent-encoded, braces included, so a value such as ``{job_id}`` reaches you as
    written and is never replaced. ``url`` itself is kept as given (tags may be in its path).

    Args:
        url: the receiver's http:// or https:// URL; it may have a query, not a fragment.
        params: your own parameters, e.g. a secret that proves the call comes from your job.
        tags: the tags to add, by default all four; the keys of the job option
            ``custom_metadata`` are tags too.

    Returns:
        The URL to give as ``callback_url`` to perform_transcription or modify_job.

    Raises:
        ApiValueError: not an http(s) URL with a host, a fragment, a bad tag name, or a param
            named like a tag.
    """
    if not isinstance(url, str):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
        raise ApiTypeError(f"url must be a str, got {type(url).__name__}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApiValueError(f"callback url must be an http:// or https:// URL, got {url!r}")
    if parts.fragment or url.endswith("#"):
        raise ApiValueError("callback url must not have a fragment: cielo24 would not send it")
    tags = tuple(tags)
    for tag in tags:
        if not isinstance(tag, str) or not _TAG_NAME.match(tag):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            raise ApiValueError(f"tag names are letters, digits and underscores, got {tag!r}")
    params = dict(params or {})
    clash = sorted(params.keys() & set(tags))
    if clash:
        raise ApiValueError(f"params {clash} are filled in by cielo24 as tags: leave them out")
    query = [f"{_quote(str(k))}={_quote(str(v))}" for k, v in params.items()]
    query += [f"{tag}={{{tag}}}" for tag in tags]
    if not query:
        return url
    joiner = "" if url.endswith(("?", "&")) else "&" if parts.query else "?"
    return url + joiner + "&".join(query)


@dataclass(frozen=True)
class JobCallback:
    """What a cielo24 callback says, read by :func:`parse_callback`.

    Attributes:
        job_id: the job that produced a version.
        iwp_name: the interim work product of that version (``FINAL`` when the job is done),
            or None when the URL did not ask for it.
        elementlist_version: the version, to pass back as ``elementlist_version``, or None.
        job_name: the job's name, or None.
        params: every other query parameter (your own), by name.
    """

    job_id: str
    iwp_name: str | None = None
    elementlist_version: str | None = None
    job_name: str | None = None
    params: Mapping[str, str] = field(default_factory=dict[str, str])

    @property
    def is_final(self) -> bool:
        """Whether this is the call for the job's FINAL version (the job is Complete)."""
        return self.iwp_name == IWP.FINAL


def parse_callback(query: CallbackQuery) -> JobCallback:
    """Read the query of an incoming callback request.

    Args:
        query: the query string (``"job_id=...&iwp_name=FINAL"``), the request's path or URL
            with it, or the parameters as a mapping (Flask's ``request.args``, Django's
            ``request.GET``, a ``parse_qs`` dict).

    Returns:
        A JobCallback. A tag left as written (``{iwp_name}``) reads as None.

    Raises:
        ApiValueError: no job_id, or one that is not an id (letters, digits, ``-``, ``_``).
    """
    values = _query_values(query)
    tagged = {name: _substituted(name, values.pop(name, None)) for name in CALLBACK_TAGS}
    job_id = tagged["job_id"]
    if job_id is None:
        raise ApiValueError("the callback has no job_id: build its URL with build_callback_url")
    if not _JOB_ID.match(job_id):
        raise ApiValueError(f"the callback's job_id is not a job id: {job_id[:80]!r}")
    return JobCallback(
        job_id=job_id,
        iwp_name=tagged["iwp_name"],
        elementlist_version=tagged["elementlist_version"],
        job_name=tagged["job_name"],
        params=values,
    )


def _query_values(query: CallbackQuery) -> dict[str, str]:
    """The parameters, one value each (the first of a repeated one)."""
    if isinstance(query, str):
        text = query.split("#", 1)[0]
        if "?" in text:
            text = text.split("?", 1)[1]
        values: dict[str, str] = {}
        for name, value in parse_qsl(text, keep_blank_values=True):
            values.setdefault(name, value)
        return values
    if isinstance(query, Mapping):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
        result: dict[str, str] = {}
        for key, item in query.items():
            if isinstance(item, str):
                result[str(key)] = item
            elif item:  # a list of values: the first
                result[str(key)] = str(item[0])
        return result
    raise ApiTypeError(f"query must be a str or a mapping, got {type(query).__name__}")


def _substituted(name: str, value: str | None) -> str | None:
    """A tag's value, or None when it is missing, empty or was not replaced."""
    return None if not value or value == "{" + name + "}" else value


def _quote(text: str) -> str:
    return quote(text, safe="")
