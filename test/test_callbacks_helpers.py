"""cielo24.callbacks (build_callback_url, parse_callback) and examples/callback_receiver.py,
end to end with the emulator's real callbacks to 127.0.0.1."""

from __future__ import annotations

import importlib.util
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from doc_examples import run_script

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.callbacks import CALLBACK_TAGS, JobCallback, build_callback_url, parse_callback
from cielo24.emulator import Emulator

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "media" / "sample.wav"
JOB_ID = "d4fb871e07514304b23131b45f8caa1f"
WAIT_SECONDS = 10.0


# --- build_callback_url ----------------------------------------------------------------


def test_the_tags_are_added_intact() -> None:
    assert build_callback_url("https://example.com/cielo24/done") == (
        "https://example.com/cielo24/done?job_id={job_id}&job_name={job_name}"
        "&elementlist_version={elementlist_version}&iwp_name={iwp_name}"
    )


def test_params_are_encoded_braces_and_all() -> None:
    url = build_callback_url(
        "https://example.com/hook?site=1",
        {"secret": "a&b=c {job_id} é/?#", "n": 5},
        tags=["job_id"],
    )
    assert url == (
        "https://example.com/hook?site=1&secret=a%26b%3Dc%20%7Bjob_id%7D%20%C3%A9%2F%3F%23"
        "&n=5&job_id={job_id}"
    )


def test_a_url_ending_in_a_separator_and_tags_in_the_path() -> None:
    assert build_callback_url("http://127.0.0.1/cb/{job_id}?", tags=()) == (
        "http://127.0.0.1/cb/{job_id}?"
    )
    assert build_callback_url("http://127.0.0.1/cb?x=1&", {"y": "2"}, tags=["iwp_name"]) == (
        "http://127.0.0.1/cb?x=1&y=2&iwp_name={iwp_name}"
    )


@pytest.mark.parametrize(
    ("url", "kwargs", "message"),
    [
        ("ftp://example.com/x", {}, "http:// or https://"),
        ("example.com/x", {}, "http:// or https://"),
        ("https://example.com/x#part", {}, "fragment"),
        ("https://example.com/x", {"params": {"job_id": "mine"}}, "filled in by cielo24"),
        ("https://example.com/x", {"tags": ["job id"]}, "tag names"),
    ],
)
def test_bad_callback_urls_are_refused(url: str, kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(cielo24.ApiValueError, match=message):
        build_callback_url(url, **kwargs)


# --- parse_callback --------------------------------------------------------------------


def test_parse_a_query_string() -> None:
    callback = parse_callback(
        f"job_id={JOB_ID}&job_name=Weekly%20meeting&elementlist_version=2024-05-01T10%3A00%3A00"
        "&iwp_name=FINAL&secret=a%26b&secret=second"
    )
    assert callback == JobCallback(
        job_id=JOB_ID,
        iwp_name="FINAL",
        elementlist_version="2024-05-01T10:00:00",
        job_name="Weekly meeting",
        params={"secret": "a&b"},
    )
    assert callback.is_final


@pytest.mark.parametrize(
    "query",
    [
        f"/cielo24/done?job_id={JOB_ID}&iwp_name=MECHANICAL#ignored",
        f"https://example.com/cielo24/done?job_id={JOB_ID}&iwp_name=MECHANICAL",
        {"job_id": JOB_ID, "iwp_name": "MECHANICAL"},
        {"job_id": [JOB_ID, "other"], "iwp_name": ["MECHANICAL"], "empty": []},
    ],
)
def test_parse_a_path_a_url_or_a_mapping(query: Any) -> None:
    callback = parse_callback(query)
    assert (callback.job_id, callback.iwp_name, callback.is_final) == (JOB_ID, "MECHANICAL", False)
    assert callback.params == {}


def test_tags_left_as_written_read_as_none() -> None:
    callback = parse_callback(f"job_id={JOB_ID}&iwp_name={{iwp_name}}&job_name=")
    assert (callback.iwp_name, callback.job_name, callback.elementlist_version) == (
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("iwp_name=FINAL", "no job_id"),
        ("job_id={job_id}", "no job_id"),
        ("job_id=../../etc/passwd", "not a job id"),
        ("job_id=" + "a" * 65, "not a job id"),
    ],
)
def test_a_callback_without_a_usable_job_id_is_refused(query: str, message: str) -> None:
    with pytest.raises(cielo24.ApiValueError, match=message):
        parse_callback(query)


