"""JobApi against the emulator and a recording server: every method, parameter and option."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlsplit

import pytest
import urllib3
from servers import RawServer, answer, response

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import (
    AddMediaResponse,
    JobOptions,
    NewJobBody,
    NewJobResponse,
    PerformTranscriptionBody,
    PerformTranscriptionResponse,
)

AWKWARD = "a b&c#d/é?x=1+2%"


@pytest.fixture
def client(emulator: Emulator) -> Iterator[cielo24.ApiClient]:
    with cielo24.ApiClient(emulator.configuration()) as api_client:
        yield api_client


@pytest.fixture
def jobs(client: cielo24.ApiClient) -> JobApi:
    return JobApi(client)


def new_job_with_media(jobs: JobApi) -> str:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    jobs.add_media_url(job_id, "https://media.example.com/talk.mp4")
    return job_id


def test_new_job_posts_json_and_repeats_every_field_in_the_query(
    jobs: JobApi, emulator: Emulator
) -> None:
    body = NewJobBody(
        job_name=AWKWARD,
        language="en",
        external_id="ext-1",
        username="sub",
        requestor="req",
        reference="ref",
        expected_speakers=3,
        is_duplicate=False,
    )
    result = jobs.new_job(body)
    assert isinstance(result, NewJobResponse)
    assert result.job_id in emulator.jobs
    assert len(result.task_id or "") == 32
    job = emulator.jobs[result.job_id]
    assert (job.job_name, job.external_id, job.username) == (AWKWARD, "ext-1", "sub")
    assert (job.requestor, job.reference, job.expected_speakers) == ("req", "ref", 3)
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/api/job/new")
    assert request.query == {
        "v": ["1"],
        "job_name": [AWKWARD],
        "language": ["en"],
        "external_id": ["ext-1"],
        "username": ["sub"],
        "requestor": ["req"],
        "reference": ["ref"],
        "expected_speakers": ["3"],
        "is_duplicate": ["false"],
        "api_token": [emulator.api_token],
    }
    assert request.headers["content-type"] == "application/json"
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"] == f"cielo24-python/{cielo24.__version__}"


def test_unset_fields_are_not_sent_as_nulls() -> None:
    with RawServer(answer(response(200, b'{"JobId": "j", "TaskId": "t"}'))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client:
            JobApi(client).new_job(NewJobBody(job_name="only this"))
            JobApi(client).add_media_url("j", "https://m.example.com/a.mp4")
            JobApi(client).perform_transcription(
                PerformTranscriptionBody(job_id="j", transcription_fidelity="PREMIUM")
            )
    new, add, perform = server.requests
    assert json.loads(new.body) == {"job_name": "only this"}
    assert "is_duplicate" not in add.target
    assert json.loads(perform.body) == {
        "job_id": "j",
        "transcription_fidelity": "PREMIUM",
        "priority": "STANDARD",
    }
    assert "null" not in (new.body + perform.body).decode()


def test_add_media_url_sends_query_parameters_intact(jobs: JobApi, emulator: Emulator) -> None:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    media_url = f"https://media.example.com/{AWKWARD}.mp4?sig=a&b=c"
    result = jobs.add_media_url(job_id, media_url, is_duplicate="true")
    assert isinstance(result, AddMediaResponse)
    assert result.task_id in emulator.jobs[job_id].task_ids
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("GET", "/api/job/add_media")
    assert request.query["media_url"] == [media_url]
    assert request.query["job_id"] == [job_id]
    assert request.query["is_duplicate"] == ["true"]
    assert emulator.jobs[job_id].media_url == media_url


def test_a_second_media_is_the_service_error(jobs: JobApi) -> None:
    job_id = new_job_with_media(jobs)
    with pytest.raises(cielo24.InvalidRequestError) as caught:
        jobs.add_media_url(job_id, "https://media.example.com/other.mp4")
    assert caught.value.error_type == "INVALID_QUERY"
    assert "media" in (caught.value.error_comment or "")


def test_perform_transcription_posts_every_field(jobs: JobApi, emulator: Emulator) -> None:
    job_id = new_job_with_media(jobs)
    body = PerformTranscriptionBody(
        job_id=job_id,
        transcription_fidelity="PROFESSIONAL",
        priority="PRIORITY",
        callback_url="https://hooks.example.com/done?job={job_id}&iwp={iwp_name}",
        options=JobOptions(notes=AWKWARD, return_iwp=["MECHANICAL", "FINAL"], speaker_id=True),
        target_language=["de", "fr"],
        turnaround_hours=36,
    )
    result = jobs.perform_transcription(body)
    assert isinstance(result, PerformTranscriptionResponse)
    job = emulator.jobs[job_id]
    assert result.task_id in job.task_ids
    assert (job.fidelity, job.priority, job.turnaround_hours) == ("PROFESSIONAL", "PRIORITY", 36)
    assert job.callback_url == "https://hooks.example.com/done?job={job_id}&iwp={iwp_name}"
    assert job.options == {
        "notes": AWKWARD,
        "return_iwp": ["MECHANICAL", "FINAL"],
        "speaker_id": True,
    }
    assert job.target_language == "de,fr"
    assert job.status == "In Process"
    request = emulator.requests[-1]
    assert request.headers["content-type"] == "application/json"
    options = (
        '{"notes":"a b&c#d/\\u00e9?x=1+2%","return_iwp":["MECHANICAL","FINAL"],"speaker_id":true}'
    )
    assert request.query == {
        "v": ["1"],
        "job_id": [job_id],
        "transcription_fidelity": ["PROFESSIONAL"],
        "priority": ["PRIORITY"],
        "callback_url": ["https://hooks.example.com/done?job={job_id}&iwp={iwp_name}"],
        "options": [options],
        "target_language": ["de,fr"],
        "turnaround_hours": ["36"],
        "api_token": [emulator.api_token],
    }


def test_authorize_job_sends_the_job_id_in_the_query() -> None:
    emulator = Emulator(customer_authorization=True)
    with emulator as configuration, cielo24.ApiClient(configuration) as client:
        jobs = JobApi(client)
        job_id = new_job_with_media(jobs)
        assert emulator.jobs[job_id].status == "Authorizing"
        assert jobs.authorize_job(job_id) is None
        assert emulator.jobs[job_id].status == "Pending"
        request = emulator.requests[-1]
        assert (request.method, request.path) == ("POST", "/api/job/authorize")
        assert request.query["job_id"] == [job_id]
        with pytest.raises(cielo24.ItemNotFoundError):
            jobs.authorize_job("f" * 32)


def test_bad_arguments_are_refused_before_anything_is_sent(
    jobs: JobApi, emulator: Emulator
) -> None:
    emulator.reset_requests()
    with pytest.raises(cielo24.ApiTypeError, match="job_id must be str, got int: 7"):
        jobs.add_media_url(7, "https://m.example.com/a.mp4")  # type: ignore[arg-type]
    with pytest.raises(cielo24.ApiValueError, match="job_id is required"):
        jobs.authorize_job("")
    with pytest.raises(cielo24.ApiValueError, match="'maybe'"):
        jobs.add_media_url("j", "https://m.example.com/a.mp4", is_duplicate="maybe")
    with pytest.raises(cielo24.ApiValueError, match="must be 1, the only API version, got 2"):
        jobs.new_job(NewJobBody(), v=2)
    with pytest.raises(
        cielo24.ApiTypeError, match="needs a NewJobBody, got PerformTranscriptionBody"
    ):
        jobs.new_job(PerformTranscriptionBody(job_id="j", transcription_fidelity="MECHANICAL"))  # type: ignore[arg-type]
    with pytest.raises(cielo24.ApiTypeError, match="unexpected keyword argument.*_timeout"):
        jobs.new_job(NewJobBody(), _timeout=3)  # type: ignore[call-arg]
    assert emulator.requests == []


def test_a_dict_body_is_checked_like_the_model(jobs: JobApi, emulator: Emulator) -> None:
    result = jobs.new_job({"job_name": "from a dict"})  # type: ignore[arg-type]
    assert emulator.jobs[result.job_id].job_name == "from a dict"
    with pytest.raises(cielo24.ApiTypeError, match="expected_speakers"):
        jobs.new_job({"expected_speakers": "two"})  # type: ignore[arg-type]


def test_missing_token_is_refused_before_sending(emulator: Emulator) -> None:
    configuration = cielo24.Configuration(host=emulator.url)
    with cielo24.ApiClient(configuration) as client:
        with pytest.raises(cielo24.ApiKeyError, match=r"api_key\['ApiKeyAuth'\]"):
            JobApi(client).new_job(NewJobBody())
    assert emulator.requests == []


def test_wrong_token_is_bad_api_token(emulator: Emulator) -> None:
    configuration = emulator.configuration()
    configuration.api_key["ApiKeyAuth"] = "0" * 32
    with cielo24.ApiClient(configuration) as client:
        with pytest.raises(cielo24.BadApiTokenError) as caught:
            JobApi(client).new_job(NewJobBody())
    assert caught.value.error_type == "BAD_API_TOKEN"
    assert "0" * 32 not in str(caught.value)


def test_api_key_prefix_is_joined_with_a_space() -> None:
    with RawServer(answer(response(200, b'{"JobId": "j"}'))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        configuration.api_key_prefix["ApiKeyAuth"] = "Bearer"
        with cielo24.ApiClient(configuration) as client:
            JobApi(client).new_job(NewJobBody())
    query = parse_qs(urlsplit(server.requests[0].target).query)
    assert query["api_token"] == ["Bearer tok"]


def test_return_http_data_only_false_gives_status_and_headers(jobs: JobApi) -> None:
    data, status, headers = jobs.new_job(NewJobBody(), _return_http_data_only=False)  # type: ignore[misc]
    assert isinstance(data, NewJobResponse)
    assert status == 200
    assert headers["Content-Type"] == "application/json"


def test_preload_content_false_gives_the_raw_response(jobs: JobApi) -> None:
    raw = jobs.new_job(NewJobBody(), _preload_content=False)
    assert isinstance(raw, urllib3.HTTPResponse)
    assert set(json.loads(raw.read())) == {"JobId", "TaskId"}
    raw.release_conn()


def test_async_req_runs_on_a_worker_and_only_then_makes_a_pool(jobs: JobApi) -> None:
    jobs.new_job(NewJobBody())
    assert not [t for t in threading.enumerate() if t.name.startswith("cielo24-async")]
    pending = jobs.new_job(NewJobBody(job_name="async"), async_req=True)
    assert isinstance(pending, cielo24.AsyncResult)
    result = pending.get(timeout=10)
    assert isinstance(result, NewJobResponse)
    assert pending.ready()
    assert [t for t in threading.enumerate() if t.name.startswith("cielo24-async")]
    failing = jobs.authorize_job("f" * 32, async_req=True)
    with pytest.raises(cielo24.ItemNotFoundError):
        failing.get(timeout=10)  # type: ignore[attr-defined]


def test_content_type_can_be_changed_per_call() -> None:
    with RawServer(answer(response(200, b"{}"))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client:
            JobApi(client).new_job(NewJobBody(), _content_type="application/json; charset=utf-8")
    assert server.requests[0].headers["content-type"] == "application/json; charset=utf-8"


def test_default_headers(emulator: Emulator) -> None:
    with cielo24.ApiClient(emulator.configuration(), "X-Trace", "abc") as client:
        client.user_agent = "my-app/2"
        client.set_default_header("X-Team", "captions")
        JobApi(client).new_job(NewJobBody())
    headers = emulator.requests[-1].headers
    assert (headers["x-trace"], headers["x-team"]) == ("abc", "captions")
    assert headers["user-agent"] == "my-app/2"


def test_one_client_shared_by_16_threads(emulator: Emulator) -> None:
    configuration = emulator.configuration()
    with cielo24.ApiClient(configuration) as client:
        jobs = JobApi(client)

        def create(i: int) -> tuple[int, str]:
            job_id = jobs.new_job(NewJobBody(job_name=f"job {i}")).job_id
            assert job_id is not None
            return i, job_id

        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(create, range(160)))
    assert len({job_id for _, job_id in results}) == 160
    for i, job_id in results:
        assert emulator.jobs[job_id].job_name == f"job {i}"


def test_debug_log_masks_the_token(
    jobs: JobApi, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        jobs.new_job(NewJobBody())
    cielo24_lines = [r.getMessage() for r in caplog.records if r.name == "cielo24"]
    assert any("POST http://127.0.0.1" in line and "-> 200" in line for line in cielo24_lines)
    assert any("api_token=***" in line for line in cielo24_lines)
    urllib3_lines = [r.getMessage() for r in caplog.records if r.name.startswith("urllib3")]
    assert any("/api/job/new" in line for line in urllib3_lines)
    for record in caplog.records:
        assert emulator.api_token not in record.getMessage()


def test_the_generated_clients_per_call_options_are_accepted(
    jobs: JobApi, emulator: Emulator
) -> None:
    with pytest.warns(DeprecationWarning) as caught:
        job = jobs.new_job(
            NewJobBody(job_name="old code"),
            _check_return_type=False,
            _check_input_type=True,
            _spec_property_naming=False,
            _request_auths=None,
            _host_index=0,
        )
    assert job.job_id in emulator.jobs
    warned = {str(w.message).split(":")[1].strip().split(" ")[0] for w in caught}
    assert warned == {
        "_check_return_type",
        "_check_input_type",
        "_spec_property_naming",
        "_request_auths",
    }
    assert all(w.filename == __file__ for w in caught)
    emulator.reset_requests()
    with pytest.raises(cielo24.ApiValueError, match="_host_index must be 0.*got 2"):
        jobs.job_info(job.job_id, _host_index=2)
    assert emulator.requests == []


def test_the_emulator_sees_new_job_and_perform_transcription_fields_in_both_places(
    jobs: JobApi, emulator: Emulator
) -> None:
    assert emulator.strict  # the suite runs the emulator in strict mode
    job_id = jobs.new_job(NewJobBody(job_name="both", external_id="e-1", language="en")).job_id
    new = emulator.requests[-1]
    for name in ("job_name", "external_id", "language"):
        assert new.sources[name] == ("query", "json"), name
    jobs.add_media_url(job_id, "https://media.example.com/a.mp4")
    jobs.perform_transcription(
        PerformTranscriptionBody(
            job_id=job_id,
            transcription_fidelity="MECHANICAL",
            callback_url="https://hooks.example.com/?j={job_id}",
            options=JobOptions(notes="n"),
        )
    )
    perform = emulator.requests[-1]
    for name in ("job_id", "transcription_fidelity", "priority", "callback_url", "options"):
        assert perform.sources[name] == ("query", "json"), name
    assert emulator.jobs[job_id].callback_url == "https://hooks.example.com/?j={job_id}"


def test_with_raw_response_gives_status_headers_and_the_parsed_answer(jobs: JobApi) -> None:
    raw = jobs.with_raw_response.new_job(NewJobBody(job_name="raw"))
    assert isinstance(raw, cielo24.RawResponse)
    assert raw.status == 200
    assert "json" in raw.headers["Content-Type"]
    assert isinstance(raw.data, NewJobResponse) and len(raw.data.job_id) == 32
    info = jobs.with_raw_response.job_info(raw.data.job_id)
    assert info.data.job_name == "raw"
    assert jobs.with_raw_response.authorize_job(raw.data.job_id).data is None
    jobs.add_media_url(raw.data.job_id, "https://media.example.com/talk.mp4")
    jobs.perform_transcription(
        PerformTranscriptionBody(job_id=raw.data.job_id, transcription_fidelity="MECHANICAL")
    )
    caption = jobs.with_raw_response.get_caption(raw.data.job_id, "SRT")
    assert caption.status == 200 and caption.data.startswith("1\n00:00:03,100 --> ")
    url = jobs.with_raw_response.get_caption(raw.data.job_id, "SRT", build_url=True)
    assert url.data.startswith("http://127.0.0.1")
    assert repr(info) == "RawResponse[JobInfoResponse](status=200)"


def test_with_raw_response_raises_the_service_errors_as_the_method_does(jobs: JobApi) -> None:
    with pytest.raises(cielo24.ItemNotFoundError) as caught:
        jobs.with_raw_response.job_info("f" * 32)
    assert caught.value.error_type == "ITEM_NOT_FOUND"


@pytest.mark.parametrize(
    "option", [{"async_req": True}, {"_preload_content": False}, {"destination": "x.txt"}]
)
def test_with_raw_response_refuses_another_return_shape_before_sending(
    jobs: JobApi, emulator: Emulator, option: dict[str, object]
) -> None:
    sent = len(emulator.requests)
    with pytest.raises(
        cielo24.ApiTypeError, match=f"with_raw_response.get_transcript.*{next(iter(option))}"
    ):
        jobs.with_raw_response.get_transcript("f" * 32, **option)  # type: ignore[arg-type]
    assert len(emulator.requests) == sent


def test_submit_runs_any_method_on_a_worker(client: cielo24.ApiClient, jobs: JobApi) -> None:
    pending = client.submit(jobs.new_job, NewJobBody(job_name="submitted"))
    job_id = pending.get(timeout=10).job_id
    raw = client.submit(jobs.with_raw_response.job_info, job_id).get(timeout=10)
    assert (raw.status, raw.data.job_name) == (200, "submitted")
    assert [t for t in threading.enumerate() if t.name.startswith("cielo24-async")]
    with pytest.raises(cielo24.ItemNotFoundError):
        client.submit(jobs.authorize_job, "f" * 32).get(timeout=10)
