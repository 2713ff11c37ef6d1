"""The fault suite: the SDK against hostile or broken servers on 127.0.0.1.

A server that echoes the request (URL, headers, body) back in every encoding, one that
trickles a byte at a time, a gzip bomb, JSON nested 100,000 deep, a 200 MB answer, a reset in
the middle of an upload, a TLS handshake that never ends, and media that is not a file. For
each: what the caller sees, that no secret comes back in anything it can see, that the call
ends within its deadline and that memory stays bounded.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
import traceback
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus, urlencode

import pytest
from servers import (
    RawServer,
    answer,
    deep_json,
    echo,
    gzip_bomb,
    huge_json,
    reset,
    reset_mid_upload,
    response,
    stall,
    trickle,
)

import cielo24
from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.masking import Secret
from cielo24.media_source import MediaSource
from cielo24.models import NewJobBody
from cielo24.retry import NO_RETRIES, RetryPolicy

TOKEN = "0123456789abcdef0123456789abcdef"
PASSWORD = 'pa55 w/rd"&+%é'
NEW_PASSWORD = "n3w p@ss/word"
SECUREKEY = "fedcba9876543210fedcba9876543210"
SECRETS = (TOKEN, PASSWORD, NEW_PASSWORD, SECUREKEY)
FAST = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.02, deadline=10)
INFO = b'{"JobId": "j1", "JobStatus": "Complete"}'
MIB = 1024 * 1024
ROOT = Path(__file__).parent.parent


def forms(secret: str) -> set[str]:
    """The secret as it could show: raw, quote, quote_plus, form-encoded, JSON-escaped."""
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        urlencode({"x": secret})[2:],
        json.dumps(secret)[1:-1],
        json.dumps(secret, ensure_ascii=False)[1:-1],
    }


def assert_no_secret(*texts: str) -> None:
    haystack = "\n".join(texts)
    for secret in SECRETS:
        for form in forms(secret):
            assert form not in haystack, f"{form!r} found"


def chain(exc: BaseException) -> Iterator[BaseException]:
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if id(current) not in seen:
            seen.add(id(current))
            yield current
            pending += [e for e in (current.__cause__, current.__context__) if e is not None]


def everything_about(exc: BaseException, api_frames: bool = True) -> str:
    """All a user, a log or an error tracker can get from an exception: str, repr, every
    attribute and header, the chained exceptions (none of them urllib3's), a pickle, and the
    traceback with every frame's local variables. ``api_frames=False`` leaves out the locals
    of the AccountApi/JobApi method frames, which hold the secret the caller passed in."""
    shown = []
    for link in chain(exc):
        assert type(link).__module__.startswith("cielo24"), f"{type(link)} is reachable"
        headers = getattr(link, "headers", None) or {}
        shown += [str(link), repr(link), repr(vars(link)), repr(dict(headers))]
    shown.append(pickle.dumps(exc).decode("latin-1"))
    caught = traceback.TracebackException.from_exception(exc, capture_locals=True)
    for frame in caught.stack:
        if api_frames or f"cielo24{os.sep}api{os.sep}" not in frame.filename:
            shown.append(repr(frame.locals))
    shown.append("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return "\n".join(shown)


def failure(call: Callable[[], object]) -> cielo24.Cielo24Error | None:
    try:
        call()
    except cielo24.Cielo24Error as exc:
        return exc
    return None


class Records(logging.Handler):
    """Every record of every logger at DEBUG, formatted."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(logging.Formatter("%(name)s %(message)s").format(record))


@pytest.fixture
def records() -> Iterator[Records]:
    handler = Records()
    loggers = [logging.getLogger(), logging.getLogger("urllib3"), logging.getLogger("cielo24")]
    levels = [lg.level for lg in loggers]
    loggers[0].addHandler(handler)
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    yield handler
    loggers[0].removeHandler(handler)
    for lg, level in zip(loggers, levels):
        lg.setLevel(level)


def client_for(
    url: str, retries: RetryPolicy | None = FAST, **settings: object
) -> cielo24.ApiClient:
    configuration = cielo24.Configuration(host=url, retries=retries, **settings)  # type: ignore[arg-type]
    configuration.api_key["ApiKeyAuth"] = TOKEN
    return cielo24.ApiClient(configuration)


# --- secrets -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(200, None), (400, "ITEM_NOT_FOUND"), (401, None), (503, None), (302, None)],
)
def test_an_echoing_server_gets_no_secret_shown(
    status: int, error_type: str | None, records: Records, capsys: pytest.CaptureFixture[str]
) -> None:
    from_configuration: list[cielo24.Cielo24Error | None] = []
    from_arguments: list[cielo24.Cielo24Error | None] = []
    with RawServer(echo(status, error_type)) as server:
        configuration = cielo24.Configuration(
            host=server.url, username="demo", password=PASSWORD, retries=FAST
        )
        with cielo24.ApiClient(configuration) as client:
            jobs, accounts = JobApi(client), AccountApi(client)
            # logging in by itself: the password goes in a header, and comes back
            from_configuration.append(failure(lambda: jobs.job_info("j1")))
            configuration.api_key["ApiKeyAuth"] = TOKEN  # the token goes in the URL
            from_configuration.append(failure(lambda: jobs.job_info("j1")))
            from_configuration.append(failure(lambda: jobs.new_job(NewJobBody())))
            from_arguments.append(failure(lambda: accounts.update_password(NEW_PASSWORD)))
            from_arguments.append(failure(lambda: accounts.remove_api_key(SECUREKEY)))
            from_arguments.append(failure(lambda: accounts.login("demo", securekey=SECUREKEY)))
    sent = "\n".join(r.request_line + repr(r.headers) + r.body.decode() for r in server.requests)
    for secret in SECRETS:  # the server saw them all, and echoed them
        assert any(form in sent for form in forms(secret)), secret
    errors = [e for e in from_configuration + from_arguments if e is not None]
    assert len(errors) >= 4 and all(isinstance(e, cielo24.ApiException) for e in errors)
    assert all("***" in (e.body or "") + repr(e.headers) for e in errors)  # masked, not dropped
    assert all(e.headers and "Location" in e.headers for e in errors)  # type: ignore[attr-defined]
    captured = capsys.readouterr()
    assert_no_secret(
        *(everything_about(e) for e in from_configuration if e is not None),
        *(everything_about(e, api_frames=False) for e in from_arguments if e is not None),
        *records.lines,
        captured.out,
        captured.err,
    )
    assert any("/api/job/info" in line for line in records.lines)  # it did log


