"""Faults survived: every failure a network or a service can throw, against real sockets.

For each fault: what the caller sees, how many requests the server saw, that no job is
created twice, and that the call ends within its deadline.
"""

from __future__ import annotations

import io
import socket
import threading
import time

import pytest
from servers import RawServer, Request, answer, read_request, response, stall

import cielo24
from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody
from cielo24.retry import NO_RETRIES, RetryPolicy

FAST = RetryPolicy(max_attempts=3, backoff=0.01, max_backoff=0.02, deadline=10)
INFO = b'{"JobId": "j1", "JobStatus": "Complete"}'
MEDIA = bytes(range(256)) * 4096  # 1 MiB


def client_for(
    url: str, retries: RetryPolicy | None = FAST, **settings: object
) -> cielo24.ApiClient:
    configuration = cielo24.Configuration(host=url, retries=retries, **settings)  # type: ignore[arg-type]
    configuration.api_key["ApiKeyAuth"] = "0123456789abcdef0123456789abcdef"
    return cielo24.ApiClient(configuration)


def paths(server: RawServer) -> list[str]:
    return [r.target.split("?")[0] for r in server.requests]


def unused_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def reset(conn: socket.socket) -> None:
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")


def fail_first(times: int, failure: str) -> object:
    """A server whose first ``times`` requests fail as ``failure``, then answer job info."""
    seen = {"count": 0}
    lock = threading.Lock()

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        with lock:
            seen["count"] += 1
            failing = seen["count"] <= times
        if failing and failure == "reset-mid-upload":
            head = conn.recv(65536)  # the headers and the start of the body, then RST
            server.requests.append(Request(head.split(b"\r\n")[0].decode(), {}))
            reset(conn)
            return
        request = server.record(conn)
        if request is None:
            return
        if not failing:
            conn.sendall(response(200, INFO))
        elif failure == "reset":
            reset(conn)
        elif failure == "close":
            return
        elif failure == "cut-off":
            conn.sendall(response(200, INFO[:10], length=len(INFO)))
        elif failure.isdigit():
            conn.sendall(response(int(failure), b"busy", content_type="text/plain"))

    return behaviour


# --- what is retried, and what is not ---------------------------------------------------


def test_refused_connections_are_retried_for_every_operation() -> None:
    with client_for(f"http://127.0.0.1:{unused_port()}/api") as client:
        started = time.monotonic()
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).new_job(NewJobBody())  # state-changing: safe, nothing was sent
    assert caught.value.attempts == 3
    assert caught.value.request_sent is False
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("failure", ["reset", "cut-off", "502", "503", "504", "429"])
def test_a_read_is_retried_and_succeeds(failure: str) -> None:
    with RawServer(fail_first(2, failure)) as server, client_for(server.url) as client:  # type: ignore[arg-type]
        assert JobApi(client).job_info("j1").job_status == "Complete"
    assert paths(server) == ["/api/job/info"] * 3


@pytest.mark.parametrize("failure", ["reset", "cut-off", "502", "503", "429"])
def test_a_state_changing_call_is_never_repeated_once_sent(failure: str) -> None:
    with RawServer(fail_first(5, failure)) as server, client_for(server.url) as client:  # type: ignore[arg-type]
        with pytest.raises(cielo24.Cielo24Error) as caught:
            JobApi(client).new_job(NewJobBody())
    assert caught.value.attempts == 1
    assert paths(server) == ["/api/job/new"]


def test_a_5xx_storm_gives_up_after_the_attempts_with_the_count_on_the_error() -> None:
    raw = response(503, b"storm", content_type="text/plain", close=False)
    with RawServer(answer(raw, keep_alive=True)) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ServiceException) as caught:
            JobApi(client).job_info("j1")
    assert caught.value.attempts == 3 and caught.value.status == 503
    assert len(server.requests) == 3


def test_retry_after_is_honoured_up_to_the_cap() -> None:
    asked = response(429, b"slow down", extra="Retry-After: 0.3\r\n")
    seen: list[float] = []

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        seen.append(time.monotonic())
        conn.sendall(asked if len(seen) == 1 else response(200, INFO))

    with RawServer(behaviour) as server, client_for(server.url) as client:
        JobApi(client).job_info("j1")
    assert len(seen) == 2 and seen[1] - seen[0] >= 0.3

    too_long = response(429, b"come back tomorrow", extra="Retry-After: 86400\r\n")
    with RawServer(answer(too_long)) as server, client_for(server.url) as client:
        started = time.monotonic()
        with pytest.raises(cielo24.TooManyRequestsException) as caught:
            JobApi(client).job_info("j1")
    assert caught.value.attempts == 1 and time.monotonic() - started < 1


