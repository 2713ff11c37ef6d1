"""AccountApi against the emulator, and logging in by itself with credentials."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator

import pytest

import cielo24
from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = Emulator(token_lifetime=3600)
    emu.start()
    yield emu
    emu.stop()


@pytest.fixture
def client(emulator: Emulator) -> Iterator[cielo24.ApiClient]:
    with cielo24.ApiClient(emulator.configuration()) as api_client:
        yield api_client


def anonymous(emulator: Emulator) -> cielo24.ApiClient:
    return cielo24.ApiClient(cielo24.Configuration(host=emulator.url))


def test_login_with_a_password_sends_credentials_in_headers_only(emulator: Emulator) -> None:
    with anonymous(emulator) as client:
        response = AccountApi(client).login(emulator.demo_username, emulator.demo_password)
    assert len(response.api_token or "") == 32
    assert "***" in repr(response) and (response.api_token or "") not in repr(response)
    request = emulator.requests[-1]
    assert request.path == "/api/account/login"
    assert set(request.query) == {"v"}
    assert request.headers["x-auth-user"] == emulator.demo_username
    assert request.headers["x-auth-password"] == emulator.demo_password
    assert "x-auth-securekey" not in request.headers


def test_login_with_a_secure_key(emulator: Emulator) -> None:
    with anonymous(emulator) as client:
        token = AccountApi(client).login(emulator.demo_username, securekey=emulator.demo_securekey)
    assert len(token.api_token or "") == 32
    assert emulator.requests[-1].headers["x-auth-securekey"] == emulator.demo_securekey


def test_login_errors(emulator: Emulator) -> None:
    with anonymous(emulator) as client:
        accounts = AccountApi(client)
        with pytest.raises(cielo24.AuthenticationError) as caught:
            accounts.login(emulator.demo_username, "wrong password")
        assert caught.value.error_type == "LOGIN_INVALID"
        assert "wrong password" not in str(caught.value)
        emulator.reset_requests()
        with pytest.raises(cielo24.ApiValueError, match="either a password or a securekey"):
            accounts.login(emulator.demo_username)
        with pytest.raises(cielo24.ApiValueError, match="not both"):
            accounts.login(emulator.demo_username, "pw", "key")
        assert emulator.requests == []


def test_logout_invalidates_the_token(emulator: Emulator) -> None:
    with anonymous(emulator) as client:
        token = AccountApi(client).login(emulator.demo_username, emulator.demo_password).api_token
        assert token is not None
        client.configuration.api_key["ApiKeyAuth"] = token
        assert AccountApi(client).logout() is None
        with pytest.raises(cielo24.BadApiTokenError):
            JobApi(client).new_job(NewJobBody())


def test_api_keys(client: cielo24.ApiClient, emulator: Emulator) -> None:
    accounts = AccountApi(client)
    key = accounts.generate_api_key().api_key
    assert key is not None and len(key) == 32
    assert accounts.generate_api_key().api_key == key
    fresh = accounts.generate_api_key(force_new=True).api_key
    assert fresh is not None and fresh != key
    assert emulator.requests[-1].query["force_new"] == ["true"]
    accounts.remove_api_key(fresh)
    with anonymous(emulator) as other:
        with pytest.raises(cielo24.PermissionDeniedError) as caught:
            AccountApi(other).login(emulator.demo_username, securekey=fresh)
    assert caught.value.error_type == "ACCOUNT_UNPRIVILEGED"


def test_update_password_is_a_form_post(client: cielo24.ApiClient, emulator: Emulator) -> None:
    AccountApi(client).update_password("a new & secret password")
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/api/account/update_password")
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert "new_password" not in request.query
    assert request.params["new_password"] == "a new & secret password"
    with anonymous(emulator) as other:
        assert AccountApi(other).login(emulator.demo_username, "a new & secret password").api_token


def test_update_setting_and_get_settings(client: cielo24.ApiClient, emulator: Emulator) -> None:
    accounts = AccountApi(client)
    accounts.update_setting("default_job_notes", "Spell names as on the slides.")
    assert emulator.requests[-1].headers["content-type"] == "application/x-www-form-urlencoded"
    settings = accounts.get_settings()
    assert settings["default_job_notes"] == "Spell names as on the slides."
    with pytest.raises(cielo24.ApiValueError, match="'colour_scheme'"):
        accounts.update_setting("colour_scheme", "dark")


def test_verify_key(client: cielo24.ApiClient, emulator: Emulator) -> None:
    assert AccountApi(client).verify_key().name == emulator.demo_username


def test_create_sandbox_account(client: cielo24.ApiClient, emulator: Emulator) -> None:
    accounts = AccountApi(client)
    accounts.create_sandbox_account("new.user", "pw-123", first_name="Ada", email="ada@example.com")
    with anonymous(emulator) as other:
        assert AccountApi(other).login("new.user", "pw-123").api_token
    with pytest.raises(cielo24.AccountExistsError):
        accounts.create_sandbox_account("new.user", "pw-456")


def test_a_configuration_with_credentials_logs_in_by_itself(emulator: Emulator) -> None:
    configuration = cielo24.Configuration(
        host=emulator.url, username=emulator.demo_username, password=emulator.demo_password
    )
    assert emulator.demo_password not in repr(configuration)
    with cielo24.ApiClient(configuration) as client:
        JobApi(client).new_job(NewJobBody())
        JobApi(client).new_job(NewJobBody())
    paths = [r.path for r in emulator.requests]
    assert paths == ["/api/account/login", "/api/job/new", "/api/job/new"]
    token = configuration.api_key["ApiKeyAuth"]
    assert emulator.requests[-1].query["api_token"] == [token]


def test_an_expired_token_is_renewed_once_without_the_caller_noticing() -> None:
    emulator = Emulator(token_lifetime=0.2)
    with emulator:
        configuration = cielo24.Configuration(
            host=emulator.url,
            username=emulator.demo_username,
            api_securekey=emulator.demo_securekey,
        )
        with cielo24.ApiClient(configuration) as client:
            jobs = JobApi(client)
            job_id = jobs.new_job(NewJobBody()).job_id
            first = configuration.api_key["ApiKeyAuth"]
            time.sleep(0.3)
            assert jobs.job_info(job_id).job_id == job_id
            assert configuration.api_key["ApiKeyAuth"] != first
        paths = [r.path for r in emulator.requests]
        assert paths == [
            "/api/account/login",
            "/api/job/new",
            "/api/job/info",  # BAD_API_TOKEN: expired
            "/api/account/login",
            "/api/job/info",
        ]


def test_a_rejected_token_without_credentials_is_an_error(emulator: Emulator) -> None:
    configuration = emulator.configuration()
    configuration.api_key["ApiKeyAuth"] = "0" * 32
    with cielo24.ApiClient(configuration) as client, pytest.raises(cielo24.BadApiTokenError):
        JobApi(client).new_job(NewJobBody())
    assert len(emulator.requests) == 1


def test_wrong_credentials_fail_once_and_clearly(emulator: Emulator) -> None:
    configuration = cielo24.Configuration(
        host=emulator.url, username=emulator.demo_username, password="not it"
    )
    with cielo24.ApiClient(configuration) as client, pytest.raises(cielo24.AuthenticationError):
        JobApi(client).new_job(NewJobBody())
    assert [r.path for r in emulator.requests] == ["/api/account/login"]


def test_credentials_never_reach_logs(emulator: Emulator, caplog: pytest.LogCaptureFixture) -> None:
    configuration = cielo24.Configuration(
        host=emulator.url, username=emulator.demo_username, password=emulator.demo_password
    )
    with caplog.at_level(logging.DEBUG), cielo24.ApiClient(configuration) as client:
        JobApi(client).new_job(NewJobBody())
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "/api/account/login" in text
    assert emulator.demo_password not in text
    assert configuration.api_key["ApiKeyAuth"] not in text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"username": "u"}, "needs a password or an api_securekey"),
        ({"password": "p"}, "needs a username"),
    ],
)
def test_incomplete_credentials_are_refused(kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(cielo24.ApiValueError, match=message):
        cielo24.Configuration(**kwargs)  # type: ignore[arg-type]


def test_password_and_secure_key_together_are_refused() -> None:
    with pytest.raises(cielo24.ApiValueError, match="not both"):
        cielo24.Configuration(username="u", password="p", api_securekey="k")
    configuration = cielo24.Configuration(username="u", api_securekey="k" * 32)
    assert "api_securekey='***'" in repr(configuration) and "k" * 32 not in repr(configuration)


def test_boolean_settings_take_a_bool(client: cielo24.ApiClient, emulator: Emulator) -> None:
    accounts = AccountApi(client)
    accounts.update_setting("customer_authorization_required_mechanical", True)
    assert emulator.requests[-1].params["value"] == "true"


def test_a_secret_repeated_in_an_error_is_masked(client: cielo24.ApiClient) -> None:
    key = "0123456789abcdef" * 2
    with pytest.raises(cielo24.ApiException) as caught:
        AccountApi(client).remove_api_key(key)
    text = f"{caught.value} {caught.value.body} {caught.value.error_comment}"
    assert key not in text


def test_with_raw_response_logs_in_and_keeps_the_token_masked(emulator: Emulator) -> None:
    with anonymous(emulator) as client:
        accounts = AccountApi(client)
        raw = accounts.with_raw_response.login(emulator.demo_username, emulator.demo_password)
    assert raw.status == 200
    token = raw.data.api_token
    assert len(token) == 32
    assert token not in repr(raw) and emulator.demo_password not in repr(raw)
    with cielo24.ApiClient(emulator.configuration()) as client:
        settings = AccountApi(client).with_raw_response.get_settings()
    assert settings.status == 200 and settings.data is not None
