"""Shared helpers of the benchmarks: the emulator in its own process, tables, machine facts.

Not a benchmark itself. The scripts beside it import it as a plain module (a script's own
folder is on ``sys.path``), and put the repository root on ``sys.path`` so that ``cielo24`` is
found without installing it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

#: The server's program: an Emulator on 127.0.0.1, serving until its stdin closes or SIGTERM.
_SERVER_CODE = """
import inspect, os, signal, sys, threading
from cielo24.emulator import Emulator

if __CPUS__ is not None:
    os.sched_setaffinity(0, __CPUS__)

if __NODELAY__:
    try:
        from cielo24.emulator.server import RequestHandler

        RequestHandler.disable_nagle_algorithm = True
    except ImportError:
        print("cannot set TCP_NODELAY: the emulator has no server.RequestHandler", file=sys.stderr)
options = {}
if not __HASH_UPLOADS__ and "keep_media" in inspect.signature(Emulator).parameters:
    options["keep_media"] = False  # nor write uploads to disk: the client is measured
emu = Emulator(host="127.0.0.1", port=0, api_token=None, hash_uploads=__HASH_UPLOADS__, **options)
emu.start()
print(emu.url, emu.api_token, flush=True)
done = threading.Event()
signal.signal(signal.SIGTERM, lambda *_: done.set())
threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
done.wait()
emu.stop()
"""

SERVER_START_TIMEOUT = 30.0
SERVER_STOP_TIMEOUT = 10.0


def child_env() -> dict[str, str]:
    """The environment for child interpreters: this one's, with the repository importable."""
    env = dict(os.environ)
    paths = [str(REPO), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env


@dataclass(frozen=True)
class Server:
    """A running emulator process: its API base URL and token."""

    url: str
    token: str
    pid: int


@contextmanager
def emulator_process(
    hash_uploads: bool = True, nodelay: bool = False, cpus: set[int] | None = None
) -> Iterator[Server]:
    """Run the emulator in a separate Python process on 127.0.0.1 for the ``with`` block.

    ``hash_uploads=False`` also turns off keeping uploaded media on disk (``keep_media``), so
    the server only reads and drops the bytes of an upload.

    ``nodelay`` sets TCP_NODELAY on the emulator's connections, in that process only: the
    emulator writes a response's headers and body separately, and with Nagle's algorithm on
    each response then waits about 40 ms for the client's delayed ACK.

    The process is stopped (stdin closed, then SIGTERM, then SIGKILL) however the block ends.
    The environment variable BENCH_EMULATOR_PATH, when set, is the folder to import the
    emulator from instead of this checkout (e.g. a ``git archive`` of a commit whose emulator
    works while this tree's is being edited); the clients always use this checkout's SDK.
    """
    code = (
        _SERVER_CODE.replace("__HASH_UPLOADS__", repr(hash_uploads))
        .replace("__NODELAY__", repr(nodelay))
        .replace("__CPUS__", repr(cpus))
    )
    env, cwd = child_env(), REPO
    other = os.environ.get("BENCH_EMULATOR_PATH")  # another checkout's emulator, if wanted
    if other:
        env["PYTHONPATH"], cwd = other, Path(other)
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=env,
        cwd=cwd,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = _read_line(proc, SERVER_START_TIMEOUT)
        url, token = line.split()
        if not url.startswith("http://127.0.0.1:"):
            raise RuntimeError(f"the emulator is not on loopback: {url}")
        yield Server(url=url, token=token, pid=proc.pid)
    finally:
        _stop(proc)


def _read_line(proc: subprocess.Popen[str], timeout: float) -> str:
    """The child's first stdout line, or RuntimeError when it exits or is silent too long."""
    import selectors

    assert proc.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise RuntimeError(f"the emulator did not start within {timeout} s")
    line = proc.stdout.readline()
    if not line:
        raise RuntimeError(f"the emulator exited with status {proc.wait()}")
    return line.strip()


def _stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None and proc.stdin is not None:
        try:
            proc.stdin.close()
            proc.wait(SERVER_STOP_TIMEOUT)
        except (OSError, subprocess.TimeoutExpired):
            pass
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


@dataclass(frozen=True)
class Row:
    """One figure of a results table: SDK against raw urllib3, its target and the verdict."""

    figure: str
    sdk: float
    raw: float
    unit: str
    target: str
    passed: bool | None  # None: for information, no target

    @property
    def ratio(self) -> float:
        return self.sdk / self.raw if self.raw else float("nan")

    @property
    def verdict(self) -> str:
        if self.passed is None:
            return "info"
        return "PASS" if self.passed else "FAIL"


def ratio_row(
    figure: str, sdk: float, raw: float, unit: str, limit: float, higher_is_better: bool = False
) -> Row:
    """A row whose target is the ratio SDK / raw: at most ``limit`` (or at least, if better)."""
    ratio = sdk / raw if raw else float("nan")
    if higher_is_better:
        return Row(figure, sdk, raw, unit, f"ratio >= {limit:g}x", ratio >= limit)
    return Row(figure, sdk, raw, unit, f"ratio <= {limit:g}x", ratio <= limit)


def format_table(rows: Sequence[Row], title: str = "") -> str:
    """The rows as a fixed-width text table (also valid Markdown)."""
    header = ("figure", "SDK", "raw urllib3", "ratio", "target", "result")
    body = [
        (
            f"{r.figure} ({r.unit})",
            _number(r.sdk),
            _number(r.raw),
            f"{r.ratio:.3f}x",
            r.target,
            r.verdict,
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in (header, *body)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths)) + " |"

    out = [title] if title else []
    out += [line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(cells) for cells in body]
    return "\n".join(out)


def _number(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def sdk_digest() -> str:
    """A short sha256 of the SDK's source (every cielo24/**/*.py): which code was measured."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted((REPO / "cielo24").rglob("*.py")):
        digest.update(str(path.relative_to(REPO)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def git_head() -> str:
    """The commit checked out, or a note when there is none yet."""
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() if done.returncode == 0 else "no commit"


def machine() -> dict[str, Any]:
    """Facts about this machine and interpreter, for the record."""
    from importlib.metadata import version

    mem_kib = 0
    with open("/proc/meminfo") as f:
        for entry in f:
            if entry.startswith("MemTotal:"):
                mem_kib = int(entry.split()[1])
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for entry in f:
            if entry.startswith("model name"):
                cpu = entry.split(":", 1)[1].strip()
                break
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "ram_gib": round(mem_kib / 1024 / 1024, 1),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "urllib3": version("urllib3"),
        "kernel": platform.release(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "git_head": git_head(),
        "sdk_digest": sdk_digest(),
    }


def format_machine(info: dict[str, Any]) -> str:
    return (
        f"machine: {info['cores']} cores ({info['cpu']}), {info['ram_gib']} GiB RAM, "
        f"Linux {info['kernel']}; {info['implementation']} {info['python']}, "
        f"urllib3 {info['urllib3']}\n"
        f"code: git HEAD {info['git_head']}, cielo24/**/*.py sha256 {info['sdk_digest']} "
        f"(working tree); {info['date']}"
    )


def write_results(
    path: str | None,
    name: str,
    rows: Sequence[Row],
    extra: dict[str, Any],
    started: dict[str, Any],
) -> None:
    """Warn if the SDK's source changed during the run; save the rows as JSON for run_all.py.

    ``started`` is :func:`machine` as it was when the benchmark started.
    """
    digest = sdk_digest()
    if digest != started["sdk_digest"]:
        print(
            f"WARNING: the SDK's source changed during the run ({started['sdk_digest']} -> "
            f"{digest}): the figures may mix two versions; run again"
        )
    if path is None:
        return
    document = {
        "benchmark": name,
        "machine": started,
        "sdk_digest_at_end": digest,
        "rows": [{**asdict(r), "ratio": r.ratio, "verdict": r.verdict} for r in rows],
        **extra,
    }
    Path(path).write_text(json.dumps(document, indent=2))


def read_rows(path: str | os.PathLike[str]) -> list[Row]:
    """The rows saved by :func:`write_results`."""
    document = json.loads(Path(path).read_text())
    fields = ("figure", "sdk", "raw", "unit", "target", "passed")
    return [Row(**{k: r[k] for k in fields}) for r in document["rows"]]


def proc_status_kib(field: str) -> int:
    """A ``/proc/self/status`` figure in KiB (VmRSS, VmHWM, ...)."""
    with open("/proc/self/status") as f:
        match = re.search(rf"^{field}:\s+(\d+) kB", f.read(), re.MULTILINE)
    if match is None:
        raise RuntimeError(f"/proc/self/status has no {field}")
    return int(match.group(1))


def reset_peak_rss() -> bool:
    """Reset VmHWM to the current RSS (Linux clear_refs 5); False when the kernel refuses."""
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        return False
    return True


def exit_status(rows: Sequence[Row], check: bool) -> int:
    """0, or 1 when ``check`` is set and a target was missed."""
    return 1 if check and any(r.passed is False for r in rows) else 0


# --- other processes: the machine is shared, and their CPU use skews the figures -------------

_TICKS = os.sysconf("SC_CLK_TCK")
IDLE_LIMIT = 0.10  # of one core: above this, other processes are busy enough to skew figures
WAIT_QUIET = 300.0  # seconds a benchmark waits, at most, for other processes to go quiet


def machine_busy_seconds() -> float:
    """User and system CPU seconds of every process on the machine since boot (all cores).

    Interrupt and softirq time is left out: the kernel does not charge it to processes, and
    loopback traffic makes plenty of it on behalf of the benchmark itself.
    """
    with open("/proc/stat") as f:
        user, nice, system = (int(v) for v in f.readline().split()[1:4])
    return (user + nice + system) / _TICKS


def process_cpu_seconds(pid: int) -> float:
    """User and system CPU seconds of a live process; 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICKS


class ForeignLoad:
    """The CPU used by other processes while a benchmark runs, in cores (0.5: half a core).

    Ours are this process, its children once waited for, and the live children named with
    :meth:`watch` (e.g. the emulator), each started after this object was made.
    """

    def __init__(self) -> None:
        self._pids: set[int] = set()
        self._busy0, self._own0 = machine_busy_seconds(), self._own()
        self._started = time.perf_counter()

    @staticmethod
    def _own() -> float:
        t = os.times()
        return t.user + t.system + t.children_user + t.children_system

    def watch(self, pid: int) -> None:
        """Count a live child's CPU as ours until it is waited for."""
        self._pids.add(pid)

    def cores(self) -> float:
        """The other processes' average use so far, in cores."""
        busy = machine_busy_seconds() - self._busy0
        ours = self._own() - self._own0 + sum(map(process_cpu_seconds, self._pids))
        elapsed = time.perf_counter() - self._started
        return max(0.0, (busy - ours) / elapsed) if elapsed > 0 else 0.0


def wait_for_quiet(max_wait: float, sample: float = 2.0) -> float:
    """Wait (at most ``max_wait`` s) until other processes use under IDLE_LIMIT of a core.

    Returns their use in the last sample, in cores.
    """
    started = time.monotonic()
    said = -60.0
    while True:
        load = ForeignLoad()
        time.sleep(sample)
        cores = load.cores()
        waited = time.monotonic() - started
        if cores < IDLE_LIMIT or waited >= max_wait:
            if waited > 1.5 * sample:
                print(f"  waited {waited:.0f} s; other processes now use {cores:.2f} cores")
            return cores
        if waited - said >= 60:
            said = waited
            print(
                f"  other processes are using {cores:.2f} cores; waiting up to "
                f"{max_wait - waited:.0f} s more for a quiet machine",
                flush=True,
            )


def foreign_load_note(cores: float) -> str:
    """One line on the other processes' CPU use during the measurements."""
    note = (
        f"other processes' CPU use during the measurements: {cores:.2f} cores (of {os.cpu_count()})"
    )
    if cores >= IDLE_LIMIT:
        note += " -- WARNING: the machine was busy, these figures are skewed; run again"
    return note


def exit_on_sigterm() -> None:
    """Make SIGTERM raise SystemExit, so that ``finally`` blocks stop servers and delete files."""

    def _exit(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)


def benchmark_parser(doc: str) -> argparse.ArgumentParser:
    """The options every benchmark takes: --wait-quiet, --json and --check."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=WAIT_QUIET,
        help="wait up to this many seconds for other processes to go quiet (%(default)s)",
    )
    parser.add_argument("--json", help="also write the results to this JSON file")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    return parser