def test_the_command_line_shows_no_secret_an_echoing_server_sends_back(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CIELO24_", "XDG_"))}
    env.update(PYTHONPATH=str(ROOT), HOME=str(tmp_path))
    for status, error_type in ((200, None), (400, "INVALID_QUERY")):
        with RawServer(echo(status, error_type)) as server:
            for credentials in (
                {"CIELO24_API_TOKEN": TOKEN},
                {"CIELO24_USERNAME": "demo", "CIELO24_PASSWORD": PASSWORD},
            ):
                run = subprocess.run(
                    [sys.executable, "-m", "cielo24", "job", "list", "--debug"],
                    env={**env, "CIELO24_HOST": server.url, **credentials},
                    capture_output=True,
                    text=True,
                    timeout=60,
                )
                assert run.returncode == 4, run.stderr  # the service answered with an error
                assert "***" in run.stderr
                assert_no_secret(run.stdout, run.stderr)


def test_errors_from_the_transport_chain_to_nothing_of_urllib3() -> None:
    port = socket.create_server(("127.0.0.1", 0))
    free = port.getsockname()[1]
    port.close()
    with client_for(f"http://127.0.0.1:{free}/api") as client:
        refused = failure(lambda: JobApi(client).job_info("j1"))
    with RawServer(lambda conn, server: (server.record(conn), reset(conn))) as server:  # type: ignore[arg-type,func-returns-value]
        with client_for(server.url) as client:
            broken = failure(lambda: JobApi(client).job_info("j1"))
    with RawServer(stall(3)) as server, client_for(server.url, read_timeout=0.2) as client:
        timed_out = failure(lambda: JobApi(client).job_info("j1"))
    for error in (refused, broken, timed_out):
        assert isinstance(error, cielo24.ApiConnectionError)
        assert_no_secret(everything_about(error))  # and nothing chained but the SDK's own


def test_a_one_letter_password_still_parses_bad_api_token_and_logs_in_again() -> None:
    # Masking the body before parsing it once turned ErrorType into "ErrorTy***e".
    emulator = Emulator(demo_password="p")
    with emulator:
        configuration = cielo24.Configuration(
            host=emulator.url, username="demo", password="p", retries=NO_RETRIES
        )
        configuration.api_key["ApiKeyAuth"] = "f" * 32  # expired: BAD_API_TOKEN
        with cielo24.ApiClient(configuration) as client:
            jobs = JobApi(client)
            assert jobs.job_list().active_jobs == []
            logins = [r for r in emulator.requests if r.path == "/api/account/login"]
            assert len(logins) == 1
            assert configuration.api_key["ApiKeyAuth"] != "f" * 32
            with pytest.raises(cielo24.ItemNotFoundError) as caught:
                jobs.job_info("0" * 32)
    assert caught.value.error_type == "ITEM_NOT_FOUND"
    assert "p" not in (caught.value.error_comment or "")  # masked where it is shown


def test_secret_values_mask_their_repr_and_stay_what_they_are() -> None:
    token = Secret(TOKEN)
    assert token == TOKEN and f"x={token}" == f"x={TOKEN}" and repr(token) == "'***'"
    assert TOKEN not in repr({"api_token": token}) and TOKEN not in repr([token])


# --- deadlines -------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["headers", "body"])
def test_a_trickling_server_cannot_hold_a_call_past_its_deadline(where: str) -> None:
    raw = response(200, INFO)
    at_once = 0 if where == "headers" else raw.index(b"\r\n\r\n") + 4
    policy = RetryPolicy(max_attempts=3, backoff=0.01, deadline=1.5)
    with RawServer(trickle(raw, 0.3, at_once)) as server:
        with client_for(server.url, policy, read_timeout=6) as client:
            started = time.monotonic()
            with pytest.raises(cielo24.ApiTimeoutError, match="deadline"):
                JobApi(client).job_info("j1")
            elapsed = time.monotonic() - started
    assert 1.4 < elapsed < 2.5


def test_the_per_call_timeout_is_the_call_s_total_when_given() -> None:
    with RawServer(trickle(response(200, INFO), 0.2)) as server, client_for(server.url) as client:
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError):
            JobApi(client).job_info("j1", _request_timeout=1)
        assert time.monotonic() - started < 2
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError):
            JobApi(client).job_info("j1", _request_timeout=(0.5, 0.5))
        assert time.monotonic() - started < 2