def test_parse_refuses_other_types() -> None:
    with pytest.raises(cielo24.ApiTypeError):
        parse_callback(b"job_id=x")  # type: ignore[arg-type]


# --- a round trip through the emulator's callbacks ---------------------------------------


class Recorder:
    """An HTTP server on 127.0.0.1 recording the target of every GET, answering 200."""

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.arrived = threading.Condition()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with recorder.arrived:
                    recorder.targets.append(self.path)
                    recorder.arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count: int) -> list[str]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.targets) >= count, WAIT_SECONDS)
            return list(self.targets)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder() -> Iterator[Recorder]:
    server = Recorder()
    try:
        yield server
    finally:
        server.close()


def test_the_emulator_fills_in_the_tags_and_parse_reads_them(
    emulator: Emulator, recorder: Recorder
) -> None:
    secret = "p&q {job_id} ü"
    url = build_callback_url(
        f"http://127.0.0.1:{recorder.server.server_port}/done", {"secret": secret}
    )
    result = cielo24.transcribe(
        SAMPLE,
        fidelity="MECHANICAL",
        job_name="Talk & {more}",
        options={"return_iwp": ["MECHANICAL"]},
        callback_url=url,
        wait=False,
        configuration=emulator.configuration(),
    )
    callbacks = sorted(
        (parse_callback(target) for target in recorder.wait_for(2)),
        key=lambda c: c.is_final,
    )
    versions = {v.iwp_name: v.version for v in result.jobs.list_element_lists(result.job_id)}
    for callback, iwp in zip(callbacks, ["MECHANICAL", "FINAL"]):
        assert callback.job_id == result.job_id
        assert callback.iwp_name == iwp
        assert callback.job_name == "Talk & {more}"
        assert callback.elementlist_version == versions[iwp]
        assert callback.params == {"secret": secret}
    result.close()


# --- examples/callback_receiver.py -----------------------------------------------------


def load_example() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "callback_receiver", ROOT / "examples" / "callback_receiver.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_example_receiver_saves_captions_when_called_back(
    emulator: Emulator, tmp_path: Path
) -> None:
    example = load_example()
    with cielo24.ApiClient(emulator.configuration()) as client:
        jobs = JobApi(client)
        saver = example.CaptionSaver(jobs, tmp_path, "the-secret")
        server = example.make_server(saver)
        example.serve_in_background(server)
        try:
            base = f"http://127.0.0.1:{server.server_port}{example.PATH}"
            result = cielo24.transcribe(
                SAMPLE,
                fidelity="MECHANICAL",
                options={"return_iwp": ["MECHANICAL"]},
                callback_url=example.callback_url(base, "the-secret"),
                wait=False,
                api_client=client,
            )
            assert saver.final_saved.wait(WAIT_SECONDS)
            job_id = result.job_id
            final = tmp_path / f"{job_id}.srt"
            assert final.read_text(encoding="utf-8") == jobs.get_caption(job_id, "SRT")
            deadline = time.monotonic() + WAIT_SECONDS
            while len(saver.saved) < 2 and time.monotonic() < deadline:
                time.sleep(0.01)
            assert sorted(p.name for p in saver.saved) == sorted(
                [f"{job_id}.srt", f"{job_id}.MECHANICAL.srt"]
            )
            # the emulator records a callback once the receiver's answer reaches it, which is
            # after the receiver saved the file
            while time.monotonic() < deadline:
                answered = [r for r in emulator.callbacks if r.job_id == job_id]
                if len(answered) == 2:
                    break
                time.sleep(0.01)
            assert [r.status for r in answered] == [200, 200]

            def get(target: str) -> int:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{server.server_port}{target}"):
                        return 200
                except urllib.error.HTTPError as error:
                    return error.code

            assert get(f"{example.PATH}?job_id={job_id}&secret=wrong") == 403
            assert get(f"{example.PATH}?secret=the-secret") == 400
            assert get(f"/elsewhere?job_id={job_id}&secret=the-secret") == 404
            unknown = "0" * 32
            assert get(f"{example.PATH}?job_id={unknown}&secret=the-secret") == 500
        finally:
            server.shutdown()
            server.server_close()


def test_the_example_receiver_demo_runs_as_written(tmp_path: Path) -> None:
    done = run_script("callback_receiver.py", "--demo", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "waiting for cielo24 to call back" in done.stdout
    assert "saved " in done.stdout and "00:00:03,100 --> 00:00:06,430" in done.stdout


def test_callback_tags_match_the_documented_ones() -> None:
    assert CALLBACK_TAGS == ("job_id", "job_name", "elementlist_version", "iwp_name")
