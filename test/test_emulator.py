"""The emulator over real sockets, with http.client and raw sockets only (never the SDK)."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from cielo24.emulator import Emulator, server
from cielo24.emulator.protocol import Route

ROOT = Path(__file__).resolve().parent.parent
HEX32 = re.compile(r"[0-9a-f]{32}")
MiB = 1 << 20


# --- helpers -------------------------------------------------------------------------------


@dataclass
class Reply:
    """One answer as a client sees it."""

    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        assert self.headers["content-type"] == "application/json"
        return json.loads(self.body)

    def error(self) -> tuple[str, str]:
        assert self.status == 400, (self.status, self.body)
        document = self.json()
        assert set(document) == {"ErrorType", "ErrorComment"}
        return document["ErrorType"], document["ErrorComment"]


def send(
    emu: Emulator,
    method: str,
    path: str,
    query: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One request on a fresh connection."""
    target = path + ("?" + urlencode(query) if query is not None else "")
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    try:
        connection.request(method, target, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    finally:
        connection.close()


def api(emu: Emulator, action: str, method: str = "GET", **params: Any) -> Reply:
    """Call /api/<action> with v=1, the emulator's token and ``params`` in the query."""
    return send(emu, method, f"/api/{action}", {"v": 1, "api_token": emu.api_token, **params})


def new_job(emu: Emulator, **params: Any) -> str:
    reply = api(emu, "job/new", **params)
    assert reply.status == 200, reply.body
    job_id: str = reply.json()["JobId"]
    return job_id


def job_with_media(emu: Emulator) -> str:
    return emu.add_job(media_url="https://example.com/video.mp4").job_id


def upload_target(emu: Emulator, job_id: str) -> str:
    return "/api/job/add_media?" + urlencode({"v": 1, "api_token": emu.api_token, "job_id": job_id})


@dataclass
class RawReply:
    """An answer read from a raw socket, and whether the server then closed the connection."""

    reply: Reply
    closed: bool


def raw_exchange(emu: Emulator, head: str, body: bytes = b"") -> RawReply:
    """Send a hand-written request head (and body) and read one answer."""
    with socket.create_connection(("127.0.0.1", emu.port), timeout=5) as sock:
        sock.sendall(head.encode("latin-1") + b"\r\n" + body)
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        data = response.read()
        reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)
        sock.settimeout(0.5)
        try:
            closed = sock.recv(1) == b""
        except socket.timeout:
            closed = False  # still open: the server waits for the next request
        except ConnectionError:
            closed = True
        return RawReply(reply, closed)


def head(target: str, *headers: str) -> str:
    return "".join(f"{line}\r\n" for line in (f"POST {target} HTTP/1.1", "Host: x", *headers))


@contextmanager
def running(**options: Any) -> Iterator[Emulator]:
    emu = Emulator(**options).start()
    try:
        yield emu
    finally:
        emu.stop()


# --- job/new -------------------------------------------------------------------------------


def test_new_job_answers_ids_and_stores_every_field(emulator: Emulator) -> None:
    reply = api(
        emulator,
        "job/new",
        job_name="demo",
        language="fr",
        external_id="ext-1",
        username="sub",
        requestor="req",
        reference="ref",
        expected_speakers=3,
    )
    assert reply.status == 200
    document = reply.json()
    assert set(document) == {"JobId", "TaskId"}
    assert HEX32.fullmatch(document["JobId"]) and HEX32.fullmatch(document["TaskId"])
    job = emulator.jobs[document["JobId"]]
    assert (job.job_name, job.language, job.external_id) == ("demo", "fr", "ext-1")
    assert (job.username, job.requestor, job.reference) == ("sub", "req", "ref")
    assert job.expected_speakers == 3
    assert job.status == "Pending"
    assert job.task_ids == [document["TaskId"]]


