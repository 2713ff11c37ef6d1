"""The service's memory: accounts, sessions, jobs, callbacks and the request log, one lock."""

from __future__ import annotations

import itertools
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from .errors import (
    ACCOUNT_DOES_NOT_EXIST,
    ACCOUNT_UNPRIVILEGED,
    BAD_API_TOKEN,
    ITEM_NOT_FOUND,
    UNPRIVILEGED_COMMENT,
    ApiError,
)
from .scheduler import Scheduler
from .storage import MediaStore

AUTHORIZING = "Authorizing"
PENDING = "Pending"
IN_PROCESS = "In Process"
COMPLETE = "Complete"
MEDIA_FAILURE = "Media Failure"
JOB_STATUSES = (AUTHORIZING, PENDING, IN_PROCESS, COMPLETE, MEDIA_FAILURE, "Reviewing")

REQUIRE_AUTHORIZATION = "require_customer_authorization_before_starting_workflow"
AUTHORIZATION_FOR_MECHANICAL = "customer_authorization_required_mechanical"
DEFAULT_JOB_NOTES = "default_job_notes"
SETTING_DEFAULTS: dict[str, Any] = {
    DEFAULT_JOB_NOTES: "",
    REQUIRE_AUTHORIZATION: False,
    AUTHORIZATION_FOR_MECHANICAL: True,
}
"""The account settings of account/update_setting, with the value an account starts with."""


CALENDAR_MARGIN = timedelta(days=366 * 100)
"""advance() keeps the clock this far from the end of the calendar, so dates stay valid."""


def new_id() -> str:
    """A fresh identifier in the service's format: 32 lowercase hex digits."""
    return uuid.uuid4().hex


def _now() -> datetime:
    return datetime.now(timezone.utc)


_sequence = itertools.count(1)


@dataclass
class Account:
    """One account: its credentials, its parent (None for a top-level account) and settings.

    ``api_keys`` are its active secure keys (the first is the one generate_api_key returns
    without force_new); ``settings`` holds only the settings changed from their default or
    inherited value (see :meth:`State.setting`).
    """

    username: str
    password: str
    parent: str | None = None
    api_keys: list[str] = field(default_factory=list[str])
    settings: dict[str, Any] = field(default_factory=dict[str, Any])
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    created: datetime = field(default_factory=_now)


@dataclass
class Session:
    """An API token: the account it belongs to and when it was last used.

    A permanent token (given to the constructor or to add_api_token) never expires.
    """

    username: str
    last_used: datetime
    permanent: bool = False


@dataclass
class Job:
    """One job as the service holds it.

    ``status`` is the status the last action gave the job (Authorizing, Pending or In
    Process); once processing has started the service reports ``In Process``, ``Complete``
    or ``Media Failure`` from the times below and the emulator's clock (see lifecycle.py).
    ``task_ids`` lists every TaskId answered for the job.
    """

    job_id: str = field(default_factory=new_id)
    job_name: str | None = None
    language: str = "en"
    external_id: str | None = None
    username: str | None = None
    requestor: str | None = None
    reference: str | None = None
    expected_speakers: int | None = None
    status: str = PENDING
    media_url: str | None = None
    media_embedded: bool = False
    media_size: int | None = None
    media_sha256: str | None = None
    media_content_type: str | None = None
    media_path: Path | None = None
    media_failure: bool = False
    media_duration_ms: int | None = None
    fidelity: str | None = None
    priority: str | None = None
    callback_url: str | None = None
    options: dict[str, Any] | None = None
    target_language: str | None = None
    turnaround_hours: int | None = None
    notes: str | None = None
    transcript_format: str | None = None
    transcript_url: str | None = None
    transcript_size: int | None = None
    guidelines: dict[str, Any] | None = None
    burn_in_emails: list[str] = field(default_factory=list[str])
    parent_job_id: str | None = None
    relation: str | None = None
    created: datetime = field(default_factory=_now)
    authorized_at: datetime | None = None
    requested_at: datetime | None = None
    started_at: datetime | None = None
    processing_seconds: float = 0.0
    failed_at: datetime | None = None
    deleted_at: datetime | None = None
    task_ids: list[str] = field(default_factory=list[str])
    sequence: int = field(default_factory=lambda: next(_sequence))

    @property
    def has_media(self) -> bool:
        """Whether media was added, by URL or by upload."""
        return self.media_url is not None or self.media_size is not None

    def new_task(self) -> str:
        """Issue a TaskId for an action on this job and remember it."""
        task_id = new_id()
        self.task_ids.append(task_id)
        return task_id