def test_a_stalled_tls_handshake_is_a_connect_timeout_and_new_job_is_retried() -> None:
    with RawServer(stall(5)) as server:  # takes the connection, never says a word of TLS
        url = f"https://127.0.0.1:{server.port}/api"
        with client_for(url, connect_timeout=0.3) as client:
            started = time.monotonic()
            with pytest.raises(cielo24.ApiTimeoutError) as caught:
                JobApi(client).new_job(NewJobBody())
    assert caught.value.request_sent is False
    assert "could not connect within 0.3 s" in str(caught.value)
    assert caught.value.attempts == 3  # nothing was sent: safe to try again
    assert time.monotonic() - started < 3
    assert server.requests == []


def test_an_upload_is_not_cut_by_the_deadline_only_by_its_stall_rule() -> None:
    def slow_reader(conn: socket.socket, server: RawServer) -> None:
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        received = len(data.partition(b"\r\n\r\n")[2])
        while received < 4 * MIB:
            time.sleep(0.05)
            received += len(conn.recv(256 * 1024))
        server.requests.append(cielo24_request(data))
        conn.sendall(response(200, b'{"TaskId": "t1"}'))

    policy = RetryPolicy(deadline=0.5)
    with RawServer(slow_reader) as server, client_for(server.url, policy) as client:
        started = time.monotonic()
        result = JobApi(client).add_media_file("j1", 4 * MIB, bytes(4 * MIB))
    assert result.task_id == "t1" and time.monotonic() - started > 0.5


def cielo24_request(data: bytes) -> object:
    from servers import Request

    return Request(data.split(b"\r\n")[0].decode(), {})


# --- bounded memory ---------------------------------------------------------------------------


def peak_mib(call: Callable[[], object]) -> float:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / MIB
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("declare_length", [False, True])
def test_a_200_mb_answer_is_refused_at_the_cap_with_bounded_memory(declare_length: bool) -> None:
    refused: list[BaseException] = []

    def call() -> None:
        with RawServer(huge_json(200 * MIB, declare_length)) as server:
            with client_for(server.url) as client:
                refused.append(failure(lambda: JobApi(client).job_list()) or AssertionError())

    peak = peak_mib(call)
    assert isinstance(refused[0], cielo24.UnexpectedResponseError)
    assert "larger than max_response_bytes (67108864 bytes)" in str(refused[0])
    assert peak < 64 + 32, f"{peak:.0f} MiB"


def test_the_cap_is_configurable_and_downloads_to_a_file_are_not_capped(tmp_path: Path) -> None:
    body = json.dumps({"JobId": "j1", "JobName": "x" * 3000}).encode()
    with RawServer(answer(response(200, body))) as server:
        with client_for(server.url, max_response_bytes=2000) as client:
            with pytest.raises(cielo24.UnexpectedResponseError, match=r"\(2000 bytes\)"):
                JobApi(client).job_info("j1")
        with client_for(server.url, max_response_bytes=len(body)) as client:
            assert JobApi(client).job_info("j1").job_name == "x" * 3000
    media = os.urandom(3 * MIB)
    with RawServer(answer(response(200, media, "video/mp4"))) as server:
        with client_for(server.url, max_response_bytes=1000) as client:
            target = tmp_path / "media.mp4"
            assert JobApi(client).download_media("j1", "mp4", target) == len(media)
    assert target.read_bytes() == media
    with pytest.raises(cielo24.ApiValueError, match="max_response_bytes"):
        cielo24.Configuration(max_response_bytes=0)


