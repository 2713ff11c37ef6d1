"""A batch beyond one process (both ``-m slow``): on a Dask ``distributed.LocalCluster`` with
worker processes (credentials from the environment), and killed with SIGKILL ten times
against an emulator process, then run to the end."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import cielo24
from cielo24.api.job_api import JobApi

ROOT = Path(__file__).parent.parent


def media_files(directory: Path, count: int, size: int) -> list[str]:
    directory.mkdir(parents=True)
    paths = []
    for index in range(count):
        path = directory / f"lecture-{index:02d}.wav"
        path.write_bytes(index.to_bytes(2, "big") * (size // 2))
        paths.append(str(path))
    return paths


@pytest.fixture
def emulator_process(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """``python -m cielo24.emulator`` in its own process (jobs take 2 s): its URL and API
    token."""
    token = "0123456789abcdef0123456789abcdef"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cielo24.emulator",
            "--port",
            "0",
            "--api-token",
            token,
            "--processing-seconds",
            "2",
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        yield url, token
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)


def all_jobs(url: str, token: str) -> list[cielo24.model.job_info_response.JobInfoResponse]:  # type: ignore[name-defined]
    configuration = cielo24.Configuration(host=url)
    configuration.api_key["ApiKeyAuth"] = token
    with cielo24.ApiClient(configuration) as client:
        return JobApi(client).job_list().active_jobs or []


@pytest.mark.slow
def test_a_batch_on_a_dask_cluster_with_worker_processes(
    emulator_process: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    distributed = pytest.importorskip("distributed")
    url, token = emulator_process
    monkeypatch.setenv("CIELO24_HOST", url)  # what the workers find in their environment
    monkeypatch.setenv("CIELO24_API_TOKEN", token)
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    media = media_files(tmp_path / "in", 6, 4000)
    media.append(media[0])  # listed twice: one media
    (tmp_path / "in" / "copy.wav").write_bytes(Path(media[1]).read_bytes())
    media.append(str(tmp_path / "in" / "copy.wav"))  # the same content: the same job
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=2, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = cielo24.transcribe_many(
            media,
            fidelity="MECHANICAL",
            output_dir=tmp_path / "out",
            executor=client.get_executor(),
        )
        worker_pids = set(client.run(os.getpid).values())
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    assert result.ok and len(result) == 7
    jobs = all_jobs(url, token)
    assert sorted(j.job_id for j in jobs) == sorted({m.job_id for m in result})
    assert len(jobs) == 6
    assert sorted(p.name for p in (tmp_path / "out").glob("*.srt")) == [
        "copy.srt",
        *(f"lecture-{i:02d}.srt" for i in range(6)),
    ]


@pytest.mark.slow
def test_killed_ten_times_it_still_makes_one_job_per_media(
    emulator_process: tuple[str, str], tmp_path: Path
) -> None:
    pycaption = pytest.importorskip("pycaption")
    url, token = emulator_process
    media = media_files(tmp_path / "in", 40, 1_000_000)
    (tmp_path / "list.txt").write_text("\n".join(media) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIELO24_")}
    env.update(PYTHONPATH=str(ROOT), CIELO24_HOST=url, CIELO24_API_TOKEN=token)
    command = [sys.executable, "-m", "cielo24", "transcribe", "--from", "list.txt"]
    command += ["--output-dir", "out", "--parallel", "2", "-q", "--report", "report.json"]
    chance = random.Random(12)
    unfinished = 0
    for _ in range(10):
        process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.DEVNULL)
        time.sleep(chance.uniform(0.35, 1.2))  # the command starts in about 0.3 s
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        jobs = all_jobs(url, token)
        written = list((tmp_path / "out").glob("*.srt"))
        unfinished += len(jobs) < 40 or len(written) < 40
        assert len(jobs) <= 40
    assert unfinished >= 3  # most kills came in the middle of the batch
    done = subprocess.run(command, env=env, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    jobs = all_jobs(url, token)
    assert len(jobs) == 40
    assert len({job.external_id for job in jobs}) == 40
    captions = sorted((tmp_path / "out").glob("*.srt"))
    assert [c.stem for c in captions] == [Path(m).stem for m in media]
    for caption in captions:
        parsed = pycaption.SRTReader().read(caption.read_text())
        assert len(parsed.get_captions("en-US")) > 3
    assert not list((tmp_path / "out").glob("*.part"))
