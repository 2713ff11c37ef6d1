"""add_media_file: streamed uploads from files, paths and bytes, and what is refused."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import RawServer, answer, response

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.models import NewJobBody
from cielo24.upload import BLOCK_SIZE, MAX_MEDIA_BYTES

MEDIA = os.urandom(3 * BLOCK_SIZE + 12345)
SHA = hashlib.sha256(MEDIA).hexdigest()


@pytest.fixture
def jobs(emulator: Emulator) -> Iterator[JobApi]:
    with cielo24.ApiClient(emulator.configuration()) as client:
        yield JobApi(client)


@pytest.fixture
def media_file(tmp_path: Path) -> Path:
    path = tmp_path / "talk.mp4"
    path.write_bytes(MEDIA)
    return path


def new_job(jobs: JobApi) -> str:
    job_id = jobs.new_job(NewJobBody()).job_id
    assert job_id is not None
    return job_id


def assert_received(emulator: Emulator, job_id: str, data: bytes = MEDIA) -> None:
    job = emulator.jobs[job_id]
    assert job.media_size == len(data)
    assert job.media_sha256 == hashlib.sha256(data).hexdigest()
    request = emulator.requests[-1]
    assert (request.method, request.path) == ("POST", "/api/job/add_media")
    assert request.headers["content-length"] == str(len(data))
    assert "transfer-encoding" not in request.headers
    assert request.query["job_id"] == [job_id]


def test_upload_from_an_open_file_twice_and_the_file_stays_usable(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    with media_file.open("rb") as media:
        first, second = new_job(jobs), new_job(jobs)
        result = jobs.add_media_file(first, len(MEDIA), media)
        assert not media.closed and media.tell() == 0
        assert_received(emulator, first)
        assert result.task_id in emulator.jobs[first].task_ids
        jobs.add_media_file(second, len(MEDIA), media)
        assert_received(emulator, second)
        assert not media.closed and media.tell() == 0
    assert emulator.requests[-1].headers["content-type"] == "video/mp4"


def test_upload_from_the_current_position(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    with media_file.open("rb") as media:
        media.seek(1000)
        job_id = new_job(jobs)
        jobs.add_media_file(job_id, len(MEDIA) - 1000, media)
        assert media.tell() == 1000
    assert_received(emulator, job_id, MEDIA[1000:])


def test_upload_from_a_path_and_from_bytes(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    for body in (media_file, str(media_file), MEDIA, bytearray(MEDIA), io.BytesIO(MEDIA)):
        job_id = new_job(jobs)
        jobs.add_media_file(job_id, len(MEDIA), body)  # type: ignore[arg-type]
        assert_received(emulator, job_id)


def test_is_duplicate_is_sent_when_given(jobs: JobApi, emulator: Emulator) -> None:
    jobs.add_media_file(new_job(jobs), 3, b"abc", is_duplicate=True)
    assert emulator.requests[-1].query["is_duplicate"] == ["true"]


def test_progress_callback_gets_bytes_sent_and_total(jobs: JobApi, emulator: Emulator) -> None:
    calls: list[tuple[int, int]] = []
    jobs.add_media_file(
        new_job(jobs), len(MEDIA), MEDIA, progress_callback=lambda s, t: calls.append((s, t))
    )
    assert calls == [
        (BLOCK_SIZE, len(MEDIA)),
        (2 * BLOCK_SIZE, len(MEDIA)),
        (3 * BLOCK_SIZE, len(MEDIA)),
        (len(MEDIA), len(MEDIA)),
    ]


def test_content_type_can_be_changed_or_left_out() -> None:
    with RawServer(answer(response(200, b'{"TaskId": "t"}'))) as server:
        configuration = cielo24.Configuration(host=server.url)
        configuration.api_key["ApiKeyAuth"] = "tok"
        with cielo24.ApiClient(configuration) as client:
            jobs = JobApi(client)
            jobs.add_media_file("j", 3, b"abc", _content_type="audio/wav")
            jobs.add_media_file("j", 3, b"abc", _content_type=None)
            jobs.add_media_file("j", 3, b"abc")
    wav, none, default = server.requests
    assert wav.headers["content-type"] == "audio/wav"
    assert "content-type" not in none.headers
    assert default.headers["content-type"] == "video/mp4"
    for request in server.requests:
        assert request.body == b"abc"
        assert request.headers["content-length"] == "3"
        assert "transfer-encoding" not in request.headers


def refused(
    jobs: JobApi,
    emulator: Emulator,
    error: type[Exception],
    match: str,
    *args: object,
    **kwargs: object,
) -> None:
    emulator.reset_requests()
    with pytest.raises(error, match=match):
        jobs.add_media_file("f" * 32, *args, **kwargs)  # type: ignore[arg-type]
    assert emulator.requests == []


def test_bad_lengths_are_refused_before_sending(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    too_big = MAX_MEDIA_BYTES + 1
    refused(jobs, emulator, cielo24.ApiValueError, f"got {too_big}", too_big, media_file)
    refused(jobs, emulator, cielo24.ApiValueError, "got 0", 0, b"")
    refused(jobs, emulator, cielo24.ApiTypeError, "int, got str: '3'", "3", b"abc")
    refused(jobs, emulator, cielo24.ApiTypeError, "int, got bool", True, b"a")
    with media_file.open("rb") as media:
        media.seek(10)
        left = len(MEDIA) - 10
        message = (
            f"content_length is {len(MEDIA)} but body .*talk.mp4' has {left} bytes from position 10"
        )
        refused(jobs, emulator, cielo24.ApiValueError, message, len(MEDIA), media)
        assert media.tell() == 10
    refused(jobs, emulator, cielo24.ApiValueError, "has 3 bytes", 4, b"abc")
    refused(jobs, emulator, cielo24.ApiValueError, "has 3 bytes", 2, b"abc")


def test_bad_bodies_are_refused_before_sending(
    jobs: JobApi, emulator: Emulator, media_file: Path, tmp_path: Path
) -> None:
    closed = media_file.open("rb")
    closed.close()
    refused(jobs, emulator, cielo24.ApiValueError, "talk.mp4' is closed", 3, closed)
    with media_file.open("r") as text:
        refused(jobs, emulator, cielo24.ApiTypeError, "text mode; open it with 'rb'", 3, text)
    refused(jobs, emulator, cielo24.ApiTypeError, "text mode", 3, io.StringIO("abc"))
    missing = tmp_path / "nope.mp4"
    refused(jobs, emulator, cielo24.ApiValueError, "nope.mp4' does not exist", 3, missing)
    refused(jobs, emulator, cielo24.ApiValueError, "is a directory", 3, tmp_path)
    refused(jobs, emulator, cielo24.ApiTypeError, "got int", 3, 12345)
    refused(
        jobs, emulator, cielo24.ApiTypeError, "must be callable", 3, b"abc", progress_callback=1
    )
    read_end, write_end = os.pipe()
    with os.fdopen(read_end, "rb") as pipe, os.fdopen(write_end, "wb"):
        refused(jobs, emulator, cielo24.ApiValueError, "is a named pipe", 3, pipe)


def test_a_refused_upload_leaves_the_callers_file_where_it_was(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    with media_file.open("rb") as media:
        media.seek(7)
        refused(jobs, emulator, cielo24.ApiValueError, "must be 1", len(MEDIA) - 7, media, 2)
        refused(
            jobs,
            emulator,
            cielo24.ApiTypeError,
            "unexpected keyword",
            len(MEDIA) - 7,
            media,
            _retries=3,
        )
        assert not media.closed and media.tell() == 7


def test_a_file_that_shrinks_during_the_upload_fails_clearly(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    def shrink(sent: int, total: int) -> None:
        if sent == BLOCK_SIZE:
            os.truncate(media_file, 2 * BLOCK_SIZE)

    job_id = new_job(jobs)
    with (
        media_file.open("rb") as media,
        pytest.raises(cielo24.ApiValueError, match="short of content_length"),
    ):
        jobs.add_media_file(job_id, len(MEDIA), media, progress_callback=shrink)
    assert emulator.jobs[job_id].media_size is None


def test_service_errors_on_upload_keep_the_file_usable(
    jobs: JobApi, emulator: Emulator, media_file: Path
) -> None:
    with media_file.open("rb") as media:
        with pytest.raises(cielo24.ItemNotFoundError) as caught:
            jobs.add_media_file("f" * 32, len(MEDIA), media)
        assert caught.value.error_type == "ITEM_NOT_FOUND"
        assert media.tell() == 0
        job_id = new_job(jobs)
        jobs.add_media_file(job_id, len(MEDIA), media)
    assert_received(emulator, job_id)
