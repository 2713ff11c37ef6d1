"""Configuration: servers, hosts, timeouts, pool size, logging, secrets kept out of sight, and
the credential chain (variables, then the file `cielo24 login --save` writes)."""

from __future__ import annotations

import http.client
import json
import logging
import os
import stat
import threading
from pathlib import Path

import pytest
from servers import RawServer, answer, response

import cielo24
from cielo24 import credentials
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody

TOKEN = "fedcba9876543210fedcba9876543210"


def test_default_and_named_servers() -> None:
    assert cielo24.Configuration().host == "https://api.cielo24.com/api"
    assert cielo24.Configuration(server="production").host == "https://api.cielo24.com/api"
    assert cielo24.Configuration(server="sandbox").host == "https://sandbox.cielo24.com/api"
    assert cielo24.Configuration(host="http://127.0.0.1:8024/api/").host == (
        "http://127.0.0.1:8024/api"
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"server": "staging"}, "'staging'"),
        ({"host": "https://x.example/api", "server": "sandbox"}, "either host or server"),
        ({"host": "api.cielo24.com/api"}, "'api.cielo24.com/api'"),
        ({"host": "ftp://files.example/api"}, "'ftp://files.example/api'"),
        ({"host": "http://api.cielo24.com/api"}, "only reached over https"),
        ({"host": "http://sandbox.cielo24.com/api"}, "only reached over https"),
        ({"host": "https://user:pw@api.example/api"}, "credentials"),
        ({"connect_timeout": 0}, "connect_timeout must be a positive number"),
        ({"read_timeout": "60"}, "read_timeout"),
        ({"connection_pool_maxsize": 0}, "connection_pool_maxsize"),
    ],
)
def test_bad_settings_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(cielo24.ApiValueError, match=message):
        cielo24.Configuration(**kwargs)  # type: ignore[arg-type]


def test_host_is_checked_when_set_later() -> None:
    configuration = cielo24.Configuration()
    with pytest.raises(cielo24.ApiTypeError):
        configuration.host = None  # type: ignore[assignment]
    with pytest.raises(cielo24.ApiValueError):
        configuration.host = "http://api.cielo24.com/api"
    assert configuration.host == "https://api.cielo24.com/api"


def test_finite_default_timeouts() -> None:
    configuration = cielo24.Configuration()
    assert configuration.connect_timeout == 10.0
    assert configuration.read_timeout == 60.0


def test_the_token_never_shows_in_reprs() -> None:
    configuration = cielo24.Configuration()
    configuration.api_key["ApiKeyAuth"] = TOKEN
    assert configuration.get_api_key_with_prefix("ApiKeyAuth") == TOKEN
    assert TOKEN not in repr(configuration)
    assert TOKEN not in repr(configuration.api_key)
    assert TOKEN not in str(configuration.api_key)
    assert "'ApiKeyAuth': '***'" in repr(configuration)


def test_debug_uses_only_the_cielo24_logger(capsys: pytest.CaptureFixture[str]) -> None:
    root_handlers = list(logging.getLogger().handlers)
    root_level = logging.getLogger().level
    urllib3_level = logging.getLogger("urllib3").level
    logger = logging.getLogger("cielo24")
    handlers = list(logger.handlers)
    with RawServer(answer(response(200, b'{"JobId": "j"}'))) as server:
        configuration = cielo24.Configuration(host=server.url, debug=True)
        configuration.api_key["ApiKeyAuth"] = TOKEN
        try:
            assert configuration.debug
            with cielo24.ApiClient(configuration) as client:
                JobApi(client).new_job(NewJobBody())
        finally:
            configuration.debug = False
            for handler in logger.handlers[len(handlers) :]:
                logger.removeHandler(handler)
    err = capsys.readouterr().err
    assert "POST http://127.0.0.1" in err and "api_token=***" in err
    assert TOKEN not in err
    assert not configuration.debug
    assert logging.getLogger().handlers == root_handlers
    assert logging.getLogger().level == root_level
    assert logging.getLogger("urllib3").level == urllib3_level
    assert http.client.HTTPConnection.debuglevel == 0


