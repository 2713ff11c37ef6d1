"""Deserialisation benchmark: a job_list of 1000 jobs, read into models, against json.loads.

Target: reading the body into a JobListResponse (json.loads included) costs at most 3x
json.loads of the same body.

How: the body is 1000 jobs in the shape the service documents for job/list (every job-info
field, six dates, ReturnTargets and Options), built once. In one process, alternating, each
side is timed with ``time.process_time()`` over batches of calls; the median over the rounds
is reported. The SDK side is what ApiClient does with the body: ``json.loads`` then
``JobListResponse.from_wire``.

Run: ``python benchmarks/bench_job_list.py`` (a few seconds).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from typing import Any

from _common import (
    ForeignLoad,
    benchmark_parser,
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

from cielo24.models import JobListResponse

RATIO = 3.0


def job(i: int) -> dict[str, Any]:
    """One job as job/list documents it."""
    return {
        "JobId": uuid.uuid4().hex,
        "JobName": f"lecture {i}",
        "MediaLengthSeconds": 607.81,
        "ExternalID": f"ext-{i}",
        "Priority": "STANDARD",
        "Fidelity": "STANDARD",
        "JobStatus": "Complete",
        "SourceLanguage": "en",
        "TargetLanguage": "en",
        "CreationDate": "2014-08-27T14:00:06.472706",
        "StartDate": "2014-08-27T14:00:06.472706",
        "DueDate": "2014-08-29T14:00:06.472706",
        "CompletedDate": "2014-08-27T14:10:41.923125",
        "ReturnDate": "2014-08-27T14:10:42.885185",
        "AuthorizationDate": "",
        "JobDifficulty": "Unknown",
        "ReturnTargets": {"url": [{"callback_url": "https://example.com/return/"}]},
        "Options": {"notes": {"label": "Notes", "setting": "spell names as on the slides"}},
        "Username": "demo",
    }


def per_call(function: Callable[[], object], calls: int) -> float:
    """Seconds of CPU per call of ``function``, over ``calls`` calls."""
    started = time.process_time()
    for _ in range(calls):
        function()
    return (time.process_time() - started) / calls


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__)
    parser.add_argument("--jobs", type=int, default=1000, help="jobs in the list (%(default)s)")
    parser.add_argument("--rounds", type=int, default=15, help="rounds per side (%(default)s)")
    parser.add_argument("--calls", type=int, default=20, help="calls per round (%(default)s)")
    args = parser.parse_args(argv)
    exit_on_sigterm()

    info = machine()
    print(format_machine(info))
    body = json.dumps({"Username": "demo", "ActiveJobs": [job(i) for i in range(args.jobs)]})
    data = body.encode()
    print(f"job_list: {args.jobs} jobs, {len(data):,} bytes; {args.rounds} rounds x {args.calls}")

    def sdk() -> object:
        return JobListResponse.from_wire(json.loads(data))

    def raw() -> object:
        return json.loads(data)

    result = sdk()
    assert isinstance(result, JobListResponse) and len(result.active_jobs or []) == args.jobs
    wait_for_quiet(args.wait_quiet)
    load = ForeignLoad()
    sdk_times, raw_times = [], []
    for _ in range(args.rounds):
        raw_times.append(per_call(raw, args.calls))
        sdk_times.append(per_call(sdk, args.calls))
    foreign = load.cores()
    rows = [
        ratio_row(
            f"job_list of {args.jobs} jobs, CPU per read",
            median(sdk_times) * 1000,
            median(raw_times) * 1000,
            "ms",
            RATIO,
        )
    ]
    print(format_table(rows, "\n=== job_list deserialisation (raw = json.loads alone)"))
    print(foreign_load_note(foreign))
    write_results(args.json, "job_list", rows, {"foreign_cores": foreign}, info)
    return exit_status(rows, args.check)


if __name__ == "__main__":
    raise SystemExit(main())
