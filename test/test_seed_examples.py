"""Every example of the seed document runs as written against the emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_examples import EXAMPLE_JOB_ID, example_emulator, python_blocks, run

from cielo24.emulator import Emulator

SEED = (Path(__file__).parent / "data" / "seed-JobApi.md").read_text()
BLOCKS = dict(
    zip(
        ["add_media_file", "add_media_url", "authorize_job", "new_job", "perform_transcription"],
        python_blocks(SEED),
    )
)
# The seed's perform_transcription example is not valid Python (issue 6 quotes it); this is
# the one change made to it, the quoting of a string literal.
INVALID = 'options="{"notes": "test"}",'
FIXED = 'options=\'{"notes": "test"}\','


@pytest.fixture
def media_file(tmp_path: Path) -> Path:
    path = tmp_path / "file"
    path.write_bytes(b"\x00")  # the examples upload content_length = 1
    return path


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    emu = example_emulator()
    yield emu
    emu.stop()


def test_the_seed_has_the_five_examples() -> None:
    assert len(BLOCKS) == 5
    for name, code in BLOCKS.items():
        assert f"api_instance.{name}(" in code


def test_add_media_file_uploads_twice_from_the_same_open_file(
    emulator: Emulator, media_file: Path
) -> None:
    output = run(BLOCKS["add_media_file"], emulator, media_file)
    job = emulator.jobs[EXAMPLE_JOB_ID]
    assert "AddMediaResponse(task_id='" in output
    assert job.media_size == 1
    # the second call found the handle open and back at its start (the SDK checks the bytes
    # left against content_length before sending), and the service refused a second media
    # for the job, as documented
    uploads = [r for r in emulator.requests if r.path == "/api/job/add_media"]
    assert [r.headers["content-length"] for r in uploads] == ["1", "1"]
    assert uploads[1].query["is_duplicate"] == ["false"]
    assert "Exception when calling JobApi->add_media_file: (400)" in output
    assert "INVALID_QUERY" in output and "already has media" in output


def test_add_media_url(emulator: Emulator, media_file: Path) -> None:
    output = run(BLOCKS["add_media_url"], emulator, media_file)
    assert "AddMediaResponse(task_id='" in output
    assert emulator.jobs[EXAMPLE_JOB_ID].media_url == "http://www.domain.com/video.mp4"
    assert "Exception when calling JobApi->add_media_url: (400)" in output


def test_authorize_job(media_file: Path) -> None:
    emulator = example_emulator(status="Authorizing")
    try:
        assert run(BLOCKS["authorize_job"], emulator, media_file) == ""
        assert emulator.jobs[EXAMPLE_JOB_ID].status == "Pending"
    finally:
        emulator.stop()


def test_new_job(emulator: Emulator, media_file: Path) -> None:
    output = run(BLOCKS["new_job"], emulator, media_file)
    assert output.startswith("NewJobResponse(job_id='")
    created = [job for job in emulator.jobs.values() if job.job_name == "job_name_example"]
    assert len(created) == 1
    assert created[0].language == "en (Any RFC 5646 language code)"
    assert created[0].expected_speakers == 40


def test_perform_transcription(media_file: Path) -> None:
    emulator = example_emulator(media_url="https://media.example.com/talk.mp4")
    try:
        code = BLOCKS["perform_transcription"]
        with pytest.raises(SyntaxError):
            compile(code, "seed", "exec")
        assert code.count(INVALID) == 1
        output = run(code.replace(INVALID, FIXED), emulator, media_file)
        assert output.startswith("PerformTranscriptionResponse(task_id='")
        job = emulator.jobs[EXAMPLE_JOB_ID]
        assert (job.fidelity, job.priority, job.turnaround_hours) == ("MECHANICAL", "STANDARD", 36)
        assert job.options == {"notes": "test"}
        assert job.callback_url == "http://www.domain.com/path"
    finally:
        emulator.stop()
