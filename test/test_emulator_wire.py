"""The emulator as a strict test double, over real sockets: where parameters come from,
conflicts between places, strict mode, the request log, and hardening against hostile input."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode

import pytest
from test_emulator import ROOT, Reply, raw_exchange, running, send, upload_target

from cielo24.emulator import Emulator, server
from cielo24.emulator.emulator import STRICT_ENVIRONMENT_VARIABLE
from cielo24.emulator.scheduler import Scheduler

JSON_TYPE = {"Content-Type": "application/json"}
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}


def auth(emu: Emulator) -> dict[str, Any]:
    return {"v": 1, "api_token": emu.api_token}


def post_json(emu: Emulator, path: str, query: dict[str, Any], body: Any) -> Reply:
    return send(emu, "POST", path, query, json.dumps(body), JSON_TYPE)


def nested(depth: int) -> Any:
    """A JSON value of ``depth`` nested arrays."""
    value: Any = []
    for _ in range(depth - 1):
        value = [value]
    return value


# --- parameters from anywhere, and conflicts -------------------------------------------------


@pytest.mark.parametrize(("body", "headers"), [("json", JSON_TYPE), ("form", FORM_TYPE)])
def test_two_places_with_different_values_are_a_conflict_naming_the_field(
    emulator: Emulator, body: str, headers: dict[str, str]
) -> None:
    fields = {"job_name": "from-body", "language": "fr"}
    data = json.dumps(fields) if body == "json" else urlencode(fields)
    query = {**auth(emulator), "job_name": "from-query", "language": "fr"}
    reply = send(emulator, "POST", "/api/job/new", query, data, headers)
    error_type, comment = reply.error()
    assert error_type == "INVALID_QUERY"
    assert comment == (
        f"conflicting values for parameter job_name: the query and the {body} "
        "carry different values"
    )
    assert "from-body" not in comment and "from-query" not in comment  # values may be secret
    assert emulator.jobs == {}


def test_a_conflicting_token_is_named_but_never_echoed(emulator: Emulator) -> None:
    reply = post_json(emulator, "/api/job/new", auth(emulator), {"api_token": "0" * 32})
    error_type, comment = reply.error()
    assert error_type == "INVALID_QUERY" and "api_token" in comment
    assert emulator.api_token not in comment and "0" * 32 not in comment


def test_the_same_value_in_the_query_and_the_body_is_no_conflict(emulator: Emulator) -> None:
    job_id = emulator.add_job(media_url="https://example.com/a.mp4").job_id
    options = {"return_iwp": ["MECHANICAL", "FINAL"], "notes": "n ü", "speaker_id": True}
    query = {
        **auth(emulator),
        "job_id": job_id,
        "transcription_fidelity": "MECHANICAL",
        "priority": "STANDARD",
        "turnaround_hours": "24",
        "options": json.dumps(options, separators=(",", ":")),  # compact, as the SDK sends it
        "standard_product": "True",
    }
    body = {
        "v": 1,
        "job_id": job_id,
        "transcription_fidelity": "MECHANICAL",
        "priority": "STANDARD",
        "turnaround_hours": 24,
        "options": {"speaker_id": True, "notes": "n ü", "return_iwp": ["MECHANICAL", "FINAL"]},
        "standard_product": True,
    }
    reply = post_json(emulator, "/api/job/perform_transcription", query, body)
    assert reply.status == 200, reply.body
    assert emulator.jobs[job_id].options == options
    record = emulator.requests[-1]
    assert record.sources["options"] == ("query", "json")
    assert record.sources["api_token"] == ("query",)
    assert record.json == body


def test_a_json_null_counts_as_absent(emulator: Emulator) -> None:
    query = {**auth(emulator), "job_name": "kept"}
    reply = post_json(emulator, "/api/job/new", query, {"job_name": None})
    assert reply.status == 200, reply.body
    assert emulator.jobs[reply.json()["JobId"]].job_name == "kept"
    assert emulator.requests[-1].sources["job_name"] == ("query",)


def test_a_form_without_content_type_is_read_as_a_form(emulator: Emulator) -> None:
    body = urlencode({**auth(emulator), "job_name": "old client"}).encode()
    request = f"POST /api/job/new HTTP/1.1\r\nHost: x\r\nContent-Length: {len(body)}\r\n"
    result = raw_exchange(emulator, request, body)
    assert result.reply.status == 200, result.reply.body
    assert emulator.jobs[result.reply.json()["JobId"]].job_name == "old client"
    record = emulator.requests[-1]
    assert record.content_type is None
    assert record.form == {
        "v": ["1"],
        "api_token": [emulator.api_token],
        "job_name": ["old client"],
    }
    assert record.sources["job_name"] == ("form",) and record.json is None


def test_a_media_body_is_never_read_as_parameters(emulator: Emulator) -> None:
    body = b"media_url=https%3A%2F%2Fexample.com%2Fx.mp4&job_name=x"
    for headers in ({"Content-Type": "video/mp4"}, {}):  # an upload may have no Content-Type
        job_id = emulator.add_job().job_id
        reply = send(emulator, "POST", upload_target(emulator, job_id), body=body, headers=headers)
        assert reply.status == 200, reply.body
        job = emulator.jobs[job_id]
        assert (job.media_size, job.media_url) == (len(body), None)
        record = emulator.requests[-1]
        assert record.form == {} and record.json is None
        assert set(record.params) == {"v", "api_token", "job_id"}


def test_requests_record_where_each_field_came_from(emulator: Emulator) -> None:
    query = {**auth(emulator), "job_name": "n"}
    send(
        emulator,
        "POST",
        "/api/job/new",
        query,
        json.dumps({"job_name": "n", "expected_speakers": 3, "is_duplicate": False}),
        {"Content-Type": "Application/JSON; charset=utf-8"},
    )
    form_query = {"v": 1, "job_name": "f"}
    form = urlencode({"api_token": emulator.api_token, "job_name": "f", "reference": "r"})
    send(emulator, "POST", "/api/job/new", form_query, form, FORM_TYPE)
    from_json, from_form = emulator.requests
    assert from_json.content_type == "application/json"
    assert from_json.json == {"job_name": "n", "expected_speakers": 3, "is_duplicate": False}
    assert from_json.form == {}
    assert from_json.params == {
        "v": "1",
        "api_token": emulator.api_token,
        "job_name": "n",
        "expected_speakers": "3",
        "is_duplicate": "false",
    }
    assert from_json.sources == {
        "v": ("query",),
        "api_token": ("query",),
        "job_name": ("query", "json"),
        "expected_speakers": ("json",),
        "is_duplicate": ("json",),
    }
    assert from_form.content_type == "application/x-www-form-urlencoded"
    assert from_form.json is None
    assert from_form.form == {
        "api_token": [emulator.api_token],
        "job_name": ["f"],
        "reference": ["r"],
    }
    assert from_form.sources == {
        "v": ("query",),
        "job_name": ("query", "form"),
        "api_token": ("form",),
        "reference": ("form",),
    }
    assert from_form.body_size == len(form)


# --- strict mode -------------------------------------------------------------------------------


def complete_job(emu: Emulator) -> str:
    return emu.add_job(status="Complete").job_id


def test_strict_mode_refuses_a_misspelled_option_and_suggests_the_right_one() -> None:
    with running(strict=True) as emu:
        query = {**auth(emu), "job_id": complete_job(emu), "caption_format": "SRT"}
        reply = send(
            emu, "GET", "/api/job/get_caption", {**query, "emit_speaker_change_tokens": ""}
        )
        assert reply.error() == (
            "INVALID_OPTION",
            "unknown parameter emit_speaker_change_tokens; "
            "did you mean emit_speaker_change_tokens_as?",
        )
        reply = send(emu, "GET", "/api/job/get_caption", {**query, "zzz": "1"})
        assert reply.error() == (
            "INVALID_OPTION",
            "unknown parameter zzz; it is not documented for /api/job/get_caption",
        )


def test_strict_mode_checks_names_from_every_place() -> None:
    with running(strict=True) as emu:
        reply = post_json(emu, "/api/job/new", auth(emu), {"job_nme": "x"})
        assert reply.error() == (
            "INVALID_OPTION",
            "unknown parameter job_nme; did you mean job_name?",
        )
        form = urlencode({**auth(emu), "new_pasword": "p"})
        reply = send(emu, "POST", "/api/account/update_password", None, form, FORM_TYPE)
        assert reply.error() == (
            "INVALID_OPTION",
            "unknown parameter new_pasword; did you mean new_password?",
        )
        assert emu.jobs == {}


@pytest.mark.parametrize("strict", [True, False])
def test_strict_mode_checks_the_job_option_names(strict: bool) -> None:
    documented = {
        "customer_approval_steps": ["RETURN"],
        "customer_approval_tool": "CIELO24",
        "custom_metadata": {"k": "v"},
        "notes": "n",
        "return_iwp": ["FINAL"],
        "generate_media_intelligence_iwp": ["FINAL"],
        "speaker_id": True,
        "enable_true_verbatim": False,
        "first_pass_campaign": "NORMAL",
        "audio_description": False,
        "on_screen_text": False,
        "music_lyrics": False,
        "custom_special_handling": False,
    }
    with running(strict=strict) as emu:

        def transcribe(options: dict[str, Any]) -> Reply:
            job_id = emu.add_job(media_url=f"https://example.com/{len(emu.jobs)}.mp4").job_id
            body = {
                "job_id": job_id,
                "transcription_fidelity": "MECHANICAL",
                "priority": "STANDARD",
                "options": options,
            }
            return post_json(emu, "/api/job/perform_transcription", auth(emu), body)

        assert transcribe(documented).status == 200
        misspelled = transcribe({"generate_media_intelligence_for_iwp": ["FINAL"]})
        if strict:
            assert misspelled.error() == (
                "INVALID_OPTION",
                "unknown job option generate_media_intelligence_for_iwp; "
                "did you mean generate_media_intelligence_iwp?",
            )
        else:
            assert misspelled.status == 200


def test_without_strict_mode_unknown_names_are_ignored_as_the_service_does() -> None:
    with running(strict=False) as emu:
        query = {**auth(emu), "job_id": complete_job(emu), "caption_format": "SRT", "zzz": "1"}
        reply = send(emu, "GET", "/api/job/get_caption", query)
        assert reply.status == 200 and reply.body.startswith(b"1\n")


def test_strict_mode_accepts_the_names_older_clients_send() -> None:
    with running(strict=True) as emu:
        job_id = complete_job(emu)
        query = {**auth(emu), "job_id": job_id, "emit_speaker_change_token_as": "@@"}
        assert send(emu, "GET", "/api/job/get_transcript", query).status == 200
        filters = {"ExternalID": "e", "ExternalId": "e", "Username": "demo", "username": "demo"}
        reply = send(emu, "GET", "/api/job/list", {**auth(emu), **filters})
        assert reply.status == 200, reply.body
        reply = send(emu, "GET", "/api/job/del", {**auth(emu), "job_id": job_id})
        assert reply.status == 200, reply.body


DOCUMENTED = {
    "/api/job/new": "job_name language external_id username requestor reference "
    "expected_speakers is_duplicate",
    "/api/job/perform_transcription": "job_id transcription_fidelity priority callback_url "
    "options target_language turnaround_hours standard_product",
    "/api/job/modify": "job_id transcription_fidelity turnaround_hours priority account_id "
    "requestor_id callback_url expected_speakers notes",
    "/api/job/list": "CreationDateFrom CreationDateTo StartDateFrom StartDateTo DueDateFrom "
    "DueDateTo CompleteDateFrom CompleteDateTo ReturnDateFrom ReturnDateTo "
    "AuthorizationDateFrom AuthorizationDateTo JobStatus Fidelity Priority "
    "TurnaroundTimeHoursFrom TurnaroundTimeHoursTo JobName ExternalID Username JobDifficulty",
    "/api/job/get_transcript": "job_id elementlist_version iwp_name "
    "emit_speaker_change_tokens_as mask_profanity remove_disfluencies remove_sounds_list "
    "remove_sound_references replace_slang sound_boundaries replace_english_spelling "
    "audio_description mixed create_paragraphs newlines_after_paragraph "
    "newlines_after_sentence timecode_every_paragraph timecode_format timecode_interval "
    "timecode_offset file_format",
    "/api/job/get_caption": "job_id caption_format build_url caption_words_min "
    "caption_by_sentence characters_per_caption_line dfxp_header disallow_dangling "
    "display_effects_speaker_as display_speaker_id force_case include_dfxp_metadata "
    "layout_target_caption_length_ms line_break_on_sentence line_ending_format "
    "lines_per_caption maximum_caption_duration merge_gap_interval minimum_caption_length_ms "
    "minimum_gap_between_captions_ms qt_seamless silence_max_ms single_speaker_per_caption "
    "sound_threshold sound_tokens_by_caption sound_tokens_by_line sound_tokens_by_caption_list "
    "sound_tokens_by_line_list speaker_on_new_line srt_format strip_square_brackets utf8_mark",
    "/api/account/login": "username password securekey",
    "/api/account/create": "new_username new_password sub_account parent_account first_name "
    "last_name email",
    "/api/job/aggregate_statistics": "account_id metrics group_by start_date end_date",
}
"""The parameters cielo24's API docs give for the endpoints with the most of them."""


