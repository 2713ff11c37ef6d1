"""Import benchmark: ``import cielo24; from cielo24.api import job_api`` against ``import json,
urllib3``.

Target: the SDK's import takes at most 1.15x the time of importing json and urllib3.

How: every measurement is a fresh interpreter (``python -c``) that times the import statement
alone with ``time.perf_counter()`` and prints it; the interpreter's own start-up is not counted.
SDK and raw children alternate; a few warm-up children of each first make sure the bytecode
caches are written. For information, ``python -X importtime`` shows where the SDK's import
time goes, and which modules it loads beyond json and urllib3.

Run: ``python benchmarks/bench_import.py`` (a few seconds).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from typing import Any, NamedTuple

from _common import (
    REPO,
    ForeignLoad,
    Row,
    benchmark_parser,
    child_env,
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

IMPORT_RATIO = 1.15
SDK_IMPORT = "import cielo24; from cielo24.api import job_api"
RAW_IMPORT = "import json, urllib3"
CHILD_TIMEOUT = 60.0

_TIMED = """
import time
_t0 = time.perf_counter()
{statement}
_t1 = time.perf_counter()
print(_t1 - _t0)
"""

_EXTRA_MODULES = f"""
import sys
{RAW_IMPORT}
_before = set(sys.modules)
{SDK_IMPORT}
print("\\n".join(sorted(set(sys.modules) - _before)))
"""


class Entry(NamedTuple):
    """One module in ``-X importtime``'s report."""

    module: str
    depth: int
    self_ms: float
    cumulative_ms: float


_IMPORTTIME = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)$")


def bytecode_env(cache: str) -> dict[str, str]:
    """The children's environment: bytecode written to and read from ``cache``.

    As after ``pip install``, every module then loads from bytecode, the SDK's as well as the
    standard library's and urllib3's, even where PYTHONDONTWRITEBYTECODE is set (as it is in
    some development shells, where the SDK alone would then be compiled on every import).
    """
    env = child_env()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = cache
    return env


def source_env() -> dict[str, str]:
    """The children's environment with no bytecode written: the SDK compiled on each import."""
    env = child_env()
    env.pop("PYTHONPYCACHEPREFIX", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=CHILD_TIMEOUT,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"python {' '.join(args)} failed:\n{done.stderr}")
    return done


def time_import(env: dict[str, str], statement: str) -> float:
    """Milliseconds that ``statement`` takes in a fresh interpreter."""
    return float(_python(env, "-c", _TIMED.format(statement=statement)).stdout) * 1000


def alternate(env: dict[str, str], runs: int, warmup: int) -> tuple[list[float], list[float]]:
    """Import times in ms of the SDK and of raw, ``runs`` each, alternating who goes first."""
    for _ in range(warmup):
        time_import(env, SDK_IMPORT)
        time_import(env, RAW_IMPORT)
    sdk: list[float] = []
    raw: list[float] = []
    for i in range(runs):
        if i % 2 == 0:
            sdk.append(time_import(env, SDK_IMPORT))
            raw.append(time_import(env, RAW_IMPORT))
        else:
            raw.append(time_import(env, RAW_IMPORT))
            sdk.append(time_import(env, SDK_IMPORT))
    return sdk, raw


