"""Callbacks: a GET of the job's callback_url when an ElementList version is made.

One callback per IWP named in the job option ``return_iwp``, plus FINAL, when that version is
produced, with the tags ``{job_id}``, ``{job_name}``, ``{elementlist_version}``,
``{iwp_name}`` and the keys of the ``custom_metadata`` option replaced by their values
(percent-encoded). An answer other than 200 is retried three times.

Safety: only loopback addresses (127.0.0.0/8, ``localhost``, ``::1``) are ever contacted,
unless the emulator allows remote callbacks; any other callback is recorded as skipped and
never sent. Host names other than ``localhost`` are not resolved to decide.
"""

from __future__ import annotations

import base64
import http.client
import ipaddress
import json
import threading
from datetime import timedelta
from functools import partial
from typing import Any, cast
from urllib.parse import quote, unquote, urlsplit

from . import lifecycle
from .errors import ApiError
from .lifecycle import FINAL, Version
from .params import decode_json
from .state import CallbackRecord, Job, State

ATTEMPTS = 4
"""The first try and three retries."""
TIMEOUT_SECONDS = 10.0
"""How long one attempt waits to connect and for the answer."""
USER_AGENT = "cielo24-emulator"


def schedule(state: State, job: Job) -> None:
    """Arrange the job's callbacks, one check per version it will produce (hold the lock)."""
    for version in lifecycle.planned_versions(job):
        state.scheduler.at(version.produced_at, partial(_produced, state, job.job_id, version))


def _produced(state: State, job_id: str, version: Version) -> None:
    """A version is due: call back if it was produced and the job asks for it."""
    with state.lock:
        job = state.jobs.get(job_id)
        if job is None or job.deleted_at is not None or not job.callback_url:
            return
        produced = {v.version for v in lifecycle.versions(job, state.now())}
        if version.version not in produced or version.iwp_name not in wanted_iwps(job):
            return
        url = substitute(job, job.callback_url, version)
    _attempt(state, job_id, version, url, 1)


def wanted_iwps(job: Job) -> set[str]:
    """The IWPs the job is called back for: its ``return_iwp`` option, and FINAL."""
    return_iwp = _option(job, "return_iwp")
    names: set[str] = (
        {str(name) for name in cast("list[object]", return_iwp)}
        if isinstance(return_iwp, list)
        else set()
    )
    return names | {FINAL}


def substitute(job: Job, url: str, version: Version) -> str:
    """The callback URL with its tags replaced by the job's values, percent-encoded."""
    values: dict[str, str] = {}
    metadata = _option(job, "custom_metadata")
    if isinstance(metadata, dict):
        values.update(
            {
                str(key): _text(value)
                for key, value in cast("dict[object, object]", metadata).items()
            }
        )
    values.update(
        {
            "job_id": job.job_id,
            "job_name": job.job_name or "",
            "elementlist_version": version.version,
            "iwp_name": version.iwp_name,
        }
    )
    for name, value in values.items():
        url = url.replace("{" + name + "}", quote(value, safe=""))
    return url


def _option(job: Job, name: str) -> Any:
    """A job option, decoding a JSON string (some clients stringify list and dict values)."""
    value = (job.options or {}).get(name)
    if isinstance(value, str):
        try:
            return decode_json(value)
        except (ValueError, ApiError):  # not JSON, or nested too deep: kept as text
            return value
    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def is_loopback(url: str) -> bool:
    """Whether the URL's host is a loopback address: 127.0.0.0/8, ``localhost`` or ``::1``."""
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return False
    if host is None:
        return False
    if host.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _attempt(state: State, job_id: str, version: Version, url: str, attempt: int) -> None:
    """Send one attempt on its own thread, or record why it is not sent."""
    if not state.allow_remote_callbacks and not is_loopback(url):
        reason = "skipped: not a loopback address and remote callbacks are not allowed"
        _record(state, job_id, version, url, attempt, sent=False, error=reason)
        return
    thread = threading.Thread(
        target=_send,
        args=(state, job_id, version, url, attempt),
        name=f"cielo24-emulator-callback:{job_id}",
        daemon=True,
    )
    thread.start()


def _send(state: State, job_id: str, version: Version, url: str, attempt: int) -> None:
    """GET the URL, record the outcome, and schedule a retry unless it answered 200."""
    status: int | None = None
    error: str | None = None
    try:
        status = get(url)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error = f"{type(exc).__name__}: {exc}"
    _record(state, job_id, version, url, attempt, sent=True, status=status, error=error)
    if status != 200 and attempt < ATTEMPTS:
        due = state.now() + timedelta(seconds=state.callback_retry_seconds)
        state.scheduler.at(due, partial(_attempt, state, job_id, version, url, attempt + 1))


def get(url: str) -> int:
    """One GET without a body, following no redirect and using no proxy; the status."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(host, parts.port, timeout=TIMEOUT_SECONDS)
    headers = {"User-Agent": USER_AGENT}
    if parts.username is not None:
        credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        token = base64.b64encode(credentials.encode("utf-8")).decode("ascii")
        headers["Authorization"] = f"Basic {token}"
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("GET", target, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def _record(
    state: State,
    job_id: str,
    version: Version,
    url: str,
    attempt: int,
    *,
    sent: bool,
    status: int | None = None,
    error: str | None = None,
) -> None:
    record = CallbackRecord(
        job_id=job_id,
        iwp_name=version.iwp_name,
        elementlist_version=version.version,
        url=url,
        attempt=attempt,
        sent=sent,
        status=status,
        error=error,
        at=state.now(),
    )
    with state.lock:
        state.callbacks.append(record)