def test_strict_mode_accepts_every_documented_name_on_every_route() -> None:
    api_routes = {path: route for path, route in server.ROUTES.items() if route.api}
    assert set(DOCUMENTED) <= set(api_routes)
    with running(strict=True) as emu:
        for path, route in api_routes.items():
            documented = {*route.names, *route.tolerated, *DOCUMENTED.get(path, "").split()}
            values = {name: "x" for name in documented} | auth(emu)
            reply = send(emu, route.methods[0], path, values)
            assert "unknown parameter" not in reply.body.decode(), (path, reply.body)
            reply = send(emu, route.methods[0], path, {**values, "not_documented": "x"})
            assert reply.error() == (
                "INVALID_OPTION",
                f"unknown parameter not_documented; it is not documented for {path}",
            )


def test_strict_mode_follows_the_environment_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    for value, strict in (("1", True), ("TRUE", True), ("0", False), ("", False)):
        monkeypatch.setenv(STRICT_ENVIRONMENT_VARIABLE, value)
        assert Emulator().strict is strict
        assert Emulator(strict=not strict).strict is not strict
    monkeypatch.delenv(STRICT_ENVIRONMENT_VARIABLE)
    assert Emulator().strict is False


def test_the_test_session_runs_in_strict_mode() -> None:
    assert Emulator().strict is True


