"""No token, password or secure key survives in any log record, output, repr or exception.

Every logger is turned to DEBUG, every error path is triggered, and everything a user could
see is searched for the secrets.
"""

from __future__ import annotations

import logging
import ssl
import traceback
from collections.abc import Callable, Iterator

import pytest
import trustme
from servers import RawServer, answer, response, stall

import cielo24
from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody
from cielo24.retry import RetryPolicy

PASSWORD = "correct horse battery staple"


class Everything(logging.Handler):
    """Keeps every record of every logger, formatted as a user's handler would show it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def everything() -> Iterator[Everything]:
    root = logging.getLogger()
    handler = Everything()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    loggers = [logging.getLogger(name) for name in ("urllib3", "cielo24")]
    old = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)
    for lg, lvl in zip(loggers, old):
        lg.setLevel(lvl)


def text_of(exc: BaseException) -> str:
    """Everything an exception shows: str, repr, its traceback with the chained ones, fields."""
    shown = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    fields = " ".join(str(v) for v in vars(exc).values())
    return f"{exc} {exc!r} {shown} {fields}"


def test_no_secret_anywhere(
    everything: Everything, capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    emulator = Emulator(demo_password=PASSWORD, token_lifetime=3600)
    seen: list[str] = []
    with emulator:
        securekey = emulator.demo_securekey
        configuration = cielo24.Configuration(
            host=emulator.url,
            username="demo",
            password=PASSWORD,
            retries=RetryPolicy(backoff=0.01, max_backoff=0.01),
            debug=True,
        )
        secrets = [PASSWORD, securekey, emulator.api_token]

        def expect_error(call: Callable[[], object]) -> None:
            with pytest.raises(cielo24.Cielo24Error) as caught:
                call()
            seen.append(text_of(caught.value))

        with cielo24.ApiClient(configuration) as client:
            jobs, accounts = JobApi(client), AccountApi(client)
            jobs.new_job(NewJobBody())  # logs in by itself
            secrets.append(configuration.api_key["ApiKeyAuth"])
            seen.append(repr(configuration) + repr(configuration.api_key))
            seen.append(repr(accounts.generate_api_key()))
            expect_error(lambda: jobs.job_info("f" * 32))  # ITEM_NOT_FOUND
            expect_error(lambda: accounts.remove_api_key(securekey[::-1]))  # the key in a comment
            expect_error(lambda: accounts.login("demo", "not " + PASSWORD))  # LOGIN_INVALID
            expect_error(lambda: jobs.get_caption("f" * 32, "NOPE"))  # refused before sending
            accounts.logout()
            jobs.new_job(NewJobBody())  # BAD_API_TOKEN, then a new login
            secrets.append(configuration.api_key["ApiKeyAuth"])
        token = configuration.api_key["ApiKeyAuth"]

    for raw in (answer(response(503, b"busy")), stall(3)):
        with RawServer(raw) as server:  # type: ignore[arg-type]
            failing = cielo24.Configuration(
                host=server.url, read_timeout=0.2, retries=RetryPolicy(backoff=0.01)
            )
            failing.api_key["ApiKeyAuth"] = token
            with cielo24.ApiClient(failing) as client:
                expect_error(lambda: JobApi(client).job_info("j1"))
    refused = cielo24.Configuration(host="http://127.0.0.1:9/api", retries=None)
    refused.api_key["ApiKeyAuth"] = token
    with cielo24.ApiClient(refused) as client:
        expect_error(lambda: JobApi(client).new_job(NewJobBody()))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    trustme.CA().issue_cert("127.0.0.1").configure_cert(context)
    with RawServer(answer(response(200, b"{}")), tls=context) as server:
        tls = cielo24.Configuration(host=server.url, retries=None)
        tls.api_key["ApiKeyAuth"] = token
        with cielo24.ApiClient(tls) as client:
            expect_error(lambda: JobApi(client).new_job(NewJobBody()))

    captured = capsys.readouterr()
    haystack = "\n".join([*everything.lines, *seen, captured.out, captured.err])
    assert "/api/job/info" in haystack and "urllib3.connectionpool" in haystack  # it did log
    assert len(seen) == 10
    for secret in secrets:
        assert secret and secret not in haystack
    logging.getLogger("cielo24").setLevel(logging.NOTSET)
