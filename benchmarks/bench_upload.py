"""Upload benchmark: add_media_file of a 2 GiB file, SDK against raw urllib3 streaming.

Targets: the SDK client's peak RSS rises less than 32 MiB above its level just before the call,
and its throughput is at least 0.9x that of raw urllib3 sending the same file in 1 MiB blocks.

How: one emulator runs in its own process on 127.0.0.1 (``hash_uploads=False``, so the server
only reads and drops the bytes; TCP_NODELAY set, so that the answer does not wait 40 ms for a
delayed ACK, see bench_calls.py). Every upload runs in a fresh client process (``--child``), so
each client's memory peak is its own: it creates a job (not measured), reads VmRSS, resets the
peak (VmHWM, via /proc/self/clear_refs) and then times the upload call alone. The runs
alternate SDK / raw; the medians are compared.

Run: ``python benchmarks/bench_upload.py`` (about a minute; needs 2 GiB free in the temp dir).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from _common import (
    REPO,
    ForeignLoad,
    Row,
    benchmark_parser,
    child_env,
    emulator_process,
    exit_on_sigterm,
    exit_status,
    foreign_load_note,
    format_machine,
    format_table,
    machine,
    median,
    proc_status_kib,
    ratio_row,
    reset_peak_rss,
    wait_for_quiet,
    write_results,
)

MIB = 1024 * 1024
BLOCK_SIZE = MIB
RSS_LIMIT_MIB = 32.0
THROUGHPUT_RATIO = 0.9
CHILD_TIMEOUT = 900.0


# --- the clients: each runs in its own process ------------------------------------------------


def _measure(upload: Any) -> dict[str, Any]:
    """Run ``upload()`` and return its wall and CPU time and the process's memory around it."""
    import gc
    import resource

    gc.collect()
    rss_before = proc_status_kib("VmRSS")
    peak_reset = reset_peak_rss()
    hwm_before = proc_status_kib("VmHWM")
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    upload()
    wall1, cpu1 = time.perf_counter(), time.process_time()
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "user_seconds": usage1.ru_utime - usage0.ru_utime,
        "system_seconds": usage1.ru_stime - usage0.ru_stime,
        "page_faults": usage1.ru_minflt - usage0.ru_minflt,
        "seconds": wall1 - wall0,
        "cpu_seconds": cpu1 - cpu0,
        "rss_before_kib": rss_before,
        "hwm_before_kib": hwm_before,
        "peak_kib": proc_status_kib("VmHWM"),
        "peak_reset": peak_reset,
    }


def sdk_client(url: str, token: str, path: str) -> dict[str, Any]:
    """Upload ``path`` with the SDK: ``JobApi.add_media_file(job_id, size, open file)``."""
    import cielo24
    from cielo24.api.job_api import JobApi
    from cielo24.model.new_job_body import NewJobBody

    configuration = cielo24.Configuration(host=url)
    configuration.api_key["ApiKeyAuth"] = token
    size = os.path.getsize(path)
    with cielo24.ApiClient(configuration) as client:
        jobs = JobApi(client)
        job_id = jobs.new_job(NewJobBody(job_name="upload bench sdk", is_duplicate="true")).job_id
        assert job_id
        results: list[Any] = []
        with open(path, "rb") as media:
            figures = _measure(lambda: results.append(jobs.add_media_file(job_id, size, media)))
        if not results[0].task_id:
            raise RuntimeError(f"add_media_file returned no task id: {results[0]!r}")
    return figures


def _blocks(file: IO[bytes]) -> Iterator[bytes]:
    while block := file.read(BLOCK_SIZE):
        yield block


def raw_client(url: str, token: str, path: str) -> dict[str, Any]:
    """Upload ``path`` with urllib3 alone: urlopen with a generator of 1 MiB blocks."""
    from urllib.parse import urlencode

    import urllib3

    http = urllib3.PoolManager()
    query = urlencode({"v": 1, "api_token": token})
    response = http.request(
        "POST",
        f"{url}/job/new?{query}",
        body=json.dumps({"job_name": "upload bench raw", "is_duplicate": "true"}).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
    )
    job_id = json.loads(response.data)["JobId"]
    size = os.path.getsize(path)
    upload_url = f"{url}/job/add_media?{urlencode({'v': 1, 'api_token': token, 'job_id': job_id})}"
    results: list[Any] = []

    def upload() -> None:
        r = http.urlopen(
            "POST",
            upload_url,
            body=_blocks(media),
            headers={"Content-Length": str(size), "Content-Type": "video/mp4"},
        )
        if r.status != 200:
            raise RuntimeError(f"upload failed: {r.status} {r.data[:200]!r}")
        results.append(json.loads(r.data)["TaskId"])

    with open(path, "rb") as media:
        figures = _measure(upload)
    http.clear()
    if not results[0]:
        raise RuntimeError("the raw upload returned no task id")
    return figures