@pytest.mark.parametrize(("flag", "env"), [(["--strict"], None), ([], "1")])
def test_command_line_strict_mode(flag: list[str], env: str | None) -> None:
    environment = {k: v for k, v in os.environ.items() if k != STRICT_ENVIRONMENT_VARIABLE}
    environment["PYTHONPATH"] = str(ROOT)
    if env is not None:
        environment[STRICT_ENVIRONMENT_VARIABLE] = env
    command = [sys.executable, "-m", "cielo24.emulator", "--port", "0", "--api-token", "t", *flag]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        match = re.search(r"(http://\S+/api)", process.stdout.readline())
        assert match
        url = f"{match.group(1)}/job/new?v=1&api_token=t&job_nam=x"
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(url, timeout=5)
        assert refused.value.code == 400
        assert json.load(refused.value)["ErrorComment"] == (
            "unknown parameter job_nam; did you mean job_name?"
        )
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- hostile bodies ----------------------------------------------------------------------------


def test_json_nested_up_to_the_limit_is_read(emulator: Emulator) -> None:
    reply = post_json(emulator, "/api/job/new", auth(emulator), {"reference": nested(63)})
    assert reply.status == 200, reply.body
    reference = emulator.jobs[reply.json()["JobId"]].reference
    assert reference == "[" * 63 + "]" * 63


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"reference": nested(64)}),
        "[" * 100_000,
        '{"a":' * 100_000,
        "[" * 500 + "]" * 500,
    ],
    ids=["65-levels", "unclosed-arrays", "unclosed-objects", "500-levels"],
)
def test_json_nested_too_deep_is_a_400_and_nothing_is_printed(
    emulator: Emulator, body: str, capfd: pytest.CaptureFixture[str]
) -> None:
    reply = send(emulator, "POST", "/api/job/new", auth(emulator), body, JSON_TYPE)
    assert reply.error() == ("INVALID_QUERY", "JSON nested deeper than 64 levels")
    assert capfd.readouterr() == ("", "")
    assert emulator.jobs == {}


