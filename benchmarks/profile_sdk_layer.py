"""Where the SDK's per-call CPU goes above urllib3: both clients with ``urlopen`` stubbed.

A diagnostic for bench_calls.py, not a benchmark with a target. The SDK client and the raw
urllib3 client make the same new_job and add_media_url calls as in bench_calls.py, but their
``PoolManager.urlopen`` returns a canned response at once: what is left is each client's own
work above the transport (arguments, URL, body, headers, response parsing), free of network
noise. Then cProfile shows which SDK functions cost what.

Run: ``python benchmarks/profile_sdk_layer.py`` (a few seconds).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import timeit
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import urllib3
from _common import format_machine, machine

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.model.new_job_body import NewJobBody

HOST = "http://127.0.0.1:9/api"  # never connected to: urlopen is stubbed
TOKEN = "0123456789abcdef0123456789abcdef"
JOB_ID = "fedcba9876543210fedcba9876543210"
NEW_JOB_ANSWER = json.dumps({"JobId": JOB_ID, "TaskId": TOKEN}).encode()
ADD_MEDIA_ANSWER = json.dumps({"TaskId": TOKEN}).encode()
MEDIA = "https://media.example.invalid/bench/1.mp4"


def canned(method: str, url: str, *args: Any, **kwargs: Any) -> urllib3.HTTPResponse:
    """What urlopen would return from the emulator, without sending anything: the body still
    to be read, as from a socket."""
    body = NEW_JOB_ANSWER if "/job/new" in url else ADD_MEDIA_ANSWER
    return urllib3.HTTPResponse(
        body=io.BytesIO(body),
        status=200,
        headers={"Content-Type": "application/json", "Content-Length": str(len(body))},
        preload_content=False,
    )


def sdk_calls() -> tuple[Callable[[], object], Callable[[], object]]:
    configuration = cielo24.Configuration(host=HOST)
    configuration.api_key["ApiKeyAuth"] = TOKEN
    client = cielo24.ApiClient(configuration)
    client.rest_client.pool_manager.urlopen = canned  # type: ignore[method-assign]
    host_pool = client.rest_client._pool  # the configured host's pool, which calls go to
    if host_pool is not None:
        host_pool.urlopen = canned  # type: ignore[method-assign]
    jobs = JobApi(client)

    def new_job() -> object:
        body = NewJobBody(job_name="bench 1", external_id="ext-1", is_duplicate="true")
        return jobs.new_job(body).job_id

    def add_media_url() -> object:
        return jobs.add_media_url(JOB_ID, MEDIA).task_id

    return new_job, add_media_url


def raw_calls() -> tuple[Callable[[], object], Callable[[], object]]:
    http = urllib3.PoolManager()
    http.urlopen = canned  # type: ignore[method-assign]

    def new_job() -> object:
        fields = {"job_name": "bench 1", "external_id": "ext-1", "is_duplicate": "true"}
        r = http.request(
            "POST",
            f"{HOST}/job/new?{urlencode({'v': 1, **fields, 'api_token': TOKEN})}",
            body=json.dumps(fields).encode(),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if r.status != 200:
            raise RuntimeError(r.status)
        return json.loads(r.data)["JobId"]

    def add_media_url() -> object:
        query = {"v": 1, "api_token": TOKEN, "job_id": JOB_ID, "media_url": MEDIA}
        r = http.request("GET", f"{HOST}/job/add_media?{urlencode(query)}")
        if r.status != 200:
            raise RuntimeError(r.status)
        return json.loads(r.data)["TaskId"]

    return new_job, add_media_url


def per_call_us(fn: Callable[[], object], number: int) -> float:
    """The best of 5 timings of ``number`` calls, in microseconds per call."""
    return min(timeit.repeat(fn, number=number, repeat=5)) / number * 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=20000, help="calls per timing (%(default)s)")
    parser.add_argument("--top", type=int, default=30, help="profile lines (%(default)s)")
    args = parser.parse_args(argv)

    print(format_machine(machine()))
    baseline = per_call_us(lambda: canned("GET", "/job/new"), args.calls)
    sdk, raw = sdk_calls(), raw_calls()
    print(f"\nper call, urlopen stubbed (its canned response alone: {baseline:.1f} us)")
    print(f"  {'call':<14} {'SDK us':>7} {'raw us':>7} {'SDK - raw':>9}")
    for name, sdk_fn, raw_fn in zip(("new_job", "add_media_url"), sdk, raw):
        s, r = per_call_us(sdk_fn, args.calls), per_call_us(raw_fn, args.calls)
        print(f"  {name:<14} {s:7.1f} {r:7.1f} {s - r:9.1f}")

    for name, fn in zip(("new_job", "add_media_url"), sdk):
        profiler = cProfile.Profile()
        profiler.runcall(lambda f=fn: [f() for _ in range(args.calls)])  # type: ignore[misc]
        stats = pstats.Stats(profiler, stream=sys.stdout)
        print(f"\n--- cProfile of {args.calls} SDK {name} calls, urlopen stubbed, by own time ---")
        stats.sort_stats("tottime").print_stats(args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
