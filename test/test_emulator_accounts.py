"""The emulator's accounts over real sockets (http.client only, never the SDK): logins and
tokens, passwords, keys, settings, sandbox accounts and sub-accounts."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from test_emulator import HEX32, Reply, running, send

from cielo24.emulator import Emulator

ROOT = Path(__file__).resolve().parent.parent
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def call(
    emu: Emulator,
    action: str,
    token: str | None = None,
    method: str = "GET",
    form: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    **params: Any,
) -> Reply:
    """/api/<action> with v=1, a token (the emulator's unless given; "" for none) and
    ``params`` in the query, and ``form`` as a form body."""
    query: dict[str, Any] = {"v": 1, **params}
    token = emu.api_token if token is None else token
    if token:
        query["api_token"] = token
    body = urlencode(form) if form is not None else None
    all_headers = {**(FORM if form is not None else {}), **(headers or {})}
    return send(emu, method, f"/api/{action}", query, body, all_headers)


def login(emu: Emulator, username: str | None = None, password: str | None = None) -> str:
    reply = call(
        emu,
        "account/login",
        token="",
        username=username or emu.demo_username,
        password=password or emu.demo_password,
    )
    assert reply.status == 200, reply.body
    token: str = reply.json()["ApiToken"]
    return token


def new_job(emu: Emulator, token: str | None = None, **params: Any) -> str:
    reply = call(emu, "job/new", token, **params)
    assert reply.status == 200, reply.body
    job_id: str = reply.json()["JobId"]
    return job_id


# --- login ---------------------------------------------------------------------------------


def test_demo_account_defaults() -> None:
    emu = Emulator()
    assert (emu.demo_username, emu.demo_password) == ("demo", "demo-password")
    assert HEX32.fullmatch(emu.demo_securekey)
    assert set(emu.accounts) == {"demo"}
    other = Emulator(demo_username="ada", demo_password="pw", demo_securekey="k" * 32)
    account = other.accounts["ada"]
    assert (account.password, account.api_keys, account.parent) == ("pw", ["k" * 32], None)


def test_login_with_a_password_in_the_query(emulator: Emulator) -> None:
    token = login(emulator)
    assert HEX32.fullmatch(token) and token != emulator.api_token
    assert emulator.requests[-1].params.keys() == {"v", "username", "password"}
    reply = call(emulator, "account/verify_key", token)
    assert reply.json() == {"name": "demo"}


def test_login_with_headers_and_a_securekey(emulator: Emulator) -> None:
    headers = {"x-auth-user": "demo", "x-auth-securekey": emulator.demo_securekey}
    reply = call(emulator, "account/login", "", headers=headers)
    assert HEX32.fullmatch(reply.json()["ApiToken"])
    headers = {"X-Auth-User": "demo", "X-Auth-Password": emulator.demo_password}
    assert call(emulator, "account/login", "", "POST", headers=headers).status == 200


def test_login_by_post_form(emulator: Emulator) -> None:
    form = {"username": "demo", "password": emulator.demo_password}
    reply = call(emulator, "account/login", "", "POST", form=form)
    assert set(reply.json()) == {"ApiToken"}


@pytest.mark.parametrize(
    ("params", "headers", "error_type", "named"),
    [
        ({"username": "demo", "password": "wrong"}, {}, "LOGIN_INVALID", "password"),
        ({"username": "nobody", "password": "x"}, {}, "LOGIN_INVALID", "username"),
        ({"username": "demo", "securekey": "0" * 32}, {}, "LOGIN_INVALID", "securekey"),
        ({"password": "x"}, {}, "MISSING_PARAMETER", "username"),
        ({"username": "demo"}, {}, "MISSING_PARAMETER", "password or securekey"),
        ({}, {"x-auth-user": "demo"}, "MISSING_PARAMETER", "password or securekey"),
    ],
)
def test_login_refusals(
    emulator: Emulator,
    params: dict[str, Any],
    headers: dict[str, str],
    error_type: str,
    named: str,
) -> None:
    error = call(emulator, "account/login", "", headers=headers, **params).error()
    assert error[0] == error_type and named in error[1]


def test_login_needs_v_but_no_token(emulator: Emulator) -> None:
    query = {"username": "demo", "password": emulator.demo_password}
    error = send(emulator, "GET", "/api/account/login", query).error()
    assert error == ("MISSING_PARAMETER", "missing required parameter: v")


def test_a_removed_securekey_is_unprivileged_as_key_or_password(emulator: Emulator) -> None:
    key = emulator.demo_securekey
    assert call(emulator, "account/remove_api_key", api_securekey=key).status == 204
    as_key = call(emulator, "account/login", "", username="demo", securekey=key).error()
    assert as_key[0] == "ACCOUNT_UNPRIVILEGED"
    assert as_key[1].startswith("Account does not have permission to access/change this data")
    as_password = call(emulator, "account/login", "", username="demo", password=key).error()
    assert as_password[0] == "ACCOUNT_UNPRIVILEGED"


# --- tokens --------------------------------------------------------------------------------


def test_logout_invalidates_a_login_token(emulator: Emulator) -> None:
    token = login(emulator)
    reply = call(emulator, "account/logout", token)
    assert (reply.status, reply.body) == (204, b"")
    assert call(emulator, "job/new", token).error() == (
        "BAD_API_TOKEN",
        "Invalid or expired API token",
    )
    assert call(emulator, "account/logout", token).error()[0] == "BAD_API_TOKEN"


def test_the_permanent_token_survives_logout_and_time(emulator: Emulator) -> None:
    assert call(emulator, "account/logout").status == 204
    emulator.advance(10 * 24 * 3600)
    emulator.expire_tokens()
    assert call(emulator, "job/new").status == 200
    emulator.add_api_token("YOUR_API_KEY")
    emulator.advance(7200)
    assert call(emulator, "account/verify_key", "YOUR_API_KEY").json() == {"name": "demo"}


def test_login_tokens_expire_after_token_lifetime_idle() -> None:
    with running(token_lifetime=60) as emu:
        token = login(emu)
        emu.advance(50)
        assert call(emu, "job/new", token).status == 200  # use restarts the idle time
        emu.advance(50)
        assert call(emu, "job/new", token).status == 200
        emu.advance(61)
        error = call(emu, "job/new", token).error()
        assert error == ("BAD_API_TOKEN", "Invalid or expired API token")
        emu.advance(0)
        assert call(emu, "job/new", token).error()[0] == "BAD_API_TOKEN"


def test_expire_tokens_ends_every_login_session(emulator: Emulator) -> None:
    first, second = login(emulator), login(emulator)
    emulator.expire_tokens()
    for token in (first, second):
        assert call(emulator, "job/new", token).error()[0] == "BAD_API_TOKEN"
    assert call(emulator, "job/new").status == 200


def test_advance_refuses_to_go_back(emulator: Emulator) -> None:
    before = emulator.now
    with pytest.raises(ValueError):
        emulator.advance(-1)
    emulator.advance(3600)
    assert (emulator.now - before).total_seconds() >= 3600


# --- passwords, keys, settings -------------------------------------------------------------


def test_update_password_is_post_only_and_takes_effect(emulator: Emulator) -> None:
    reply = call(emulator, "account/update_password", new_password="x")
    assert reply.status == 405 and reply.headers["allow"] == "POST"
    assert reply.json()["ErrorType"] == "INVALID_QUERY"
    reply = call(emulator, "account/update_password", method="POST", form={"new_password": "n3w"})
    assert (reply.status, reply.body) == (204, b"")
    assert call(emulator, "account/login", "", username="demo", password="n3w").status == 200
    old = call(emulator, "account/login", "", username="demo", password=emulator.demo_password)
    assert old.error()[0] == "LOGIN_INVALID"
    missing = call(emulator, "account/update_password", method="POST", form={})
    assert missing.error() == ("MISSING_PARAMETER", "missing required parameter: new_password")


def test_update_password_of_a_sub_account(emulator: Emulator) -> None:
    emulator.add_account("child", "old", parent="demo")
    emulator.add_account("stranger", "pw")
    form = {"new_password": "fresh", "username": "child"}
    assert call(emulator, "account/update_password", method="POST", form=form).status == 204
    assert emulator.accounts["child"].password == "fresh"
    form["username"] = "stranger"
    error = call(emulator, "account/update_password", method="POST", form=form).error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED" and "username" in error[1]
    form["username"] = "ghost"
    error = call(emulator, "account/update_password", method="POST", form=form).error()
    assert error[0] == "ACCOUNT_DOES_NOT_EXIST" and "ghost" in error[1]
    child_token = login(emulator, "child", "fresh")
    form = {"new_password": "x", "username": "demo"}  # a child cannot change its parent
    error = call(emulator, "account/update_password", child_token, "POST", form=form).error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED"


def test_generate_api_key_returns_the_existing_key_unless_force_new(emulator: Emulator) -> None:
    first = call(emulator, "account/generate_api_key").json()
    assert first == {"ApiKey": emulator.demo_securekey}
    assert call(emulator, "account/generate_api_key", force_new="false").json() == first
    fresh = call(emulator, "account/generate_api_key", force_new="True").json()["ApiKey"]
    assert HEX32.fullmatch(fresh) and fresh != emulator.demo_securekey
    assert call(emulator, "account/login", "", username="demo", securekey=fresh).status == 200
    assert call(emulator, "account/generate_api_key").json() == first
    error = call(emulator, "account/generate_api_key", force_new="maybe").error()
    assert error[0] == "INVALID_OPTION" and "force_new" in error[1]


def test_a_parent_logs_in_as_its_child_with_a_key(emulator: Emulator) -> None:
    emulator.add_account("child", "secret", parent="demo")
    key = call(emulator, "account/generate_api_key", account_id="child").json()["ApiKey"]
    assert emulator.accounts["child"].api_keys == [key]
    token = call(emulator, "account/login", "", username="child", securekey=key).json()["ApiToken"]
    assert call(emulator, "account/verify_key", token).json() == {"name": "child"}
    refused = call(emulator, "account/generate_api_key", token, account_id="demo").error()
    assert refused[0] == "ACCOUNT_UNPRIVILEGED" and "account_id" in refused[1]
    wrong_user = call(emulator, "account/login", "", username="demo", securekey=key).error()
    assert wrong_user[0] == "LOGIN_INVALID"


def test_remove_api_key_refusals(emulator: Emulator) -> None:
    assert call(emulator, "account/remove_api_key").error() == (
        "MISSING_PARAMETER",
        "missing required parameter: api_securekey",
    )
    error = call(emulator, "account/remove_api_key", api_securekey="1" * 32).error()
    assert error[0] == "ITEM_NOT_FOUND" and "api_securekey" in error[1]
    emulator.add_account("stranger", "pw")
    key = emulator.accounts["stranger"].api_keys
    key.append("2" * 32)
    error = call(emulator, "account/remove_api_key", api_securekey="2" * 32).error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED"


def test_update_setting_and_get_settings(emulator: Emulator) -> None:
    defaults = call(emulator, "account/get_settings").json()
    assert defaults == {
        "default_job_notes": "",
        "require_customer_authorization_before_starting_workflow": False,
        "customer_authorization_required_mechanical": True,
    }
    form = {"setting": "default_job_notes", "value": "Spell names as on the slides."}
    assert call(emulator, "account/update_setting", method="POST", form=form).status == 204
    settings = call(emulator, "account/get_settings").json()
    assert settings["default_job_notes"] == "Spell names as on the slides."
    job_id = new_job(emulator)
    options = call(emulator, "job/info", job_id=job_id).json()["Options"]
    assert options["notes"] == {"label": "Notes", "setting": "Spell names as on the slides."}


@pytest.mark.parametrize(
    ("form", "error_type", "named"),
    [
        ({"value": "x"}, "MISSING_PARAMETER", "setting"),
        ({"setting": "colour", "value": "x"}, "INVALID_OPTION", "setting"),
        ({"setting": "default_job_notes"}, "MISSING_PARAMETER", "value"),
        ({"setting": "default_job_notes", "value": "x" * 6001}, "INVALID_OPTION", "6000"),
        (
            {"setting": "customer_authorization_required_mechanical", "value": "sure"},
            "INVALID_OPTION",
            "true or false",
        ),
        (
            {"setting": "default_job_notes", "value": "x", "account_id": "ghost"},
            "ACCOUNT_DOES_NOT_EXIST",
            "account_id",
        ),
    ],
)
def test_update_setting_refusals(
    emulator: Emulator, form: dict[str, Any], error_type: str, named: str
) -> None:
    error = call(emulator, "account/update_setting", method="POST", form=form).error()
    assert error[0] == error_type and named in error[1]
    assert call(emulator, "account/update_setting", **form).status == 405


def test_customer_authorization_setting_holds_new_jobs(emulator: Emulator) -> None:
    form = {"setting": "require_customer_authorization_before_starting_workflow", "value": "TRUE"}
    assert call(emulator, "account/update_setting", method="POST", form=form).status == 204
    held = new_job(emulator)
    assert call(emulator, "job/info", job_id=held).json()["JobStatus"] == "Authorizing"
    call(emulator, "job/add_media", job_id=held, media_url="https://example.com/a.mp4")
    transcribe: dict[str, Any] = {"transcription_fidelity": "MECHANICAL", "priority": "STANDARD"}
    call(emulator, "job/perform_transcription", job_id=held, **transcribe)
    assert call(emulator, "job/info", job_id=held).json()["JobStatus"] == "Authorizing"
    assert call(emulator, "job/authorize", job_id=held).status == 204
    info = call(emulator, "job/info", job_id=held).json()
    assert info["JobStatus"] == "Complete" and info["AuthorizationDate"]

    form = {"setting": "customer_authorization_required_mechanical", "value": "false"}
    assert call(emulator, "account/update_setting", method="POST", form=form).status == 204
    mechanical = new_job(emulator)
    call(emulator, "job/add_media", job_id=mechanical, media_url="https://example.com/b.mp4")
    call(emulator, "job/perform_transcription", job_id=mechanical, **transcribe)
    assert call(emulator, "job/info", job_id=mechanical).json()["JobStatus"] == "Complete"


def test_settings_are_inherited_by_sub_accounts(emulator: Emulator) -> None:
    emulator.add_account("child", "pw", parent="demo")
    form = {"setting": "require_customer_authorization_before_starting_workflow", "value": "true"}
    call(emulator, "account/update_setting", method="POST", form=form)
    token = login(emulator, "child", "pw")
    settings = call(emulator, "account/get_settings", token).json()
    assert settings["require_customer_authorization_before_starting_workflow"] is True
    form["value"], form["account_id"] = "false", "child"
    assert call(emulator, "account/update_setting", method="POST", form=form).status == 204
    child_job = new_job(emulator, token)
    assert emulator.job_status(child_job) == "Pending"
    assert emulator.job_status(new_job(emulator)) == "Authorizing"


# --- sandbox accounts and sub-accounts -----------------------------------------------------


def test_create_a_sandbox_account(emulator: Emulator) -> None:
    form: dict[str, Any] = {
        "new_username": "ada",
        "new_password": "pw-123",
        "first_name": "Ada",
        "last_name": "Lovelace",
        "email": "ada@example.com",
    }
    reply = call(emulator, "account/create", method="POST", form=form)
    assert (reply.status, reply.body) == (204, b"")
    account = emulator.accounts["ada"]
    assert (account.first_name, account.last_name, account.email) == (
        "Ada",
        "Lovelace",
        "ada@example.com",
    )
    assert account.parent is None
    token = login(emulator, "ada", "pw-123")
    assert call(emulator, "account/verify_key", token).json() == {"name": "ada"}
    again = call(emulator, "account/create", method="POST", form=form).error()
    assert again[0] == "ACCOUNT_EXISTS" and "ada" in again[1]
    assert call(emulator, "account/create", **form).status == 405


def test_create_refusals_and_parents(emulator: Emulator) -> None:
    missing = call(emulator, "account/create", method="POST", form={"new_username": "x"})
    assert missing.error() == ("MISSING_PARAMETER", "missing required parameter: new_password")
    form = {"new_username": "kid", "new_password": "pw", "parent_account": "demo"}
    assert call(emulator, "account/create", method="POST", form=form).status == 204
    assert emulator.accounts["kid"].parent == "demo"
    form = {"new_username": "manager", "new_password": "pw", "sub_account": "kid"}
    assert call(emulator, "account/create", method="POST", form=form).status == 204
    assert emulator.accounts["kid"].parent == "manager"
    emulator.add_account("stranger", "pw")
    form = {"new_username": "x", "new_password": "pw", "parent_account": "stranger"}
    error = call(emulator, "account/create", method="POST", form=form).error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED" and "parent_account" in error[1]


def test_a_parent_sees_its_childrens_jobs_but_not_the_reverse(emulator: Emulator) -> None:
    emulator.add_account("child", "pw", parent="demo")
    emulator.add_account("grandchild", "pw", parent="child")
    child, grandchild = login(emulator, "child", "pw"), login(emulator, "grandchild", "pw")
    parent_job = new_job(emulator)
    child_job = new_job(emulator, child)
    grandchild_job = new_job(emulator, grandchild)

    for job_id in (parent_job, child_job, grandchild_job):
        assert call(emulator, "job/info", job_id=job_id).status == 200
    error = call(emulator, "job/info", child, job_id=parent_job).error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED" and parent_job in error[1]
    assert call(emulator, "job/info", grandchild, job_id=child_job).error()[0] == (
        "ACCOUNT_UNPRIVILEGED"
    )

    def listed(token: str | None = None, **params: Any) -> list[tuple[str, str]]:
        document = call(emulator, "job/list", token, **params).json()
        return [(job["JobId"], job["Username"]) for job in document["ActiveJobs"]]

    assert listed() == [(parent_job, "demo")]
    assert listed(Username="*") == [
        (grandchild_job, "grandchild"),
        (child_job, "child"),
        (parent_job, "demo"),
    ]
    assert listed(Username="child") == [(child_job, "child")]
    assert listed(username="child") == [(child_job, "child")]
    assert listed(child, Username="*") == [(grandchild_job, "grandchild"), (child_job, "child")]
    assert call(emulator, "job/list", child).json()["Username"] == "child"
    error = call(emulator, "job/list", child, Username="demo").error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED" and "Username" in error[1]


def test_new_job_in_a_sub_account(emulator: Emulator) -> None:
    emulator.add_account("stranger", "pw")
    job_id = new_job(emulator, username="team-a")
    assert emulator.jobs[job_id].username == "team-a"
    assert emulator.accounts["team-a"].parent == "demo"  # made on first use
    assert new_job(emulator, username="team-a") != job_id
    error = call(emulator, "job/new", username="stranger").error()
    assert error[0] == "ACCOUNT_UNPRIVILEGED" and "username" in error[1]


def test_modify_can_move_a_held_job_to_a_sub_account() -> None:
    with running(customer_authorization=True) as emu:
        emu.add_account("child", "pw", parent="demo")
        job_id = new_job(emu)
        assert (
            call(emu, "job/modify", method="POST", job_id=job_id, account_id="child").status == 204
        )
        assert emu.jobs[job_id].username == "child"
        error = call(emu, "job/modify", method="POST", job_id=job_id, account_id="ghost").error()
        assert error[0] == "ACCOUNT_DOES_NOT_EXIST" and "account_id" in error[1]


# --- the command line ----------------------------------------------------------------------


def test_command_line_prints_the_demo_account_and_takes_the_new_options() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [
        sys.executable,
        "-m",
        "cielo24.emulator",
        "--port",
        "0",
        "--processing-seconds",
        "5",
        "--token-lifetime",
        "30",
        "--allow-remote-callbacks",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(5)]
        match = re.fullmatch(
            r"cielo24 emulator listening on (http://127\.0\.0\.1:\d+/api)\n", lines[0]
        )
        assert match, lines
        assert lines[2:4] == ["demo username: demo\n", "demo password: demo-password\n"]
        assert re.fullmatch(r"demo securekey: [0-9a-f]{32}\n", lines[4])
        query = urlencode({"v": 1, "username": "demo", "password": "demo-password"})
        with urllib.request.urlopen(f"{match.group(1)}/account/login?{query}", timeout=5) as r:
            assert HEX32.fullmatch(r.read().decode()[14:46])
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.mark.parametrize("value", ["-1", "soon"])
def test_command_line_refuses_bad_seconds(value: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "cielo24.emulator", "--processing-seconds", value],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 2 and "--processing-seconds" in result.stderr


def test_add_job_and_add_api_token_for_other_accounts(emulator: Emulator) -> None:
    emulator.add_account("stranger", "pw")
    with pytest.raises(ValueError, match="permission"):
        emulator.add_job(username="stranger")
    job = emulator.add_job(username="team-b")
    assert (job.username, emulator.accounts["team-b"].parent) == ("team-b", "demo")
    emulator.add_api_token("stranger-token", username="stranger")
    assert call(emulator, "account/verify_key", "stranger-token").json() == {"name": "stranger"}
    assert call(emulator, "job/info", "stranger-token", job_id=job.job_id).error()[0] == (
        "ACCOUNT_UNPRIVILEGED"
    )
    with pytest.raises(KeyError):
        emulator.add_api_token("t", username="ghost")
    with pytest.raises(ValueError):
        emulator.add_account("stranger")
    with pytest.raises(KeyError):
        emulator.add_account("orphan", parent="ghost")


def test_an_empty_account_parameter_means_the_caller(emulator: Emulator) -> None:
    job_id = new_job(emulator, username="")
    assert emulator.jobs[job_id].username == "demo"
    listed = call(emulator, "job/list", Username="").json()["ActiveJobs"]
    assert [job["JobId"] for job in listed] == [job_id]
    assert call(emulator, "account/generate_api_key", account_id="").status == 200


@pytest.mark.parametrize("value", ["-1", "1e99"])
def test_the_constructor_refuses_bad_times(value: str) -> None:
    with pytest.raises(ValueError, match="processing_seconds"):
        Emulator(processing_seconds=float(value))