@dataclass
class RequestRecord:
    """One request as it arrived on the wire; complete before its answer is sent.

    ``query`` holds every value of every query name; ``form`` every value of every field of a
    form body (empty without one); ``json`` a JSON object body as decoded (None when the body
    was not JSON); ``params`` the merged parameters the handler saw, as text; ``sources`` for
    each of those names the places that carried it (``"query"``, ``"form"``, ``"json"``, in
    that order); ``headers`` has lower-case names; ``content_type`` is the body's media type
    (lower case, without parameters; None without a Content-Type); ``body_size`` counts the
    body bytes read.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    params: dict[str, str] = field(default_factory=dict[str, str])
    body_size: int = 0
    form: dict[str, list[str]] = field(default_factory=dict[str, list[str]])
    json: dict[str, Any] | None = None
    sources: dict[str, tuple[str, ...]] = field(default_factory=dict[str, tuple[str, ...]])
    content_type: str | None = None


@dataclass
class CallbackRecord:
    """One callback attempt (or a callback skipped because it is not to a loopback address).

    ``status`` is the HTTP status answered, ``error`` why there is none (a connection error,
    or the reason it was skipped); ``sent`` is False for a skipped callback.
    """

    job_id: str
    iwp_name: str
    elementlist_version: str
    url: str
    attempt: int
    sent: bool
    status: int | None = None
    error: str | None = None
    at: datetime = field(default_factory=_now)


@dataclass(frozen=True)
class UploadTarget:
    """A pre-signed upload URL handed out by job/request_upload_url."""

    job_id: str
    expires: datetime


@dataclass(frozen=True)
class CaptionLink:
    """A permanent caption URL handed out by get_caption with build_url=true."""

    job_id: str
    caption_format: str
    options: dict[str, str]
    iwp_name: str
    version: str


class State:
    """Everything the emulated service remembers; hold ``lock`` to read or change it.

    Args:
        hash_uploads: compute the sha256 of uploaded media.
        keep_media: write uploaded media to the media store (for download_media and the
            media URL); when False the bytes are read and dropped.
        processing_seconds: how long a job stays In Process.
        token_lifetime: seconds of inactivity after which a login token expires.
        callback_retry_seconds: the delay before each retry of a callback not answered 200.
        allow_remote_callbacks: send callbacks to any host, not only to loopback addresses.
    """

    def __init__(
        self,
        *,
        hash_uploads: bool = True,
        keep_media: bool = True,
        processing_seconds: float = 0.0,
        token_lifetime: float = 3600.0,
        callback_retry_seconds: float = 5.0,
        allow_remote_callbacks: bool = False,
    ) -> None:
        self.lock = threading.RLock()
        self.hash_uploads = hash_uploads
        self.keep_media = keep_media
        self.processing_seconds = processing_seconds
        self.token_lifetime = token_lifetime
        self.callback_retry_seconds = callback_retry_seconds
        self.allow_remote_callbacks = allow_remote_callbacks
        self.offset = timedelta(0)
        self.origin = ""
        """The emulator's own scheme, host and port, for the URLs it hands out."""
        self.accounts: dict[str, Account] = {}
        self.sessions: dict[str, Session] = {}
        self.removed_keys: set[str] = set()
        self.jobs: dict[str, Job] = {}
        self.requests: list[RequestRecord] = []
        self.callbacks: list[CallbackRecord] = []
        self.uploads: dict[str, UploadTarget] = {}
        self.caption_links: dict[str, CaptionLink] = {}
        self.media = MediaStore()
        self.scheduler = Scheduler(self.now)

    # --- the clock ---------------------------------------------------------------------------

    def now(self) -> datetime:
        """The emulator's clock: UTC wall time plus every :meth:`advance` so far."""
        return _now() + self.offset

    def advance(self, seconds: float) -> None:
        """Move the clock forward; what falls due meanwhile happens now."""
        if seconds < 0:
            raise ValueError(f"the clock only moves forward, got {seconds} seconds")
        with self.lock:
            try:
                offset = self.offset + timedelta(seconds=seconds)
                _ = _now() + offset + CALENDAR_MARGIN  # must not overflow
            except OverflowError:
                raise ValueError(f"advancing {seconds} seconds goes past the year 9999") from None
            self.offset = offset
        self.scheduler.wake()

    # --- the request log ---------------------------------------------------------------------

    def record(self, request: RequestRecord) -> None:
        """Append a request to the log."""
        with self.lock:
            self.requests.append(request)

    # --- tokens ------------------------------------------------------------------------------

    def add_token(self, token: str, username: str, *, permanent: bool) -> None:
        """Accept ``token`` for ``username``."""
        with self.lock:
            self.sessions[token] = Session(username, self.now(), permanent)

    def authenticate(self, token: str) -> str:
        """The username ``token`` belongs to; using it restarts its idle time.

        Raises:
            ApiError: BAD_API_TOKEN when the token is unknown, logged out or expired.
        """
        with self.lock:
            session = self.sessions.get(token)
            now = self.now()
            if session is not None and not session.permanent:
                idle = (now - session.last_used).total_seconds()
                if idle > self.token_lifetime or session.username not in self.accounts:
                    del self.sessions[token]
                    session = None
            if session is None:
                raise ApiError(BAD_API_TOKEN, "Invalid or expired API token")
            session.last_used = now
            return session.username

    def expire_tokens(self) -> None:
        """End every login session at once (permanent tokens stay)."""
        with self.lock:
            for token in [t for t, s in self.sessions.items() if not s.permanent]:
                del self.sessions[token]

    # --- accounts ----------------------------------------------------------------------------

    def add_account(self, account: Account) -> Account:
        """Remember a new account (hold ``lock``)."""
        self.accounts[account.username] = account
        return account

    def account(self, username: str, parameter: str = "username") -> Account:
        """The account named ``username``; ACCOUNT_DOES_NOT_EXIST naming ``parameter``."""
        account = self.accounts.get(username)
        if account is None:
            raise ApiError(ACCOUNT_DOES_NOT_EXIST, f"{parameter}: no account is named {username!r}")
        return account

    def ancestors(self, username: str) -> list[str]:
        """The account's parent, grandparent and so on, nearest first."""
        chain: list[str] = []
        parent = self.accounts[username].parent if username in self.accounts else None
        while parent is not None and parent not in chain:
            chain.append(parent)
            parent = self.accounts[parent].parent if parent in self.accounts else None
        return chain

    def is_within(self, username: str, ancestor: str) -> bool:
        """Whether ``username`` is ``ancestor`` or one of its descendants."""
        return username == ancestor or ancestor in self.ancestors(username)

    def family(self, username: str) -> list[str]:
        """``username`` and all its descendants, the account first."""
        descendants = [n for n in self.accounts if n != username and self.is_within(n, username)]
        return [username, *sorted(descendants)]

    def managed_account(self, caller: str, username: str | None, parameter: str) -> Account:
        """The account ``username`` names (the caller's own when None or empty) if the caller
        may act for it: it is the caller or one of the caller's descendants.

        Raises:
            ApiError: ACCOUNT_DOES_NOT_EXIST or ACCOUNT_UNPRIVILEGED, naming ``parameter``.
        """
        account = self.account(username or caller, parameter)
        if not self.is_within(account.username, caller):
            raise ApiError(ACCOUNT_UNPRIVILEGED, f"{UNPRIVILEGED_COMMENT} ({parameter})")
        return account

    def setting(self, username: str, name: str) -> Any:
        """An account's setting: its own value, else its nearest ancestor's, else the default."""
        for owner in [username, *self.ancestors(username)]:
            account = self.accounts.get(owner)
            if account is not None and name in account.settings:
                return account.settings[name]
        return SETTING_DEFAULTS[name]

    def new_job_status(self, username: str) -> str:
        """The status a new job of this account starts in: held for authorization, or pending."""
        return AUTHORIZING if self.setting(username, REQUIRE_AUTHORIZATION) else PENDING

    # --- jobs --------------------------------------------------------------------------------

    def job(self, job_id: str, caller: str) -> Job:
        """The job ``job_id`` if the caller may see it (hold ``lock``).

        Raises:
            ApiError: ITEM_NOT_FOUND for an unknown or deleted job, ACCOUNT_UNPRIVILEGED for a
                job of an account that is neither the caller nor one of its descendants.
        """
        job = self.jobs.get(job_id)
        if job is None or job.deleted_at is not None:
            raise ApiError(ITEM_NOT_FOUND, f"job_id {job_id!r} not found")
        if job.username is not None and not self.is_within(job.username, caller):
            raise ApiError(ACCOUNT_UNPRIVILEGED, f"{UNPRIVILEGED_COMMENT} (job_id {job_id})")
        return job
