"""The exact request of every endpoint method, as a recording server on 127.0.0.1 sees it.

One case per method: HTTP method, path, every query name and value, the body's encoding and
fields, against cielo24's documented parameters (docs/wire.md says why each is where it is).
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from servers import RawServer, response

import cielo24
from cielo24.api.account_api import AccountApi
from cielo24.api.job_api import JobApi
from cielo24.models import JobOptions, NewJobBody, PerformTranscriptionBody

TOKEN = "0123456789abcdef0123456789abcdef"
JOB = "a" * 32
TASK = "b" * 32
AWKWARD = "a b&c#d/é?x=1+2%"
CALLBACK = "https://hooks.example.com/done?job={job_id}&iwp={iwp_name}"

ANSWERS: dict[str, tuple[int, bytes, str]] = {
    "/api/job/new": (200, json.dumps({"JobId": JOB, "TaskId": TASK}).encode(), "json"),
    "/api/job/list": (200, b'{"Username": "u", "ActiveJobs": []}', "json"),
    "/api/job/list_elementlists": (200, b"[]", "json"),
    "/api/job/get_transcript": (200, b"Hello.", "text/plain"),
    "/api/job/get_caption": (200, b"1\n00:00:00,000 --> 00:00:01,000\nHi\n", "text/plain"),
    "/api/job/download_media": (200, b"\x00media", "video/mp4"),
    "/api/account/login": (200, json.dumps({"ApiToken": TOKEN}).encode(), "json"),
}
NO_CONTENT = {
    "/api/job/authorize",
    "/api/job/modify",
    "/api/job/burn_in_caption",
    "/api/account/logout",
    "/api/account/update_password",
    "/api/account/update_setting",
    "/api/account/remove_api_key",
    "/api/account/create",
    "/upload",
}


@dataclass
class Seen:
    """One request as it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


@dataclass
class Recorder:
    """A keep-alive server that records every request and answers it from ANSWERS."""

    seen: list[Seen] = field(default_factory=list[Seen])

    def __call__(self, conn: socket.socket, server: RawServer) -> None:
        while (request := server.record(conn)) is not None:
            target = urlsplit(request.target)
            query = parse_qs(target.query, keep_blank_values=True)
            self.seen.append(
                Seen(request.method, target.path, query, request.headers, request.body)
            )
            if target.path in NO_CONTENT:
                conn.sendall(response(204, b"", close=False))
                continue
            status, body, kind = ANSWERS.get(target.path, (200, b"{}", "json"))
            content_type = "application/json" if kind == "json" else kind
            conn.sendall(response(status, body, content_type, close=False))


@pytest.fixture
def recorder() -> Iterator[tuple[Recorder, cielo24.ApiClient]]:
    recorder = Recorder()
    with RawServer(recorder) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = TOKEN
        with cielo24.ApiClient(configuration) as client:
            yield recorder, client


def q(**values: str) -> dict[str, list[str]]:
    """The expected query: v=1, the given names, and the token last."""
    return {"v": ["1"], **{k: [v] for k, v in values.items()}, "api_token": [TOKEN]}


Call = Callable[[JobApi, AccountApi, Path], object]


@dataclass
class Case:
    call: Call
    method: str
    path: str
    query: dict[str, list[str]]
    content_type: str | None = None
    json_body: dict[str, Any] | None = None
    form: dict[str, list[str]] | None = None
    raw_body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict[str, str])


NEW_JOB_FIELDS = {
    "job_name": AWKWARD,
    "language": "en",
    "external_id": "ext-1",
    "username": "sub",
    "requestor": "req",
    "reference": "ref",
    "expected_speakers": 3,
    "is_duplicate": True,
}
OPTIONS = {"notes": "n", "return_iwp": ["MECHANICAL", "FINAL"], "speaker_id": True}
PERFORM_FIELDS: dict[str, Any] = {
    "job_id": JOB,
    "transcription_fidelity": "PROFESSIONAL",
    "priority": "PRIORITY",
    "callback_url": CALLBACK,
    "options": '{"notes":"n","return_iwp":["MECHANICAL","FINAL"],"speaker_id":true}',
    "target_language": "de,fr",
    "turnaround_hours": 36,
}