def test_a_configuration_without_debug_leaves_the_logger_alone() -> None:
    logger = logging.getLogger("cielo24")
    logger.setLevel(logging.DEBUG)
    try:
        cielo24.Configuration()
        assert logger.level == logging.DEBUG
    finally:
        logger.setLevel(logging.NOTSET)


@pytest.mark.parametrize(("maxsize", "at_most"), [(16, 16), (4, None)])
def test_pool_size_lets_n_threads_keep_n_connections(maxsize: int, at_most: int | None) -> None:
    raw = response(200, b'{"JobId": "j"}', close=False)
    with RawServer(answer(raw, keep_alive=True)) as server:
        configuration = cielo24.Configuration(host=server.url, connection_pool_maxsize=maxsize)
        configuration.api_key["ApiKeyAuth"] = TOKEN
        start = threading.Barrier(16)
        with cielo24.ApiClient(configuration) as client:
            jobs = JobApi(client)

            def work() -> None:
                for _ in range(10):
                    start.wait()
                    jobs.new_job(NewJobBody())

            threads = [threading.Thread(target=work) for _ in range(16)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
    assert len(server.requests) == 160
    if at_most is not None:
        assert server.connections <= at_most
    else:  # a pool smaller than the number of threads opens (and drops) more connections
        assert server.connections > 16


def test_requests_go_through_the_proxy() -> None:
    with RawServer(answer(response(200, b'{"JobId": "via proxy"}'))) as proxy:
        configuration = cielo24.Configuration(
            host="http://service.invalid/api",
            proxy=f"http://127.0.0.1:{proxy.port}",
            proxy_headers={"Proxy-Authorization": "Basic dXNlcjpwdw=="},
        )
        configuration.api_key["ApiKeyAuth"] = TOKEN
        with cielo24.ApiClient(configuration) as client:
            assert JobApi(client).new_job(NewJobBody()).job_id == "via proxy"
    (request,) = proxy.requests
    assert request.target.startswith("http://service.invalid/api/job/new?v=1&api_token=")
    assert request.headers["proxy-authorization"] == "Basic dXNlcjpwdw=="


def test_presigned_url_signatures_are_masked() -> None:
    from cielo24.rest import redact

    url = "https://bucket.s3.amazonaws.com/k?X-Amz-Credential=AKIA%2F1&X-Amz-Signature=abc123&x=1"
    assert redact(url) == (
        "https://bucket.s3.amazonaws.com/k?X-Amz-Credential=***&X-Amz-Signature=***&x=1"
    )
    assert redact("https://a.blob.core.windows.net/c?sv=1&sig=xyz") == (
        "https://a.blob.core.windows.net/c?sv=1&sig=***"
    )


# --- the credential chain ----------------------------------------------------------------


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty XDG_CONFIG_HOME of the test's own, and no CIELO24_* variable."""
    for name in [n for n in os.environ if n.startswith("CIELO24_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    return tmp_path


@pytest.mark.parametrize(
    "host",
    [
        "http://api.cielo24.com/api",
        "http://api.cielo24.com./api",
        "http://API.cielo24.com/api",
        "http://Sandbox.Cielo24.COM./api",
    ],
)
def test_cielo24_hosts_need_https_in_any_spelling(host: str) -> None:
    with pytest.raises(cielo24.ApiValueError, match="only reached over https"):
        cielo24.Configuration(host=host)


def test_configuration_follows_the_chain(
    config_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cielo24.Configuration().host == "https://api.cielo24.com/api"
    assert not cielo24.Configuration().api_key
    monkeypatch.setenv("CIELO24_HOST", "http://127.0.0.1:8024/api")
    monkeypatch.setenv("CIELO24_API_TOKEN", TOKEN)
    for configuration in (cielo24.Configuration(), cielo24.Configuration.from_env()):
        assert configuration.host == "http://127.0.0.1:8024/api"
        assert configuration.api_key["ApiKeyAuth"] == TOKEN
    explicit = cielo24.Configuration(host="http://127.0.0.1:9000/api")
    assert explicit.host == "http://127.0.0.1:9000/api" and not explicit.api_key  # nothing read
    given = cielo24.Configuration(api_key={"ApiKeyAuth": "mine"})
    assert given.api_key["ApiKeyAuth"] == "mine" and given.host == "http://127.0.0.1:8024/api"


def test_a_saved_token_is_found_and_only_sent_to_its_host(
    config_home: Path, monkeypatch: pytest.MonkeyPatch, emulator: Emulator
) -> None:
    path = credentials.save_profile(os.environ, "default", emulator.url, emulator.api_token)
    assert path == config_home / "cielo24" / "credentials"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    configuration = cielo24.Configuration.from_env()
    assert configuration.host == emulator.url
    assert configuration.api_key["ApiKeyAuth"] == emulator.api_token
    with cielo24.ApiClient(cielo24.Configuration()) as client:
        assert cielo24.JobApi(client).job_list().active_jobs == []
    found = credentials.resolve(os.environ)
    assert found.source == f"profile default in {path}" and emulator.api_token not in repr(found)

    monkeypatch.setenv("CIELO24_SERVER", "sandbox")  # another host: the token stays home
    elsewhere = cielo24.Configuration.from_env()
    assert elsewhere.host == "https://sandbox.cielo24.com/api" and not elsewhere.api_key
    assert "is for " + emulator.url in str(credentials.resolve(os.environ).note)
    monkeypatch.delenv("CIELO24_SERVER")

    credentials.save_profile(os.environ, "work", "http://127.0.0.1:9/api", "work-token")
    assert cielo24.Configuration(profile="work").api_key["ApiKeyAuth"] == "work-token"
    monkeypatch.setenv("CIELO24_PROFILE", "work")
    assert cielo24.Configuration.from_env().host == "http://127.0.0.1:9/api"
    monkeypatch.setenv("CIELO24_API_TOKEN", TOKEN)  # a variable wins over the file
    assert cielo24.Configuration.from_env().api_key["ApiKeyAuth"] == TOKEN
    # ... and an explicit profile over the variables
    assert cielo24.Configuration.from_env(profile="default").host == emulator.url
    with pytest.raises(cielo24.ApiValueError, match="no profile 'play' in"):
        cielo24.Configuration(profile="play")
    assert sorted(json.loads(path.read_text())) == ["default", "work"]


def test_from_env_with_its_own_environ_reads_no_file_unless_it_says_where(
    config_home: Path, emulator: Emulator
) -> None:
    credentials.save_profile(os.environ, "default", emulator.url, emulator.api_token)
    assert not cielo24.Configuration.from_env({}).api_key
    mine = cielo24.Configuration.from_env({"XDG_CONFIG_HOME": str(config_home)})
    assert mine.api_key["ApiKeyAuth"] == emulator.api_token


def test_a_credentials_file_others_can_write_is_refused(
    config_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = credentials.save_profile(os.environ, "default", "http://127.0.0.1:9/api", TOKEN)
    path.chmod(0o644)
    with caplog.at_level(logging.WARNING, logger="cielo24"):
        assert cielo24.Configuration.from_env().api_key["ApiKeyAuth"] == TOKEN
    assert f"{path} is readable by others" in caplog.text and TOKEN not in caplog.text
    path.chmod(0o620)
    with pytest.raises(cielo24.ApiValueError, match="writable by others") as raised:
        cielo24.Configuration.from_env()
    assert TOKEN not in str(raised.value)
    path.parent.chmod(0o777)
    path.unlink()
    credentials.save_profile(os.environ, "default", "http://127.0.0.1:9/api", TOKEN)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700  # made private again
