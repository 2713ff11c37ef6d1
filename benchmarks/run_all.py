"""Run the benchmarks (import, calls, job_list, upload) and print one summary table.

Each benchmark runs as its own process, printing its details as it goes; the summary table at
the end gathers every figure with its target and PASS / FAIL.

Run: ``python benchmarks/run_all.py`` (a few minutes; the upload needs 2 GiB of free space in
the temp dir). ``--skip upload`` leaves one out; ``--check`` exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _common import (
    REPO,
    WAIT_QUIET,
    Row,
    exit_on_sigterm,
    foreign_load_note,
    format_machine,
    format_table,
    machine,
    read_rows,
)

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "import": HERE / "bench_import.py",
    "calls": HERE / "bench_calls.py",
    "job_list": HERE / "bench_job_list.py",
    "upload": HERE / "bench_upload.py",
}
TIMEOUT = 3600.0


def run(script: Path, results: Path, options: list[str]) -> int:
    """Run one benchmark script; on timeout or interruption, SIGTERM it so that it cleans up."""
    command = [sys.executable, str(script), "--json", str(results), *options]
    proc = subprocess.Popen(command, cwd=REPO)
    try:
        return proc.wait(TIMEOUT)
    except BaseException:
        proc.terminate()
        try:
            proc.wait(60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--skip", action="append", choices=sorted(BENCHMARKS), default=[], help="leave one out"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=WAIT_QUIET,
        help="each benchmark waits up to this many seconds for other processes to go quiet",
    )
    parser.add_argument("--json", help="also write every benchmark's results to this JSON file")
    args = parser.parse_args(argv)
    exit_on_sigterm()

    rows: list[Row] = []
    loads: dict[str, float] = {}
    documents: dict[str, Any] = {}
    failed: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="cielo24-bench-results-") as results:
        for name, script in BENCHMARKS.items():
            if name in args.skip:
                continue
            print(f"=== {name}: {script.relative_to(REPO)}", flush=True)
            out = Path(results) / f"{name}.json"
            status = run(script, out, ["--wait-quiet", str(args.wait_quiet)])
            if status != 0 or not out.exists():
                failed.append(f"{name} (exit status {status})")
                continue
            rows += read_rows(out)
            documents[name] = json.loads(out.read_text())
            loads[name] = float(documents[name].get("foreign_cores", 0.0))
            print(flush=True)
    print(f"=== summary ({time.perf_counter() - started:.0f} s)")
    print(format_machine(machine()))
    print(format_table(rows))
    for name, cores in loads.items():
        digest = documents[name]["machine"]["sdk_digest"]
        if documents[name].get("sdk_digest_at_end", digest) != digest:
            digest += f" -> {documents[name]['sdk_digest_at_end']} (changed during the run!)"
        print(f"{name}: SDK source {digest}; {foreign_load_note(cores)}")
    missed = [r.figure for r in rows if r.passed is False]
    print(
        f"{sum(r.passed is True for r in rows)} targets met, {len(missed)} missed"
        + (f": {', '.join(missed)}" if missed else "")
    )
    if args.json:
        Path(args.json).write_text(json.dumps(documents, indent=2))
    if failed:
        print(f"benchmarks that did not finish: {', '.join(failed)}")
        return 2
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