CASES: dict[str, Case] = {
    "new_job": Case(
        lambda jobs, account, tmp: jobs.new_job(NewJobBody(**NEW_JOB_FIELDS)),
        "POST",
        "/api/job/new",
        q(
            job_name=AWKWARD,
            language="en",
            external_id="ext-1",
            username="sub",
            requestor="req",
            reference="ref",
            expected_speakers="3",
            is_duplicate="true",
        ),
        "application/json",
        json_body={**NEW_JOB_FIELDS, "is_duplicate": "true"},
    ),
    "perform_transcription": Case(
        lambda jobs, account, tmp: jobs.perform_transcription(
            PerformTranscriptionBody(
                job_id=JOB,
                transcription_fidelity="PROFESSIONAL",
                priority="PRIORITY",
                callback_url=CALLBACK,
                options=JobOptions(**OPTIONS),
                target_language=["de", "fr"],
                turnaround_hours=36,
            )
        ),
        "POST",
        "/api/job/perform_transcription",
        q(
            job_id=JOB,
            transcription_fidelity="PROFESSIONAL",
            priority="PRIORITY",
            callback_url=CALLBACK,
            options=PERFORM_FIELDS["options"],
            target_language="de,fr",
            turnaround_hours="36",
        ),
        "application/json",
        json_body=PERFORM_FIELDS,
    ),
    "add_media_url": Case(
        lambda jobs, account, tmp: jobs.add_media_url(
            JOB, "https://m.example.com/a b.mp4?x=1&y=2", is_duplicate=True
        ),
        "GET",
        "/api/job/add_media",
        q(job_id=JOB, media_url="https://m.example.com/a b.mp4?x=1&y=2", is_duplicate="true"),
    ),
    "add_media_file": Case(
        lambda jobs, account, tmp: jobs.add_media_file(JOB, 5, b"media"),
        "POST",
        "/api/job/add_media",
        q(job_id=JOB),
        "video/mp4",
        raw_body=b"media",
        headers={"content-length": "5"},
    ),
    "add_embedded_media": Case(
        lambda jobs, account, tmp: jobs.add_embedded_media(JOB, "https://youtu.be/xyz"),
        "GET",
        "/api/job/add_media_url",
        q(job_id=JOB, media_url="https://youtu.be/xyz"),
    ),
    "authorize_job": Case(
        lambda jobs, account, tmp: jobs.authorize_job(JOB),
        "POST",
        "/api/job/authorize",
        q(job_id=JOB),
    ),
    "job_info": Case(
        lambda jobs, account, tmp: jobs.job_info(JOB), "GET", "/api/job/info", q(job_id=JOB)
    ),
    "job_list": Case(
        lambda jobs, account, tmp: jobs.job_list(
            creation_date_from=datetime(2024, 1, 2, 3, 4, 5),
            complete_date_to="2024-02-01",
            job_status="Complete",
            fidelity="MECHANICAL",
            priority="STANDARD",
            turnaround_time_hours_from=24,
            job_name="talk*",
            external_id="ext 1",
            username="*",
            job_difficulty="Good",
        ),
        "GET",
        "/api/job/list",
        q(
            CreationDateFrom="2024-01-02T03:04:05",
            CompleteDateTo="2024-02-01",
            JobStatus="Complete",
            Fidelity="MECHANICAL",
            Priority="STANDARD",
            TurnaroundTimeHoursFrom="24",
            JobName="talk*",
            ExternalID="ext 1",
            ExternalId="ext 1",
            Username="*",
            username="*",
            JobDifficulty="Good",
        ),
    ),
    "delete_job": Case(
        lambda jobs, account, tmp: jobs.delete_job(JOB), "GET", "/api/job/delete", q(job_id=JOB)
    ),
    "modify_job": Case(
        lambda jobs, account, tmp: jobs.modify_job(
            JOB,
            transcription_fidelity="PREMIUM",
            turnaround_hours=12,
            priority="PRIORITY",
            account_id="other",
            requestor_id="r",
            callback_url=CALLBACK,
            expected_speakers=2,
            notes=AWKWARD,
        ),
        "POST",
        "/api/job/modify",
        q(
            job_id=JOB,
            transcription_fidelity="PREMIUM",
            turnaround_hours="12",
            priority="PRIORITY",
            account_id="other",
            requestor_id="r",
            callback_url=CALLBACK,
            expected_speakers="2",
            notes=AWKWARD,
        ),
    ),
    "list_related_jobs": Case(
        lambda jobs, account, tmp: jobs.list_related_jobs(JOB),
        "GET",
        "/api/job/list_related",
        q(job_id=JOB),
    ),
    "add_transcript_url": Case(
        lambda jobs, account, tmp: jobs.add_transcript_url(
            JOB, "https://t.example.com/t.txt", "text"
        ),
        "GET",
        "/api/job/add_transcript",
        q(job_id=JOB, transcript_url="https://t.example.com/t.txt", format="text"),
    ),
    "add_transcript_file": Case(
        lambda jobs, account, tmp: jobs.add_transcript_file(JOB, 6, b"Hello.", "text"),
        "POST",
        "/api/job/add_transcript",
        q(job_id=JOB, format="text"),
        "text/plain",
        raw_body=b"Hello.",
    ),
    "add_custom_guidelines (url)": Case(
        lambda jobs, account, tmp: jobs.add_custom_guidelines(
            JOB, guidelines_url="https://g.example.com/g.html", is_html=True
        ),
        "GET",
        "/api/job/add_custom_guidelines",
        q(job_id=JOB, guidelines_url="https://g.example.com/g.html", is_html="true"),
    ),
    "add_custom_guidelines (text)": Case(
        lambda jobs, account, tmp: jobs.add_custom_guidelines(JOB, guidelines_data=AWKWARD),
        "POST",
        "/api/job/add_custom_guidelines",
        q(job_id=JOB),
        "application/x-www-form-urlencoded",
        form={"guidelines_data": [AWKWARD]},
    ),
    "perform_translation": Case(
        lambda jobs, account, tmp: jobs.perform_translation(
            JOB, ["de", "fr"], approve_uplevel=True
        ),
        "GET",
        "/api/job/translate",
        q(job_id=JOB, target_languages="de,fr", approve_uplevel="true"),
    ),
    "uplevel_job": Case(
        lambda jobs, account, tmp: jobs.uplevel_job(
            JOB,
            speaker_id=True,
            priority="PRIORITY",
            timing="no",
            requestor="r",
            reference="x",
            caption_import_as_fp=False,
        ),
        "GET",
        "/api/job/uplevel",
        q(
            job_id=JOB,
            speaker_id="true",
            priority="PRIORITY",
            timing="no",
            requestor="r",
            reference="x",
            caption_import_as_fp="false",
        ),
    ),
    "get_media": Case(
        lambda jobs, account, tmp: jobs.get_media(JOB), "GET", "/api/job/media", q(job_id=JOB)
    ),
    "get_transcoded_media": Case(
        lambda jobs, account, tmp: jobs.get_transcoded_media(JOB, "mp3"),
        "GET",
        "/api/job/transcoded_media",
        q(job_id=JOB, transcoded_version="mp3"),
    ),
    "download_media": Case(
        lambda jobs, account, tmp: jobs.download_media(
            JOB, "mp4", tmp / "media.mp4", text_to_speech=True
        ),
        "GET",
        "/api/job/download_media",
        q(job_id=JOB, media_type="mp4", text_to_speech="true"),
    ),
    "request_upload_url": Case(
        lambda jobs, account, tmp: jobs.request_upload_url(JOB),
        "GET",
        "/api/job/request_upload_url",
        q(job_id=JOB),
    ),
    "burn_in_caption": Case(
        lambda jobs, account, tmp: jobs.burn_in_caption(JOB, send_to_email="me@example.com"),
        "GET",
        "/api/job/burn_in_caption",
        q(job_id=JOB, send_to_email="me@example.com"),
    ),
    "aggregate_statistics": Case(
        lambda jobs, account, tmp: jobs.aggregate_statistics(
            metrics=["billable_minutes_total"],
            group_by="month",
            start_date=datetime(2024, 1, 1),
            end_date="2024-03-01",
            account_id="*",
        ),
        "GET",
        "/api/job/aggregate_statistics",
        q(
            metrics='["billable_minutes_total"]',
            group_by="month",
            start_date="2024-01-01T00:00:00",
            end_date="2024-03-01",
            account_id="*",
        ),
    ),
    "get_transcript": Case(
        lambda jobs, account, tmp: jobs.get_transcript(
            JOB,
            remove_sounds_list=["MUSIC", "LAUGH"],
            emit_speaker_change_tokens_as=">>",
            mask_profanity=True,
            newlines_after_sentence=1,
        ),
        "GET",
        "/api/job/get_transcript",
        q(
            job_id=JOB,
            remove_sounds_list='["MUSIC","LAUGH"]',
            emit_speaker_change_tokens_as=">>",
            mask_profanity="true",
            newlines_after_sentence="1",
        ),
    ),
    "get_caption": Case(
        lambda jobs, account, tmp: jobs.get_caption(
            JOB, "SRT", characters_per_caption_line=32, sound_boundaries=("[", "]")
        ),
        "GET",
        "/api/job/get_caption",
        q(
            job_id=JOB,
            caption_format="SRT",
            characters_per_caption_line="32",
            sound_boundaries="('[',']')",
        ),
    ),
    "get_element_list": Case(
        lambda jobs, account, tmp: jobs.get_element_list(
            JOB, iwp_name="FINAL", audio_description=False
        ),
        "GET",
        "/api/job/get_elementlist",
        q(job_id=JOB, iwp_name="FINAL", audio_description="false"),
    ),
    "list_element_lists": Case(
        lambda jobs, account, tmp: jobs.list_element_lists(JOB),
        "GET",
        "/api/job/list_elementlists",
        q(job_id=JOB),
    ),
    "login": Case(
        lambda jobs, account, tmp: account.login("me", password="pw"),
        "GET",
        "/api/account/login",
        {"v": ["1"]},
        headers={"x-auth-user": "me", "x-auth-password": "pw"},
    ),
    "logout": Case(lambda jobs, account, tmp: account.logout(), "GET", "/api/account/logout", q()),
    "update_password": Case(
        lambda jobs, account, tmp: account.update_password("n3w+p@ss/word", username="sub"),
        "POST",
        "/api/account/update_password",
        {},
        "application/x-www-form-urlencoded",
        form={
            "v": ["1"],
            "new_password": ["n3w+p@ss/word"],
            "username": ["sub"],
            "api_token": [TOKEN],
        },
    ),
    "update_setting": Case(
        lambda jobs, account, tmp: account.update_setting(
            "customer_authorization_required_mechanical", False, account_id="sub"
        ),
        "POST",
        "/api/account/update_setting",
        q(),
        "application/x-www-form-urlencoded",
        form={
            "setting": ["customer_authorization_required_mechanical"],
            "value": ["false"],
            "account_id": ["sub"],
        },
    ),
    "generate_api_key": Case(
        lambda jobs, account, tmp: account.generate_api_key(account_id="sub", force_new=True),
        "GET",
        "/api/account/generate_api_key",
        q(account_id="sub", force_new="true"),
    ),
    "remove_api_key": Case(
        lambda jobs, account, tmp: account.remove_api_key("c" * 32),
        "GET",
        "/api/account/remove_api_key",
        q(api_securekey="c" * 32),
    ),
    "create_sandbox_account": Case(
        lambda jobs, account, tmp: account.create_sandbox_account(
            "new", "pw", sub_account="s", parent_account="p", first_name="F", email="e@x.com"
        ),
        "POST",
        "/api/account/create",
        q(),
        "application/x-www-form-urlencoded",
        form={
            "new_username": ["new"],
            "new_password": ["pw"],
            "sub_account": ["s"],
            "parent_account": ["p"],
            "first_name": ["F"],
            "email": ["e@x.com"],
        },
    ),
    "get_settings": Case(
        lambda jobs, account, tmp: account.get_settings(), "GET", "/api/account/get_settings", q()
    ),
    "verify_key": Case(
        lambda jobs, account, tmp: account.verify_key(), "GET", "/api/account/verify_key", q()
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_the_request_on_the_wire(
    name: str, recorder: tuple[Recorder, cielo24.ApiClient], tmp_path: Path
) -> None:
    case = CASES[name]
    seen, client = recorder
    case.call(JobApi(client), AccountApi(client), tmp_path)
    (request,) = seen.seen
    assert (request.method, request.path) == (case.method, case.path)
    assert request.query == case.query
    assert list(request.query)[-1:] in ([], ["api_token"], ["v"])
    content_type = request.headers.get("content-type")
    assert content_type == case.content_type
    if case.json_body is not None:
        assert json.loads(request.body) == case.json_body
    elif case.form is not None:
        assert request.form() == case.form
    else:
        assert request.body == case.raw_body
    for header, value in case.headers.items():
        assert request.headers[header] == value


def test_every_endpoint_method_has_a_case() -> None:
    methods = {
        name
        for api in (JobApi, AccountApi)
        for name in vars(api)
        if not name.startswith("_") and callable(getattr(api, name))
    }
    covered = {name.split(" ")[0] for name in CASES}
    # wait_for_job polls job_info; upload_to_url is the pre-signed PUT tested below.
    assert methods - covered == {"wait_for_job", "upload_to_url"}


def test_upload_to_url_puts_the_raw_body_with_no_token(
    recorder: tuple[Recorder, cielo24.ApiClient],
) -> None:
    seen, client = recorder
    url = client.configuration.host.replace("/api", "/upload") + "?X-Signature=abc"
    JobApi(client).upload_to_url(url, 5, b"media")
    (request,) = seen.seen
    assert (request.method, request.path, request.query) == (
        "PUT",
        "/upload",
        {"X-Signature": ["abc"]},
    )
    assert request.body == b"media"
    assert "content-type" not in request.headers


def test_a_field_that_would_make_the_query_too_long_stays_in_the_body(
    recorder: tuple[Recorder, cielo24.ApiClient], caplog: pytest.LogCaptureFixture
) -> None:
    seen, client = recorder
    notes = "x" * 7000
    with caplog.at_level("DEBUG", logger="cielo24"):
        JobApi(client).perform_transcription(
            PerformTranscriptionBody(
                job_id=JOB, transcription_fidelity="MECHANICAL", options=JobOptions(notes=notes)
            )
        )
    (request,) = seen.seen
    assert json.loads(json.loads(request.body)["options"]) == {"notes": notes}
    assert "options" not in request.query
    assert request.query == q(job_id=JOB, transcription_fidelity="MECHANICAL", priority="STANDARD")
    assert len(request.path) + len(urlsplit(f"http://h{request.path}").query) < 6000
    assert any(
        "options" in r.getMessage() and "JSON body only" in r.getMessage() for r in caplog.records
    )
    assert TOKEN not in caplog.text


def test_update_password_puts_nothing_secret_in_the_url(
    recorder: tuple[Recorder, cielo24.ApiClient],
) -> None:
    seen, client = recorder
    AccountApi(client).update_password("s3cret")
    (request,) = seen.seen
    assert request.query == {}
    assert request.form() == {"v": ["1"], "new_password": ["s3cret"], "api_token": [TOKEN]}
