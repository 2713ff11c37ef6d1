"""The emulator's callbacks, received by a small HTTP server on 127.0.0.1 (never the SDK)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from test_emulator import Reply, running, send

from cielo24.emulator import CallbackRecord, Emulator
from cielo24.emulator.callbacks import is_loopback

TRANSCRIBE = {"transcription_fidelity": "MECHANICAL", "priority": "STANDARD"}
WAIT_SECONDS = 5.0


@dataclass
class Received:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


class Receiver:
    """An HTTP server that records every GET and answers with the next scripted status."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.received: list[Received] = []
        self.statuses = list(statuses or [])
        self.condition = threading.Condition()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                with receiver.condition:
                    receiver.received.append(
                        Received(
                            parts.path,
                            parse_qs(parts.query),
                            {k.lower(): v for k, v in self.headers.items()},
                        )
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                    receiver.condition.notify_all()
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def wait_for(self, count: int) -> list[Received]:
        """The requests once there are ``count`` (fails after WAIT_SECONDS)."""
        with self.condition:
            assert self.condition.wait_for(lambda: len(self.received) >= count, WAIT_SECONDS), (
                self.received
            )
            return list(self.received)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def call(emu: Emulator, action: str, method: str = "GET", **params: Any) -> Reply:
    return send(emu, method, f"/api/{action}", {"v": 1, "api_token": emu.api_token, **params})


def submit(emu: Emulator, fidelity: str = "MECHANICAL", **params: Any) -> str:
    """A job with media, sent for transcription with ``params``."""
    reply = call(emu, "job/new", job_name="My talk")
    job_id: str = reply.json()["JobId"]
    call(emu, "job/add_media", job_id=job_id, media_url="https://e.com/a.mp4", is_duplicate="true")
    transcribe = {**TRANSCRIBE, "transcription_fidelity": fidelity, **params}
    reply = call(emu, "job/perform_transcription", job_id=job_id, **transcribe)
    assert reply.status == 200, reply.body
    return job_id


def records(emu: Emulator, count: int) -> list[CallbackRecord]:
    """The callback records once there are ``count``."""
    deadline = time.monotonic() + WAIT_SECONDS
    while len(emu.callbacks) < count:
        assert time.monotonic() < deadline, emu.callbacks
        time.sleep(0.005)
    return emu.callbacks


def settle() -> None:
    """Give anything still wrongly scheduled the time to show up."""
    time.sleep(0.1)


def test_one_callback_per_iwp_with_the_tags_replaced(receiver: Receiver) -> None:
    with running(callback_retry_seconds=0.01) as emu:
        callback = (
            f"{receiver.url}/done?job={{job_id}}&name={{job_name}}"
            "&version={elementlist_version}&iwp={iwp_name}&video={video}&keep={unknown}"
        )
        options = {"return_iwp": ["MECHANICAL", "PREMIUM"], "custom_metadata": {"video": "v 1&2"}}
        job_id = submit(emu, "PREMIUM", callback_url=callback, options=json.dumps(options))
        received = receiver.wait_for(3)
        versions = call(emu, "job/list_elementlists", job_id=job_id).json()
        by_iwp = {r.query["iwp"][0]: r for r in received}
        assert set(by_iwp) == {"MECHANICAL", "PREMIUM", "FINAL"}
        for version in versions:
            got = by_iwp[version["iwp_name"]]
            assert got.path == "/done"
            assert got.query["job"] == [job_id]
            assert got.query["name"] == ["My talk"]
            assert got.query["version"] == [version["version"]]
            assert got.query["video"] == ["v 1&2"]
            assert got.query["keep"] == ["{unknown}"]
            assert got.headers["user-agent"] == "cielo24-emulator"
            assert "content-length" not in got.headers
        done = records(emu, 3)
        assert {(r.job_id, r.attempt, r.sent, r.status, r.error) for r in done} == {
            (job_id, 1, True, 200, None)
        }
        assert {r.iwp_name for r in done} == {"MECHANICAL", "PREMIUM", "FINAL"}
        settle()
        assert len(receiver.received) == 3


def test_final_only_by_default_and_nothing_without_a_callback_url(receiver: Receiver) -> None:
    with running() as emu:
        submit(emu, "PROFESSIONAL")
        job_id = submit(emu, "PROFESSIONAL", callback_url=f"{receiver.url}/cb?iwp={{iwp_name}}")
        (only,) = receiver.wait_for(1)
        assert only.query["iwp"] == ["FINAL"]
        settle()
        assert len(receiver.received) == 1
        assert [r.job_id for r in emu.callbacks] == [job_id]


def test_callbacks_follow_the_clock(receiver: Receiver) -> None:
    with running(processing_seconds=100) as emu:
        options = json.dumps({"return_iwp": ["MECHANICAL"]})
        submit(emu, callback_url=f"{receiver.url}/cb?iwp={{iwp_name}}", options=options)
        settle()
        assert receiver.received == []
        emu.advance(50)
        assert [r.query["iwp"] for r in receiver.wait_for(1)] == [["MECHANICAL"]]
        emu.advance(49)
        settle()
        assert len(receiver.received) == 1
        emu.advance(1)
        assert [r.query["iwp"] for r in receiver.wait_for(2)] == [["MECHANICAL"], ["FINAL"]]


def test_three_retries_when_the_answer_is_not_200() -> None:
    receiver = Receiver([500, 204, 302, 200])
    try:
        with running(callback_retry_seconds=0.01) as emu:
            job_id = submit(emu, callback_url=f"{receiver.url}/cb")
            assert len(receiver.wait_for(4)) == 4
            done = records(emu, 4)
            assert [(r.attempt, r.status) for r in done] == [(1, 500), (2, 204), (3, 302), (4, 200)]
            assert {(r.job_id, r.iwp_name) for r in done} == {(job_id, "FINAL")}
    finally:
        receiver.close()


def test_no_more_than_four_attempts() -> None:
    receiver = Receiver([503] * 10)
    try:
        with running(callback_retry_seconds=0.01) as emu:
            submit(emu, callback_url=f"{receiver.url}/cb")
            receiver.wait_for(4)
            settle()
            assert len(receiver.received) == 4
            assert [r.status for r in emu.callbacks] == [503] * 4
    finally:
        receiver.close()


def test_retries_wait_for_the_delay_on_the_emulators_clock(receiver: Receiver) -> None:
    receiver.statuses = [500]
    with running(callback_retry_seconds=3600) as emu:
        submit(emu, callback_url=f"{receiver.url}/cb")
        receiver.wait_for(1)
        settle()
        assert len(receiver.received) == 1
        emu.advance(3600)
        receiver.wait_for(2)


def test_a_refused_connection_is_recorded_and_retried() -> None:
    receiver = Receiver()
    url = f"{receiver.url}/cb"
    receiver.close()  # nothing listens there any more
    with running(callback_retry_seconds=0.01) as emu:
        submit(emu, callback_url=url)
        done = records(emu, 4)
        assert [r.attempt for r in done] == [1, 2, 3, 4]
        assert all(r.sent and r.status is None and r.error for r in done)
        assert "ConnectionRefusedError" in (done[0].error or "")


def test_remote_callbacks_are_skipped_never_sent() -> None:
    with running(callback_retry_seconds=0.01) as emu:
        url = "https://hooks.example.com/done?job={job_id}"
        job_id = submit(emu, callback_url=url)
        (record,) = records(emu, 1)
        assert (record.sent, record.status, record.attempt) == (False, None, 1)
        assert record.url == f"https://hooks.example.com/done?job={job_id}"
        assert record.error is not None and "not a loopback address" in record.error
        settle()
        assert len(emu.callbacks) == 1


def test_localhost_and_basic_auth(receiver: Receiver) -> None:
    with running() as emu:
        port = receiver.server.server_port
        submit(emu, callback_url=f"http://user:p%40ss@localhost:{port}/cb")
        (got,) = receiver.wait_for(1)
        assert got.headers["authorization"] == "Basic dXNlcjpwQHNz"  # user:p@ss


def test_modify_sets_the_callback_of_a_held_job(receiver: Receiver) -> None:
    with running(customer_authorization=True) as emu:
        job_id = submit(emu)
        reply = call(
            emu, "job/modify", "POST", job_id=job_id, callback_url=f"{receiver.url}/m?j={{job_id}}"
        )
        assert reply.status == 204
        settle()
        assert receiver.received == []
        assert call(emu, "job/authorize", job_id=job_id).status == 204
        (got,) = receiver.wait_for(1)
        assert (got.path, got.query["j"]) == ("/m", [job_id])


def test_no_callback_for_a_deleted_or_failed_job(receiver: Receiver) -> None:
    with running(processing_seconds=100) as emu:
        callback = f"{receiver.url}/cb?iwp={{iwp_name}}&job={{job_id}}"
        options = json.dumps({"return_iwp": ["MECHANICAL"]})
        deleted = submit(emu, callback_url=callback, options=options)
        failed = submit(emu, callback_url=callback, options=options)
        assert call(emu, "job/delete", job_id=deleted).status == 200
        emu.advance(50)
        (mechanical,) = receiver.wait_for(1)
        assert mechanical.query["job"] == [failed]
        emu.fail_media(failed)
        emu.advance(50)
        settle()
        assert len(receiver.received) == 1


def test_stop_keeps_callbacks_that_are_not_due(receiver: Receiver) -> None:
    emu = Emulator(processing_seconds=100).start()
    try:
        submit(emu, callback_url=f"{receiver.url}/cb")
    finally:
        emu.stop()
    emu.advance(100)
    settle()
    assert receiver.received == []
    emu.start()
    try:
        receiver.wait_for(1)
    finally:
        emu.stop()


@pytest.mark.parametrize(
    ("url", "loopback"),
    [
        ("http://127.0.0.1:8000/x", True),
        ("http://127.9.8.7/x", True),
        ("http://localhost/x", True),
        ("https://LOCALHOST./x", True),
        ("http://[::1]:9/x", True),
        ("http://128.0.0.1/x", False),
        ("http://10.0.0.1/x", False),
        ("https://hooks.example.com/x", False),
        ("http://localhost.example.com/x", False),
        ("http://127.0.0.1.nip.io/x", False),
        ("http://[::ffff:8.8.8.8]/x", False),
        ("http://[/x", False),
        ("not a url", False),
    ],
)
def test_what_counts_as_loopback(url: str, loopback: bool) -> None:
    assert is_loopback(url) is loopback


def test_custom_metadata_nested_too_deep_is_kept_as_text(receiver: Receiver) -> None:
    with running() as emu:
        deep = '{"k":' * 2000  # as a string: the JSON decoder would recurse too deep
        callback = f"{receiver.url}/done?job={{job_id}}&k={{k}}"
        options = json.dumps({"custom_metadata": deep})
        job_id = submit(emu, callback_url=callback, options=options)
        (got,) = receiver.wait_for(1)
        assert got.query == {"job": [job_id], "k": ["{k}"]}