def test_the_deadline_bounds_the_whole_call() -> None:
    policy = RetryPolicy(max_attempts=50, backoff=0.2, max_backoff=0.2, deadline=0.5)
    raw = response(503, b"storm", content_type="text/plain")
    with RawServer(answer(raw)) as server, client_for(server.url, policy) as client:
        started = time.monotonic()
        with pytest.raises(cielo24.ServiceException) as caught:
            JobApi(client).job_info("j1")
    assert time.monotonic() - started < 1.0
    assert 1 < caught.value.attempts < 50


def test_retries_can_be_turned_off() -> None:
    with RawServer(fail_first(2, "503")) as server, client_for(server.url, NO_RETRIES) as client:  # type: ignore[arg-type]
        with pytest.raises(cielo24.ServiceException):
            JobApi(client).job_info("j1")
    with RawServer(fail_first(2, "503")) as server, client_for(server.url, None) as client:  # type: ignore[arg-type]
        with pytest.raises(cielo24.ServiceException):
            JobApi(client).job_info("j1")
    assert len(server.requests) == 1


def test_invalid_json_is_not_retried() -> None:
    with (
        RawServer(answer(response(200, b"<html>oops"))) as server,
        client_for(server.url) as client,
    ):
        with pytest.raises(cielo24.UnexpectedResponseError) as caught:
            JobApi(client).job_info("j1")
    assert caught.value.attempts == 1 and len(server.requests) == 1


# --- uploads --------------------------------------------------------------------------


def test_an_upload_cut_off_before_its_last_byte_is_rewound_and_sent_again() -> None:
    upload_ok = b'{"TaskId": "t1"}'
    count = {"n": 0}

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        count["n"] += 1
        if count["n"] == 1:
            conn.recv(65536)
            reset(conn)
            return
        request = server.record(conn)
        assert request is not None
        conn.sendall(response(200, upload_ok))

    big = MEDIA * 32  # more than the socket buffers hold: the reset comes while sending
    media = io.BytesIO(big)
    media.seek(100)
    with RawServer(behaviour) as server, client_for(server.url) as client:
        result = JobApi(client).add_media_file("j1", len(big) - 100, media)
    assert result.task_id == "t1"
    assert count["n"] == 2
    assert server.requests[-1].body == big[100:]  # the whole body again, from its start
    assert media.tell() == 100 and not media.closed


def test_a_stalled_upload_times_out_on_progress_not_on_total_time() -> None:
    def never_reads(conn: socket.socket, server: RawServer) -> None:
        conn.recv(1024)
        server.requests.append(Request("POST /api/job/add_media", {}))
        server._stop.wait(10)

    big = MEDIA * 32  # more than the socket buffers hold
    with RawServer(never_reads) as server:
        with client_for(server.url, NO_RETRIES, upload_stall_timeout=0.5) as client:
            started = time.monotonic()
            with pytest.raises(cielo24.ApiTimeoutError) as caught:
                JobApi(client).add_media_file("j1", len(big), big)
    assert "no progress for 0.5 s while sending" in str(caught.value)
    assert time.monotonic() - started < 3
    assert len(server.requests) == 1


def test_the_answer_after_an_upload_gets_the_long_timeout() -> None:
    def slow_answer(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        time.sleep(0.6)
        conn.sendall(response(200, b'{"TaskId": "t1"}'))

    with RawServer(slow_answer) as server:
        with client_for(
            server.url, NO_RETRIES, read_timeout=0.2, upload_answer_timeout=5
        ) as client:
            assert JobApi(client).add_media_file("j1", 3, b"abc").task_id == "t1"


def test_a_state_changing_upload_that_was_fully_read_and_closed_is_not_repeated() -> None:
    # The server read the whole body and closed without an answer (FIN, not a reset): it may
    # have taken the media, so the upload is not sent again.
    with RawServer(fail_first(5, "close")) as server, client_for(server.url) as client:  # type: ignore[arg-type]
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).add_media_file("j1", 3, b"abc")
    assert caught.value.attempts == 1 and len(server.requests) == 1
    assert server.requests[0].body == b"abc"


# --- keep-alive, and no job created twice ----------------------------------------------


def test_a_keep_alive_connection_the_server_closed_while_idle() -> None:
    def answer_then_close_when_idle(conn: socket.socket, server: RawServer) -> None:
        while True:
            conn.settimeout(0.1)
            try:
                request = read_request(conn)
            except OSError:
                return  # idle: close the connection
            if request is None:
                return
            server.requests.append(request)
            conn.sendall(response(200, b'{"JobId": "j1", "TaskId": "t"}', close=False))

    with RawServer(answer_then_close_when_idle) as server, client_for(server.url) as client:
        jobs = JobApi(client)
        jobs.new_job(NewJobBody())
        time.sleep(0.4)
        assert jobs.new_job(NewJobBody()).job_id == "j1"
    assert len(server.requests) == 2 and server.connections == 2


