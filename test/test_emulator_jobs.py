"""The emulator's job endpoints beyond the seed's, over real sockets (never the SDK): job info
and list, delete, modify, translate, uplevel, transcripts and guidelines in, media in and out,
the lifecycle on the emulator's clock, outputs and statistics."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from test_emulator import HEX32, Reply, running, send, upload_target

from cielo24.emulator import Emulator

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")
TRANSCRIBE = {"transcription_fidelity": "MECHANICAL", "priority": "STANDARD"}
MEDIA = b"\x00\x01 fake media \xff" * 5000


def call(emu: Emulator, action: str, method: str = "GET", **params: Any) -> Reply:
    return send(emu, method, f"/api/{action}", {"v": 1, "api_token": emu.api_token, **params})


def ok(reply: Reply, status: int = 200) -> Any:
    assert reply.status == status, reply.body
    return reply.json() if reply.body else None


def new_job(emu: Emulator, **params: Any) -> str:
    job_id: str = ok(call(emu, "job/new", **params))["JobId"]
    return job_id


def with_url_media(emu: Emulator, url: str = "https://example.com/talk.mp4", **params: Any) -> str:
    job_id = new_job(emu, **params)
    ok(call(emu, "job/add_media", job_id=job_id, media_url=url, is_duplicate="true"))
    return job_id


def uploaded(emu: Emulator, data: bytes = MEDIA, content_type: str = "video/mp4") -> str:
    job_id = new_job(emu)
    headers = {"Content-Type": content_type}
    ok(send(emu, "POST", upload_target(emu, job_id), body=data, headers=headers))
    return job_id


def transcribed(emu: Emulator, fidelity: str = "MECHANICAL", **params: Any) -> str:
    job_id = uploaded(emu)
    transcribe = {**TRANSCRIBE, "transcription_fidelity": fidelity, **params}
    ok(call(emu, "job/perform_transcription", job_id=job_id, **transcribe))
    return job_id


def info(emu: Emulator, job_id: str) -> dict[str, Any]:
    document: dict[str, Any] = ok(call(emu, "job/info", job_id=job_id))
    return document


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    """GET a URL the emulator handed out, without any credential."""
    parts = urlsplit(url)
    reply = send_to(parts.port or 80, parts.path)
    return reply.status, reply.headers, reply.body


def send_to(port: int, path: str, method: str = "GET", **kwargs: Any) -> Reply:
    class Target:
        pass

    target: Any = Target()
    target.port = port
    return send(target, method, path, **kwargs)


@pytest.fixture
def slow() -> Any:
    with running(processing_seconds=100) as emu:
        yield emu


# --- job info and list ---------------------------------------------------------------------


def test_job_info_has_the_documented_shape(emulator: Emulator) -> None:
    job_id = transcribed(
        emulator,
        "PREMIUM",
        callback_url="https://hooks.example.com/cb?id={job_id}",
        options='{"notes": "n", "speaker_id": true, "return_iwp": ["MECHANICAL"]}',
        target_language="de",
    )
    call(emulator, "job/new")  # another job does not disturb this one
    document = info(emulator, job_id)
    assert list(document) == [
        "JobId",
        "JobName",
        "MediaLengthSeconds",
        "ExternalID",
        "Priority",
        "Fidelity",
        "JobStatus",
        "SourceLanguage",
        "TargetLanguage",
        "CreationDate",
        "StartDate",
        "DueDate",
        "CompletedDate",
        "ReturnDate",
        "AuthorizationDate",
        "JobDifficulty",
        "TurnaroundTimeHours",
        "ReturnTargets",
        "Options",
    ]
    assert document["JobId"] == job_id
    assert (document["Fidelity"], document["Priority"], document["JobStatus"]) == (
        "STANDARD",
        "STANDARD",
        "Complete",
    )
    assert (document["SourceLanguage"], document["TargetLanguage"]) == ("en", "de")
    assert isinstance(document["MediaLengthSeconds"], float) and document["MediaLengthSeconds"] > 0
    for name in ("CreationDate", "StartDate", "DueDate", "CompletedDate", "AuthorizationDate"):
        assert ISO.fullmatch(document[name]), (name, document[name])
    due = datetime.fromisoformat(document["DueDate"])
    assert due - datetime.fromisoformat(document["StartDate"]) == timedelta(hours=48)
    assert document["TurnaroundTimeHours"] == 48
    assert document["JobDifficulty"] == "Good"
    assert document["ReturnTargets"] == {
        "url": [{"callback_url": "https://hooks.example.com/cb?id={job_id}"}]
    }
    assert document["Options"] == {
        "notes": {"label": "Notes", "setting": "n"},
        "speaker_id": {"label": "Speaker ID", "setting": True},
        "return_iwp": {"label": "Return IWP", "setting": ["MECHANICAL"]},
    }


def test_a_new_job_has_unset_dates_as_empty_strings(emulator: Emulator) -> None:
    document = info(emulator, new_job(emulator, job_name="n", external_id="e"))
    assert (document["JobName"], document["ExternalID"], document["JobStatus"]) == (
        "n",
        "e",
        "Pending",
    )
    assert (document["Fidelity"], document["Priority"], document["MediaLengthSeconds"]) == (
        None,
        None,
        0.0,
    )
    for name in ("StartDate", "DueDate", "CompletedDate", "ReturnDate"):
        assert document[name] == ""
    assert document["AuthorizationDate"] == document["CreationDate"]
    assert (document["ReturnTargets"], document["Options"], document["JobDifficulty"]) == (
        {},
        {},
        "Unknown",
    )


@pytest.mark.parametrize(
    ("fidelity", "reported"), [("MECHANICAL", "MECHANICAL"), ("PROFESSIONAL", "HIGH")]
)
def test_job_info_reports_fidelity_in_its_own_words(
    emulator: Emulator, fidelity: str, reported: str
) -> None:
    assert info(emulator, transcribed(emulator, fidelity))["Fidelity"] == reported


def test_job_info_refusals(emulator: Emulator) -> None:
    assert call(emulator, "job/info").error() == (
        "MISSING_PARAMETER",
        "missing required parameter: job_id",
    )
    assert call(emulator, "job/info", job_id="9" * 32).error()[0] == "ITEM_NOT_FOUND"


def test_job_list_filters(emulator: Emulator) -> None:
    done = transcribed(emulator, "PROFESSIONAL", turnaround_hours=12)
    call(emulator, "job/modify", "POST", job_id=done)  # refused: not Authorizing
    named = new_job(emulator, job_name="Quarterly Talk", external_id="ext-1")
    other = new_job(emulator, job_name="other")

    def listed(**filters: Any) -> list[str]:
        document = ok(call(emulator, "job/list", **filters))
        assert document["Username"] == "demo"
        return [job["JobId"] for job in document["ActiveJobs"]]

    assert listed() == [other, named, done]  # newest first
    job = ok(call(emulator, "job/list"))["ActiveJobs"][-1]
    assert job == {**info(emulator, done), "Username": "demo"}
    assert listed(JobStatus="Complete") == [done]
    assert listed(JobStatus="Pending") == [other, named]
    assert listed(Fidelity="PROFESSIONAL") == [done] == listed(Fidelity="HIGH")
    assert listed(Fidelity="MECHANICAL") == []
    assert listed(Priority="STANDARD") == [done]
    assert listed(TurnaroundTimeHoursFrom=10, TurnaroundTimeHoursTo=12) == [done]
    assert listed(TurnaroundTimeHoursFrom=13) == []
    assert listed(JobName="quarterly*") == [named]
    assert listed(JobName="*talk") == [named]
    assert listed(JobName="Quarterly") == []
    assert listed(ExternalID="ext-1") == [named] == listed(ExternalId="ext-1")
    assert listed(JobDifficulty="Good") == [done]
    today = emulator.now.date().isoformat()
    assert listed(CreationDateFrom=today, CreationDateTo=today) == [other, named, done]
    assert listed(CreationDateTo="2000-01-01") == []
    assert listed(CreationDateFrom=f"{today}T00:00:00", CompleteDateTo="2100-01-01") == [done]
    assert listed(StartDateFrom="2000-01-01T00:00:00Z") == [done]
    assert listed(AuthorizationDateFrom=today, DueDateTo="2100-12-31T23:59:59.5") == [done]
    assert listed(ReturnDateFrom="2100-01-01") == []


@pytest.mark.parametrize(
    ("filters", "error_type", "named"),
    [
        ({"JobStatus": "Finished"}, "INVALID_OPTION", "JobStatus"),
        ({"Fidelity": "BEST"}, "INVALID_OPTION", "Fidelity"),
        ({"JobDifficulty": "Hard"}, "INVALID_OPTION", "JobDifficulty"),
        ({"CreationDateFrom": "yesterday"}, "INVALID_QUERY", "CreationDateFrom"),
        ({"CompleteDateTo": "2014-13-01"}, "INVALID_QUERY", "CompleteDateTo"),
        ({"DueDateFrom": "12:00"}, "INVALID_QUERY", "DueDateFrom"),
        ({"TurnaroundTimeHoursTo": "soon"}, "INVALID_QUERY", "TurnaroundTimeHoursTo"),
        ({"Username": "ghost"}, "ACCOUNT_DOES_NOT_EXIST", "Username"),
    ],
)
def test_job_list_refusals(
    emulator: Emulator, filters: dict[str, str], error_type: str, named: str
) -> None:
    error = call(emulator, "job/list", **filters).error()
    assert error[0] == error_type and named in error[1]


# --- delete and modify ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["job/delete", "job/del"])
def test_delete_hides_the_job_and_removes_its_media(emulator: Emulator, path: str) -> None:
    job_id = uploaded(emulator)
    stored = emulator.jobs[job_id].media_path
    assert stored is not None and stored.is_file()
    task_id = ok(call(emulator, path, job_id=job_id))["TaskId"]
    assert HEX32.fullmatch(task_id) and emulator.jobs[job_id].task_ids[-1] == task_id
    assert not stored.exists()
    assert call(emulator, "job/info", job_id=job_id).error()[0] == "ITEM_NOT_FOUND"
    assert ok(call(emulator, "job/list"))["ActiveJobs"] == []
    assert call(emulator, path, job_id=job_id).error()[0] == "ITEM_NOT_FOUND"
    assert emulator.jobs[job_id].deleted_at is not None


def test_modify_a_held_job() -> None:
    with running(customer_authorization=True) as emu:
        job_id = with_url_media(emu)
        reply = send(
            emu,
            "POST",
            "/api/job/modify?"
            + urlencode(
                {
                    "v": 1,
                    "api_token": emu.api_token,
                    "job_id": job_id,
                    "transcription_fidelity": "PREMIUM",
                    "turnaround_hours": 72,
                    "priority": "ECONOMY",
                    "requestor_id": "req",
                    "callback_url": "https://example.com/cb",
                    "expected_speakers": 2,
                    "notes": "be careful",
                }
            ),
        )
        assert (reply.status, reply.body) == (204, b"")
        job = emu.jobs[job_id]
        assert (job.fidelity, job.turnaround_hours, job.priority) == ("PREMIUM", 72, "ECONOMY")
        assert (job.requestor, job.callback_url, job.expected_speakers) == (
            "req",
            "https://example.com/cb",
            2,
        )
        assert info(emu, job_id)["Options"]["notes"]["setting"] == "be careful"
        assert call(emu, "job/modify", job_id=job_id).status == 405
        error = call(emu, "job/modify", "POST", job_id=job_id, priority="SLOW").error()
        assert error[0] == "INVALID_OPTION" and "priority" in error[1]
        ok(call(emu, "job/authorize", job_id=job_id), 204)
        error = call(emu, "job/modify", "POST", job_id=job_id, priority="STANDARD").error()
        assert error == (
            "INVALID_QUERY",
            f"job {job_id} is Pending: only a job in Authorizing can be modified",
        )


# --- the lifecycle on the emulator's clock ---------------------------------------------------


def test_the_clock_moves_a_job_through_its_states(slow: Emulator) -> None:
    job_id = with_url_media(slow)
    assert info(slow, job_id)["JobStatus"] == "Pending"
    ok(call(slow, "job/perform_transcription", job_id=job_id, **TRANSCRIBE))
    assert slow.jobs[job_id].status == "In Process"
    assert info(slow, job_id)["JobStatus"] == "In Process"
    assert ok(call(slow, "job/list_elementlists", job_id=job_id)) == []
    error = call(slow, "job/get_caption", job_id=job_id, caption_format="SRT").error()
    assert error[0] == "INVALID_QUERY" and "In Process" in error[1]
    slow.advance(50)
    versions = ok(call(slow, "job/list_elementlists", job_id=job_id))
    assert [v["iwp_name"] for v in versions] == ["MECHANICAL"]
    assert info(slow, job_id)["JobStatus"] == "In Process"
    slow.advance(50)
    document = info(slow, job_id)
    assert document["JobStatus"] == "Complete" == slow.job_status(job_id)
    completed = datetime.fromisoformat(document["CompletedDate"])
    started = datetime.fromisoformat(document["StartDate"])
    assert completed - started == timedelta(seconds=100)
    versions = ok(call(slow, "job/list_elementlists", job_id=job_id))
    assert [v["iwp_name"] for v in versions] == ["MECHANICAL", "FINAL"]
    assert all(ISO.fullmatch(v["version"]) for v in versions)
    assert len({v["version"] for v in versions}) == 2


@pytest.mark.parametrize(
    ("fidelity", "names"),
    [
        ("MECHANICAL", ["MECHANICAL", "FINAL"]),
        ("PREMIUM", ["MECHANICAL", "PREMIUM", "FINAL"]),
        ("PROFESSIONAL", ["MECHANICAL", "PROFESSIONAL", "FINAL"]),
    ],
)
def test_each_fidelity_produces_its_versions(
    emulator: Emulator, fidelity: str, names: list[str]
) -> None:
    job_id = transcribed(emulator, fidelity)
    versions = ok(call(emulator, "job/list_elementlists", job_id=job_id))
    assert [v["iwp_name"] for v in versions] == names


def test_perform_transcription_twice_is_refused(emulator: Emulator) -> None:
    job_id = transcribed(emulator)
    error = call(emulator, "job/perform_transcription", job_id=job_id, **TRANSCRIBE).error()
    assert error == ("INVALID_QUERY", f"job {job_id} was already sent for transcription (Complete)")


@pytest.mark.parametrize(
    ("options", "named"),
    [
        ('{"return_iwp": ["LATEST"]}', "return_iwp"),
        ('{"return_iwp": "[\\"NOPE\\"]"}', "return_iwp"),
        ('{"generate_media_intelligence_iwp": "FINAL"}', "generate_media_intelligence_iwp"),
    ],
)
def test_perform_transcription_checks_iwp_options(
    emulator: Emulator, options: str, named: str
) -> None:
    job_id = with_url_media(emulator)
    error = call(
        emulator, "job/perform_transcription", job_id=job_id, options=options, **TRANSCRIBE
    ).error()
    assert error[0] == "INVALID_OPTION" and named in error[1]
    stringified = '{"return_iwp": "[\\"MECHANICAL\\"]", "speaker_id": "true"}'
    reply = call(
        emulator, "job/perform_transcription", job_id=job_id, options=stringified, **TRANSCRIBE
    )
    assert reply.status == 200
    error = call(
        emulator,
        "job/perform_transcription",
        job_id=job_id,
        standard_product="perhaps",
        **TRANSCRIBE,
    ).error()
    assert error[0] == "INVALID_OPTION" and "standard_product" in error[1]


def test_media_failure_from_the_url_the_bytes_or_fail_media(slow: Emulator) -> None:
    by_url = with_url_media(slow, "https://media.example.com/media-failure.mp4")
    by_bytes = uploaded(slow, b"MEDIA-FAILURE and then some")
    healthy = with_url_media(slow)
    for job_id in (by_url, by_bytes, healthy):
        ok(call(slow, "job/perform_transcription", job_id=job_id, **TRANSCRIBE))
    assert {info(slow, j)["JobStatus"] for j in (by_url, by_bytes, healthy)} == {"In Process"}
    slow.advance(100)
    assert info(slow, by_url)["JobStatus"] == "Media Failure"
    assert info(slow, by_bytes)["JobDifficulty"] == "Bad"
    assert ok(call(slow, "job/list_elementlists", job_id=by_url)) == []
    assert info(slow, healthy)["JobStatus"] == "Complete"
    slow.fail_media(healthy)
    assert info(slow, healthy)["JobStatus"] == "Media Failure"
    kept = ok(call(slow, "job/list_elementlists", job_id=healthy))
    assert [v["iwp_name"] for v in kept] == ["MECHANICAL", "FINAL"]
    pending = new_job(slow)
    slow.fail_media(pending)
    assert slow.job_status(pending) == "Media Failure"
    listed = ok(call(slow, "job/list", JobStatus="Media Failure"))["ActiveJobs"]
    assert {job["JobId"] for job in listed} == {by_url, by_bytes, healthy, pending}
    with pytest.raises(KeyError):
        slow.fail_media("0" * 32)


def test_add_job_seeds_finished_and_failed_jobs(emulator: Emulator) -> None:
    done = emulator.add_job(status="Complete", job_name="seeded")
    failed = emulator.add_job(status="Media Failure")
    assert info(emulator, done.job_id)["JobStatus"] == "Complete"
    assert info(emulator, failed.job_id)["JobStatus"] == "Media Failure"
    srt = call(emulator, "job/get_caption", job_id=done.job_id, caption_format="SRT")
    assert srt.status == 200 and srt.body.startswith(b"1\n00:00:")


# --- media in and out ----------------------------------------------------------------------


def test_embedded_media(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    page = "https://www.youtube.com/watch?v=abc&t=5"
    task_id = ok(call(emulator, "job/add_media_url", job_id=job_id, media_url=page))["TaskId"]
    assert HEX32.fullmatch(task_id)
    job = emulator.jobs[job_id]
    assert (job.media_url, job.media_embedded) == (page, True)
    assert ok(call(emulator, "job/media", job_id=job_id)) == {"MediaUrl": page}
    error = call(emulator, "job/add_media_url", job_id=job_id, media_url=page).error()
    assert error == ("INVALID_QUERY", f"job {job_id} already has media")
    assert call(emulator, "job/add_media_url", job_id=job_id).error() == (
        "MISSING_PARAMETER",
        "missing required parameter: media_url",
    )
    error = call(emulator, "job/add_media_url", job_id=new_job(emulator), media_url="x").error()
    assert error[0] == "INVALID_URL"
    reply = call(emulator, "job/transcoded_media", job_id=job_id, transcoded_version="mp4")
    assert reply.status == 422 and "never fetched" in reply.json()["ErrorComment"]
    download = call(emulator, "job/download_media", job_id=job_id, media_type="mp3").error()
    assert download[0] == "INVALID_QUERY" and "mp3" in download[1]


def test_uploaded_media_is_served_back_from_disk(emulator: Emulator) -> None:
    job_id = uploaded(emulator, content_type="audio/x-wav")
    job = emulator.jobs[job_id]
    assert job.media_path is not None and emulator.media_dir is not None
    assert job.media_path.parent == emulator.media_dir and job.media_path.read_bytes() == MEDIA

    media_url = ok(call(emulator, "job/media", job_id=job_id))["MediaUrl"]
    assert media_url == f"http://127.0.0.1:{emulator.port}/media/{job_id}"
    status, headers, body = fetch(media_url)
    assert (status, headers["content-type"], body) == (200, "audio/x-wav", MEDIA)

    for version, content_type in (("mp4", "video/mp4"), ("mp3", "audio/mp3")):
        url = ok(call(emulator, "job/transcoded_media", job_id=job_id, transcoded_version=version))
        status, headers, body = fetch(url["MediaUrl"])
        assert (status, headers["content-type"], body) == (200, content_type, MEDIA)
        reply = call(emulator, "job/download_media", job_id=job_id, media_type=version)
        assert reply.status == 200 and reply.body == MEDIA
        assert reply.headers["content-type"] == content_type
        assert reply.headers["content-length"] == str(len(MEDIA))
        assert reply.headers["content-disposition"] == (
            f'attachment; filename="{job_id}.{version}"'
        )

    error = call(emulator, "job/download_media", job_id=job_id, media_type="avi").error()
    assert error[0] == "INVALID_OPTION" and "media_type" in error[1]
    tts = call(emulator, "job/download_media", job_id=job_id, media_type="mp3", text_to_speech="t")
    assert tts.error()[0] == "INVALID_QUERY"
    error = call(emulator, "job/transcoded_media", job_id=job_id, transcoded_version="ogg").error()
    assert error[0] == "INVALID_OPTION" and "transcoded_version" in error[1]
    no_v = send(
        emulator,
        "GET",
        "/api/job/download_media",
        {"api_token": emulator.api_token, "job_id": job_id, "media_type": "mp4"},
    )
    assert no_v.status == 200 and no_v.body == MEDIA  # the docs leave v out here
    assert fetch(f"http://127.0.0.1:{emulator.port}/media/{'0' * 32}")[0] == 404
    assert fetch(f"http://127.0.0.1:{emulator.port}/media/{job_id}.ogg")[0] == 404


def test_media_without_media_is_refused(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    assert call(emulator, "job/media", job_id=job_id).error() == (
        "INVALID_QUERY",
        f"job {job_id} has no media",
    )


def test_the_media_directory_is_deleted_on_stop() -> None:
    emu = Emulator().start()
    try:
        job_id = uploaded(emu)
        directory = emu.media_dir
        assert directory is not None and directory.is_dir()
    finally:
        emu.stop()
    assert not directory.exists() and emu.media_dir is None
    emu.start()
    try:
        error = call(emu, "job/download_media", job_id=job_id, media_type="mp4").error()
        assert error[0] == "INVALID_QUERY" and "did not keep" in error[1]
    finally:
        emu.stop()


def test_keep_media_false_drops_the_bytes() -> None:
    with running(keep_media=False) as emu:
        job_id = uploaded(emu)
        assert emu.jobs[job_id].media_size == len(MEDIA)
        assert emu.media_dir is None
        error = call(emu, "job/download_media", job_id=job_id, media_type="mp4").error()
        assert "keep_media=False" in error[1]


def test_an_interrupted_upload_leaves_no_file(emulator: Emulator) -> None:
    import socket

    job_id = new_job(emulator)
    request = (
        f"POST {upload_target(emulator, job_id)} HTTP/1.1\r\nHost: x\r\n"
        "Content-Length: 100000\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", emulator.port), timeout=5) as sock:
        sock.sendall(request.encode() + b"x" * 1000)
        sock.shutdown(socket.SHUT_WR)
        assert sock.recv(1024) == b""
    directory = emulator.media_dir
    assert directory is not None and list(directory.iterdir()) == []
    assert emulator.jobs[job_id].media_path is None


def test_upload_through_a_presigned_url(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    url = ok(call(emulator, "job/request_upload_url", job_id=job_id))["upload_url"]
    parts = urlsplit(url)
    assert url.startswith(f"http://127.0.0.1:{emulator.port}/upload/")
    reply = send_to(emulator.port, parts.path, "PUT", body=MEDIA)
    assert (reply.status, reply.body) == (200, b"")
    put = emulator.requests[-1]
    assert (put.method, put.query, "content-type" in put.headers) == ("PUT", {}, False)
    job = emulator.jobs[job_id]
    assert (job.media_size, job.media_sha256) == (len(MEDIA), hashlib.sha256(MEDIA).hexdigest())
    again = send_to(emulator.port, parts.path, "PUT", body=b"more")
    assert again.error() == ("INVALID_QUERY", f"job {job_id} already has media")
    assert call(emulator, "job/request_upload_url", job_id=job_id).error()[0] == "INVALID_QUERY"
    ok(call(emulator, "job/perform_transcription", job_id=job_id, **TRANSCRIBE))
    assert info(emulator, job_id)["JobStatus"] == "Complete"


def test_presigned_urls_expire_and_refuse_other_methods(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    url = ok(call(emulator, "job/request_upload_url", job_id=job_id))["upload_url"]
    path = urlsplit(url).path
    assert send_to(emulator.port, path, "POST", body=b"abc").status == 405
    assert send_to(emulator.port, "/upload/" + "0" * 32, "PUT", body=b"abc").status == 403
    emulator.advance(12 * 3600 + 1)
    expired = send_to(emulator.port, path, "PUT", body=b"abc")
    assert expired.status == 403 and expired.json()["ErrorType"] == "INVALID_URL"
    assert emulator.jobs[job_id].media_size is None


def test_a_put_to_an_api_path_is_405(emulator: Emulator) -> None:
    reply = send(emulator, "PUT", "/api/job/new", {"v": 1, "api_token": emulator.api_token})
    assert reply.status == 405 and reply.headers["allow"] == "GET, POST"


# --- transcripts and guidelines in ---------------------------------------------------------


def test_add_transcript_by_url_or_body(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    url = "https://files.example.com/t.srt"
    reply = call(emulator, "job/add_transcript", job_id=job_id, transcript_url=url, format="srt")
    assert HEX32.fullmatch(ok(reply)["TaskId"])
    assert (emulator.jobs[job_id].transcript_url, emulator.jobs[job_id].transcript_format) == (
        url,
        "srt",
    )
    other = new_job(emulator)
    text = b"Hello there.\nGeneral Kenobi.\n"
    query = {"v": 1, "api_token": emulator.api_token, "job_id": other, "format": "text"}
    target = "/api/job/add_transcript?" + urlencode(query)
    reply = send(emulator, "POST", target, body=text, headers={"Content-Type": "text/plain"})
    assert reply.status == 200
    assert emulator.jobs[other].transcript_size == len(text)


@pytest.mark.parametrize(
    ("params", "error_type", "named"),
    [
        ({"format": "docx", "transcript_url": "https://x.example/t"}, "INVALID_OPTION", "format"),
        ({"transcript_url": "https://x.example/t"}, "MISSING_PARAMETER", "format"),
        ({"format": "srt"}, "MISSING_PARAMETER", "transcript_url"),
        ({"format": "srt", "transcript_url": "file:///etc/passwd"}, "INVALID_URL", "transcript"),
    ],
)
def test_add_transcript_refusals(
    emulator: Emulator, params: dict[str, str], error_type: str, named: str
) -> None:
    error = call(emulator, "job/add_transcript", job_id=new_job(emulator), **params).error()
    assert error[0] == error_type and named in error[1]


def test_add_custom_guidelines_three_ways(emulator: Emulator) -> None:
    job_id = new_job(emulator)
    by_url = call(
        emulator,
        "job/add_custom_guidelines",
        job_id=job_id,
        guidelines_url="https://example.com/g.html",
        is_html="true",
    )
    assert ok(by_url) == {
        "CUSTOM_GUIDELINES_STORED": {
            "full_html": True,
            "storage_data": {"source": "url", "url": "https://example.com/g.html"},
        }
    }
    form = urlencode({"job_id": job_id, "guidelines_data": "Use British spelling.\nNo slang."})
    query = {"api_token": emulator.api_token}  # the docs leave v out here
    reply = send(
        emulator,
        "POST",
        "/api/job/add_custom_guidelines",
        query,
        form,
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    stored = ok(reply)["CUSTOM_GUIDELINES_STORED"]
    assert stored == {"full_html": False, "storage_data": {"source": "text", "size": 31}}
    boundary = "b0undary"
    multipart = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="g.txt"\r\n'
        "Content-Type: text/plain\r\n\r\n"
        "Say 'cielo24' the way we do.\r\n"
        f"--{boundary}--\r\n"
    ).encode()
    reply = send(
        emulator,
        "POST",
        "/api/job/add_custom_guidelines",
        {**query, "job_id": job_id},
        multipart,
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    stored = ok(reply)["CUSTOM_GUIDELINES_STORED"]
    assert stored["storage_data"] == {"source": "file", "filename": "g.txt", "size": 28}
    assert emulator.jobs[job_id].guidelines == stored
    missing = call(emulator, "job/add_custom_guidelines", job_id=job_id).error()
    assert missing[0] == "MISSING_PARAMETER" and "guidelines_url" in missing[1]
    no_file = send(
        emulator,
        "POST",
        "/api/job/add_custom_guidelines",
        {**query, "job_id": job_id},
        b"not multipart at all",
        {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert no_file.error()[0] == "MISSING_PARAMETER"
    bad = call(emulator, "job/add_custom_guidelines", job_id=job_id, guidelines_url="x", v=2)
    assert bad.error()[0] == "INVALID_OPTION"


# --- translation, uplevel, related jobs ----------------------------------------------------


def test_translate_creates_child_jobs(emulator: Emulator) -> None:
    job_id = transcribed(emulator, "PROFESSIONAL")
    reply = call(emulator, "job/translate", job_id=job_id, target_languages="de,fr")
    document = ok(reply, 201)
    german, french = document["translation_job_ids"]
    assert (
        document["message"] == "Child Translation Created for de. Child Translation Created for fr"
    )
    again = ok(call(emulator, "job/translate", job_id=job_id, target_languages="fr, it"), 201)
    assert again["translation_job_ids"][0] == french
    assert again["message"] == (
        "Child Translation already exists for fr. Child Translation Created for it"
    )
    child = info(emulator, german)
    assert (child["SourceLanguage"], child["TargetLanguage"], child["Fidelity"]) == (
        "en",
        "de",
        "HIGH",
    )
    assert child["JobStatus"] == "Complete"
    element_list = ok(call(emulator, "job/get_elementlist", job_id=german))
    assert element_list["language"] == "de"
    related = ok(call(emulator, "job/list_related", job_id=french))
    assert related["leading_job"]["job_id"] == job_id
    assert related["leading_job"]["language"] == "en:en"
    italian = again["translation_job_ids"][1]
    assert [j["job_id"] for j in related["related_jobs"]] == [german, french, italian]
    entry = next(j for j in related["related_jobs"] if j["job_id"] == german)
    assert set(entry) == {
        "job_status",
        "job_id",
        "current_priority",
        "media_length",
        "current_fidelity",
        "language",
    }
    assert entry["language"] == "en:de" and re.fullmatch(
        r"0:\d\d:\d\d(\.\d+)?", entry["media_length"]
    )


def test_translate_refusals_and_approve_uplevel(emulator: Emulator) -> None:
    mechanical = transcribed(emulator)
    error = call(emulator, "job/translate", job_id=mechanical, target_languages="de").error()
    assert error[0] == "MISSING_PARAMETER" and "approve_uplevel" in error[1]
    error = call(
        emulator, "job/translate", job_id=mechanical, target_languages="de", approve_uplevel="no"
    ).error()
    assert error[0] == "INVALID_QUERY" and "approve_uplevel=true" in error[1]
    reply = call(
        emulator, "job/translate", job_id=mechanical, target_languages="de", approve_uplevel="yes"
    )
    assert reply.status == 201
    approved = {"job_id": mechanical, "approve_uplevel": "true"}
    error = call(emulator, "job/translate", target_languages="en", **approved).error()
    assert error == ("INVALID_QUERY", "target_languages: 'en' is the job's own language")
    error = call(emulator, "job/translate", target_languages=" , ", **approved).error()
    assert error[0] == "INVALID_QUERY" and "target_languages" in error[1]
    error = call(
        emulator, "job/translate", target_languages="de", **{**approved, "approve_uplevel": "maybe"}
    ).error()
    assert error[0] == "INVALID_OPTION" and "approve_uplevel" in error[1]
    untranscribed = new_job(emulator)
    error = call(emulator, "job/translate", job_id=untranscribed, target_languages="de").error()
    assert error[0] == "INVALID_QUERY" and "perform_transcription" in error[1]
    assert call(emulator, "job/translate", job_id=mechanical).error() == (
        "MISSING_PARAMETER",
        "missing required parameter: target_languages",
    )


def test_uplevel(emulator: Emulator) -> None:
    mechanical = transcribed(emulator)
    reply = call(
        emulator,
        "job/uplevel",
        job_id=mechanical,
        priority="CRITICAL",
        speaker_id="yes",
        timing="no",
        requestor="r",
        reference="ref",
        caption_import_as_fp="f",
    )
    document = ok(reply, 201)
    assert document["upleveled_workflow"] == "MechFP 2nd Pass Only"
    upleveled = emulator.jobs[document["upleveled_job_id"]]
    assert (upleveled.fidelity, upleveled.priority, upleveled.parent_job_id) == (
        "PROFESSIONAL",
        "CRITICAL",
        mechanical,
    )
    assert (upleveled.requestor, upleveled.reference) == ("r", "ref")
    assert info(emulator, upleveled.job_id)["JobStatus"] == "Complete"
    related = ok(call(emulator, "job/list_related", job_id=mechanical))
    assert [j["job_id"] for j in related["related_jobs"]] == [upleveled.job_id]
    error = call(emulator, "job/uplevel", job_id=upleveled.job_id).error()
    assert error[0] == "INVALID_QUERY" and "PROFESSIONAL" in error[1]
    error = call(emulator, "job/uplevel", job_id=mechanical, speaker_id="sometimes").error()
    assert error[0] == "INVALID_OPTION" and "speaker_id" in error[1]
    error = call(emulator, "job/uplevel", job_id=new_job(emulator)).error()
    assert error[0] == "INVALID_QUERY"


# --- outputs -------------------------------------------------------------------------------


def test_transcript_caption_and_element_list(emulator: Emulator) -> None:
    job_id = transcribed(emulator, "PROFESSIONAL")
    transcript = call(emulator, "job/get_transcript", job_id=job_id)
    assert transcript.status == 200 and transcript.headers["content-type"].startswith("text/plain")
    assert transcript.body.strip()
    upper = call(emulator, "job/get_transcript", job_id=job_id, create_paragraphs="false").body
    assert upper != transcript.body
    srt = call(emulator, "job/get_caption", job_id=job_id, caption_format="SRT")
    assert srt.status == 200 and srt.body.startswith(b"1\n00:00:")
    vtt = call(emulator, "job/get_caption", job_id=job_id, caption_format="WEB_VTT")
    assert vtt.body.startswith(b"WEBVTT")
    latest = ok(call(emulator, "job/get_elementlist", job_id=job_id))
    assert latest["version"] == 3 and latest["language"] == "en" and latest["segments"]
    versions = ok(call(emulator, "job/list_elementlists", job_id=job_id))
    mechanical = ok(
        call(
            emulator,
            "job/get_elementlist",
            job_id=job_id,
            elementlist_version=versions[0]["version"],
        )
    )
    assert mechanical != latest
    assert ok(call(emulator, "job/get_elementlist", job_id=job_id, iwp_name="MECHANICAL")) == (
        mechanical
    )
    assert ok(call(emulator, "job/get_elementlist", job_id=job_id, iwp_name="FINAL")) == latest
    mechanical_srt = call(
        emulator, "job/get_caption", job_id=job_id, caption_format="SRT", iwp_name="MECHANICAL"
    )
    assert mechanical_srt.body != srt.body


@pytest.mark.parametrize(
    ("action", "params", "error_type", "named"),
    [
        ("job/get_caption", {}, "MISSING_PARAMETER", "caption_format"),
        ("job/get_caption", {"caption_format": "MP4"}, "INVALID_OPTION", "caption_format"),
        ("job/get_caption", {"caption_format": "SCC"}, "NOT_IMPLEMENTED", "SCC"),
        (
            "job/get_caption",
            {"caption_format": "SRT", "force_case": "loud"},
            "INVALID_OPTION",
            "force_case",
        ),
        (
            "job/get_caption",
            {"caption_format": "SRT", "build_url": "y"},
            "INVALID_OPTION",
            "build_url",
        ),
        ("job/get_transcript", {"file_format": "doc"}, "INVALID_OPTION", "file_format"),
        ("job/get_elementlist", {"iwp_name": "LATEST"}, "INVALID_OPTION", "iwp_name"),
        ("job/get_elementlist", {"iwp_name": "PREMIUM"}, "ITEM_NOT_FOUND", "iwp_name"),
        (
            "job/get_elementlist",
            {"elementlist_version": "2000-01-01"},
            "ITEM_NOT_FOUND",
            "elementlist_version",
        ),
        ("job/burn_in_caption", {"send_to_email": "nobody"}, "INVALID_QUERY", "send_to_email"),
    ],
)
def test_output_refusals(
    emulator: Emulator, action: str, params: dict[str, str], error_type: str, named: str
) -> None:
    job_id = transcribed(emulator)
    error = call(emulator, action, job_id=job_id, **params).error()
    assert error[0] == error_type and named in error[1], error


@pytest.mark.parametrize(
    ("action", "params"),
    [
        ("job/get_transcript", {}),
        ("job/get_caption", {"caption_format": "SRT"}),
        ("job/get_elementlist", {}),
        ("job/burn_in_caption", {}),
    ],
)
def test_outputs_before_an_element_list_are_invalid_query(
    emulator: Emulator, action: str, params: dict[str, str]
) -> None:
    error = call(emulator, action, job_id=new_job(emulator), **params).error()
    assert error[0] == "INVALID_QUERY" and "no ElementList yet" in error[1]


def test_build_url_gives_a_permanent_caption_url(slow: Emulator) -> None:
    job_id = with_url_media(slow)
    ok(call(slow, "job/perform_transcription", job_id=job_id, **TRANSCRIBE))
    slow.advance(60)
    reply = call(
        slow,
        "job/get_caption",
        job_id=job_id,
        caption_format="SRT",
        build_url="true",
        force_case="upper",
    )
    url = ok(reply)["CaptionUrl"]
    assert url.startswith(f"http://127.0.0.1:{slow.port}/caption/")
    status, _, body = fetch(url)
    assert status == 200 and body.startswith(b"1\n00:00:") and body == body.upper()
    slow.advance(60)  # FINAL is out now, but the URL keeps the version it was built from
    assert fetch(url)[2] == body
    final = call(slow, "job/get_caption", job_id=job_id, caption_format="SRT", force_case="upper")
    assert final.body != body
    ok(call(slow, "job/delete", job_id=job_id))
    assert fetch(url)[0] == 404
    assert fetch(f"http://127.0.0.1:{slow.port}/caption/{'0' * 32}")[0] == 404


def test_burn_in_caption_answers_200_without_content(emulator: Emulator) -> None:
    job_id = transcribed(emulator)
    reply = call(emulator, "job/burn_in_caption", job_id=job_id, send_to_email="me@example.com")
    assert (reply.status, reply.body, reply.headers["content-length"]) == (200, b"", "0")
    ok(call(emulator, "job/burn_in_caption", job_id=job_id))
    assert emulator.jobs[job_id].burn_in_emails == ["me@example.com", ""]


# --- statistics ----------------------------------------------------------------------------


def test_aggregate_statistics_invariants(emulator: Emulator) -> None:
    emulator.add_account("child", "pw", parent="demo")
    transcribed(emulator)
    professional = transcribed(emulator, "PROFESSIONAL")
    ok(call(emulator, "job/translate", job_id=professional, target_languages="de,fr"), 201)
    french = new_job(emulator, language="fr")
    ok(call(emulator, "job/add_media", job_id=french, media_url="https://example.com/fr.mp4"))
    ok(
        call(
            emulator,
            "job/perform_transcription",
            job_id=french,
            **{**TRANSCRIBE, "transcription_fidelity": "PREMIUM"},
        )
    )
    child = new_job(emulator, username="child")
    ok(call(emulator, "job/add_media", job_id=child, media_url="https://example.com/c.mp4"))
    ok(call(emulator, "job/perform_transcription", job_id=child, **TRANSCRIBE))
    new_job(emulator)  # not transcribed: not billed

    minutes = -(-info(emulator, professional)["MediaLengthSeconds"] // 60)
    whole = ok(call(emulator, "job/aggregate_statistics"))
    assert set(whole) == {"data", "start_date", "end_date"}
    (bucket,) = whole["data"]
    assert bucket["billable_minutes_total"] == 5 * minutes
    assert bucket["billable_minutes_translation"] == 2 * minutes
    assert bucket["billable_minutes_foreign_transcription"] == minutes
    assert bucket["billable_minutes_premium"] == minutes
    assert bucket["billable_minutes_professional"] == 3 * minutes

    for params in ({}, {"account_id": "*"}, {"group_by": "week"}, {"group_by": "month"}):
        for bucket in ok(call(emulator, "job/aggregate_statistics", **params))["data"]:
            assert (
                bucket["billable_minutes_total"]
                == (
                    bucket["billable_minutes_foreign_transcription"]
                    + bucket["billable_minutes_english_transcription"]
                    + bucket["billable_minutes_translation"]
                )
                == (
                    bucket["billable_minutes_mechanical"]
                    + bucket["billable_minutes_premium"]
                    + bucket["billable_minutes_professional"]
                )
            )
    everyone = ok(call(emulator, "job/aggregate_statistics", account_id="*"))["data"][0]
    assert everyone["billable_minutes_total"] == 6 * minutes
    mine = ok(call(emulator, "job/aggregate_statistics", account_id="child"))["data"][0]
    assert mine["billable_minutes_total"] == minutes


def test_aggregate_statistics_buckets_and_metrics(emulator: Emulator) -> None:
    transcribed(emulator)
    metrics = json.dumps(["billable_minutes_total", "billable_minutes_mechanical"])
    weeks = ok(
        call(
            emulator,
            "job/aggregate_statistics",
            metrics=metrics,
            group_by="week",
            start_date="2015-03-30",
            end_date="2015-04-10",
        )
    )
    assert (weeks["start_date"], weeks["end_date"]) == (
        "2015-03-30T00:00:00",
        "2015-04-10T23:59:59.999999",
    )
    assert weeks["data"] == [
        {
            "billable_minutes_total": 0,
            "billable_minutes_mechanical": 0,
            "start_date": "2015-03-29T00:00:00",
            "end_date": "2015-04-04T23:59:59.999999",
        },
        {
            "billable_minutes_total": 0,
            "billable_minutes_mechanical": 0,
            "start_date": "2015-04-05T00:00:00",
            "end_date": "2015-04-11T23:59:59.999999",
        },
    ]
    months = ok(
        call(
            emulator,
            "job/aggregate_statistics",
            group_by="month",
            start_date="2015-12-15",
            end_date="2016-01-02",
        )
    )["data"]
    assert [(m["start_date"], m["end_date"]) for m in months] == [
        ("2015-12-01T00:00:00", "2015-12-31T23:59:59.999999"),
        ("2016-01-01T00:00:00", "2016-01-31T23:59:59.999999"),
    ]
    this_month = ok(call(emulator, "job/aggregate_statistics", group_by="month"))["data"]
    assert len(this_month) == 1 and this_month[0]["billable_minutes_total"] > 0


def test_aggregate_statistics_with_no_jobs_and_refusals(emulator: Emulator) -> None:
    empty = ok(call(emulator, "job/aggregate_statistics"))
    assert empty["data"] == [] and empty["start_date"] is None and ISO.match(empty["end_date"])
    for params, error_type, named in [
        ({"metrics": '["minutes"]'}, "INVALID_OPTION", "minutes"),
        ({"metrics": "billable_minutes_total"}, "INVALID_OPTION", "metrics"),
        ({"group_by": "day"}, "INVALID_OPTION", "group_by"),
        ({"start_date": "soon"}, "INVALID_QUERY", "start_date"),
        ({"start_date": "2020-01-02", "end_date": "2020-01-01"}, "INVALID_QUERY", "start_date"),
        ({"account_id": "ghost"}, "ACCOUNT_DOES_NOT_EXIST", "account_id"),
    ]:
        error = call(emulator, "job/aggregate_statistics", **params).error()
        assert error[0] == error_type and named in error[1], (params, error)


# --- no input makes the emulator fail ------------------------------------------------------

PARAMETER_NAMES = sorted(
    {
        "job_id",
        "job_name",
        "language",
        "external_id",
        "username",
        "requestor",
        "reference",
        "expected_speakers",
        "is_duplicate",
        "media_url",
        "transcription_fidelity",
        "priority",
        "callback_url",
        "options",
        "target_language",
        "turnaround_hours",
        "standard_product",
        "account_id",
        "requestor_id",
        "notes",
        "target_languages",
        "approve_uplevel",
        "speaker_id",
        "timing",
        "caption_import_as_fp",
        "format",
        "transcript_url",
        "guidelines_url",
        "is_html",
        "guidelines_data",
        "transcoded_version",
        "media_type",
        "text_to_speech",
        "caption_format",
        "build_url",
        "elementlist_version",
        "iwp_name",
        "audio_description",
        "send_to_email",
        "metrics",
        "group_by",
        "start_date",
        "end_date",
        "Username",
        "JobStatus",
        "Fidelity",
        "Priority",
        "JobName",
        "ExternalID",
        "CreationDateFrom",
        "CompleteDateTo",
        "TurnaroundTimeHoursFrom",
        "JobDifficulty",
        "setting",
        "value",
        "force_new",
        "api_securekey",
        "new_password",
        "new_username",
        "parent_account",
        "sub_account",
        "password",
        "securekey",
        "characters_per_caption_line",
        "srt_format",
        "dfxp_header",
        "sound_boundaries",
        "timecode_format",
        "remove_sounds_list",
    }
)
ODD_VALUES = ["", "x", "-1", "[", '{"a":', "9" * 40, "2014-02-30", "*", "null", "é\u2028%"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_values_never_make_the_emulator_fail(emulator: Emulator, value: str) -> None:
    from cielo24.emulator import server

    job_id = emulator.add_job(status="Complete", media_url="https://e.com/m.mp4").job_id
    params = {name: value for name in PARAMETER_NAMES}
    for path, route in server.ROUTES.items():
        for name in ("job_id",):
            for job in (job_id, value):
                query = {"v": 1, "api_token": emulator.api_token, **params, name: job}
                target = path + ("0" * 32 if route.prefix else "")
                for method in route.methods:
                    reply = send(emulator, method, target, query, b"" if method != "GET" else None)
                    assert reply.status < 500, (path, method, value, reply.body)


@pytest.mark.parametrize(
    ("start", "end", "group_by"),
    [
        ("0001-01-01", "0001-02-01", "week"),
        ("9999-12-01", "9999-12-31", "month"),
        ("1900-01-01", "2100-01-01", "week"),
    ],
)
def test_aggregate_statistics_at_the_edges_of_the_calendar(
    emulator: Emulator, start: str, end: str, group_by: str
) -> None:
    params = {"start_date": start, "end_date": end, "group_by": group_by}
    error = call(emulator, "job/aggregate_statistics", **params).error()
    assert error[0] == "INVALID_QUERY" and "start_date" in error[1]


@pytest.mark.parametrize("value", ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00"])
def test_dates_out_of_range_are_refused(emulator: Emulator, value: str) -> None:
    error = call(emulator, "job/list", CreationDateFrom=value).error()
    assert error[0] == "INVALID_QUERY" and "CreationDateFrom" in error[1]