def test_a_deep_json_parameter_in_the_query_is_a_400(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    job_id = emulator.add_job(media_url="https://example.com/a.mp4").job_id
    query = {
        **auth(emulator),
        "job_id": job_id,
        "transcription_fidelity": "MECHANICAL",
        "priority": "STANDARD",
        "options": '{"a":' * 2_000,
    }
    reply = send(emulator, "GET", "/api/job/perform_transcription", query)
    assert reply.error() == ("INVALID_QUERY", "JSON nested deeper than 64 levels")
    assert capfd.readouterr() == ("", "")


def test_a_deep_json_output_option_is_a_400(
    emulator: Emulator, capfd: pytest.CaptureFixture[str]
) -> None:
    query = {**auth(emulator), "job_id": complete_job(emulator), "remove_sounds_list": "[" * 2000}
    reply = send(emulator, "GET", "/api/job/get_transcript", query)
    assert reply.error() == ("INVALID_QUERY", "JSON nested deeper than 64 levels")
    assert capfd.readouterr() == ("", "")


@pytest.mark.parametrize("headers", [JSON_TYPE, FORM_TYPE, {}])
def test_a_parameter_body_over_the_cap_is_a_400(
    emulator: Emulator, headers: dict[str, str], capfd: pytest.CaptureFixture[str]
) -> None:
    body = b"j" * (server.MAX_PARAMETER_BODY + 1)
    reply = send(emulator, "POST", "/api/job/new", auth(emulator), body, headers)
    error_type, comment = reply.error()
    assert (
        error_type == "INVALID_QUERY" and f"limited to {server.MAX_PARAMETER_BODY} bytes" in comment
    )
    assert capfd.readouterr() == ("", "")


def test_a_failing_scheduled_action_is_logged_not_printed(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("bug")

    scheduler = Scheduler(lambda: datetime.now(timezone.utc))
    with caplog.at_level("ERROR", logger="cielo24.emulator"):
        scheduler.start()
        try:
            scheduler.at(datetime.now(timezone.utc), broken)
            deadline = time.monotonic() + 5
            while not caplog.records and time.monotonic() < deadline:
                time.sleep(0.01)
        finally:
            scheduler.stop()
    [record] = caplog.records
    assert record.name == "cielo24.emulator.scheduler" and record.exc_info is not None
    assert str(record.exc_info[1]) == "bug"
    assert capfd.readouterr().err == ""


# --- connections -------------------------------------------------------------------------------


def test_an_idle_keep_alive_connection_is_closed_after_the_idle_limit() -> None:
    with running(idle_timeout=0.3) as emu:
        target = "/api/job/new?" + urlencode(auth(emu))
        connection = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=5)
        try:
            for pause in (0.0, 0.1):  # still open within the limit
                time.sleep(pause)
                connection.request("GET", target)
                assert connection.getresponse().read().startswith(b'{"JobId"')
            sock = connection.sock
            assert sock is not None
            started = time.monotonic()
            assert sock.recv(1) == b""  # closed by the server
            assert 0.2 < time.monotonic() - started < 2
        finally:
            connection.close()
        assert len(emu.jobs) == 2


def connection_threads() -> int:
    # Python 3.9 names threads "Thread-N" without their target: count them all instead.
    return threading.active_count()


def test_idle_connections_do_not_hold_a_thread_each() -> None:
    with running(max_connections=8) as emu:
        baseline = connection_threads()  # another test's connection may still be ending
        sockets: list[socket.socket] = []
        try:
            for _ in range(200):
                sock = socket.socket()
                sock.setblocking(False)
                sock.connect_ex(("127.0.0.1", emu.port))
                sockets.append(sock)
            time.sleep(0.5)
            assert 1 <= connection_threads() - baseline <= 8
        finally:
            for sock in sockets:
                sock.close()
        reply = send(emu, "GET", "/api/job/new", auth(emu))  # served once they are gone
        assert reply.status == 200


def test_a_connection_beyond_the_limit_waits_until_one_is_free() -> None:
    with running(max_connections=1, idle_timeout=0.3) as emu:
        started = time.monotonic()
        with socket.create_connection(("127.0.0.1", emu.port), timeout=5):
            time.sleep(0.05)  # accepted: it holds the one slot, sending nothing
            reply = send(emu, "GET", "/api/job/new", auth(emu))
            assert reply.status == 200
            assert 0.3 <= time.monotonic() - started < 3  # once the idle one was closed


def test_stop_returns_while_every_connection_slot_is_taken() -> None:
    emu = Emulator(max_connections=1).start()
    first = socket.create_connection(("127.0.0.1", emu.port), timeout=5)
    second = socket.create_connection(("127.0.0.1", emu.port), timeout=5)
    try:
        time.sleep(0.1)
        started = time.monotonic()
        emu.stop()
        assert time.monotonic() - started < 2
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"idle_timeout": 0}, "idle_timeout must be over 0"),
        ({"max_connections": 0}, "max_connections must be between 1 and 100000"),
    ],
)
def test_connection_limits_are_checked(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Emulator(**options)
