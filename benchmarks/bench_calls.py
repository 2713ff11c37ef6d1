"""Per-call benchmark: client CPU of new_job and add_media_url, SDK against raw urllib3.

Target: the SDK spends at most 1.1x the client CPU of raw urllib3 making the same requests.

How: each round starts a fresh emulator in its own process on 127.0.0.1, so that this
process's CPU time (``time.process_time()``) is the clients' alone. On it, each client makes
warm-up calls (not measured: connection, caches), then N new_job calls (measured), then one
add_media_url on each of its N jobs (measured; a job holds one media). The clients take turns
in batches of 100 calls, who goes first rotating, so that a slow spell of the machine falls on
all alike. The medians over the rounds of the per-call CPU are compared.

The emulator, until commit 56edde5, answered each request in two writes (headers, then body)
with Nagle's algorithm on, so every call waited about 40 ms for the client's delayed ACK. The
stall is measured first and reported (about 0.4 ms per call when there is none); the rounds
then run with TCP_NODELAY set on the emulator's connections (in the benchmark's own server
process; a no-op since the emulator sets it itself) so that they measure the client, not a
stall; ``--emulator-as-is`` leaves the emulator as it is.

Run: ``python benchmarks/bench_calls.py`` (about a minute); ``--profile sdk`` (and/or
``--profile raw``) adds a cProfile of that client's calls.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import urllib3
from _common import (
    ForeignLoad,
    Row,
    Server,
    benchmark_parser,
    emulator_process,
    exit_on_sigterm,
    exit_status,
    foreign_load_note,
    format_machine,
    format_table,
    machine,
    median,
    ratio_row,
    wait_for_quiet,
    write_results,
)

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.model.new_job_body import NewJobBody

CPU_RATIO = 1.1
STALL_MS = 20.0  # a call slower than this on loopback is stalled, not slow
MEDIA = "https://media.example.invalid/bench"  # never fetched: the emulator only records it

NewJobs = Callable[[int, int], list[str]]  # (first index, count) -> job ids
AddMedia = Callable[[list[str], int], list[str]]  # (job ids, first index) -> task ids
Client = tuple[NewJobs, AddMedia, Callable[[], None]]  # the two loops, and close


def sdk_client(server: Server) -> Client:
    """The SDK: ``JobApi.new_job(NewJobBody(...))`` and ``JobApi.add_media_url(job, url)``."""
    configuration = cielo24.Configuration(host=server.url)
    configuration.api_key["ApiKeyAuth"] = server.token
    client = cielo24.ApiClient(configuration)
    jobs = JobApi(client)

    def new_jobs(start: int, count: int) -> list[str]:
        ids: list[Any] = []  # job_id is Optional[str] in the model
        for i in range(start, start + count):
            body = NewJobBody(job_name=f"bench {i}", external_id=f"ext-{i}", is_duplicate="true")
            ids.append(jobs.new_job(body).job_id)
        return ids

    def add_media(ids: list[str], start: int) -> list[str]:
        task_ids: list[Any] = [
            jobs.add_media_url(job_id, f"{MEDIA}/{i}.mp4").task_id
            for i, job_id in enumerate(ids, start)
        ]
        return task_ids

    return new_jobs, add_media, client.close


def raw_client(server: Server, timeout: urllib3.Timeout | None = None) -> Client:
    """urllib3 alone, as a user would write it: ``http.request`` then ``json.loads``.

    ``timeout``: the pool's timeout; None leaves urllib3's default (no timeout).
    """
    http = urllib3.PoolManager() if timeout is None else urllib3.PoolManager(timeout=timeout)
    base, token = server.url, server.token

    def new_jobs(start: int, count: int) -> list[str]:
        ids = []
        for i in range(start, start + count):
            # the request the SDK sends: the fields in the JSON body and in the query string
            fields = {"job_name": f"bench {i}", "external_id": f"ext-{i}", "is_duplicate": "true"}
            r = http.request(
                "POST",
                f"{base}/job/new?{urlencode({'v': 1, **fields, 'api_token': token})}",
                body=json.dumps(fields).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json"},
            )
            if r.status != 200:
                raise RuntimeError(f"job/new failed: {r.status} {r.data[:200]!r}")
            ids.append(json.loads(r.data)["JobId"])
        return ids

    def add_media(ids: list[str], start: int) -> list[str]:
        task_ids = []
        for i, job_id in enumerate(ids, start):
            query = {"v": 1, "api_token": token, "job_id": job_id, "media_url": f"{MEDIA}/{i}.mp4"}
            r = http.request("GET", f"{base}/job/add_media?{urlencode(query)}")
            if r.status != 200:
                raise RuntimeError(f"job/add_media failed: {r.status} {r.data[:200]!r}")
            task_ids.append(json.loads(r.data)["TaskId"])
        return task_ids

    return new_jobs, add_media, http.clear


def raw_timeout_client(server: Server) -> Client:
    """Raw urllib3 with the SDK's default timeouts (connect 10 s, read 60 s), for information.

    A socket with a timeout costs CPython a poll() before each send and receive, which a
    socket without one does not: this client shows how much of the SDK's extra CPU that is.
    """
    return raw_client(server, urllib3.Timeout(connect=10.0, read=60.0))


CLIENTS: dict[str, Callable[[Server], Client]] = {
    "sdk": sdk_client,
    "raw": raw_client,
    "raw_timeout": raw_timeout_client,
}


def measure_round(
    calls: int, warmup: int, batch: int, nodelay: bool, load: ForeignLoad
) -> dict[str, dict[str, float]]:
    """One round against a fresh emulator: CPU and wall microseconds per call, by client.

    The clients talk to the same server, taking turns in batches of ``batch`` calls (who goes
    first rotates from one batch to the next), so that a slow spell of the machine falls on
    all alike; each client's time is the sum over its batches.
    """
    # distinct names and media URLs per client
    offsets = {kind: n * 10_000_000 for n, kind in enumerate(CLIENTS)}
    kinds = list(CLIENTS)
    cpu: dict[str, dict[str, float]] = {k: {"new_job": 0.0, "add_media_url": 0.0} for k in CLIENTS}
    wall: dict[str, dict[str, float]] = {k: {"new_job": 0.0, "add_media_url": 0.0} for k in CLIENTS}
    ids: dict[str, list[str]] = {k: [] for k in CLIENTS}
    task_ids: dict[str, list[str]] = {k: [] for k in CLIENTS}
    with emulator_process(nodelay=nodelay) as server:
        load.watch(server.pid)
        clients = {kind: make(server) for kind, make in CLIENTS.items()}
        try:
            for kind, (new_jobs, add_media, _close) in clients.items():
                add_media(new_jobs(offsets[kind], warmup), offsets[kind])
            gc.collect()
            for call in ("new_job", "add_media_url"):
                for b, start in enumerate(range(0, calls, batch)):
                    count = min(batch, calls - start)
                    for kind in kinds[b % len(kinds) :] + kinds[: b % len(kinds)]:
                        new_jobs, add_media, _close = clients[kind]
                        first = offsets[kind] + warmup + start
                        cpu0, wall0 = time.process_time(), time.perf_counter()
                        if call == "new_job":
                            ids[kind] += new_jobs(first, count)
                        else:
                            task_ids[kind] += add_media(ids[kind][start : start + count], first)
                        cpu[kind][call] += time.process_time() - cpu0
                        wall[kind][call] += time.perf_counter() - wall0
        finally:
            for _new_jobs, _add_media, close in clients.values():
                close()
    figures: dict[str, dict[str, float]] = {}
    for kind in CLIENTS:
        if len(set(ids[kind])) != calls or len(set(task_ids[kind])) != calls:
            raise RuntimeError(f"{kind}: expected {calls} distinct job and task ids")
        if not all(task_ids[kind]):
            raise RuntimeError(f"{kind}: add_media_url returned an empty task id")
        figures[kind] = {
            f"{call}_{what}_us": totals[call] * 1e6 / calls
            for what, by_call in (("cpu", cpu), ("wall", wall))
            for call, totals in ((c, by_call[kind]) for c in ("new_job", "add_media_url"))
        }
    return figures


def probe_stall(calls: int = 20) -> float:
    """Median wall milliseconds of one raw new_job against the emulator as shipped."""
    with emulator_process(nodelay=False) as server:
        new_jobs, _add_media, close = raw_client(server)
        try:
            new_jobs(0, 2)
            times = []
            for i in range(calls):
                started = time.perf_counter()
                new_jobs(2 + i, 1)
                times.append(time.perf_counter() - started)
        finally:
            close()
    return median(times) * 1000


def profile(kind: str, calls: int, top: int, nodelay: bool) -> None:
    """Print where a client's CPU goes for ``calls`` new_job and ``calls`` add_media_url."""
    import cProfile
    import pstats

    with emulator_process(nodelay=nodelay) as server:
        new_jobs, add_media, close = CLIENTS[kind](server)
        try:
            add_media(new_jobs(0, 50), 0)
            new_job_profile = cProfile.Profile()
            ids = new_job_profile.runcall(new_jobs, 50, calls)
            add_media_profile = cProfile.Profile()
            add_media_profile.runcall(add_media, ids, 50)
        finally:
            close()
    for name, profiler in (("new_job", new_job_profile), ("add_media_url", add_media_profile)):
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"\n--- cProfile of {calls} {kind} {name} calls, by own time ---")
        _print_own_share(stats)
        stats.sort_stats("tottime").print_stats(top)