def lost_answer_proxy(target_port: int, lose: int) -> object:
    """Forward each request to the emulator; throw away the first ``lose`` answers."""
    state = {"n": 0}

    def behaviour(conn: socket.socket, server: RawServer) -> None:
        data = b""
        while b"\r\n\r\n" not in data:
            data += conn.recv(65536)
        head, _, body = data.partition(b"\r\n\r\n")
        length = int(
            next(
                (
                    line.split(b":")[1]
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                ),
                b"0",
            )
        )
        while len(body) < length:
            body += conn.recv(65536)
        upstream = socket.create_connection(("127.0.0.1", target_port))
        upstream.sendall(head.replace(b"keep-alive", b"close") + b"\r\n\r\n" + body)
        answer_bytes = b""
        while chunk := upstream.recv(65536):
            answer_bytes += chunk
            if b"\r\n\r\n" in answer_bytes and answer_bytes.endswith(b"}"):
                break
        upstream.close()
        state["n"] += 1
        server.requests.append(Request(head.split(b"\r\n")[0].decode(), {}))
        if state["n"] <= lose:
            reset(conn)
        else:
            conn.sendall(answer_bytes)

    return behaviour


def test_no_job_is_created_twice_when_the_answer_is_lost() -> None:
    with Emulator() as configuration:
        emulator_port = int(configuration.host.rsplit(":", 1)[1].split("/")[0])
        with RawServer(lost_answer_proxy(emulator_port, 1)) as proxy:  # type: ignore[arg-type]
            with client_for(proxy.url) as client:
                client.configuration.api_key["ApiKeyAuth"] = configuration.api_key["ApiKeyAuth"]
                with pytest.raises(cielo24.ApiConnectionError) as caught:
                    JobApi(client).new_job(NewJobBody(job_name="once"))
                listed = JobApi(client).job_list()  # a read: its answer comes through
    assert caught.value.attempts == 1
    assert [job.job_name for job in listed.active_jobs or []] == ["once"]


def test_a_read_whose_answer_is_lost_is_retried_through_to_the_emulator() -> None:
    emulator = Emulator()
    with emulator as configuration:
        job_id = emulator.add_job(job_name="x").job_id
        emulator_port = emulator.port
        with RawServer(lost_answer_proxy(emulator_port, 2)) as proxy:  # type: ignore[arg-type]
            with client_for(proxy.url) as client:
                client.configuration.api_key["ApiKeyAuth"] = configuration.api_key["ApiKeyAuth"]
                assert JobApi(client).job_info(job_id).job_id == job_id
        assert len(proxy.requests) == 3


def test_a_stalled_server_ends_within_the_read_timeout_for_each_attempt() -> None:
    with RawServer(stall(5)) as server, client_for(server.url, read_timeout=0.2) as client:
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError) as caught:
            JobApi(client).new_job(NewJobBody())
        assert caught.value.attempts == 1 and time.monotonic() - started < 1
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError) as caught:
            JobApi(client).job_info("j1")
        assert caught.value.attempts == 3 and time.monotonic() - started < 2
    assert paths(server) == ["/api/job/new"] + ["/api/job/info"] * 3


def test_a_download_into_a_file_object_is_not_retried_after_bytes_were_written() -> None:
    def cut(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        part = b"x" * (len(MEDIA) + 1000)  # one whole block reaches the file, then the cut
        conn.sendall(response(200, part, content_type="video/mp4", length=3 * len(MEDIA)))

    sink = io.BytesIO()
    with RawServer(cut) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).download_media("j1", "mp4", sink)
    assert caught.value.attempts == 1 and caught.value.output_started
    assert len(server.requests) == 1
    # urllib3 2 stops at the cut; urllib3 1.26 also hands over the bytes before it
    assert sink.getvalue().startswith(b"x" * len(MEDIA))


def test_a_download_is_retried_only_while_nothing_reached_the_file() -> None:
    def cut_early(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        conn.sendall(response(200, b"x" * 10, content_type="video/mp4", length=5000))

    sink = io.BytesIO()
    with RawServer(cut_early) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).download_media("j1", "mp4", sink)
    # Retried while nothing reached the file (urllib3 2 raises before handing over the 10
    # bytes); not retried once something did (urllib3 1.26 hands them over first).
    written = sink.getvalue()
    assert written in (b"", b"x" * 10)
    assert caught.value.attempts == (3 if written == b"" else 1)
    assert caught.value.output_started == bool(written)


def test_the_retry_table_in_the_docs_matches_the_code() -> None:
    from pathlib import Path

    from cielo24.api.endpoint import declared

    doc = (Path(__file__).parent.parent / "docs" / "reliability.md").read_text()
    rows = doc.split("| operation |", 1)[1].split("\n\n", 1)[0].splitlines()[2:]
    table = {row.split("|")[1].strip().strip("`"): row.split("|")[2].strip() for row in rows}
    repeatable = {
        name: declaration.endpoint.retry
        for api in (JobApi, AccountApi)
        for name, declaration in declared(api).items()
    } | {"upload_to_url": False}
    assert set(table) == set(repeatable)
    for name, rule in table.items():
        assert rule.startswith("yes") == repeatable[name], name