def test_new_job_defaults_language_to_en(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    job = emulator.jobs[job_id]
    assert job.language == "en"
    assert job.job_name is None and job.expected_speakers is None


@pytest.mark.parametrize("how", ["query", "form", "json"])
def test_parameters_come_from_query_form_or_json(emulator: Emulator, how: str) -> None:
    auth = {"v": 1, "api_token": emulator.api_token}
    fields = {"job_name": "a b&c#d/é", "expected_speakers": 2, "is_duplicate": True}
    if how == "query":
        reply = send(emulator, "GET", "/api/job/new", {**auth, **fields, "is_duplicate": "true"})
    elif how == "form":
        body = urlencode({**fields, "is_duplicate": "TRUE"})
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        reply = send(emulator, "POST", "/api/job/new", auth, body, headers)
    else:
        body = json.dumps(fields)
        reply = send(
            emulator, "POST", "/api/job/new", auth, body, {"Content-Type": "application/json"}
        )
    assert reply.status == 200, reply.body
    job = emulator.jobs[reply.json()["JobId"]]
    assert job.job_name == "a b&c#d/é"
    assert job.expected_speakers == 2
    record = emulator.requests[-1]
    assert record.params["job_name"] == "a b&c#d/é"
    assert record.params["is_duplicate"].lower() == "true"


def test_special_characters_arrive_intact_in_the_query(emulator: Emulator) -> None:
    job_id = new_job(emulator, job_name="a b&c#d/é", reference="x=y;z+w")
    job = emulator.jobs[job_id]
    assert (job.job_name, job.reference) == ("a b&c#d/é", "x=y;z+w")
    assert emulator.requests[-1].query["job_name"] == ["a b&c#d/é"]


def test_query_and_body_fields_are_merged(emulator: Emulator) -> None:
    query = {"v": 1, "api_token": emulator.api_token, "job_name": "same", "language": "de"}
    body = json.dumps({"job_name": "same", "v": 1, "reference": "from-body"})
    reply = send(
        emulator, "POST", "/api/job/new", query, body, {"Content-Type": "application/json"}
    )
    job = emulator.jobs[reply.json()["JobId"]]
    assert (job.job_name, job.language, job.reference) == ("same", "de", "from-body")


def test_json_number_and_boolean_values_are_accepted(emulator: Emulator) -> None:
    body = json.dumps(
        {"v": 1, "api_token": emulator.api_token, "expected_speakers": 7, "is_duplicate": False}
    )
    reply = send(emulator, "POST", "/api/job/new", None, body, {"Content-Type": "application/json"})
    assert reply.status == 200
    assert emulator.jobs[reply.json()["JobId"]].expected_speakers == 7
    assert emulator.requests[-1].params["is_duplicate"] == "false"


def test_duplicate_external_id_needs_is_duplicate(emulator: Emulator) -> None:
    first = new_job(emulator, external_id="same")
    error_type, comment = api(emulator, "job/new", external_id="same").error()
    assert error_type == "INVALID_QUERY"
    assert "is_duplicate=true" in comment and "same" in comment
    second = new_job(emulator, external_id="same", is_duplicate="True")
    assert first != second and len(emulator.jobs) == 2


def test_customer_authorization_holds_jobs_until_authorized() -> None:
    with running(customer_authorization=True) as emu:
        held = new_job(emu)
        assert emu.jobs[held].status == "Authorizing"
        assert api(emu, "job/authorize", "POST", job_id=held).status == 204
        assert emu.jobs[held].status == "Pending"

        transcribed = new_job(emu)
        api(emu, "job/add_media", job_id=transcribed, media_url="https://example.com/a.mp4")
        reply = api(
            emu,
            "job/perform_transcription",
            job_id=transcribed,
            transcription_fidelity="MECHANICAL",
            priority="STANDARD",
        )
        assert reply.status == 200
        assert emu.jobs[transcribed].status == "Authorizing"
        assert api(emu, "job/authorize", job_id=transcribed).status == 204
        assert emu.jobs[transcribed].status == "In Process"


# --- checks common to every call -----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "error_type", "named"),
    [
        ({"api_token": "TOKEN"}, "MISSING_PARAMETER", "v"),
        ({"v": "", "api_token": "TOKEN"}, "MISSING_PARAMETER", "v"),
        ({"v": 2, "api_token": "TOKEN"}, "INVALID_OPTION", "'2'"),
        ({"v": "1.0", "api_token": "TOKEN"}, "INVALID_OPTION", "'1.0'"),
        ({"v": 1}, "MISSING_PARAMETER", "api_token"),
        ({"v": 1, "api_token": "0" * 32}, "BAD_API_TOKEN", "Invalid or expired API token"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/api/job/new", "/api/job/add_media", "/api/job/perform_transcription"]
)
def test_version_and_token_are_checked_on_every_call(
    emulator: Emulator, path: str, query: dict[str, Any], error_type: str, named: str
) -> None:
    query = {k: emulator.api_token if v == "TOKEN" else v for k, v in query.items()}
    error = send(emulator, "GET", path, query).error()
    assert error[0] == error_type
    assert named in error[1]
    assert emulator.jobs == {}


def test_authorize_checks_the_token_too(emulator: Emulator) -> None:
    job = emulator.add_job()
    reply = send(
        emulator, "POST", "/api/job/authorize", {"v": 1, "api_token": "x", "job_id": job.job_id}
    )
    assert reply.error() == ("BAD_API_TOKEN", "Invalid or expired API token")


def test_added_api_tokens_are_accepted(emulator: Emulator) -> None:
    query = {"v": 1, "api_token": "YOUR_API_KEY"}
    assert send(emulator, "GET", "/api/job/new", query).error()[0] == "BAD_API_TOKEN"
    emulator.add_api_token("YOUR_API_KEY")
    assert send(emulator, "GET", "/api/job/new", query).status == 200


@pytest.mark.parametrize(
    ("params", "error_type", "named"),
    [
        ({"expected_speakers": "two"}, "INVALID_QUERY", "expected_speakers"),
        ({"expected_speakers": "1.5"}, "INVALID_QUERY", "expected_speakers"),
        ({"is_duplicate": "yes"}, "INVALID_OPTION", "is_duplicate"),
    ],
)
def test_new_job_refuses_bad_values(
    emulator: Emulator, params: dict[str, str], error_type: str, named: str
) -> None:
    error = api(emulator, "job/new", **params).error()
    assert error[0] == error_type and named in error[1]


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2]", b'"text"', b"\xff\xfe"], ids=["bad", "list", "str", "bytes"]
)
def test_a_body_that_is_not_a_json_object_is_invalid_query(emulator: Emulator, body: bytes) -> None:
    query = {"v": 1, "api_token": emulator.api_token}
    reply = send(
        emulator, "POST", "/api/job/new", query, body, {"Content-Type": "application/json"}
    )
    assert reply.error()[0] == "INVALID_QUERY"
    assert emulator.jobs == {}