CLIENTS = {"sdk": sdk_client, "raw": raw_client}


# --- the parent: file, server, runs, table -----------------------------------------------------


def make_media(directory: Path, size_mib: int) -> Path:
    """A file of ``size_mib`` MiB of random bytes (a fresh os.urandom block per MiB)."""
    path = directory / "media.bin"
    with open(path, "wb") as f:
        for _ in range(size_mib):
            f.write(os.urandom(MIB))
        f.flush()
        os.fsync(f.fileno())  # written back now, not during a measured run
    return path


def run_client(kind: str, url: str, token: str, path: Path) -> dict[str, Any]:
    """One upload in a fresh interpreter; its figures."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--url", url, "--token", token, str(path)],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=REPO,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {kind} client failed ({done.returncode}):\n{done.stderr}")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    size = path.stat().st_size
    figures["mib_per_s"] = size / MIB / figures["seconds"]
    figures["rss_rise_mib"] = (figures["peak_kib"] - figures["rss_before_kib"]) / 1024
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__)
    parser.add_argument("--size-mib", type=int, default=2048, help="file size (%(default)s MiB)")
    parser.add_argument("--repeats", type=int, default=3, help="runs per client (%(default)s)")
    parser.add_argument("--child", choices=sorted(CLIENTS), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("file", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    exit_on_sigterm()

    if args.child:
        print(json.dumps(CLIENTS[args.child](args.url, args.token, args.file)))
        return 0

    info = machine()
    print(format_machine(info))
    print(f"upload: {args.size_mib} MiB file, {args.repeats} runs per client, alternating")
    directory = Path(tempfile.mkdtemp(prefix="cielo24-bench-upload-"))
    runs: dict[str, list[dict[str, Any]]] = {"sdk": [], "raw": []}
    try:
        free = shutil.disk_usage(directory).free
        if free < (args.size_mib + 256) * MIB:
            raise SystemExit(f"not enough space in {directory}: {free // MIB} MiB free")
        started = time.perf_counter()
        path = make_media(directory, args.size_mib)
        print(f"created {path} in {time.perf_counter() - started:.1f} s")
        quiet = wait_for_quiet(args.wait_quiet)
        load = ForeignLoad()
        with emulator_process(hash_uploads=False, nodelay=True) as server:
            load.watch(server.pid)
            for i in range(args.repeats):
                for kind in ("sdk", "raw") if i % 2 == 0 else ("raw", "sdk"):
                    figures = run_client(kind, server.url, server.token, path)
                    runs[kind].append(figures)
                    print(
                        f"  run {i + 1} {kind}: {figures['mib_per_s']:7.1f} MiB/s, "
                        f"{figures['seconds']:6.2f} s wall, {figures['cpu_seconds']:6.2f} s CPU, "
                        f"RSS {figures['rss_before_kib'] / 1024:.1f} MiB before, "
                        f"peak rise {figures['rss_rise_mib']:.1f} MiB",
                        flush=True,
                    )
        foreign = load.cores()
    finally:
        shutil.rmtree(directory, ignore_errors=True)

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in runs[kind]])

    worst_sdk_rise = max(r["rss_rise_mib"] for r in runs["sdk"])
    rows = [
        ratio_row(
            "upload throughput, median",
            med("sdk", "mib_per_s"),
            med("raw", "mib_per_s"),
            "MiB/s",
            THROUGHPUT_RATIO,
            higher_is_better=True,
        ),
        Row(
            "upload peak RSS rise, median",
            med("sdk", "rss_rise_mib"),
            med("raw", "rss_rise_mib"),
            "MiB",
            f"SDK < {RSS_LIMIT_MIB:g} MiB in every run",
            worst_sdk_rise < RSS_LIMIT_MIB,
        ),
        Row(
            "upload client CPU, median",
            med("sdk", "cpu_seconds"),
            med("raw", "cpu_seconds"),
            "s",
            "-",
            None,
        ),
    ]
    print()
    print(format_table(rows, f"bench_upload ({args.size_mib} MiB, {args.repeats} runs each)"))
    print(f"worst SDK peak RSS rise: {worst_sdk_rise:.1f} MiB")
    print(foreign_load_note(foreign))
    extra = {"runs": runs, "size_mib": args.size_mib, "foreign_cores": foreign, "quiet": quiet}
    write_results(args.json, "upload", rows, extra, info)
    return exit_status(rows, args.check)


if __name__ == "__main__":
    sys.exit(main())
