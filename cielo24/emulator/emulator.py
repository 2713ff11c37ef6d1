"""The Emulator: start and stop a local cielo24 service, and look inside it."""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from . import jobs as job_endpoints
from . import lifecycle, workflow
from .errors import ApiError
from .server import IDLE_TIMEOUT_SECONDS, MAX_CONNECTIONS, EmulatorServer
from .state import (
    AUTHORIZING,
    COMPLETE,
    MEDIA_FAILURE,
    REQUIRE_AUTHORIZATION,
    Account,
    CallbackRecord,
    Job,
    RequestRecord,
    State,
    new_id,
)

if TYPE_CHECKING:
    from cielo24.configuration import Configuration

MAX_SECONDS = 10**9
"""The longest processing time, token lifetime or retry delay (about 31 years)."""
STOP_LATENCY_SECONDS = 0.01
"""How often the serving thread checks whether stop() was called."""
STRICT_ENVIRONMENT_VARIABLE = "CIELO24_EMULATOR_STRICT"
"""Turns strict mode on ("1" or "true") for every emulator created with ``strict=None``."""


def strict_from_environment() -> bool:
    """Whether CIELO24_EMULATOR_STRICT asks for strict mode ("1" or "true", any case)."""
    return os.environ.get(STRICT_ENVIRONMENT_VARIABLE, "").strip().lower() in ("1", "true")


