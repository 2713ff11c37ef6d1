"""The Emulator: start and stop a local cielo24 service, and look inside it."""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .server import EmulatorServer
from .state import Job, RequestRecord, State, new_id

if TYPE_CHECKING:
    from cielo24.configuration import Configuration

STOP_LATENCY_SECONDS = 0.01
"""How often the serving thread checks whether stop() was called."""


class Emulator:
    """A local cielo24 service on a background thread, for tests and offline work.

    Args:
        host: address to listen on; 127.0.0.1 keeps it off the network.
        port: TCP port; 0 picks a free one (see :attr:`port` once started).
        api_token: the token it accepts; a random 32-hex token when None.
        customer_authorization: hold new jobs in "Authorizing" until job/authorize.
        hash_uploads: compute the sha256 of uploaded media (turn off to measure raw speed).

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
    ) -> None:
        self.host = host
        self._requested_port = port
        self._api_token = api_token if api_token is not None else new_id()
        self._state = State(
            customer_authorization=customer_authorization, hash_uploads=hash_uploads
        )
        self._state.tokens.add(self._api_token)
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
        server = EmulatorServer((self.host, self._requested_port), self._state)
        thread = threading.Thread(
            target=server.serve_forever,
            kwargs={"poll_interval": STOP_LATENCY_SECONDS},
            name=f"cielo24-emulator:{server.server_port}",
            daemon=True,
        )
        thread.start()
        self._server, self._thread = server, thread
        return self

    def stop(self) -> None:
        """Stop serving, end open connections and close the socket; state is kept."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        thread.join()

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
        """The API token it was created with."""
        return self._api_token

    def configuration(self) -> Configuration:
        """A fresh SDK ``Configuration`` for this emulator: its URL and its API token."""
        from cielo24.configuration import Configuration

        configuration = Configuration(host=self.url)
        configuration.api_key["ApiKeyAuth"] = self._api_token
        return configuration

    def add_api_token(self, token: str) -> None:
        """Accept another API token as well."""
        with self._state.lock:
            self._state.tokens.add(token)

    def add_job(self, job_id: str | None = None, **fields: Any) -> Job:
        """Create a job directly, as if job/new had been called; returns it.

        Args:
            job_id: its id; a random 32-hex id when None.
            fields: any other :class:`Job` field (job_name, status, media_url, ...). The status
                defaults to the one job/new would give.

        Raises:
            ValueError: a job with this id exists.
            TypeError: a field that Job does not have.
        """
        fields.setdefault("status", self._state.new_job_status)
        job = Job(job_id=job_id or new_id(), **fields)
        with self._state.lock:
            if job.job_id in self._state.jobs:
                raise ValueError(f"a job with id {job.job_id!r} already exists")
            job.new_task()
            self._state.jobs[job.job_id] = job
        return job

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
