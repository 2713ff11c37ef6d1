"""examples/generated_client.py, code written for the generated client, runs unchanged."""

from __future__ import annotations

import re
from pathlib import Path

from doc_examples import run_script


def test_code_for_the_generated_client_runs_against_the_emulator(tmp_path: Path) -> None:
    done = run_script(
        "generated_client.py", cwd=tmp_path, python_options=("-W", "error::DeprecationWarning")
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    job_id = re.search(r"created job ([0-9a-f]{32})", out)
    assert job_id is not None
    assert "logged in as demo" in out
    assert "key belongs to: demo" in out
    assert "async job_info: Complete" in out
    assert "job_info with http info: 200 application/json" in out
    assert re.search(r"job_info unread: 200, \d+ bytes", out)
    assert f"job_info on _host_index 0: {job_id.group(1)}" in out
    assert "caption: '1' ..." in out
    assert "mechanical task name: MECHANICAL" in out
    for option, replacement in (
        ("_check_input_type", "arguments are always checked"),
        ("_check_return_type", "responses are never checked"),
        ("_spec_property_naming", "models read both"),
        ("_request_auths", "configuration.api_key['ApiKeyAuth']"),
    ):
        assert re.search(
            f"DeprecationWarning: job_info\\(\\): {option} .*{re.escape(replacement)}", out
        )
    assert re.search(r"translation ordered: \{'translation_job_ids': \['[0-9a-f]{32}'\]", out)
    assert "OpenApiException: 400 ITEM_NOT_FOUND" in out
    assert "ApiAttributeError: JobInfoResponse has no field 'no_such_field'" in out
    assert out.endswith("logged out\n")
    assert done.stderr == ""