def test_an_empty_json_body_holds_no_parameters(emulator: Emulator) -> None:
    job = emulator.add_job()
    query = {"v": 1, "api_token": emulator.api_token, "job_id": job.job_id}
    reply = send(
        emulator, "POST", "/api/job/authorize", query, b"", {"Content-Type": "application/json"}
    )
    assert reply.status == 204


def test_query_that_is_not_utf8_is_invalid_query(emulator: Emulator) -> None:
    reply = send(emulator, "GET", f"/api/job/new?v=1&api_token={emulator.api_token}&job_name=%ff")
    assert reply.error()[0] == "INVALID_QUERY"


def test_unknown_path_is_a_plain_text_404(emulator: Emulator) -> None:
    for path in ("/api/job/nope", "/", "/api/v1/job/new"):
        reply = send(emulator, "GET", path, {"v": 1, "api_token": emulator.api_token})
        assert reply.status == 404
        assert reply.headers["content-type"] == "text/plain"
        assert reply.body == b"Not Found"


def test_a_handler_crash_is_a_500_unhandled_error_logged_not_printed(
    emulator: Emulator,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(request: Any, state: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setitem(server.ROUTES, "/api/job/new", Route(broken))
    with caplog.at_level("ERROR", logger="cielo24.emulator"):
        reply = api(emulator, "job/new")
    assert reply.status == 500
    assert reply.json() == {
        "ErrorType": "UNHANDLED_ERROR",
        "ErrorComment": "the emulator failed: RuntimeError",
    }
    assert capfd.readouterr().err == ""
    [record] = [r for r in caplog.records if r.name.startswith("cielo24.emulator")]
    assert "GET /api/job/new" in record.getMessage()
    assert record.exc_info is not None and str(record.exc_info[1]) == "bug"
    assert emulator.api_token not in caplog.text


# --- job/add_media by URL ------------------------------------------------------------------


def test_add_media_url_records_the_url_and_never_fetches_it(emulator: Emulator) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        listener.settimeout(0.3)
        media_url = f"http://127.0.0.1:{listener.getsockname()[1]}/a b.mp4?x=1&y=2"
        job_id = new_job(emulator)
        reply = api(emulator, "job/add_media", job_id=job_id, media_url=media_url)
        assert reply.status == 200
        task_id = reply.json()["TaskId"]
        assert HEX32.fullmatch(task_id)
        with pytest.raises(socket.timeout):
            listener.accept()
    job = emulator.jobs[job_id]
    assert job.media_url == media_url
    assert job.media_size is None
    assert job.task_ids[-1] == task_id


def test_add_media_url_by_post_form(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    query = {"v": 1, "api_token": emulator.api_token}
    body = urlencode({"job_id": job_id, "media_url": "https://example.com/v.mp4"})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    assert send(emulator, "POST", "/api/job/add_media", query, body, headers).status == 200
    assert emulator.jobs[job_id].media_url == "https://example.com/v.mp4"


@pytest.mark.parametrize(
    "media_url",
    ["ftp://example.com/a.mp4", "not a url", "http://", "/relative.mp4", "", "http://["],
)
def test_add_media_url_refuses_what_is_not_an_http_url(emulator: Emulator, media_url: str) -> None:
    job_id = new_job(emulator)
    error_type, comment = api(emulator, "job/add_media", job_id=job_id, media_url=media_url).error()
    assert error_type == "INVALID_URL" and "media_url" in comment
    assert emulator.jobs[job_id].media_url is None


def test_add_media_refusals(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    url = "https://example.com/one.mp4"
    assert api(emulator, "job/add_media", media_url=url).error() == (
        "MISSING_PARAMETER",
        "missing required parameter: job_id",
    )
    error = api(emulator, "job/add_media", job_id=job_id).error()
    assert error == ("MISSING_PARAMETER", "missing required parameter: media_url")
    error = api(emulator, "job/add_media", job_id="f" * 32, media_url=url).error()
    assert error[0] == "ITEM_NOT_FOUND" and "f" * 32 in error[1]
    error = api(
        emulator, "job/add_media", job_id=job_id, media_url=url, is_duplicate="maybe"
    ).error()
    assert error[0] == "INVALID_OPTION" and "is_duplicate" in error[1]

    assert api(emulator, "job/add_media", job_id=job_id, media_url=url).status == 200
    error = api(
        emulator, "job/add_media", job_id=job_id, media_url="https://example.com/2.mp4"
    ).error()
    assert error == ("INVALID_QUERY", f"job {job_id} already has media")
    assert emulator.jobs[job_id].media_url == url


def test_the_same_media_url_on_another_job_needs_is_duplicate(emulator: Emulator) -> None:
    url = "https://example.com/shared.mp4"
    first, second = new_job(emulator), new_job(emulator)
    assert api(emulator, "job/add_media", job_id=first, media_url=url).status == 200
    error_type, comment = api(emulator, "job/add_media", job_id=second, media_url=url).error()
    assert error_type == "INVALID_QUERY" and "is_duplicate=true" in comment
    assert emulator.jobs[second].media_url is None
    reply = api(emulator, "job/add_media", job_id=second, media_url=url, is_duplicate="true")
    assert reply.status == 200
    assert emulator.jobs[second].media_url == url


# --- job/add_media by upload ---------------------------------------------------------------


def test_upload_records_size_sha256_and_content_type(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    data = os.urandom(3 * MiB + 12345)
    headers = {"Content-Type": "video/mp4"}
    reply = send(emulator, "POST", upload_target(emulator, job_id), body=data, headers=headers)
    assert reply.status == 200
    job = emulator.jobs[job_id]
    assert job.media_size == len(data)
    assert job.media_sha256 == hashlib.sha256(data).hexdigest()
    assert job.media_content_type == "video/mp4"
    assert job.task_ids[-1] == reply.json()["TaskId"]
    assert emulator.requests[-1].body_size == len(data)


def test_upload_without_content_type_and_without_hashing() -> None:
    with running(hash_uploads=False) as emu:
        job_id = new_job(emu)
        target = upload_target(emu, job_id)
        result = raw_exchange(emu, head(target, "Content-Length: 5"), b"hello")
        assert result.reply.status == 200 and not result.closed
        job = emu.jobs[job_id]
        assert (job.media_size, job.media_sha256, job.media_content_type) == (5, None, None)


def test_upload_streams_in_constant_memory(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    block = b"\x01" * MiB
    size = 32 * MiB
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        reply = send(
            emulator,
            "POST",
            upload_target(emulator, job_id),
            body=iter([block] * 32),
            headers={"Content-Length": str(size), "Content-Type": "video/mp4"},
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reply.status == 200
    assert emulator.jobs[job_id].media_size == size
    assert peak < 8 * MiB, f"peak {peak} bytes while receiving {size}"


def test_chunked_upload_is_refused_and_the_connection_closed(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(upload_target(emulator, job_id), "Transfer-Encoding: chunked")
    result = raw_exchange(emulator, request, b"5\r\nhello\r\n0\r\n\r\n")
    assert result.reply.error() == ("INVALID_QUERY", "chunked transfer encoding is not supported")
    assert result.reply.headers["connection"] == "close" and result.closed
    assert emulator.jobs[job_id].media_size is None


def test_upload_without_content_length_is_refused(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    result = raw_exchange(
        emulator, head(upload_target(emulator, job_id), "Content-Type: video/mp4")
    )
    error_type, comment = result.reply.error()
    assert error_type == "MISSING_PARAMETER" and "Content-Length" in comment
    assert result.reply.headers["connection"] == "close" and result.closed


def test_oversize_upload_is_refused_before_the_body_is_sent(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(upload_target(emulator, job_id), "Content-Length: 10737418240")
    result = raw_exchange(emulator, request)  # headers only: the answer must not wait for a body
    error_type, comment = result.reply.error()
    assert error_type == "INVALID_QUERY" and "10737418239" in comment
    assert result.reply.headers["connection"] == "close" and result.closed
    assert emulator.requests[-1].body_size == 0


def test_expect_100_continue_gets_the_refusal_instead_of_continue(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(
        upload_target(emulator, job_id), "Content-Length: 10737418240", "Expect: 100-continue"
    )
    result = raw_exchange(emulator, request)
    assert result.reply.error()[0] == "INVALID_QUERY"
    assert result.closed


def test_expect_100_continue_invites_an_accepted_body(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(upload_target(emulator, job_id), "Content-Length: 4", "Expect: 100-continue")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request.encode() + b"\r\n")
        interim = b""
        while not interim.endswith(b"\r\n\r\n"):
            interim += sock.recv(1)
        assert interim.startswith(b"HTTP/1.1 100 ")
        sock.sendall(b"data")
        response = http.client.HTTPResponse(sock, method="POST")
        response.begin()
        assert response.status == 200
        response.read()
    assert emulator.jobs[job_id].media_size == 4


def test_an_upload_at_the_size_limit_is_read_not_refused(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(upload_target(emulator, job_id), "Content-Length: 10737418239")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request.encode() + b"\r\n" + b"x" * 1000)
        sock.shutdown(socket.SHUT_WR)  # disconnect early: no answer, nothing recorded
        assert sock.recv(1024) == b""
    assert emulator.requests[-1].body_size == 1000
    assert emulator.jobs[job_id].media_size is None


def test_an_upload_cut_short_records_nothing(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(upload_target(emulator, job_id), f"Content-Length: {MiB}")
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request.encode() + b"\r\n" + b"y" * 1000)
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1024) == b""
    assert emulator.requests[-1].body_size == 1000
    job = emulator.jobs[job_id]
    assert job.media_size is None and len(job.task_ids) == 1
    reply = send(emulator, "POST", upload_target(emulator, job_id), body=b"z" * 10)
    assert reply.status == 200 and emulator.jobs[job_id].media_size == 10


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        ("application/x-www-form-urlencoded", b"is_duplicate=false"),
        ("multipart/form-data; boundary=xyz", b"--xyz\r\n\r\nabc\r\n--xyz--\r\n"),
    ],
)
def test_form_content_types_are_refused_for_uploads(
    emulator: Emulator, content_type: str, body: bytes
) -> None:
    job_id = new_job(emulator)
    headers = {"Content-Type": content_type}
    reply = send(emulator, "POST", upload_target(emulator, job_id), body=body, headers=headers)
    error_type, comment = reply.error()
    assert error_type == "INVALID_QUERY" and content_type in comment
    assert emulator.jobs[job_id].media_size is None


def test_multipart_upload_refusal_closes_the_connection(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    request = head(
        upload_target(emulator, job_id), "Content-Type: multipart/form-data", "Content-Length: 4"
    )
    result = raw_exchange(emulator, request, b"abcd")
    assert result.reply.error()[0] == "INVALID_QUERY"
    assert result.reply.headers["connection"] == "close" and result.closed
    assert emulator.requests[-1].body_size == 0


def test_upload_refusals_about_the_job(emulator: Emulator) -> None:
    unknown = raw_exchange(
        emulator, head(upload_target(emulator, "0" * 32), "Content-Length: 3"), b"abc"
    )
    assert unknown.reply.error()[0] == "ITEM_NOT_FOUND"
    assert unknown.reply.headers["connection"] == "close" and unknown.closed

    job_id = job_with_media(emulator)
    reply = send(emulator, "POST", upload_target(emulator, job_id), body=b"abc")
    assert reply.error() == ("INVALID_QUERY", f"job {job_id} already has media")
    assert emulator.jobs[job_id].media_size is None

    empty = send(emulator, "POST", upload_target(emulator, new_job(emulator)), body=b"")
    assert empty.error()[0] == "INVALID_QUERY"


# --- job/perform_transcription -------------------------------------------------------------


def test_perform_transcription_stores_the_request(emulator: Emulator) -> None:
    job_id = job_with_media(emulator)
    reply = api(
        emulator,
        "job/perform_transcription",
        job_id=job_id,
        transcription_fidelity="PROFESSIONAL",
        priority="PRIORITY",
        callback_url="https://example.com/done?job={job_id}&x=1",
        options='{"notes": "test", "return_iwp": ["FINAL"]}',
        target_language="de,fr",
        turnaround_hours=36,
    )
    assert reply.status == 200
    task_id = reply.json()["TaskId"]
    job = emulator.jobs[job_id]
    assert (job.fidelity, job.priority, job.status) == ("PROFESSIONAL", "PRIORITY", "In Process")
    assert job.callback_url == "https://example.com/done?job={job_id}&x=1"
    assert job.options == {"notes": "test", "return_iwp": ["FINAL"]}
    assert (job.target_language, job.turnaround_hours) == ("de,fr", 36)
    assert job.task_ids[-1] == task_id


def test_perform_transcription_from_a_json_body_with_an_options_object(emulator: Emulator) -> None:
    job_id = job_with_media(emulator)
    body = {
        "job_id": job_id,
        "transcription_fidelity": "MECHANICAL",
        "priority": "STANDARD",
        "options": {"speaker_id": True, "custom_metadata": {"k": "v"}},
        "turnaround_hours": 12,
    }
    reply = send(
        emulator,
        "POST",
        "/api/job/perform_transcription",
        {"v": 1, "api_token": emulator.api_token},
        json.dumps(body),
        {"Content-Type": "application/json"},
    )
    assert reply.status == 200
    job = emulator.jobs[job_id]
    assert job.options == {"speaker_id": True, "custom_metadata": {"k": "v"}}
    assert job.turnaround_hours == 12
    assert job.callback_url is None and job.target_language is None
    assert "callback_url" not in emulator.requests[-1].params


@pytest.mark.parametrize(
    ("changes", "error_type", "named"),
    [
        ({"job_id": None}, "MISSING_PARAMETER", "job_id"),
        ({"transcription_fidelity": None}, "MISSING_PARAMETER", "transcription_fidelity"),
        ({"priority": None}, "MISSING_PARAMETER", "priority"),
        ({"transcription_fidelity": "mechanical"}, "INVALID_OPTION", "'mechanical'"),
        ({"transcription_fidelity": "HIGH"}, "INVALID_OPTION", "transcription_fidelity"),
        ({"priority": "ECONOMY"}, "INVALID_OPTION", "priority"),
        ({"callback_url": "mailto:me@example.com"}, "INVALID_URL", "callback_url"),
        ({"options": "[1, 2]"}, "INVALID_OPTION", "options"),
        ({"options": "notes=test"}, "INVALID_OPTION", "options"),
        ({"turnaround_hours": "soon"}, "INVALID_QUERY", "turnaround_hours"),
        ({"job_id": "e" * 32}, "ITEM_NOT_FOUND", "e" * 32),
    ],
)
def test_perform_transcription_refusals(
    emulator: Emulator, changes: dict[str, str | None], error_type: str, named: str
) -> None:
    job_id = job_with_media(emulator)
    params: dict[str, str | None] = {
        "job_id": job_id,
        "transcription_fidelity": "PREMIUM",
        "priority": "STANDARD",
    }
    params.update(changes)
    sent = {name: value for name, value in params.items() if value is not None}
    error = api(emulator, "job/perform_transcription", **sent).error()
    assert error[0] == error_type and named in error[1]
    assert emulator.jobs[job_id].fidelity is None


def test_perform_transcription_needs_media(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    error = api(
        emulator,
        "job/perform_transcription",
        job_id=job_id,
        transcription_fidelity="MECHANICAL",
        priority="STANDARD",
    ).error()
    assert error == ("INVALID_QUERY", f"job {job_id} has no media: add media first")
    assert emulator.jobs[job_id].status == "Pending"


# --- job/authorize -------------------------------------------------------------------------


def test_authorize_answers_204_and_leaves_other_states_alone(emulator: Emulator) -> None:
    job = emulator.add_job(status="In Process")
    reply = api(emulator, "job/authorize", "POST", job_id=job.job_id)
    assert (reply.status, reply.body) == (204, b"")
    assert "content-length" not in reply.headers or reply.headers["content-length"] == "0"
    assert emulator.jobs[job.job_id].status == "In Process"


def test_authorize_refusals(emulator: Emulator) -> None:
    assert api(emulator, "job/authorize").error()[0] == "MISSING_PARAMETER"
    assert api(emulator, "job/authorize", job_id="1" * 32).error()[0] == "ITEM_NOT_FOUND"


# --- the connection ------------------------------------------------------------------------


def test_keep_alive_serves_several_requests_on_one_connection(emulator: Emulator) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=5)
    try:
        query = urlencode({"v": 1, "api_token": emulator.api_token})
        connection.request("GET", f"/api/job/new?{query}")
        first = connection.getresponse()
        assert first.status == 200 and first.getheader("Content-Length") is not None
        first.read()
        sock = connection.sock
        connection.request("GET", f"/api/job/new?{query}&expected_speakers=x")  # a 400
        second = connection.getresponse()
        assert second.status == 400
        second.read()
        connection.request("GET", f"/api/job/new?{query}")
        third = connection.getresponse()
        assert third.status == 200
        third.read()
        assert sock is not None and connection.sock is sock
    finally:
        connection.close()
    assert len(emulator.jobs) == 2


def test_stop_closes_idle_keep_alive_connections_and_the_socket() -> None:
    emu = Emulator().start()
    connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
    try:
        connection.request("GET", "/nowhere")
        connection.getresponse().read()
        started = time.monotonic()
        emu.stop()
        assert time.monotonic() - started < 2
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            connection.request("GET", "/nowhere")
            connection.getresponse().read()
    finally:
        connection.close()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", emu.port), timeout=2).close()


def test_nothing_is_logged(emulator: Emulator, capfd: pytest.CaptureFixture[str]) -> None:
    new_job(emulator)
    api(emulator, "job/new", expected_speakers="x")
    send(emulator, "GET", "/missing", {"api_token": emulator.api_token})
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_concurrent_calls_are_safe(emulator: Emulator) -> None:
    job_ids: list[str] = []
    failures: list[BaseException] = []

    def create(index: int) -> None:
        try:
            for n in range(5):
                job_ids.append(new_job(emulator, external_id=f"{index}-{n}"))
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=create, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert len(set(job_ids)) == 80
    assert set(emulator.jobs) == set(job_ids)
    assert len(emulator.requests) == 80


def test_concurrent_duplicates_are_refused_exactly_once(emulator: Emulator) -> None:
    statuses: list[int] = []

    def create() -> None:
        statuses.append(api(emulator, "job/new", external_id="race").status)

    threads = [threading.Thread(target=create) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [200] + [400] * 15
    assert len(emulator.jobs) == 1


# --- the Python API ------------------------------------------------------------------------


def test_emulator_properties() -> None:
    emu = Emulator(port=0)
    assert HEX32.fullmatch(emu.api_token)
    with pytest.raises(RuntimeError):
        emu.url  # noqa: B018 - the port is not known before start
    emu.start()
    try:
        assert emu.port > 0
        assert emu.url == f"http://127.0.0.1:{emu.port}/api"
        with pytest.raises(RuntimeError):
            emu.start()
    finally:
        emu.stop()
    emu.stop()  # a second stop does nothing
    assert Emulator(api_token="abc").api_token == "abc"
    assert Emulator(port=8024).url == "http://127.0.0.1:8024/api"


def test_configuration_points_at_the_emulator() -> None:
    emu = Emulator()
    with emu as configuration:
        assert configuration.host == emu.url
        assert configuration.api_key["ApiKeyAuth"] == emu.api_token
        other = emu.configuration()
        assert other is not configuration and other.host == emu.url
        assert send(emu, "GET", "/nowhere").status == 404
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", emu.port), timeout=2).close()


def test_add_job_seeds_a_job_the_wire_can_use(emulator: Emulator) -> None:
    job = emulator.add_job(job_id="0fbd6015910e42dca25a863c4925d77c", job_name="seeded")
    assert emulator.jobs[job.job_id] is job
    assert (job.status, job.language, len(job.task_ids)) == ("Pending", "en", 1)
    url = "http://www.domain.com/video.mp4"
    assert api(emulator, "job/add_media", job_id=job.job_id, media_url=url).status == 200
    assert job.media_url == url
    with pytest.raises(ValueError):
        emulator.add_job(job_id=job.job_id)
    with pytest.raises(TypeError):
        emulator.add_job(no_such_field=1)
    assert HEX32.fullmatch(emulator.add_job().job_id)


def test_add_job_status_follows_customer_authorization() -> None:
    with running(customer_authorization=True) as emu:
        assert emu.add_job().status == "Authorizing"
        assert emu.add_job(status="Complete").status == "Complete"


def test_requests_show_what_arrived_on_the_wire(emulator: Emulator) -> None:
    job_id = new_job(emulator, job_name="x")
    send(
        emulator,
        "POST",
        upload_target(emulator, job_id),
        body=b"12345",
        headers={"Content-Type": "audio/mpeg", "X-Custom": "yes"},
    )
    new, upload = emulator.requests
    assert (new.method, new.path) == ("GET", "/api/job/new")
    assert new.query == {"v": ["1"], "api_token": [emulator.api_token], "job_name": ["x"]}
    assert new.params == {"v": "1", "api_token": emulator.api_token, "job_name": "x"}
    assert "external_id" not in new.params and new.body_size == 0
    assert (upload.method, upload.body_size) == ("POST", 5)
    assert upload.headers["content-type"] == "audio/mpeg"
    assert upload.headers["x-custom"] == "yes"
    emulator.reset_requests()
    assert emulator.requests == []


# --- the command line and the docs ---------------------------------------------------------


def test_command_line_serves_until_sigterm() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "cielo24.emulator", "--port", "0", "--api-token", "cli-token"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first, second = process.stdout.readline(), process.stdout.readline()
        match = re.fullmatch(
            r"cielo24 emulator listening on (http://127\.0\.0\.1:(\d+)/api)\n", first
        )
        assert match, first
        assert second == "api token: cli-token\n"
        url = f"{match.group(1)}/job/new?v=1&api_token=cli-token"
        with urllib.request.urlopen(url, timeout=5) as response:
            assert HEX32.fullmatch(json.load(response)["JobId"])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_command_line_reports_a_port_in_use() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        result = subprocess.run(
            [sys.executable, "-m", "cielo24.emulator", "--port", port],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


def test_command_line_help() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "cielo24.emulator", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0
    for option in ("--host", "--port", "--api-token", "--customer-authorization"):
        assert option in result.stdout


def test_docs_examples_run(capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "emulator.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 3
    for number, block in enumerate(blocks):
        exec(compile(block, f"docs/emulator.md[{number}]", "exec"), {})
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api\n", capsys.readouterr().out)
