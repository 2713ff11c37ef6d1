"""The README's main command: the quickstart runs against the emulator when no token is set."""

from __future__ import annotations

import re
from pathlib import Path

from doc_examples import run_script


def test_quickstart_runs_the_main_job_against_the_emulator(tmp_path: Path) -> None:
    done = run_script("quickstart.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "running against a local emulator" in out
    job_id = re.search(r"1\. created job ([0-9a-f]{32})", out)
    assert job_id is not None
    assert re.search(r"2\. added sample\.wav \(48044 bytes\) to the job: task [0-9a-f]{32}", out)
    assert re.search(r"3\. asked for a MECHANICAL transcription: task [0-9a-f]{32}", out)
    assert f"4. authorized job {job_id.group(1)}" in out
    assert done.stderr == ""


def test_quickstart_reports_service_errors_without_a_traceback(tmp_path: Path) -> None:
    done = run_script(
        "quickstart.py",
        cwd=tmp_path,
        CIELO24_API_TOKEN="0" * 32,
        CIELO24_HOST="http://127.0.0.1:9/api",  # the discard port: nothing listens there
    )
    assert done.returncode == 1
    assert done.stderr.startswith("error: could not connect to http://127.0.0.1:9")
    assert "Traceback" not in done.stderr
    assert "0" * 32 not in done.stdout + done.stderr