class Emulator:
    """A local cielo24 service on a background thread, for tests and offline work.

    Args:
        host: address to listen on; 127.0.0.1 keeps it off the network.
        port: TCP port; 0 picks a free one (see :attr:`port` once started).
        api_token: a token of the demo account that never expires; a random 32-hex token
            when None.
        customer_authorization: the demo account holds new jobs in "Authorizing" until
            job/authorize (its setting require_customer_authorization_before_starting_workflow).
        hash_uploads: compute the sha256 of uploaded media (turn off to measure raw speed).
        demo_username, demo_password: the demo account's login.
        demo_securekey: the demo account's secure key (API key); a random one when None.
        processing_seconds: how long a job stays In Process before it is Complete (0: at once).
        token_lifetime: seconds of inactivity after which a token from login expires.
        callback_retry_seconds: the delay before each of the three retries of a callback.
        allow_remote_callbacks: call back any host; by default only loopback addresses are
            called and every other callback is recorded as skipped.
        keep_media: keep uploaded media on disk (in a temporary directory deleted by stop())
            so that it can be downloaded; when False the bytes are read and dropped.
        strict: refuse, with 400 INVALID_OPTION, a parameter name the API does not document
            for the endpoint (the service ignores such names); None reads the environment
            variable CIELO24_EMULATOR_STRICT ("1" or "true" turn it on).
        idle_timeout: seconds a keep-alive connection may wait for its next request before
            it is closed.
        max_connections: connections served at once (a thread each); more wait to be
            accepted until one ends.

    Use it as a context manager, which yields a ready SDK ``Configuration``, or call
    :meth:`start` and :meth:`stop`. Its methods are safe to call from any thread.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_token: str | None = None,
        customer_authorization: bool = False,
        hash_uploads: bool = True,
        *,
        demo_username: str = "demo",
        demo_password: str = "demo-password",
        demo_securekey: str | None = None,
        processing_seconds: float = 0.0,
        token_lifetime: float = 3600.0,
        callback_retry_seconds: float = 5.0,
        allow_remote_callbacks: bool = False,
        keep_media: bool = True,
        strict: bool | None = None,
        idle_timeout: float = IDLE_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        for name, seconds in (
            ("processing_seconds", processing_seconds),
            ("token_lifetime", token_lifetime),
            ("callback_retry_seconds", callback_retry_seconds),
        ):
            if not 0 <= seconds <= MAX_SECONDS:
                raise ValueError(f"{name} must be between 0 and {MAX_SECONDS}, got {seconds}")
        if not 0 < idle_timeout <= MAX_SECONDS:
            raise ValueError(f"idle_timeout must be over 0, up to {MAX_SECONDS}: {idle_timeout}")
        if isinstance(max_connections, bool) or not 1 <= max_connections <= 100_000:
            raise ValueError(f"max_connections must be between 1 and 100000: {max_connections}")
        self.strict = strict_from_environment() if strict is None else strict
        self.idle_timeout = idle_timeout
        self.max_connections = max_connections
        self.host = host
        self._requested_port = port
        self._api_token = api_token if api_token is not None else new_id()
        self.demo_username = demo_username
        self.demo_password = demo_password
        self.demo_securekey = demo_securekey if demo_securekey is not None else new_id()
        self._state = State(
            hash_uploads=hash_uploads,
            keep_media=keep_media,
            processing_seconds=processing_seconds,
            token_lifetime=token_lifetime,
            callback_retry_seconds=callback_retry_seconds,
            allow_remote_callbacks=allow_remote_callbacks,
        )
        demo = Account(demo_username, demo_password, api_keys=[self.demo_securekey])
        if customer_authorization:
            demo.settings[REQUIRE_AUTHORIZATION] = True
        self._state.add_account(demo)
        self._state.add_token(self._api_token, demo_username, permanent=True)
        self._server: EmulatorServer | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Emulator:
        """Listen and serve on a daemon thread; returns the emulator itself.

        Raises:
            RuntimeError: it is already running.
            OSError: the address cannot be bound.
        """
        if self._server is not None:
            raise RuntimeError("the emulator is already running")
        server = EmulatorServer(
            (self.host, self._requested_port),
            self._state,
            strict=self.strict,
            idle_timeout=self.idle_timeout,
            max_connections=self.max_connections,
        )
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": STOP_LATENCY_SECONDS},
            name=f"cielo24-emulator:{server.server_port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        self._state.origin = self.url.removesuffix("/api")
        self._state.scheduler.start()
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and close the socket; delete the uploaded
        media. Accounts, jobs and the logs are kept; callbacks not yet due wait for start()."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()
        self._state.scheduler.stop()
        self._state.media.clear()

    def __enter__(self) -> Configuration:
        self.start()
        try:
            return self.configuration()
        except BaseException:
            self.stop()
            raise

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The port it listens on (the requested one until started)."""
        if self._server is not None:
            return self._server.server_port
        return self._requested_port

    @property
    def url(self) -> str:
        """The API base URL, e.g. ``http://127.0.0.1:8024/api``.

        Raises:
            RuntimeError: port 0 was requested and it is not started, so the port is unknown.
        """
        if self.port == 0:
            raise RuntimeError("start the emulator first: its port is chosen when it starts")
        host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(self.host, self.host)
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/api"

    @property
    def api_token(self) -> str:
        """The API token it was created with (the demo account's; it never expires)."""
        return self._api_token

    def configuration(self) -> Configuration:
        """A fresh SDK ``Configuration`` for this emulator: its URL and its API token."""
        from cielo24.configuration import Configuration

        configuration = Configuration(host=self.url)
        configuration.api_key["ApiKeyAuth"] = self._api_token
        return configuration

    def add_api_token(self, token: str, username: str | None = None) -> None:
        """Accept another API token as well, one that never expires.

        Args:
            token: the token.
            username: the account it belongs to; the demo account when None.

        Raises:
            KeyError: there is no such account.
        """
        with self._state.lock:
            owner = self.demo_username if username is None else username
            if owner not in self._state.accounts:
                raise KeyError(f"no account is named {owner!r}")
            self._state.add_token(token, owner, permanent=True)

    def add_account(
        self,
        username: str,
        password: str = "password",
        *,
        parent: str | None = None,
        email: str | None = None,
    ) -> Account:
        """Create an account directly (``parent`` makes it a sub-account); returns it.

        Raises:
            ValueError: the username is taken.
            KeyError: there is no account named ``parent``.
        """
        with self._state.lock:
            if username in self._state.accounts:
                raise ValueError(f"an account named {username!r} exists")
            if parent is not None and parent not in self._state.accounts:
                raise KeyError(f"no account is named {parent!r}")
            account = Account(username, password, parent=parent, email=email)
            account.created = self._state.now()
            return self._state.add_account(account)

    def add_job(self, job_id: str | None = None, **fields: Any) -> Job:
        """Create a job directly, as if job/new had been called; returns it.

        Args:
            job_id: its id; a random 32-hex id when None.
            fields: any other :class:`Job` field (job_name, status, media_url, ...). It
                belongs to the demo account unless ``username`` names another (a new name
                becomes a sub-account of the demo account). The status defaults to the one
                job/new would give; ``"Complete"`` makes a finished job with ElementLists
                (MECHANICAL unless ``fidelity`` says otherwise), ``"Media Failure"`` a failed
                one; any other status is kept as given until an API call moves the job on.

        Raises:
            ValueError: a job with this id exists, or ``username`` names an account outside
                the demo account's tree.
            TypeError: a field that Job does not have.
        """
        status = fields.pop("status", None)
        created = fields.pop("created", None)
        job = Job(job_id=job_id or new_id(), **fields)
        state = self._state
        with state.lock:
            if job.job_id in state.jobs:
                raise ValueError(f"a job with id {job.job_id!r} already exists")
            try:
                owner = job_endpoints.job_owner(state, self.demo_username, job.username)
            except ApiError as refusal:
                raise ValueError(refusal.comment) from None
            job_endpoints.add(state, job, owner)
            now = job.created
            if created is not None:
                job.created = created
            if status is not None:
                job.status = status
            if job.status == AUTHORIZING:
                job.authorized_at = None
            elif job.status == COMPLETE:
                job.fidelity = job.fidelity or "MECHANICAL"
                job.priority = job.priority or "STANDARD"
                job.requested_at = job.authorized_at = now
                job.processing_seconds = state.processing_seconds
                job.started_at = now - timedelta(seconds=job.processing_seconds)
            elif job.status == MEDIA_FAILURE:
                job.failed_at = now
        return job

    @property
    def accounts(self) -> dict[str, Account]:
        """A snapshot of the accounts by username; the Account objects are the live ones."""
        with self._state.lock:
            return dict(self._state.accounts)

    @property
    def callbacks(self) -> list[CallbackRecord]:
        """Every callback attempt so far, and every callback skipped, in order."""
        with self._state.lock:
            return list(self._state.callbacks)

    @property
    def now(self) -> datetime:
        """The emulator's clock (UTC): the wall clock plus every :meth:`advance`."""
        return self._state.now()

    def advance(self, seconds: float) -> None:
        """Move the emulator's clock forward: jobs progress, tokens age, and callbacks and
        retries that fall due are sent (on their own threads, shortly after).

        Raises:
            ValueError: ``seconds`` is negative.
        """
        self._state.advance(seconds)

    def job_status(self, job_id: str) -> str:
        """The status the service reports for the job now (``Job.status`` holds the status
        the last action gave it, before the clock moves it on).

        Raises:
            KeyError: there is no such job.
        """
        with self._state.lock:
            return lifecycle.status(self._state.jobs[job_id], self._state.now())

    def fail_media(self, job_id: str) -> None:
        """Make the job's media fail now: it reports Media Failure and produces nothing more.

        Raises:
            KeyError: there is no such job.
        """
        with self._state.lock:
            workflow.fail_media(self._state, self._state.jobs[job_id])

    def expire_tokens(self) -> None:
        """Expire every token obtained by login now (the permanent tokens stay valid)."""
        self._state.expire_tokens()

    @property
    def media_dir(self) -> Path | None:
        """The temporary directory holding uploaded media, or None when there is none."""
        return self._state.media.directory

    @property
    def jobs(self) -> dict[str, Job]:
        """A snapshot of the jobs by id; the Job objects are the live ones."""
        with self._state.lock:
            return dict(self._state.jobs)

    @property
    def requests(self) -> list[RequestRecord]:
        """A snapshot of every request received, in order of arrival."""
        with self._state.lock:
            return list(self._state.requests)

    def reset_requests(self) -> None:
        """Forget the requests received so far."""
        with self._state.lock:
            self._state.requests.clear()