def test_a_gzip_bomb_is_refused_not_decoded(tmp_path: Path) -> None:
    bomb = gzip_bomb(256 * MIB)
    raw = response(200, bomb, extra="Content-Encoding: gzip\r\n")
    refused: list[BaseException] = []

    def call() -> None:
        with RawServer(answer(raw)) as server, client_for(server.url) as client:
            refused.append(failure(lambda: JobApi(client).job_info("j1")) or AssertionError())
            target = tmp_path / "media.mp4"
            refused.append(failure(lambda: JobApi(client).download_media("j1", "mp4", target)))
            assert not target.exists()
        assert all(r.headers["accept-encoding"] == "identity" for r in server.requests)

    assert peak_mib(call) < 16
    for error in refused:
        assert isinstance(error, cielo24.UnexpectedResponseError)
        assert "gzip-encoded, which was not asked for" in str(error)
        assert error.attempts == 1


def test_json_nested_100000_deep_is_refused_naming_the_limit() -> None:
    with RawServer(answer(response(200, deep_json(100_000)))) as server:
        with client_for(server.url) as client:
            with pytest.raises(cielo24.UnexpectedResponseError) as caught:
                JobApi(client).job_info("j1")
    assert "nested deeper than 100 levels" in str(caught.value)
    with RawServer(answer(response(400, deep_json(100_000)))) as server:
        with client_for(server.url) as client:
            with pytest.raises(cielo24.BadRequestException) as refused:
                JobApi(client).job_info("j1")
    assert refused.value.error_type is None  # not a cielo24 error: read by its status
    with RawServer(answer(response(200, b'{"JobId": "j1", "x": ' + deep_json(90) + b"}"))) as s:
        with client_for(s.url) as client:
            assert JobApi(client).job_info("j1").job_id == "j1"  # deep, but within the limit


# --- uploads ------------------------------------------------------------------------------------


def test_a_5_mib_upload_reset_after_1_5_mib_is_sent_again_from_its_start() -> None:
    media = os.urandom(5 * MIB)
    done = response(200, b'{"TaskId": "t1"}')
    with (
        RawServer(reset_mid_upload(3 * MIB // 2, done)) as server,
        client_for(server.url) as client,
    ):
        assert JobApi(client).add_media_file("j1", len(media), media).task_id == "t1"
    assert server.connections == 2
    assert len(server.requests[0].body) < len(media)  # what the first attempt got through
    assert server.requests[1].body == media


def test_an_upload_read_whole_then_reset_before_any_answer_is_sent_again() -> None:
    seen: list[int] = []

    def read_all_then_reset(conn: socket.socket, server: RawServer) -> None:
        request = server.record(conn)
        seen.append(len(request.body) if request else 0)
        if len(seen) == 1:
            reset(conn)
        else:
            conn.sendall(response(200, b'{"TaskId": "t1"}'))

    with RawServer(read_all_then_reset) as server, client_for(server.url) as client:
        assert JobApi(client).add_media_file("j1", 3, b"abc").task_id == "t1"
    assert seen == [3, 3]


# --- media that is not a file -------------------------------------------------------------------


def ends_quickly(call: Callable[[], object]) -> BaseException:
    """Run ``call`` on a thread; it must raise within 5 s (an open() of a pipe would block)."""
    outcome: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(5)
    assert not thread.is_alive(), "blocked"
    assert outcome, "accepted"
    return outcome[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX only")
def test_a_named_pipe_a_socket_a_device_or_a_directory_is_refused_naming_it(
    tmp_path: Path, emulator: Emulator
) -> None:
    fifo = tmp_path / "media.fifo"
    os.mkfifo(fifo)
    unix = socket.socket(socket.AF_UNIX)
    sock_path = tmp_path / "media.sock"
    unix.bind(str(sock_path))
    cases = {fifo: "a named pipe", sock_path: "a socket", tmp_path: "a directory"}
    if os.path.exists("/dev/zero"):
        cases[Path("/dev/zero")] = "a character device"
    with cielo24.ApiClient(emulator.configuration()) as client:
        jobs = JobApi(client)
        for path, kind in cases.items():
            for call in (
                lambda path=path: jobs.add_media_file("f" * 32, 3, path),
                lambda path=path: MediaSource(path),
                lambda path=path: cielo24.transcribe(
                    path, fidelity="MECHANICAL", api_client=client
                ),
            ):
                error = ends_quickly(call)
                assert isinstance(error, cielo24.ApiValueError)
                assert f"{str(path)!r} is {kind}" in str(error)
        with open("/dev/zero", "rb") as zero:
            error = ends_quickly(lambda: jobs.add_media_file("f" * 32, 3, zero))
            assert "is a character device" in str(error)
    unix.close()
    assert emulator.requests == []
