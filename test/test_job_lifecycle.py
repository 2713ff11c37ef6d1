"""The rest of JobApi against the emulator: a job's life from creation to captions."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import RawServer, answer, response

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.enums import CaptionFormat, Fidelity
from cielo24.models import (
    ElementList,
    ElementListVersion,
    JobInfoResponse,
    JobOptions,
    NewJobBody,
    PerformTranscriptionBody,
)

MEDIA = b"\x00\x01fake media\xff" * 1000
FORMATS = ["SRT", "WEB_VTT", "DFXP", "SBV", "SAMI", "QT", "TRANSCRIPT"]


@pytest.fixture
def jobs(emulator: Emulator) -> Iterator[JobApi]:
    with cielo24.ApiClient(emulator.configuration()) as client:
        yield JobApi(client)


def submitted(jobs: JobApi, fidelity: str = "MECHANICAL", **body: object) -> str:
    job_id = jobs.new_job(
        NewJobBody(job_name="talk", external_id="ext-7", is_duplicate=True)
    ).job_id
    assert job_id is not None
    jobs.add_media_file(job_id, len(MEDIA), MEDIA)
    jobs.perform_transcription(
        PerformTranscriptionBody(job_id=job_id, transcription_fidelity=fidelity, **body)  # type: ignore[arg-type]
    )
    return job_id


def test_job_info_reads_every_documented_field(jobs: JobApi) -> None:
    job_id = submitted(jobs, "PREMIUM")
    info = jobs.job_info(job_id)
    assert isinstance(info, JobInfoResponse)
    assert (info.job_id, info.job_name, info.external_id) == (job_id, "talk", "ext-7")
    assert info.job_status == "Complete"
    assert info.fidelity == "STANDARD" and info.requested_fidelity == Fidelity.PREMIUM
    assert isinstance(info.creation_date, dt.datetime)
    assert isinstance(info.completed_date, dt.datetime)
    assert info.source_language == "en"
    assert isinstance(info.options, dict)


def test_job_list_filters_are_sent_by_their_documented_names(
    jobs: JobApi, emulator: Emulator
) -> None:
    first = submitted(jobs)
    second = jobs.new_job(NewJobBody(job_name="other")).job_id
    listed = jobs.job_list()
    assert [job.job_id for job in listed.active_jobs or []][:2] == [second, first]
    assert isinstance((listed.active_jobs or [])[0], JobInfoResponse)
    done = jobs.job_list(job_status="Complete", external_id="ext-7", job_name="ta*")
    assert [job.job_id for job in done.active_jobs or []] == [first]
    query = emulator.requests[-1].query
    assert query["JobStatus"] == ["Complete"]
    assert query["ExternalId"] == ["ext-7"]
    assert query["JobName"] == ["ta*"]
    today = dt.date.today()
    jobs.job_list(creation_date_from=today, creation_date_to=dt.datetime(2100, 1, 1, 12, 30))
    query = emulator.requests[-1].query
    assert query["CreationDateFrom"] == [today.isoformat()]
    assert query["CreationDateTo"] == ["2100-01-01T12:30:00"]
    with pytest.raises(cielo24.ApiValueError, match="'Finished'"):
        jobs.job_list(job_status="Finished")
    with pytest.raises(cielo24.ApiTypeError, match="unexpected keyword argument.*status"):
        jobs.job_list(status="Complete")  # type: ignore[call-arg]
    jobs.job_list(_extra_params={"ExternalID": "ext-7"})
    assert emulator.requests[-1].query["ExternalID"] == ["ext-7"]


def test_delete_job(jobs: JobApi) -> None:
    job_id = submitted(jobs)
    assert len(jobs.delete_job(job_id).task_id or "") == 32
    assert job_id not in [job.job_id for job in jobs.job_list().active_jobs or []]


def test_delete_falls_back_to_the_older_path_on_a_plain_404() -> None:
    def behaviour(conn: object, server: RawServer) -> None:
        request = server.record(conn)  # type: ignore[arg-type]
        assert request is not None
        if request.target.startswith("/api/job/delete"):
            conn.sendall(response(404, b"Not Found", content_type="text/plain"))  # type: ignore[attr-defined]
        else:
            conn.sendall(response(200, b'{"TaskId": "t1"}'))  # type: ignore[attr-defined]

    with RawServer(behaviour) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client:
            assert JobApi(client).delete_job("j1").task_id == "t1"
    assert [r.target.split("?")[0] for r in server.requests] == ["/api/job/delete", "/api/job/del"]


def test_a_cielo24_404_is_not_retried_on_the_older_path() -> None:
    error = json.dumps({"ErrorType": "ITEM_NOT_FOUND", "ErrorComment": "no job"}).encode()
    with RawServer(answer(response(404, error))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client, pytest.raises(cielo24.ItemNotFoundError):
            JobApi(client).delete_job("j1")
    assert len(server.requests) == 1


def test_modify_job_sends_its_parameters_in_the_query(emulator: Emulator) -> None:
    customer = Emulator(customer_authorization=True)
    with customer as configuration, cielo24.ApiClient(configuration) as client:
        jobs = JobApi(client)
        job_id = jobs.new_job(NewJobBody()).job_id
        assert job_id is not None
        jobs.modify_job(job_id, priority="ECONOMY", turnaround_hours=72, notes="be careful")
        request = customer.requests[-1]
        assert (request.method, request.path) == ("POST", "/api/job/modify")
        assert request.query["priority"] == ["ECONOMY"]
        assert request.query["notes"] == ["be careful"]
        assert "transcription_fidelity" not in request.query
        with pytest.raises(cielo24.ApiValueError, match="'SLOW'"):
            jobs.modify_job(job_id, priority="SLOW")


def test_media_endpoints(jobs: JobApi, emulator: Emulator, tmp_path: Path) -> None:
    by_url = jobs.new_job(NewJobBody()).job_id
    assert by_url is not None
    jobs.add_embedded_media(by_url, "https://www.youtube.com/watch?v=abc&t=5")
    request = emulator.requests[-1]
    assert request.path == "/api/job/add_media_url"
    assert request.query["media_url"] == ["https://www.youtube.com/watch?v=abc&t=5"]
    assert jobs.get_media(by_url).media_url == "https://www.youtube.com/watch?v=abc&t=5"

    uploaded = submitted(jobs)
    assert (jobs.get_media(uploaded).media_url or "").startswith("http://127.0.0.1")
    assert jobs.get_transcoded_media(uploaded, "mp3").media_url
    target = tmp_path / "talk.mp4"
    assert jobs.download_media(uploaded, "mp4", target) == len(MEDIA)
    assert hashlib.sha256(target.read_bytes()).digest() == hashlib.sha256(MEDIA).digest()
    assert not (tmp_path / "talk.mp4.part").exists()
    sink = io.BytesIO()
    assert jobs.download_media(uploaded, "mp4", sink) == len(MEDIA)
    assert sink.getvalue() == MEDIA and not sink.closed
    with pytest.raises(cielo24.ApiValueError, match="'avi'"):
        jobs.download_media(uploaded, "avi", sink)


def test_a_failed_download_leaves_no_file(jobs: JobApi, tmp_path: Path) -> None:
    target = tmp_path / "missing.mp4"
    with pytest.raises(cielo24.ItemNotFoundError):
        jobs.download_media("f" * 32, "mp4", target)
    assert list(tmp_path.iterdir()) == []


def test_upload_through_a_presigned_url(jobs: JobApi, emulator: Emulator) -> None:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    upload_url = jobs.request_upload_url(job_id).upload_url
    assert upload_url is not None
    progress: list[int] = []
    jobs.upload_to_url(
        upload_url, len(MEDIA), MEDIA, progress_callback=lambda s, t: progress.append(s)
    )
    assert progress[-1] == len(MEDIA)
    put = emulator.requests[-1]
    assert put.method == "PUT"
    assert "api_token" not in put.query and "content-type" not in put.headers
    assert emulator.jobs[job_id].media_size == len(MEDIA)
    jobs.perform_transcription(
        PerformTranscriptionBody(job_id=job_id, transcription_fidelity="MECHANICAL")
    )
    assert jobs.job_info(job_id).job_status == "Complete"


def test_transcripts_and_guidelines_in(jobs: JobApi, emulator: Emulator) -> None:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    assert jobs.add_transcript_url(job_id, "https://files.example.com/t.srt", "srt").task_id
    other = jobs.new_job(NewJobBody()).job_id
    assert other is not None
    text = b"Hello there.\nGeneral Kenobi.\n"
    assert jobs.add_transcript_file(other, len(text), text, "text").task_id
    assert emulator.requests[-1].headers["content-type"] == "text/plain"
    with pytest.raises(cielo24.ApiValueError, match="'docx'"):
        jobs.add_transcript_url(job_id, "https://files.example.com/t.docx", "docx")
    stored = jobs.add_custom_guidelines(job_id, guidelines_data="Use British spelling.\nNo slang.")
    assert stored.to_dict()
    assert emulator.requests[-1].params["guidelines_data"] == "Use British spelling.\nNo slang."
    jobs.add_custom_guidelines(job_id, guidelines_url="https://example.com/g.html", is_html=True)
    assert emulator.requests[-1].query["is_html"] == ["true"]
    with pytest.raises(cielo24.ApiValueError, match="not both"):
        jobs.add_custom_guidelines(job_id)


def test_translation_uplevel_and_related_jobs(jobs: JobApi) -> None:
    job_id = submitted(jobs, "PROFESSIONAL")
    ordered = jobs.perform_translation(job_id, ["de", "fr"])
    assert len(ordered.translation_job_ids or []) == 2
    related = jobs.list_related_jobs(job_id)
    assert related.leading_job is not None and related.leading_job.job_id == job_id
    assert {j.job_id for j in related.related_jobs or []} >= set(ordered.translation_job_ids or [])
    mechanical = submitted(jobs)
    with pytest.raises(cielo24.ApiException):
        jobs.perform_translation(mechanical, "de")
    assert jobs.perform_translation(mechanical, "de", approve_uplevel=True).translation_job_ids
    upleveled = jobs.uplevel_job(mechanical, priority="STANDARD", speaker_id=True)
    assert len(upleveled.upleveled_job_id or "") == 32


def test_statistics_and_burn_in(jobs: JobApi, emulator: Emulator) -> None:
    submitted(jobs)
    stats = jobs.aggregate_statistics(
        metrics=["billable_minutes_total", "billable_minutes_mechanical"], group_by="month"
    )
    query = emulator.requests[-1].query
    assert json.loads(query["metrics"][0]) == [
        "billable_minutes_total",
        "billable_minutes_mechanical",
    ]
    assert stats.data and stats.data[0].billable_minutes_total is not None
    with pytest.raises(cielo24.ApiValueError, match="'minutes'"):
        jobs.aggregate_statistics(metrics=["minutes"])
    job_id = submitted(jobs)
    assert jobs.burn_in_caption(job_id, send_to_email="me@example.com") is None


def test_element_lists(jobs: JobApi) -> None:
    job_id = submitted(jobs, "PROFESSIONAL")
    versions = jobs.list_element_lists(job_id)
    assert all(isinstance(v, ElementListVersion) for v in versions)
    names = [v.iwp_name for v in versions]
    assert names[0] == "MECHANICAL" and "FINAL" in names
    latest = jobs.get_element_list(job_id)
    assert isinstance(latest, ElementList)
    assert latest.segments and latest.segments[0].sequences
    token = latest.segments[0].sequences[0].tokens[0]  # type: ignore[index]
    assert token.type in ("word", "punctuation", "sound")
    assert latest.speakers and latest.text()
    mechanical = jobs.get_element_list(job_id, elementlist_version=versions[0].version)
    assert mechanical != latest
    assert jobs.get_element_list(job_id, iwp_name="MECHANICAL") == mechanical


def test_an_element_list_streamed_to_a_file_is_the_json_the_model_reads(
    jobs: JobApi, tmp_path: Path
) -> None:
    job_id = submitted(jobs, "PROFESSIONAL")
    path = tmp_path / "words.json"
    written = jobs.get_element_list(job_id, destination=path)
    assert written == path.stat().st_size and not (tmp_path / "words.json.part").exists()
    assert ElementList.from_wire(json.loads(path.read_bytes())) == jobs.get_element_list(job_id)
    buffer = io.BytesIO(b"kept ")
    buffer.seek(0, io.SEEK_END)  # written from the file's position on
    written = jobs.get_element_list(job_id, iwp_name="MECHANICAL", destination=buffer)
    assert buffer.getvalue()[:5] == b"kept " and len(buffer.getvalue()) == 5 + written
    mechanical = jobs.get_element_list(job_id, iwp_name="MECHANICAL")
    assert ElementList.from_wire(json.loads(buffer.getvalue()[5:])) == mechanical


def test_transcript_options_reach_the_service(jobs: JobApi, emulator: Emulator) -> None:
    job_id = submitted(jobs)
    plain = jobs.get_transcript(job_id)
    assert isinstance(plain, str) and plain.strip()
    shouting = jobs.get_transcript(
        job_id,
        remove_disfluencies=False,
        remove_sounds_list=["MUSIC", "LAUGH"],
        sound_boundaries=("{", "}"),
        timecode_format="[%H:%M:%S]",
        create_paragraphs=False,
    )
    query = emulator.requests[-1].query
    assert query["remove_disfluencies"] == ["false"]
    assert query["remove_sounds_list"] == ['["MUSIC","LAUGH"]']
    assert query["sound_boundaries"] == ["('{','}')"]
    assert shouting != plain
    with pytest.raises(cielo24.ApiValueError, match="'doc'"):
        jobs.get_transcript(job_id, file_format="doc")
    with pytest.raises(cielo24.ApiValueError, match="two single characters"):
        jobs.get_transcript(job_id, sound_boundaries=("<<", ">>"))  # type: ignore[typeddict-item]


def test_captions_in_every_supported_format(jobs: JobApi, tmp_path: Path) -> None:
    job_id = submitted(jobs)
    for caption_format in FORMATS:
        text = jobs.get_caption(job_id, caption_format)
        assert text.strip(), caption_format
        saved = tmp_path / f"talk.{caption_format.lower()}"
        assert jobs.get_caption(job_id, caption_format, destination=saved) == saved.stat().st_size
        assert saved.read_text(encoding="utf-8") == text
    assert jobs.get_caption(job_id, CaptionFormat.SRT).startswith("1\n00:00:")
    assert jobs.get_caption(job_id, "WEB_VTT").startswith("WEBVTT")
    with pytest.raises(cielo24.NotImplementedByServiceError):
        jobs.get_caption(job_id, "SCC")
    with pytest.raises(cielo24.ApiValueError, match="'MP4'"):
        jobs.get_caption(job_id, "MP4")


def test_caption_options_take_effect(jobs: JobApi, emulator: Emulator) -> None:
    job_id = submitted(jobs)
    narrow = jobs.get_caption(
        job_id,
        "SRT",
        characters_per_caption_line=20,
        force_case="upper",
        line_ending_format="WINDOWS",
    )
    text_lines = [
        line for line in narrow.split("\r\n") if line and "-->" not in line and not line.isdigit()
    ]
    assert text_lines and all(len(line) <= 20 for line in text_lines)
    assert all(line == line.upper() for line in text_lines)
    query = emulator.requests[-1].query
    assert query["characters_per_caption_line"] == ["20"]
    assert query["force_case"] == ["upper"]
    with pytest.raises(cielo24.ApiValueError, match="'loud'"):
        jobs.get_caption(job_id, "SRT", force_case="loud")
    with pytest.raises(cielo24.ApiTypeError, match="characters_per_caption_line"):
        jobs.get_caption(job_id, "SRT", characters_per_caption_line="20")  # type: ignore[typeddict-item]


def test_build_url_returns_a_permanent_url(jobs: JobApi, emulator: Emulator) -> None:
    job_id = submitted(jobs)
    url = jobs.get_caption(job_id, "SRT", build_url=True)
    assert url.startswith("http://127.0.0.1")
    assert emulator.requests[-1].query["build_url"] == ["true"]
    with pytest.raises(cielo24.ApiValueError, match="destination"):
        jobs.get_caption(job_id, "SRT", build_url=True, destination=io.BytesIO())


def test_outputs_before_the_job_is_done_are_a_service_error(jobs: JobApi) -> None:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    with pytest.raises(cielo24.InvalidRequestError):
        jobs.get_caption(job_id, "SRT")


def test_media_failure_is_reported_by_job_info(jobs: JobApi) -> None:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    jobs.add_media_url(job_id, "https://media.example.com/media-failure.mp4")
    jobs.perform_transcription(
        PerformTranscriptionBody(job_id=job_id, transcription_fidelity="MECHANICAL")
    )
    assert jobs.job_info(job_id).job_status == "Media Failure"


def test_the_clock_moves_a_job_through_its_states() -> None:
    emulator = Emulator(processing_seconds=100)
    with emulator as configuration, cielo24.ApiClient(configuration) as client:
        jobs = JobApi(client)
        job_id = submitted(jobs, options=JobOptions(return_iwp=["MECHANICAL"]))
        assert jobs.job_info(job_id).job_status == "In Process"
        assert jobs.list_element_lists(job_id) == []
        emulator.advance(60)
        assert [v.iwp_name for v in jobs.list_element_lists(job_id)] == ["MECHANICAL"]
        emulator.advance(60)
        info = jobs.job_info(job_id)
        assert info.job_status == "Complete"
        assert info.completed_date is not None


def test_build_url_works_with_every_per_call_option(jobs: JobApi) -> None:
    job_id = submitted(jobs)
    pending = jobs.get_caption(job_id, "SRT", build_url=True, async_req=True)
    assert pending.get(timeout=10).startswith("http://127.0.0.1")  # type: ignore[attr-defined]
    url, status, _ = jobs.get_caption(job_id, "SRT", build_url=True, _return_http_data_only=False)  # type: ignore[misc]
    assert url.startswith("http://") and status == 200


def test_a_build_url_answer_without_the_url_is_unexpected() -> None:
    with RawServer(answer(response(200, b'{"Something": "else"}'))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client:
            with pytest.raises(cielo24.UnexpectedResponseError):
                JobApi(client).get_caption("j", "SRT", build_url=True)


def test_destination_with_status_and_headers(jobs: JobApi, tmp_path: Path) -> None:
    job_id = submitted(jobs)
    written, status, _headers = jobs.get_caption(  # type: ignore[misc]
        job_id, "SRT", destination=tmp_path / "a.srt", _return_http_data_only=False
    )
    assert written == (tmp_path / "a.srt").stat().st_size and status == 200
    with pytest.raises(cielo24.ApiValueError, match="_preload_content"):
        jobs.get_caption(job_id, "SRT", destination=tmp_path / "b.srt", _preload_content=False)


def test_accept_header_fits_the_answer(jobs: JobApi, emulator: Emulator) -> None:
    job_id = submitted(jobs)
    jobs.get_caption(job_id, "SRT")
    assert emulator.requests[-1].headers["accept"] == "*/*"
    jobs.job_info(job_id)
    assert emulator.requests[-1].headers["accept"] == "application/json"


def test_more_arguments_checked_before_sending(jobs: JobApi, emulator: Emulator) -> None:
    job_id = submitted(jobs)
    stats = jobs.aggregate_statistics(metrics="billable_minutes_total")
    assert emulator.requests[-1].query["metrics"] == ['["billable_minutes_total"]']
    assert stats.data is not None
    emulator.reset_requests()
    with pytest.raises(cielo24.ApiValueError, match="'LATEST'"):
        jobs.get_element_list(job_id, iwp_name="LATEST")
    with pytest.raises(cielo24.ApiValueError, match="http"):
        jobs.modify_job(job_id, callback_url="hooks.example.com/done")
    with pytest.raises(cielo24.ApiValueError, match="positive"):
        jobs.modify_job(job_id, turnaround_hours=0)
    assert emulator.requests == []