def importtime(env: dict[str, str], statement: str, runs: int) -> list[Entry]:
    """``-X importtime`` for ``statement``, each figure the median of ``runs`` runs, in the
    order Python reports the modules; modules loaded by the interpreter's start-up left out."""
    startup = set(_python(env, "-c", "import sys; print('\\n'.join(sys.modules))").stdout.split())
    self_us: dict[str, list[int]] = defaultdict(list)
    cumulative_us: dict[str, list[int]] = defaultdict(list)
    depths: dict[str, int] = {}
    for _ in range(runs):
        for line in _python(env, "-X", "importtime", "-c", statement).stderr.splitlines():
            match = _IMPORTTIME.match(line)
            if match and match.group(4) not in startup:
                own, cumulative, indent, name = match.groups()
                self_us[name].append(int(own))
                cumulative_us[name].append(int(cumulative))
                depths.setdefault(name, (len(indent) - 1) // 2)
    return [
        Entry(name, depth, median(self_us[name]) / 1000, median(cumulative_us[name]) / 1000)
        for name, depth in depths.items()
    ]


def spread(name: str, values: list[float]) -> str:
    return f"  {name} ms: min {min(values):.1f}, median {median(values):.1f}, max {max(values):.1f}"


def main(argv: list[str] | None = None) -> int:
    parser = benchmark_parser(__doc__)
    parser.add_argument("--runs", type=int, default=30, help="children per side (%(default)s)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured children per side")
    parser.add_argument("--top", type=int, default=15, help="importtime entries (%(default)s)")
    args = parser.parse_args(argv)
    exit_on_sigterm()

    info = machine()
    print(format_machine(info))
    print(f"import: {args.runs} fresh interpreters per side, alternating")
    print(f"  SDK: {SDK_IMPORT}\n  raw: {RAW_IMPORT}")
    with tempfile.TemporaryDirectory(prefix="cielo24-bench-pycache-") as cache:
        env = bytecode_env(cache)
        print(f"  bytecode in PYTHONPYCACHEPREFIX={cache} (deleted after)")
        quiet = wait_for_quiet(args.wait_quiet)
        load = ForeignLoad()
        sdk, raw = alternate(env, args.runs, args.warmup)
        foreign = load.cores()
        print(spread("SDK", sdk))
        print(spread("raw", raw))
        profile = importtime(env, SDK_IMPORT, 5)
        extra = set(_python(env, "-c", _EXTRA_MODULES).stdout.split())
    print("without bytecode for the SDK (PYTHONDONTWRITEBYTECODE=1, as in a source checkout):")
    sdk_source, raw_source = alternate(source_env(), args.runs, 1)
    print(spread("SDK", sdk_source))
    print(spread("raw", raw_source))

    by_cumulative = sorted(profile, key=lambda entry: -entry.cumulative_ms)[: args.top]
    print(
        f"\npython -X importtime -c {SDK_IMPORT!r}: top {args.top} by cumulative time "
        "(median of 5; modules of the interpreter's start-up left out)"
    )
    print(f"  {'cumulative ms':>13}  {'self ms':>7}  module")
    for e in by_cumulative:
        print(f"  {e.cumulative_ms:13.1f}  {e.self_ms:7.1f}  {'  ' * e.depth}{e.module}")
    extra_entries = sorted((e for e in profile if e.module in extra), key=lambda e: -e.self_ms)
    print(
        f"\nmodules the SDK loads beyond {RAW_IMPORT!r}: {len(extra)}, "
        f"{sum(e.self_ms for e in extra_entries):.1f} ms of self time in all; the largest:"
    )
    for e in extra_entries[: args.top]:
        print(f"  {e.self_ms:7.1f} ms  {e.module}")

    rows = [
        ratio_row("import time, median", median(sdk), median(raw), "ms", IMPORT_RATIO),
        Row(
            "import time, SDK without bytecode",
            median(sdk_source),
            median(raw_source),
            "ms",
            "-",
            None,
        ),
    ]
    print()
    print(format_table(rows, f"bench_import ({args.runs} interpreters each)"))
    details: dict[str, Any] = {
        "sdk_ms": sdk,
        "raw_ms": raw,
        "sdk_without_bytecode_ms": sdk_source,
        "raw_without_bytecode_ms": raw_source,
        "importtime_top": [e._asdict() for e in by_cumulative],
        "extra_modules": [e._asdict() for e in extra_entries],
    }
    print(foreign_load_note(foreign))
    details.update(foreign_cores=foreign, quiet=quiet)
    write_results(args.json, "import", rows, details, info)
    return exit_status(rows, args.check)


if __name__ == "__main__":
    sys.exit(main())
