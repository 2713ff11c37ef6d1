"""Errors: the service's errors as typed exceptions, and transport failures as SDK exceptions.

Each test runs a real socket server on 127.0.0.1 that answers (or fails) on purpose.
"""

from __future__ import annotations

import json
import socket
import ssl
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from servers import (
    RawServer,
    answer,
    close_without_answer,
    reset_after_request,
    response,
    stall,
)

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.models import NewJobBody

TOKEN = "0123456789abcdef0123456789abcdef"


def client_for(url: str, **settings: object) -> cielo24.ApiClient:
    configuration = cielo24.Configuration(host=url, **settings)  # type: ignore[arg-type]
    configuration.api_key["ApiKeyAuth"] = TOKEN
    return cielo24.ApiClient(configuration)


def error_body(error_type: str, comment: str) -> bytes:
    return json.dumps({"ErrorType": error_type, "ErrorComment": comment}).encode()


def assert_no_secret(exc: BaseException) -> None:
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert TOKEN not in text
    assert TOKEN not in repr(exc)


@pytest.mark.parametrize(
    ("error_type", "cls"),
    [
        ("BAD_API_TOKEN", cielo24.BadApiTokenError),
        ("LOGIN_INVALID", cielo24.AuthenticationError),
        ("ACCOUNT_UNPRIVILEGED", cielo24.PermissionDeniedError),
        ("ITEM_NOT_FOUND", cielo24.ItemNotFoundError),
        ("INVALID_QUERY", cielo24.InvalidRequestError),
        ("INVALID_OPTION", cielo24.InvalidRequestError),
        ("MISSING_PARAMETER", cielo24.InvalidRequestError),
        ("INVALID_URL", cielo24.InvalidRequestError),
        ("ACCOUNT_EXISTS", cielo24.AccountExistsError),
        ("NOT_IMPLEMENTED", cielo24.NotImplementedByServiceError),
        ("UNHANDLED_ERROR", cielo24.ServiceException),
        ("SOMETHING_NEW", cielo24.BadRequestException),
    ],
)
def test_service_errors_keep_error_type_and_comment(
    error_type: str, cls: type[cielo24.ApiException]
) -> None:
    raw = response(400, error_body(error_type, "what went wrong"))
    with RawServer(answer(raw)) as server, client_for(server.url) as client:
        with pytest.raises(cls) as caught:
            JobApi(client).new_job(NewJobBody(job_name="x"))
    exc = caught.value
    assert isinstance(exc, cielo24.ApiException)
    assert (exc.status, exc.error_type, exc.error_comment) == (400, error_type, "what went wrong")
    assert exc.headers is not None and exc.headers["Content-Type"] == "application/json"
    assert f"{error_type}: what went wrong" in str(exc)
    assert_no_secret(exc)


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (401, cielo24.UnauthorizedException),
        (403, cielo24.ForbiddenException),
        (404, cielo24.NotFoundException),
        (429, cielo24.TooManyRequestsException),
        (500, cielo24.ServiceException),
        (502, cielo24.ServiceException),
        (418, cielo24.ApiException),
    ],
)
def test_non_json_error_bodies_are_kept_as_text(
    status: int, cls: type[cielo24.ApiException]
) -> None:
    raw = response(status, b"<html>Not Found</html>", content_type="text/html")
    with RawServer(answer(raw)) as server, client_for(server.url) as client:
        with pytest.raises(cls) as caught:
            JobApi(client).authorize_job("j1")
    exc = caught.value
    assert type(exc) is cls
    assert exc.status == status
    assert exc.body == "<html>Not Found</html>"
    assert exc.error_type is None and exc.error_comment is None
    assert "Not Found" in str(exc)


@pytest.mark.parametrize("payload", [b"not json", b"[1, 2]", b"", b'"JobId"', b"\xff\xfe"])
def test_success_with_a_body_that_is_not_the_json_expected(payload: bytes) -> None:
    with RawServer(answer(response(200, payload))) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.UnexpectedResponseError) as caught:
            JobApi(client).new_job(NewJobBody())
    assert caught.value.status == 200
    assert "unexpected response body" in str(caught.value)
    assert isinstance(caught.value, cielo24.ApiException)


