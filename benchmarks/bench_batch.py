"""Batch benchmark: transcribe_many against a thread pool of 16 running transcribe(), side by side.

Targets: the batch's peak RSS grows by under 16 MiB from 100 to 1,000 media; it makes at most
7 API calls per media plus polling that does not grow with the number of jobs; its client
CPU per media is at most that of the thread pool.

How: for 100 and then 1,000 small media (distinct 2 kB files), each side runs in a fresh
Python process against a fresh emulator process whose jobs take 0.5 s (a fast clock):
``transcribe_many(parallel=16)``, or a ``ThreadPoolExecutor(16)`` mapping ``transcribe()``
(one shared client, polling from 0.5 s). The child reports its wall time, its CPU
(``getrusage``: user + system of all its threads, from after the imports), its peak RSS, and the API
calls it made by endpoint (counted at ``ApiClient.call_api``); polling is every job_info and
every job_list not by external id.

Run: ``python benchmarks/bench_batch.py`` (about two minutes); ``--media 100,1000`` sets the
sizes.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from _common import (
    REPO,
    benchmark_parser,
    child_env,
    exit_on_sigterm,
    format_machine,
    machine,
    wait_for_quiet,
)

PARALLEL = 16
RSS_GROWTH_MIB = 16.0
CALLS_PER_MEDIA = 7


def child(mode: str, count: int, url: str, token: str, directory: str) -> None:
    """Run one side in this process and print its figures as JSON."""
    from concurrent.futures import ThreadPoolExecutor

    import cielo24
    from cielo24.api_client import ApiClient

    calls: Counter[str] = Counter()
    call_api = ApiClient.call_api

    def counted(self: ApiClient, endpoint: Any, *args: Any, **kwargs: Any) -> Any:
        looks_up = endpoint.name == "job_list" and "external_id" in (args[0] if args else {})
        calls["job_list by external id" if looks_up else endpoint.name] += 1
        return call_api(self, endpoint, *args, **kwargs)

    ApiClient.call_api = counted  # type: ignore[method-assign]
    configuration = cielo24.Configuration(host=url)
    configuration.api_key["ApiKeyAuth"] = token
    configuration.connection_pool_maxsize = 32
    media = [str(Path(directory, f"m{i:04d}.wav")) for i in range(count)]
    out = Path(directory, f"out-{mode}")
    import cielo24.batch  # both sides import everything before the clocks start
    import cielo24.workflows

    started, cpu_started = time.monotonic(), _cpu()
    if mode == "batch":
        result = cielo24.transcribe_many(
            media,
            fidelity="MECHANICAL",
            output_dir=out,
            parallel=PARALLEL,
            configuration=configuration,
        )
        failed = len(result.failed)
    else:
        out.mkdir()
        with ApiClient(configuration) as client:

            def one(path: str) -> None:
                done = cielo24.transcribe(
                    path, fidelity="MECHANICAL", api_client=client, poll_interval=0.5
                )
                done.save_captions(out, Path(path).stem)

            with ThreadPoolExecutor(PARALLEL) as pool:
                list(pool.map(one, media))
        failed = 0
    wall, cpu = time.monotonic() - started, _cpu() - cpu_started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "rss_kib": usage.ru_maxrss,
                "calls": dict(calls),
                "failed": failed,
                "captions": len(list(out.glob("*.srt"))),
            }
        )
    )


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_side(mode: str, count: int, directory: str) -> dict[str, Any]:
    """One side in a fresh process, against a fresh emulator process."""
    env = child_env()
    emulator = subprocess.Popen(
        [sys.executable, "-m", "cielo24.emulator", "--port", "0", "--processing-seconds", "0.5"],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO,
    )
    try:
        assert emulator.stdout is not None
        url = emulator.stdout.readline().split()[-1]
        token = emulator.stdout.readline().split()[-1]
        done = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(count), url, token, directory],
            capture_output=True,
            text=True,
            env=env,
            check=True,
        )
    finally:
        emulator.terminate()
        emulator.wait(10)
    figures: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return figures


def main() -> int:
    if sys.argv[1:2] == ["--child"]:
        mode, count, url, token, directory = sys.argv[2:7]
        child(mode, int(count), url, token, directory)
        return 0
    parser = benchmark_parser(__doc__ or "")
    parser.add_argument("--media", default="100,1000", help="the batch sizes (%(default)s)")
    args = parser.parse_args()
    exit_on_sigterm()
    sizes = [int(n) for n in args.media.split(",")]
    print(format_machine(machine()))
    wait_for_quiet(args.wait_quiet)
    figures: dict[tuple[str, int], dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as directory:
        for count in sizes:
            media = Path(directory, str(count))
            media.mkdir()
            for i in range(count):
                (media / f"m{i:04d}.wav").write_bytes(i.to_bytes(4, "big") * 512)
            for mode in ("batch", "pool"):
                figures[mode, count] = run_side(mode, count, str(media))
    rows = []
    for count in sizes:
        batch, pool = figures["batch", count], figures["pool", count]
        for name, key in (("wall time (s)", "wall"),):
            rows.append((f"{name}, {count} media", batch[key], pool[key], ""))
        rows.append(
            (
                f"client CPU per media (ms), {count} media",
                1000 * batch["cpu"] / count,
                1000 * pool["cpu"] / count,
                "batch <= pool at the largest size",
            )
        )
        rows.append(
            (
                f"peak RSS (MiB), {count} media",
                batch["rss_kib"] / 1024,
                pool["rss_kib"] / 1024,
                "",
            )
        )
        for side in (batch, pool):  # looks at jobs waited for
            side["polls"] = side["calls"].get("job_info", 0) + side["calls"].get("job_list", 0)
        rows.append(
            (
                f"API calls per media without polling, {count} media",
                (sum(batch["calls"].values()) - batch["polls"]) / count,
                (sum(pool["calls"].values()) - pool["polls"]) / count,
                f"batch <= {CALLS_PER_MEDIA}",
            )
        )
        rows.append((f"polling calls in all, {count} media", batch["polls"], pool["polls"], ""))
        rows.append(
            (
                f"media failed / caption files, {count} media",
                f"{batch['failed']} / {batch['captions']}",
                f"{pool['failed']} / {pool['captions']}",
                "",
            )
        )
    verdicts = []
    small, large = min(sizes), max(sizes)
    growth = (figures["batch", large]["rss_kib"] - figures["batch", small]["rss_kib"]) / 1024
    verdicts.append(
        (f"batch RSS growth {small} -> {large} media: {growth:.1f} MiB", growth < RSS_GROWTH_MIB)
    )
    for count in sizes:
        batch, pool = figures["batch", count], figures["pool", count]
        calls = (sum(batch["calls"].values()) - batch["polls"]) / count
        verdicts.append((f"batch calls per media at {count}: {calls:.2f}", calls <= 7))
    batch, pool = figures["batch", large], figures["pool", large]
    verdicts.append(
        (f"batch CPU per media at {large} at most the pool's", batch["cpu"] <= pool["cpu"])
    )
    width = max(len(r[0]) for r in rows)
    print(f"\n{'figure':<{width}}  {'transcribe_many':>16}  {'pool of 16':>12}  target")
    for name, ours, theirs, target in rows:
        print(f"{name:<{width}}  {_text(ours):>16}  {_text(theirs):>12}  {target}")
    print()
    for text, passed in verdicts:
        print(f"{'PASS' if passed else 'FAIL'}  {text}")
    for count in sizes:
        print(f"calls at {count}: batch {figures['batch', count]['calls']}")
        print(f"calls at {count}: pool  {figures['pool', count]['calls']}")
    return 1 if args.check and not all(passed for _, passed in verdicts) else 0


def _text(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, float) else str(value)


if __name__ == "__main__":
    sys.exit(main())