def _print_own_share(stats: Any) -> None:
    """Total profiled time, and how much of it is spent in the cielo24 package's own code."""
    total = own = 0.0
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        total += tottime
        if "/cielo24/" in filename:
            own += tottime
    share = 100 * own / total if total else 0.0
    print(f"profiled total {total:.3f} s, in cielo24/*.py itself {own:.3f} s ({share:.0f}%)")


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__)
    parser.add_argument("--calls", type=int, default=2000, help="calls per round (%(default)s)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per client (%(default)s)")
    parser.add_argument("--warmup", type=int, default=100, help="unmeasured calls (%(default)s)")
    parser.add_argument("--batch", type=int, default=100, help="calls per batch (%(default)s)")
    parser.add_argument(
        "--emulator-as-is",
        action="store_true",
        help="do not set TCP_NODELAY on the emulator's connections (see docs/performance.md)",
    )
    parser.add_argument(
        "--profile",
        action="append",
        choices=sorted(CLIENTS),
        default=[],
        help="after the rounds, cProfile this client's calls (repeatable)",
    )
    parser.add_argument("--top", type=int, default=25, help="profile lines (%(default)s)")
    args = parser.parse_args(argv)
    exit_on_sigterm()

    info = machine()
    print(format_machine(info))
    print(
        f"calls: {args.rounds} rounds of {args.calls} calls per client, the clients taking turns "
        f"in batches of {args.batch}; raw_timeout is raw urllib3 given the SDK's default "
        "timeouts (for information)"
    )
    stall_ms = probe_stall()
    nodelay = not args.emulator_as_is
    print(
        f"emulator as shipped: {stall_ms:.1f} ms wall per raw new_job"
        + (" (a Nagle / delayed-ACK stall)" if stall_ms > STALL_MS else "")
        + ("; measuring with TCP_NODELAY set on its connections" if nodelay else "")
    )
    quiet = wait_for_quiet(args.wait_quiet)
    load = ForeignLoad()
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in CLIENTS}
    for i in range(args.rounds):
        by_kind = measure_round(args.calls, args.warmup, args.batch, nodelay, load)
        for kind, figures in by_kind.items():
            runs[kind].append(figures)
            print(
                f"  round {i + 1} {kind:<11}: new_job {figures['new_job_cpu_us']:6.1f} us CPU "
                f"({figures['new_job_wall_us']:6.1f} us wall), add_media_url "
                f"{figures['add_media_url_cpu_us']:6.1f} us CPU "
                f"({figures['add_media_url_wall_us']:6.1f} us wall)",
                flush=True,
            )

    def med(kind: str, key: str) -> float:
        return median([r[key] for r in runs[kind]])

    rows: list[Row] = []
    for call in ("new_job", "add_media_url"):
        cpu = f"{call}_cpu_us"
        rows.append(
            ratio_row(f"{call} client CPU/call", med("sdk", cpu), med("raw", cpu), "us", CPU_RATIO)
        )
    for call in ("new_job", "add_media_url"):
        cpu = f"{call}_cpu_us"
        rows.append(
            Row(
                f"{call} CPU/call, raw given timeouts",
                med("sdk", cpu),
                med("raw_timeout", cpu),
                "us",
                "-",
                None,
            )
        )
    for call in ("new_job", "add_media_url"):
        wall = f"{call}_wall_us"
        rows.append(Row(f"{call} wall/call", med("sdk", wall), med("raw", wall), "us", "-", None))
    print()
    print(format_table(rows, f"bench_calls ({args.calls} calls x {args.rounds} rounds, medians)"))
    foreign = load.cores()
    print(foreign_load_note(foreign))
    extra = {
        "runs": runs,
        "calls": args.calls,
        "emulator_stall_ms": stall_ms,
        "nodelay": nodelay,
        "foreign_cores": foreign,
        "quiet": quiet,
    }
    write_results(args.json, "calls", rows, extra, info)
    for kind in args.profile:
        profile(kind, args.calls, args.top, nodelay)
    return exit_status(rows, args.check)


if __name__ == "__main__":
    sys.exit(main())