def test_connection_refused() -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with client_for(f"http://127.0.0.1:{port}/api") as client:
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).new_job(NewJobBody())
    assert type(caught.value) is cielo24.ApiConnectionError
    assert f"could not connect to http://127.0.0.1:{port}" in str(caught.value)
    assert "refused" in str(caught.value).lower()
    assert_no_secret(caught.value)


@pytest.mark.parametrize("behaviour", [close_without_answer, reset_after_request])
def test_connection_closed_or_reset_before_the_response(behaviour: object) -> None:
    with RawServer(behaviour) as server, client_for(server.url) as client:  # type: ignore[arg-type]
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).new_job(NewJobBody())
    assert "the connection broke during POST" in str(caught.value)
    assert "/api/job/new" in str(caught.value)
    assert_no_secret(caught.value)


def test_response_cut_off() -> None:
    raw = response(200, b'{"JobId": "j', length=100)
    with RawServer(answer(raw)) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ApiConnectionError) as caught:
            JobApi(client).new_job(NewJobBody())
    assert "IncompleteRead" in str(caught.value)
    assert_no_secret(caught.value)


def test_read_timeout_from_configuration_and_per_call() -> None:
    with RawServer(stall(5)) as server, client_for(server.url, read_timeout=0.3) as client:
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError) as caught:
            JobApi(client).new_job(NewJobBody())
        assert time.monotonic() - started < 2
        assert "no response within 0.3 s" in str(caught.value)
        started = time.monotonic()
        with pytest.raises(cielo24.ApiTimeoutError, match="within 0.1 s"):
            JobApi(client).new_job(NewJobBody(), _request_timeout=0.1)
        with pytest.raises(cielo24.ApiTimeoutError, match="within 0.2 s"):
            JobApi(client).new_job(NewJobBody(), _request_timeout=(1, 0.2))
        assert time.monotonic() - started < 2
    assert isinstance(caught.value, cielo24.ApiConnectionError)
    assert_no_secret(caught.value)


def test_no_timeout_is_not_the_same_as_not_given() -> None:
    def slow(conn: socket.socket, server: RawServer) -> None:
        server.record(conn)
        time.sleep(0.5)
        conn.sendall(response(200, b'{"JobId": "j1"}'))

    with RawServer(slow) as server, client_for(server.url, read_timeout=0.2) as client:
        with pytest.raises(cielo24.ApiTimeoutError):
            JobApi(client).new_job(NewJobBody())
        assert JobApi(client).new_job(NewJobBody(), _request_timeout=None).job_id == "j1"


@pytest.mark.parametrize("bad", [0, -1, "5", (1, 2, 3), True])
def test_bad_request_timeout_is_refused(bad: object) -> None:
    with RawServer(answer(response())) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ApiValueError, match="_request_timeout"):
            JobApi(client).new_job(NewJobBody(), _request_timeout=bad)  # type: ignore[typeddict-item]
    assert server.requests == []


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[RawServer]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    with RawServer(answer(response(200, b'{"JobId": "j1"}')), tls=context) as server:
        yield server


def test_tls_is_verified_by_default(tls_server: RawServer) -> None:
    with client_for(tls_server.url) as client, pytest.raises(cielo24.ApiTLSError) as caught:
        JobApi(client).new_job(NewJobBody())
    assert "TLS failed for POST https://127.0.0.1" in str(caught.value)
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value)
    assert_no_secret(caught.value)


def test_tls_with_the_ca_configured(tls_server: RawServer, ca: trustme.CA, tmp_path: Path) -> None:
    bundle = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(bundle))
    with client_for(tls_server.url, ssl_ca_cert=str(bundle)) as client:
        assert JobApi(client).new_job(NewJobBody()).job_id == "j1"
    assert tls_server.requests[0].method == "POST"


def test_redirects_are_not_followed() -> None:
    raw = response(302, b"", extra="Location: http://127.0.0.1:1/elsewhere\r\n")
    with RawServer(answer(raw)) as server, client_for(server.url) as client:
        with pytest.raises(cielo24.ApiException) as caught:
            JobApi(client).new_job(NewJobBody())
    assert caught.value.status == 302
    assert len(server.requests) == 1


def test_errors_are_not_retried_by_urllib3() -> None:
    with RawServer(answer(response(503, b"busy", close=False), keep_alive=True)) as server:
        with client_for(server.url) as client:
            with pytest.raises(cielo24.ServiceException):
                JobApi(client).new_job(NewJobBody())
    assert len(server.requests) == 1
