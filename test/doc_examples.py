"""Runs the Python examples of a Markdown page as written, against an emulator; and the
scripts of examples/ as a user does, in a Python process of their own.

The examples run with the variables docs/emulator.md shows, ``CIELO24_HOST`` (the emulator's
URL) and ``CIELO24_API_TOKEN`` (its token), so that ``cielo24.Configuration.from_env()`` finds
it. They follow the seed document's conventions too, which the runner provides: the job
``0fbd6015910e42dca25a863c4925d77c`` and the media file ``/path/to/file`` (1 byte); and for the
seed's own examples, which hard-code them, the token ``'YOUR_API_KEY'`` and the host
``"https://api.cielo24.com/api"``, replaced by the emulator's URL (the only change made to the
code, and never needed by the docs: test_docs checks it).
"""

from __future__ import annotations

import builtins
import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from cielo24.emulator import Emulator

HOST = '"https://api.cielo24.com/api"'
EXAMPLE_TOKEN = "YOUR_API_KEY"
EXAMPLE_JOB_ID = "0fbd6015910e42dca25a863c4925d77c"
EXAMPLE_FILE = "/path/to/file"
EXAMPLES = Path(__file__).parent.parent / "examples"


def python_blocks(markdown: str) -> list[str]:
    """The ```python blocks of a Markdown text, in order."""
    return re.findall(r"^```python\n(.*?)^```", markdown, flags=re.S | re.M)


def example_emulator(**job_fields: Any) -> Emulator:
    """A started emulator that knows the examples' token and job."""
    emulator = Emulator().start()
    emulator.add_api_token(EXAMPLE_TOKEN)
    emulator.add_job(job_id=EXAMPLE_JOB_ID, **job_fields)
    return emulator


def run(code: str, emulator: Emulator, media_file: Path, name: str = "<example>") -> str:
    """Run one example with the host pointed at ``emulator``; returns what it printed."""

    def open_example_file(file: Any, *args: Any, **kwargs: Any) -> Any:
        return builtins.open(media_file if file == EXAMPLE_FILE else file, *args, **kwargs)

    code = code.replace(HOST, repr(emulator.url))
    namespace = {
        "__name__": "__example__",
        "__builtins__": {**vars(builtins), "open": open_example_file},
    }
    variables = {"CIELO24_HOST": emulator.url, "CIELO24_API_TOKEN": emulator.api_token}
    before = {name: os.environ.get(name) for name in variables}
    os.environ.update(variables)
    output = io.StringIO()
    try:
        with contextlib.redirect_stdout(output):
            exec(compile(code, name, "exec"), namespace)
    finally:
        for variable, value in before.items():
            if value is None:
                os.environ.pop(variable, None)
            else:
                os.environ[variable] = value
    return output.getvalue()


def run_script(
    name: str,
    *args: str,
    cwd: Path,
    python_options: tuple[str, ...] = (),
    **variables: str,
) -> subprocess.CompletedProcess[str]:
    """Run ``examples/<name>`` with ``args`` in a fresh Python, the SDK importable from this
    checkout; no CIELO24_ variable of this process's, only the ones given in ``variables``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CIELO24_")}
    env["PYTHONPATH"] = str(EXAMPLES.parent)
    env.update(variables)
    return subprocess.run(
        [sys.executable, *python_options, str(EXAMPLES / name), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
