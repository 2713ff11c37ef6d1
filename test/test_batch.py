"""cielo24.transcribe_many and ``cielo24 transcribe`` as a batch, against the emulator: one job
per media however often it runs, resumed from the state file or from the service, inputs
checked before the first job, the report and the exit codes, Ctrl-C, and one poller."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.batch import MediaItem, read_media_list
from cielo24.cli import errors
from cielo24.emulator import Emulator

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "media" / "sample.wav"
URL = "https://media.example.com/lecture-1.mp4"


def media_files(directory: Path, count: int, size: int = 2000) -> list[str]:
    """``count`` media files of different content."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = directory / f"talk-{index}.wav"
        path.write_bytes(index.to_bytes(4, "big") * (size // 4))
        paths.append(str(path))
    return paths


def live_jobs(emulator: Emulator) -> list[str]:
    return [job_id for job_id, job in emulator.jobs.items() if job.deleted_at is None]


def run_cli(emulator: Emulator, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIELO24_")}
    env.update(PYTHONPATH=str(ROOT), CIELO24_HOST=emulator.url)
    env.update(CIELO24_API_TOKEN=emulator.api_token, HOME=str(cwd))
    return subprocess.run(
        [sys.executable, "-m", "cielo24", "transcribe", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def test_a_batch_makes_one_job_per_media_and_writes_every_caption(
    emulator: Emulator, tmp_path: Path
) -> None:
    media = [*media_files(tmp_path / "in", 4), URL]
    result = cielo24.transcribe_many(
        media,
        fidelity="MECHANICAL",
        caption_formats=["SRT", "WEB_VTT"],
        output_dir=tmp_path / "out",
        parallel=3,
        configuration=emulator.configuration(),
    )
    assert result.ok and [m.media for m in result] == media
    assert sorted(m.job_id for m in result) == sorted(live_jobs(emulator))
    for item in result:
        assert item.status == "Complete" and item.external_id.startswith("c24b-")
        assert emulator.jobs[item.job_id].external_id == item.external_id
        assert Path(item.captions["SRT"]).read_text().startswith("1\n00:00:03,100 --> ")
        assert Path(item.captions["WEB_VTT"]).read_text().startswith("WEBVTT")
    assert Path(result.media[4].captions["SRT"]).name == "lecture-1.srt"
    assert (tmp_path / "out" / ".cielo24-batch.sqlite").exists()


def test_run_again_it_makes_no_job_and_sends_nothing(emulator: Emulator, tmp_path: Path) -> None:
    media = [*media_files(tmp_path / "in", 3), URL]
    first = cielo24.transcribe_many(
        media, fidelity="MECHANICAL", output_dir=tmp_path, configuration=emulator.configuration()
    )
    emulator.reset_requests()
    again = cielo24.transcribe_many(
        media, fidelity="MECHANICAL", output_dir=tmp_path, configuration=emulator.configuration()
    )
    assert [m.job_id for m in again] == [m.job_id for m in first]
    assert [m.captions for m in again] == [m.captions for m in first]
    assert emulator.requests == [] and len(live_jobs(emulator)) == 4


def test_a_lost_state_file_still_makes_no_second_job(emulator: Emulator, tmp_path: Path) -> None:
    media = [*media_files(tmp_path / "in", 3), URL]
    first = cielo24.transcribe_many(
        media, fidelity="MECHANICAL", output_dir=tmp_path, configuration=emulator.configuration()
    )
    (tmp_path / ".cielo24-batch.sqlite").unlink()
    for caption in tmp_path.glob("*.srt"):
        caption.unlink()
    emulator.reset_requests()
    again = cielo24.transcribe_many(
        media, fidelity="MECHANICAL", output_dir=tmp_path, configuration=emulator.configuration()
    )
    assert [m.job_id for m in again] == [m.job_id for m in first] and again.ok
    assert len(live_jobs(emulator)) == 4 and len(list(tmp_path.glob("*.srt"))) == 4
    assert len(emulator.jobs) == 4  # none made and deleted either


def test_a_job_found_half_done_is_resumed_where_it_is(emulator: Emulator, tmp_path: Path) -> None:
    """A job made for the media earlier (here by hand, with the batch's external id) but
    without media: the batch adds the media and asks for it, and makes no job."""
    [path] = media_files(tmp_path / "in", 1)
    external_id = cielo24.batch.external_id_for(cielo24.batch.media_identity(path), "PREMIUM")
    with cielo24.ApiClient(emulator.configuration()) as client:
        job_id = JobApi(client).new_job(cielo24.batch.NewJobBody(external_id=external_id)).job_id
    result = cielo24.transcribe_many(
        [path], fidelity="PREMIUM", output_dir=tmp_path, configuration=emulator.configuration()
    )
    assert [m.job_id for m in result] == [job_id] and result.ok
    job = emulator.jobs[job_id]
    assert job.media_size == 2000 and job.fidelity == "PREMIUM"
    assert live_jobs(emulator) == [job_id]


def test_the_same_url_twice_from_the_command_line_is_one_job(
    emulator: Emulator, tmp_path: Path
) -> None:
    first = run_cli(emulator, URL, "-q", cwd=tmp_path)
    second = run_cli(emulator, URL, "-q", cwd=tmp_path)
    assert first.returncode == second.returncode == 0, second.stderr
    assert first.stdout == second.stdout and first.stdout.startswith("1\n")
    assert len(live_jobs(emulator)) == 1
    third = run_cli(emulator, URL, "-q", "--new-job", cwd=tmp_path)
    assert third.returncode == 0, third.stderr
    assert len(live_jobs(emulator)) == 2  # --new-job asked for another


def test_media_with_the_same_content_share_one_job(emulator: Emulator, tmp_path: Path) -> None:
    (tmp_path / "a.wav").write_bytes(SAMPLE.read_bytes())
    (tmp_path / "copy of a.wav").write_bytes(SAMPLE.read_bytes())
    result = cielo24.transcribe_many(
        [tmp_path / "a.wav", tmp_path / "copy of a.wav"],
        fidelity="MECHANICAL",
        output_dir=tmp_path / "out",
        configuration=emulator.configuration(),
    )
    assert result.ok and len({m.job_id for m in result}) == 1
    assert len(live_jobs(emulator)) == 1
    assert sorted(p.name for p in (tmp_path / "out").glob("*.srt")) == ["a.srt", "copy of a.srt"]


def test_two_batches_at_once_on_the_same_media_make_one_job_each(
    emulator: Emulator, tmp_path: Path
) -> None:
    """Two workers (two batches with their own state files) handed the same media at the
    same moment: one job per media in all."""
    media = media_files(tmp_path / "in", 6)
    start = threading.Barrier(2)
    results: list[cielo24.BatchResult] = []

    def worker(name: str) -> None:
        start.wait()
        results.append(
            cielo24.transcribe_many(
                media,
                fidelity="MECHANICAL",
                output_dir=tmp_path / name,
                parallel=6,
                configuration=emulator.configuration(),
            )
        )

    threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2 and all(r.ok for r in results)
    assert [m.job_id for m in results[0]] == [m.job_id for m in results[1]]
    assert sorted(live_jobs(emulator)) == sorted(m.job_id for m in results[0])


def test_the_earliest_job_of_an_external_id_is_followed(emulator: Emulator, tmp_path: Path) -> None:
    [path] = media_files(tmp_path / "in", 1)
    external_id = cielo24.batch.external_id_for(cielo24.batch.media_identity(path), "MECHANICAL")
    with cielo24.ApiClient(emulator.configuration()) as client:
        jobs = JobApi(client)
        body = cielo24.batch.NewJobBody(external_id=external_id, is_duplicate=True)
        earliest = jobs.new_job(body).job_id
        emulator.advance(1)
        jobs.new_job(body)
    result = cielo24.transcribe_many(
        [path], fidelity="MECHANICAL", output_dir=tmp_path, configuration=emulator.configuration()
    )
    assert [m.job_id for m in result] == [earliest]
    assert emulator.jobs[earliest].media_size == 2000


def test_bad_inputs_are_all_named_and_nothing_is_sent(emulator: Emulator, tmp_path: Path) -> None:
    [good] = media_files(tmp_path / "in", 1)
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    bad = [str(tmp_path / "missing.wav"), str(empty), str(tmp_path), "https:///no-host"]
    with pytest.raises(cielo24.ApiValueError) as raised:
        cielo24.transcribe_many(
            [good, *bad], fidelity="MECHANICAL", configuration=emulator.configuration()
        )
    message = str(raised.value)
    assert message.startswith("4 bad media, nothing was sent: ")
    assert f"{tmp_path / 'missing.wav'}: No such file or directory" in message
    assert f"{empty}: the file is empty" in message
    assert f"{tmp_path}: not a regular file" in message
    assert "https:///no-host: the URL has no host" in message
    with pytest.raises(cielo24.ApiValueError, match="caption_formats: 'SRTX'"):
        cielo24.transcribe_many([good], fidelity="MECHANICAL", caption_formats=["SRTX"])
    (tmp_path / "file").write_text("")
    with pytest.raises(cielo24.ApiValueError, match="output directory .*file/out.* not writable"):
        cielo24.transcribe_many(
            [good],
            fidelity="MECHANICAL",
            output_dir=tmp_path / "file" / "out",
            configuration=emulator.configuration(),
        )
    assert emulator.requests == []
    skipped = cielo24.transcribe_many(
        [good, *bad],
        fidelity="MECHANICAL",
        skip_bad=True,
        output_dir=tmp_path / "out",
        configuration=emulator.configuration(),
    )
    assert [m.failure for m in skipped] == [None, *["bad_input"] * 4]
    assert skipped.media[2].error == "the file is empty" and len(live_jobs(emulator)) == 1


def test_a_media_list_file_and_a_csv(tmp_path: Path) -> None:
    listing = tmp_path / "media.txt"
    listing.write_text(f"# lectures\n{URL}\n\n  /data/b.mp4  \n")
    assert read_media_list(listing) == [MediaItem(URL), MediaItem("/data/b.mp4")]
    table = tmp_path / "media.csv"
    table.write_text(f"media,job_name,external_id,language\n{URL},Lecture 1,L1,fr\n/b.mp4,,,\n")
    assert read_media_list(table) == [
        MediaItem(URL, "Lecture 1", "L1", "fr"),
        MediaItem("/b.mp4"),
    ]
    (tmp_path / "bad.csv").write_text("path\n/b.mp4\n")
    with pytest.raises(cielo24.ApiValueError, match="needs a 'media' column"):
        read_media_list(tmp_path / "bad.csv")


def test_the_report_and_the_exit_code_when_some_media_fail(
    emulator: Emulator, tmp_path: Path
) -> None:
    media = media_files(tmp_path / "in", 2)
    failing = tmp_path / "in" / "MEDIA-FAILURE.wav"
    failing.write_bytes(b"MEDIA-FAILURE" + b"\x00" * 100)
    listing = tmp_path / "list.csv"
    listing.write_text(
        "media,job_name,external_id\n"
        + "".join(f"{m},,\n" for m in media)
        + f"{failing},broken,my-own-id\n"
    )
    done = run_cli(
        emulator,
        "--from",
        str(listing),
        "--output-dir",
        "out",
        "--report",
        "report.csv",
        "-q",
        cwd=tmp_path,
    )
    assert done.returncode == errors.SOME_FAILED, done.stderr
    rows = list(csv.DictReader((tmp_path / "report.csv").open()))
    assert [r["media"] for r in rows] == [*media, str(failing)]
    assert [r["status"] for r in rows] == ["Complete", "Complete", "Media Failure"]
    assert rows[2]["external_id"] == "my-own-id" and rows[2]["failure"] == "media_failure"
    assert rows[2]["error"] == f"job {rows[2]['job_id']} failed: Media Failure"
    assert rows[0]["captions"] == f"SRT={Path('out', 'talk-0.srt')}"
    assert f"error: {failing}: job {rows[2]['job_id']} failed: Media Failure" in done.stderr
    assert emulator.jobs[rows[2]["job_id"]].job_name == "broken"
    again = run_cli(emulator, "--from", str(listing), "--output-dir", "out", "--json", cwd=tmp_path)
    assert again.returncode == errors.SOME_FAILED
    outcomes = json.loads(again.stdout)
    assert [o["exit_code"] for o in outcomes] == [0, 0, errors.JOB_FAILED]
    events = [json.loads(line) for line in again.stderr.splitlines() if line.startswith("{")]
    assert {e["media"] for e in events} == {*media, str(failing)}
    assert len(live_jobs(emulator)) == 3


def test_one_poller_follows_every_job(tmp_path: Path) -> None:
    """Waiting costs one job_list per poll interval however many jobs wait, never a job_info
    per job; a media costs 5 calls (create, look for others, upload, ask, caption)."""
    emulator = Emulator(processing_seconds=2.5).start()
    try:
        media = media_files(tmp_path / "in", 12)
        started = time.monotonic()
        result = cielo24.transcribe_many(
            media,
            fidelity="MECHANICAL",
            output_dir=tmp_path / "out",
            parallel=12,
            configuration=emulator.configuration(),
        )
        elapsed = time.monotonic() - started
    finally:
        emulator.stop()
    assert result.ok and len(list((tmp_path / "out").glob("*.srt"))) == 12
    calls = [r.path.rsplit("/", 1)[-1] for r in emulator.requests]
    lookups = [r for r in emulator.requests if "ExternalId" in r.params]
    polls = calls.count("list") - len(lookups)
    assert calls.count("info") == 0
    assert 1 <= polls <= elapsed + 1  # 1 s, 2 s, 4 s ... apart, for all 12 jobs at once
    assert len(calls) - polls == 5 * 12


def test_ctrl_c_reports_the_jobs_in_flight_and_the_run_again_resumes(tmp_path: Path) -> None:
    slow = Emulator(processing_seconds=1000).start()
    try:
        media = media_files(tmp_path / "in", 3)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CIELO24_")}
        env.update(PYTHONPATH=str(ROOT), CIELO24_HOST=slow.url, CIELO24_API_TOKEN=slow.api_token)
        command = [sys.executable, "-m", "cielo24", "transcribe", *media, "--output-dir", "out"]
        command += ["--report", "report.json"]
        process = subprocess.Popen(
            command, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path
        )
        assert process.stderr is not None
        deadline = time.monotonic() + 30
        while len([j for j in slow.jobs.values() if j.started_at]) < 3:
            assert time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        stderr = process.stderr.read()
        assert process.wait(10) == errors.INTERRUPTED
        for job_id in slow.jobs:
            assert f"job {job_id}" in stderr
        assert "in flight: " in stderr and "run the same command again" in stderr
        assert "Traceback" not in stderr
        reported = json.loads((tmp_path / "report.json").read_text())
        assert sorted(r["job_id"] for r in reported) == sorted(slow.jobs)
        jobs_before = sorted(slow.jobs)
        again = subprocess.run(
            [*command, "--no-wait"], capture_output=True, text=True, env=env, cwd=tmp_path
        )
        assert again.returncode == 0, again.stderr
        assert sorted(slow.jobs) == jobs_before
        assert all(job_id in again.stdout for job_id in jobs_before)
    finally:
        slow.stop()


def test_a_429_slows_the_whole_batch(emulator: Emulator, tmp_path: Path) -> None:
    """The first new_job is answered 429 with Retry-After: 1 by a proxy in front of the
    emulator: no request of the batch reaches the service in the second after it, and the
    refused new_job is sent again (it was not acted on), so every media still gets one job."""
    import http.client
    from urllib.parse import urlsplit

    from servers import RawServer, read_request, response

    target = urlsplit(emulator.url)
    seen: list[tuple[float, str]] = []
    lock = threading.Lock()

    def proxy(conn: Any, server: RawServer) -> None:
        upstream = http.client.HTTPConnection(target.hostname, target.port)
        while (request := read_request(conn)) is not None:
            path = request.target.split("?")[0]
            with lock:
                first = not any(p.endswith("/job/new") for _, p in seen)
                seen.append((time.monotonic(), path))
            if first and path.endswith("/job/new"):
                conn.sendall(response(429, b"slow down", extra="Retry-After: 1\r\n", close=False))
                continue
            headers = {k: v for k, v in request.headers.items() if k != "host"}
            upstream.request(request.method, request.target, request.body, headers)
            answer = upstream.getresponse()
            body = answer.read()
            kind = answer.getheader("Content-Type", "application/json")
            conn.sendall(response(answer.status, body, content_type=kind, close=False))

    media = media_files(tmp_path / "in", 6)
    with RawServer(proxy) as server:
        configuration = emulator.configuration()
        configuration.host = server.url
        result = cielo24.transcribe_many(
            media,
            fidelity="MECHANICAL",
            output_dir=tmp_path / "out",
            parallel=6,
            configuration=configuration,
        )
    assert result.ok and len(live_jobs(emulator)) == 6
    refused_at = next(t for t, p in seen if p.endswith("/job/new"))
    during = [p for t, p in seen if refused_at + 0.1 < t < refused_at + 0.9]
    assert during == []  # the other five workers waited too (after what was in flight)
    assert any(refused_at + 0.9 < t for t, _ in seen)
    assert sum(p.endswith("/job/new") for _, p in seen) == 7
