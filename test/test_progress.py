"""The progress display (cielo24.progress) as people see it: ``cielo24 transcribe`` on a
pseudo-terminal and on a pipe, ``cielo24.transcribe`` in a (fake) Jupyter notebook, and the
lines themselves on a clock the test moves."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time
import types
from pathlib import Path
from typing import Any

import pytest

import cielo24
from cielo24.emulator import Emulator
from cielo24.progress import DONE, UPLOADING, WAITING, Progress

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "media" / "sample.wav"
WIDTH = 90


class Screen:
    """Just enough of a terminal: text, \\r, \\n, cursor up to a line's start (ESC[nF),
    clearing a line (ESC[2K) and the rest of the screen (ESC[J). Refuses a line written
    past the width (it would wrap and tear the block)."""

    def __init__(self, width: int) -> None:
        self.width = width
        self.lines = [""]
        self.row = self.col = 0

    def feed(self, text: str) -> None:
        for token in re.split(r"(\x1b\[\d*[A-Za-z]|\r|\n)", text):
            if not token:
                continue
            if token == "\n":
                self.row, self.col = self.row + 1, 0
                if self.row == len(self.lines):
                    self.lines.append("")
            elif token == "\r":
                self.col = 0
            elif token.startswith("\x1b["):
                count, command = int(token[2:-1] or 1), token[-1]
                if command == "F":
                    self.row, self.col = max(0, self.row - count), 0
                elif command == "K":
                    self.lines[self.row] = ""
                elif command == "J":
                    del self.lines[self.row + 1 :]
                    self.lines[self.row] = self.lines[self.row][: self.col]
                else:
                    raise AssertionError(f"unexpected escape {token!r}")
            else:
                line = self.lines[self.row]
                self.lines[self.row] = line[: self.col] + token + line[self.col + len(token) :]
                self.col += len(token)
                assert self.col < self.width, f"line wider than the terminal: {token!r}"

    @property
    def text(self) -> list[str]:
        return [line for line in self.lines if line]


def media_files(directory: Path, count: int) -> list[str]:
    directory.mkdir()
    for index in range(count):
        (directory / f"talk-{index}.wav").write_bytes(bytes([index]) * 300_000)
    return [f"{directory.name}/talk-{index}.wav" for index in range(count)]


def cli_env(emulator: Emulator, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIELO24_")}
    env.update(PYTHONPATH=str(ROOT), CIELO24_HOST=emulator.url)
    env.update(CIELO24_API_TOKEN=emulator.api_token, **extra)
    return env


@pytest.fixture
def slow_emulator() -> Any:
    emulator = Emulator(processing_seconds=1.5).start()
    try:
        yield emulator
    finally:
        emulator.stop()


def test_on_a_terminal_one_block_redrawn_in_place(slow_emulator: Emulator, tmp_path: Path) -> None:
    media = media_files(tmp_path / "in", 3)
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, WIDTH, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "cielo24", "transcribe", *media, "--output-dir", "out"],
        stdout=subprocess.PIPE,
        stderr=slave,
        env=cli_env(slow_emulator),
        cwd=tmp_path,
    )
    os.close(slave)
    screen = Screen(WIDTH)
    screens: list[list[str]] = []
    while True:
        ready, _, _ = select.select([master], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(master, 65536).decode()
            except OSError:  # the other end is closed: the command is done
                break
            screen.feed(chunk)
            screens.append(list(screen.text))
        elif process.poll() is not None:
            break
    os.close(master)
    assert process.wait(30) == 0
    assert process.stdout is not None
    assert process.stdout.read().decode().count(" Complete -> ") == 3
    waiting = [
        s for s in screens if len(s) >= 4 and s[-4].startswith("0 done, 0 failed, 0 uploading, 3")
    ]
    assert waiting, screens[-5:]
    # one line per media in flight under the summary, each with a live elapsed time
    seconds = {
        re.sub(r".*elapsed (\d+ s).*", r"\1", line)
        for s in waiting
        for line in s[-3:]
        if "In Process" in line
    }
    assert {"1 s", "2 s"} <= seconds
    final = screen.text
    assert sorted(final[:3]) == sorted(
        f"{m}  job {job_id}  Complete"
        for m, job_id in zip(media, _jobs_by_name(slow_emulator, media))
    )
    assert final[3].startswith("3 done, 0 failed, 0 uploading, 0 waiting of 3  ")
    assert len(final) == 4


def _jobs_by_name(emulator: Emulator, media: list[str]) -> list[str]:
    by_name = {job.job_name: job_id for job_id, job in emulator.jobs.items()}
    return [by_name[Path(m).name] for m in media]


def test_on_a_pipe_a_plain_line_at_each_change(slow_emulator: Emulator, tmp_path: Path) -> None:
    media = media_files(tmp_path / "in", 2)
    done = subprocess.run(
        [sys.executable, "-m", "cielo24", "transcribe", *media, "--output-dir", "out"],
        capture_output=True,
        text=True,
        env=cli_env(slow_emulator),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr and "\r" not in done.stderr
    lines = done.stderr.splitlines()
    for name, job_id in zip(media, _jobs_by_name(slow_emulator, media)):
        mine = [line for line in lines if line.startswith(f"{name}  ")]
        assert mine[2:4] == [
            f"{name}  job {job_id}  uploading  elapsed 0 s",
            f"{name}  job {job_id}  uploading 300.0 kB of 300.0 kB  100%  {rate(mine[3])}/s  "
            "elapsed 0 s",
        ]
        assert mine[4] == f"{name}  job {job_id}  submitted  elapsed 0 s"
        assert mine[-2:] == [
            f"{name}  job {job_id}  fetching  elapsed 0 s",
            f"{name}  job {job_id}  Complete",
        ]
        assert set(mine[5:-2]) <= {
            f"{name}  job {job_id}  In Process  elapsed {s} s" for s in "0123"
        }
    assert any("  In Process  elapsed " in line for line in lines)
    assert lines[-1].startswith("2 done, 0 failed, 0 uploading, 0 waiting of 2  ")


def rate(line: str) -> str:
    found = re.search(r"  ([\d.]+ [kMG]?B)/s  ", line)
    assert found, line
    return found.group(1)


def test_on_a_pipe_the_totals_come_every_interval_while_nothing_changes() -> None:
    stream = io.StringIO()
    with Progress(2, "plain", stream, tick=0.02, plain_every=0.2) as progress:
        progress.update("a.wav", WAITING, job_id="1" * 32, status="In Process")
        progress.update("b.wav", WAITING, job_id="2" * 32, status="In Process")
        time.sleep(0.7)
    totals = [
        line
        for line in stream.getvalue().splitlines()
        if line.startswith("0 done, 0 failed, 0 uploading, 2 waiting of 2  elapsed ")
    ]
    assert len(totals) >= 3


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_lines_say_bytes_rate_eta_and_elapsed() -> None:
    clock = Clock()
    stream = io.StringIO()
    progress = Progress(3, "json", stream, clock=clock)
    progress.update("talk.mp4", UPLOADING, job_id="f" * 32)
    clock.now += 2
    progress.uploaded("talk.mp4", 12_000_000, 48_000_000)
    assert progress.line("talk.mp4") == (
        f"talk.mp4  job {'f' * 32}  uploading 12.0 MB of 48.0 MB  25%  6.0 MB/s  ETA 6 s  "
        "elapsed 2 s"
    )
    progress.update("talk.mp4", WAITING, status="In Process")
    clock.now += 72
    assert progress.line("talk.mp4") == f"talk.mp4  job {'f' * 32}  In Process  elapsed 1 min 12 s"
    progress.update("talk.mp4", DONE, status="Complete")
    clock.now += 46
    assert progress.summary() == (
        "1 done, 0 failed, 0 uploading, 0 waiting of 3  0.5 media/min  ETA 4 min 0 s  "
        "elapsed 2 min 0 s"
    )
    events = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["event"] for e in events] == ["phase", "upload", "phase", "phase"]
    assert events[1]["sent"] == 12_000_000 and events[1]["rate"] == 6_000_000
    assert events[-1]["phase"] == "done" and events[-1]["job_id"] == "f" * 32


class FakeNotebook:
    """IPython as a Jupyter kernel shows it: get_ipython() is a ZMQInteractiveShell, and
    IPython.display records what is displayed and updated."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, str, str]] = []
        ipython = types.ModuleType("IPython")
        shell = type("ZMQInteractiveShell", (), {})()
        ipython.get_ipython = lambda: shell  # type: ignore[attr-defined]
        display = types.ModuleType("IPython.display")

        class HTML:
            def __init__(self, data: str) -> None:
                self.data = data

        display.HTML = HTML  # type: ignore[attr-defined]
        display.display = lambda obj, display_id: self.calls.append(  # type: ignore[attr-defined]
            ("display", display_id, obj.data)
        )
        display.update_display = lambda obj, display_id: self.calls.append(  # type: ignore[attr-defined]
            ("update_display", display_id, obj.data)
        )
        monkeypatch.setitem(sys.modules, "IPython", ipython)
        monkeypatch.setitem(sys.modules, "IPython.display", display)


def test_in_a_notebook_transcribe_shows_an_html_display(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    notebook = FakeNotebook(monkeypatch)
    result = cielo24.transcribe(
        SAMPLE, fidelity="MECHANICAL", configuration=emulator.configuration()
    )
    kinds = [kind for kind, _, _ in notebook.calls]
    assert kinds[0] == "display" and set(kinds[1:]) == {"update_display"}
    assert len({display_id for _, display_id, _ in notebook.calls}) == 1
    shown = [html for _, _, html in notebook.calls]
    assert any("uploading 48.0 kB of 48.0 kB  100%" in html for html in shown)
    assert f"sample.wav  job {result.job_id}  Complete" in shown[-1]
    assert shown[-1].startswith("<table><tr><td>") and capsys.readouterr().err == ""
    notebook.calls.clear()
    cielo24.transcribe(
        SAMPLE, fidelity="MECHANICAL", configuration=emulator.configuration(), progress=False
    )
    assert notebook.calls == []


def test_in_a_notebook_a_batch_shows_its_totals(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    notebook = FakeNotebook(monkeypatch)
    cielo24.transcribe_many(
        [SAMPLE, "https://media.example.com/a.mp4"],
        fidelity="MECHANICAL",
        output_dir=tmp_path,
        configuration=emulator.configuration(),
    )
    last = notebook.calls[-1][2]
    assert "<caption>2 done, 0 failed, 0 uploading, 0 waiting of 2  " in last


def test_outside_a_notebook_the_python_calls_show_nothing_unless_asked(
    emulator: Emulator, capsys: pytest.CaptureFixture[str]
) -> None:
    cielo24.transcribe(SAMPLE, fidelity="MECHANICAL", configuration=emulator.configuration())
    assert capsys.readouterr().err == ""
    result = cielo24.transcribe(
        SAMPLE, fidelity="MECHANICAL", configuration=emulator.configuration(), progress=True
    )
    assert f"sample.wav  job {result.job_id}  Complete\n" in capsys.readouterr().err
