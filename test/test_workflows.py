"""cielo24.transcribe and its Transcription, Configuration.from_env, notebook displays and the
light import, against the emulator."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.captions import Caption, caption_format_for
from cielo24.emulator import Emulator
from cielo24.enums import CaptionFormat, JobStatus
from cielo24.models import JobInfoResponse, JobListResponse

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "media" / "sample.wav"


@pytest.fixture
def configuration(emulator: Emulator) -> cielo24.Configuration:
    return emulator.configuration()


def test_transcribe_a_path_end_to_end(
    emulator: Emulator, configuration: cielo24.Configuration
) -> None:
    result = cielo24.transcribe(SAMPLE, fidelity="MECHANICAL", configuration=configuration)
    with result:
        job = emulator.jobs[result.job_id]
        assert job.job_name == "sample.wav"
        assert job.media_size == SAMPLE.stat().st_size
        assert job.media_sha256 == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
        assert job.fidelity == "MECHANICAL" and job.priority == "STANDARD"
        assert isinstance(result.job_info, JobInfoResponse)
        assert result.status == JobStatus.COMPLETE
        srt = result.captions[CaptionFormat.SRT]
        assert isinstance(srt, Caption) and srt.caption_format == "SRT"
        assert srt == result.jobs.get_caption(result.job_id, "SRT")
        assert srt.startswith("1\n00:00:")


def test_transcribe_an_open_file_keeps_it_open_and_in_place(
    emulator: Emulator, configuration: cielo24.Configuration
) -> None:
    progress: list[tuple[int, int]] = []
    with SAMPLE.open("rb") as media:
        media.seek(44)  # after the WAV header: only the rest is sent
        result = cielo24.transcribe(
            media,
            fidelity="MECHANICAL",
            job_name="from a file",
            language="en",
            external_id="ext-1",
            configuration=configuration,
            progress_callback=lambda sent, total: progress.append((sent, total)),
        )
        assert not media.closed and media.tell() == 44
    size = SAMPLE.stat().st_size - 44
    job = emulator.jobs[result.job_id]
    assert (job.job_name, job.external_id, job.media_size) == ("from a file", "ext-1", size)
    assert progress[-1] == (size, size)
    result.close()


def test_transcribe_bytes_and_a_url(emulator: Emulator) -> None:
    with cielo24.ApiClient(emulator.configuration()) as client:
        from_bytes = cielo24.transcribe(b"\x01" * 1000, fidelity="MECHANICAL", api_client=client)
        assert emulator.jobs[from_bytes.job_id].media_size == 1000
        url = "https://media.example.com/talks/keynote%202024.mp4"
        from_url = cielo24.transcribe(url, fidelity="PREMIUM", api_client=client, wait=False)
        job = emulator.jobs[from_url.job_id]
        assert job.media_url == url and job.job_name == "keynote 2024.mp4"
        assert job.fidelity == "PREMIUM"
        from_url.close()  # not its client: left open
        assert client.configuration is not None
        assert JobApi(client).job_info(from_url.job_id).job_id == from_url.job_id


def test_wait_false_returns_at_once_and_waits_later() -> None:
    emulator = Emulator(processing_seconds=0.3).start()
    try:
        result = cielo24.transcribe(
            SAMPLE,
            fidelity="MECHANICAL",
            caption_formats=["SRT", "WEB_VTT"],
            wait=False,
            configuration=emulator.configuration(),
        )
        assert result.job_info is None and result.captions == {}
        assert result.refresh().job_status == JobStatus.IN_PROCESS
        seen: list[str | None] = []
        assert (
            result.wait(poll_interval=0.05, on_status_change=lambda i: seen.append(i.job_status))
            is result
        )
        assert seen[-1] == JobStatus.COMPLETE
        assert list(result.captions) == ["SRT", "WEB_VTT"]
        assert result.captions["WEB_VTT"].startswith("WEBVTT")
        result.close()
    finally:
        emulator.stop()


def test_the_options_reach_the_job(
    emulator: Emulator, configuration: cielo24.Configuration
) -> None:
    result = cielo24.transcribe(
        SAMPLE,
        fidelity="PROFESSIONAL",
        priority="PRIORITY",
        options={"notes": "two speakers", "return_iwp": ["MECHANICAL"]},
        callback_url="http://127.0.0.1:9/done?job={job_id}",
        turnaround_hours=24,
        wait=False,
        configuration=configuration,
    )
    job = emulator.jobs[result.job_id]
    assert (job.fidelity, job.priority, job.turnaround_hours) == ("PROFESSIONAL", "PRIORITY", 24)
    assert job.callback_url == "http://127.0.0.1:9/done?job={job_id}"
    assert job.options is not None and job.options["notes"] == "two speakers"
    result.close()


def test_authorize_releases_a_held_job() -> None:
    emulator = Emulator(customer_authorization=True).start()
    try:
        configuration = emulator.configuration()
        with pytest.raises(cielo24.WaitTimeoutError) as raised:
            cielo24.transcribe(
                SAMPLE, fidelity="MECHANICAL", configuration=configuration, timeout=0
            )
        assert raised.value.status == "Authorizing"
        result = cielo24.transcribe(
            SAMPLE, fidelity="MECHANICAL", authorize=True, configuration=configuration
        )
        assert result.status == JobStatus.COMPLETE
        result.close()
    finally:
        emulator.stop()


def test_media_failure_is_raised_with_the_job_id(
    emulator: Emulator, configuration: cielo24.Configuration
) -> None:
    with pytest.raises(cielo24.MediaFailureError) as raised:
        cielo24.transcribe(b"MEDIA-FAILURE...", fidelity="MECHANICAL", configuration=configuration)
    assert raised.value.job_id in emulator.jobs


@pytest.mark.parametrize(
    ("media", "kwargs", "error", "message"),
    [
        (SAMPLE, {"fidelity": "BEST"}, cielo24.ApiValueError, "transcription_fidelity"),
        (
            SAMPLE,
            {"fidelity": "MECHANICAL", "priority": "CRITICAL"},
            cielo24.ApiValueError,
            "priority",
        ),
        (
            SAMPLE,
            {"fidelity": "MECHANICAL", "caption_formats": ["MP4"]},
            cielo24.ApiValueError,
            "'MP4' is not one of",
        ),
        (
            SAMPLE,
            {"fidelity": "MECHANICAL", "callback_url": "ftp://x"},
            cielo24.ApiValueError,
            "callback_url",
        ),
        (b"", {"fidelity": "MECHANICAL"}, cielo24.ApiValueError, "content_length"),
        (io.StringIO("text"), {"fidelity": "MECHANICAL"}, cielo24.ApiTypeError, "text mode"),
        (42, {"fidelity": "MECHANICAL"}, cielo24.ApiTypeError, "media must be"),
        ("https:///no-host.mp4", {"fidelity": "MECHANICAL"}, cielo24.ApiValueError, "no host"),
        ("/no/such/file.mp4", {"fidelity": "MECHANICAL"}, FileNotFoundError, "file.mp4"),
    ],
)
def test_bad_input_is_refused_before_a_job_is_created(
    emulator: Emulator,
    configuration: cielo24.Configuration,
    media: object,
    kwargs: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        cielo24.transcribe(media, configuration=configuration, **kwargs)  # type: ignore[arg-type]
    assert emulator.jobs == {}
    assert emulator.requests == []


def test_configuration_and_client_are_exclusive(configuration: cielo24.Configuration) -> None:
    with cielo24.ApiClient(configuration) as client:
        with pytest.raises(cielo24.ApiValueError, match="not both"):
            cielo24.transcribe(
                SAMPLE, fidelity="MECHANICAL", configuration=configuration, api_client=client
            )


def test_credentials_come_from_the_environment(
    emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [n for n in os.environ if n.startswith("CIELO24_")]:
        monkeypatch.delenv(name)
    with pytest.raises(cielo24.ApiKeyError, match="CIELO24_API_TOKEN"):
        cielo24.transcribe(SAMPLE, fidelity="MECHANICAL")
    assert emulator.jobs == {}
    monkeypatch.setenv("CIELO24_HOST", emulator.url)
    monkeypatch.setenv("CIELO24_USERNAME", emulator.demo_username)
    monkeypatch.setenv("CIELO24_PASSWORD", emulator.demo_password)
    with cielo24.transcribe(SAMPLE, fidelity="MECHANICAL") as result:
        assert result.status == JobStatus.COMPLETE


def test_transcription_fetches_and_saves_every_output(
    emulator: Emulator, configuration: cielo24.Configuration, tmp_path: Path
) -> None:
    with cielo24.transcribe(
        SAMPLE, fidelity="MECHANICAL", caption_formats=["SRT", "DFXP"], configuration=configuration
    ) as result:
        jobs = result.jobs
        paths = result.save_captions(tmp_path, "talk")
        assert paths == {"SRT": tmp_path / "talk.srt", "DFXP": tmp_path / "talk.dfxp"}
        assert paths["SRT"].read_bytes() == jobs.get_caption(result.job_id, "SRT").encode()
        assert paths["DFXP"].read_text(encoding="utf-8") == result.captions["DFXP"]

        vtt = result.save_caption(tmp_path / "talk.vtt")
        assert vtt.read_text(encoding="utf-8").startswith("WEBVTT")
        qt = result.save_caption(tmp_path / "talk.qt.txt", characters_per_caption_line=20)
        assert qt.read_text(encoding="utf-8") == jobs.get_caption(
            result.job_id, "QT", characters_per_caption_line=20
        )
        narrow = result.caption("SRT", characters_per_caption_line=20)
        assert narrow != result.captions["SRT"]

        assert result.transcript() == jobs.get_transcript(result.job_id)
        saved = result.save_transcript(tmp_path / "talk.txt", timecode_format="[%H:%M:%S]")
        assert saved.read_text(encoding="utf-8").startswith("[00:00:")

        element_list = result.element_list()
        assert element_list.text() == jobs.get_element_list(result.job_id).text()
        written = result.save_element_list(tmp_path / "talk.json")
        raw = (tmp_path / "talk.json").read_bytes()
        assert written == len(raw)
        assert json.loads(raw)["segments"]
        assert not (tmp_path / "talk.json.part").exists()
        buffer = io.BytesIO()
        result.save_element_list(buffer, iwp_name="MECHANICAL")
        assert json.loads(buffer.getvalue())["version"] >= 1

        assert repr(result) == f"Transcription(job_id={result.job_id!r}, status='Complete')"
        assert "<table>" in result._repr_html_()


def test_captions_display_as_a_short_escaped_summary_in_notebooks() -> None:
    caption = Caption("1\n00:00:01,000 --> 00:00:02,000\n<b>Tom & Jerry</b>\n", "SRT")
    assert isinstance(caption, str) and caption.caption_format == "SRT"
    assert caption._repr_html_() == (
        "<table><caption>SRT captions: 1 cue, 0:00:02</caption>"
        "<tr><th>start</th><th>end</th><th>text</th></tr>"
        "<tr><td>0:00:01</td><td>0:00:02</td><td>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;</td></tr>"
        "</table>"
    )

    class Printer:
        printed = ""

        def text(self, value: str) -> None:
            self.printed += value

    printer = Printer()
    caption._repr_pretty_(printer, False)
    assert printer.printed == "<Caption SRT: 1 cue, 0:00:02; '<b>Tom & Jerry</b>'>"


def test_job_info_and_job_lists_show_as_escaped_html_tables() -> None:
    info = JobInfoResponse.from_dict(
        {"JobId": "abc", "JobName": "<script>alert(1)</script>", "JobStatus": "Complete"}
    )
    html = info._repr_html_()
    assert html.startswith("<table><caption>job abc</caption>")
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<tr><td>job_status</td><td>Complete</td></tr>" in html

    listed = JobListResponse.from_dict(
        {
            "Username": "a&b",
            "ActiveJobs": [
                {"JobId": "1", "JobName": "x<y", "JobStatus": "Complete"},
                {"JobId": "2", "JobStatus": "Pending"},
            ],
        }
    )
    html = listed._repr_html_()
    assert "<caption>2 jobs of a&amp;b</caption>" in html
    assert html.count("<tr>") == 3 and "x&lt;y" in html
    assert "<th>job_status</th>" in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("talk.srt", "SRT"),
        ("TALK.VTT", "WEB_VTT"),
        ("a/b/talk.qt.txt", "QT"),
        ("talk.txt", "TRANSCRIPT"),
        ("talk.smi", "SAMI"),
        ("talk.dfxp", "DFXP"),
    ],
)
def test_caption_format_for_a_file_name(path: str, expected: str) -> None:
    assert caption_format_for(path) == expected


def test_an_unknown_extension_is_refused() -> None:
    with pytest.raises(cielo24.ApiValueError, match="no caption format for 'talk.mp4'"):
        caption_format_for("talk.mp4")


# --- Configuration.from_env ------------------------------------------------------------


def test_from_env_reads_a_token_and_a_server() -> None:
    configuration = cielo24.Configuration.from_env(
        {"CIELO24_API_TOKEN": "t" * 32, "CIELO24_SERVER": "sandbox"}
    )
    assert configuration.host == "https://sandbox.cielo24.com/api"
    assert configuration.api_key["ApiKeyAuth"] == "t" * 32
    assert not configuration.has_credentials


def test_from_env_reads_credentials_and_a_host_and_takes_other_settings() -> None:
    configuration = cielo24.Configuration.from_env(
        {
            "CIELO24_USERNAME": "demo",
            "CIELO24_API_SECUREKEY": "k" * 32,
            "CIELO24_HOST": "http://127.0.0.1:8024/api",
            "CIELO24_PASSWORD": "",  # empty is unset
        },
        read_timeout=5,
    )
    assert configuration.host == "http://127.0.0.1:8024/api"
    assert (configuration.username, configuration.api_securekey) == ("demo", "k" * 32)
    assert configuration.password is None and configuration.read_timeout == 5
    assert "k" * 32 not in repr(configuration)


def test_from_env_reads_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [n for n in os.environ if n.startswith("CIELO24_")]:
        monkeypatch.delenv(name)
    default = cielo24.Configuration.from_env()
    assert default.host == "https://api.cielo24.com/api" and not default.api_key
    monkeypatch.setenv("CIELO24_API_TOKEN", "f" * 32)
    assert cielo24.Configuration.from_env().api_key["ApiKeyAuth"] == "f" * 32


SECRET = "s3cret-value-never-shown"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"CIELO24_PASSWORD": SECRET}, "CIELO24_PASSWORD is set but CIELO24_USERNAME is not"),
        ({"CIELO24_API_SECUREKEY": SECRET}, "CIELO24_API_SECUREKEY is set but CIELO24_USERNAME"),
        ({"CIELO24_USERNAME": "demo"}, "CIELO24_USERNAME is set without CIELO24_PASSWORD"),
        (
            {"CIELO24_USERNAME": "d", "CIELO24_PASSWORD": SECRET, "CIELO24_API_SECUREKEY": SECRET},
            "set CIELO24_PASSWORD or CIELO24_API_SECUREKEY, not both",
        ),
        ({"CIELO24_SERVER": "staging"}, "CIELO24_SERVER must be one of production, sandbox"),
        (
            {"CIELO24_SERVER": "sandbox", "CIELO24_HOST": "https://x.example/api"},
            "set CIELO24_SERVER or CIELO24_HOST, not both",
        ),
        ({"CIELO24_HOST": "ftp://x.example/api"}, "CIELO24_HOST: host must be an http"),
        ({"CIELO24_HOST": f"https://u:{SECRET}@x.example/api"}, "CIELO24_HOST must not hold"),
    ],
)
def test_from_env_names_the_variable_and_never_the_secret(
    environ: dict[str, str], message: str
) -> None:
    with pytest.raises(cielo24.ApiValueError, match=message) as raised:
        cielo24.Configuration.from_env(environ)
    assert SECRET not in str(raised.value)


def test_from_env_refuses_settings_the_variables_give() -> None:
    with pytest.raises(cielo24.ApiTypeError, match="host"):
        cielo24.Configuration.from_env({}, host="https://x.example/api")


# --- the light import ------------------------------------------------------------------


def test_import_cielo24_loads_no_workflow_module_until_asked() -> None:
    code = (
        "import sys, cielo24; from cielo24.api import job_api\n"
        "heavy = ['cielo24.workflows', 'cielo24.waiter', 'cielo24.callbacks', 'cielo24.cli',"
        " 'cielo24.notebook', 'argparse']\n"
        "print([m for m in heavy if m in sys.modules])\n"
        "cielo24.transcribe; cielo24.parse_callback; cielo24.Waiter\n"
        "print([m for m in heavy[:3] if m in sys.modules])\n"
        "print(sorted(set(cielo24.__all__) - set(dir(cielo24))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=True,
    )
    assert done.stdout.splitlines() == [
        "[]",
        "['cielo24.workflows', 'cielo24.waiter', 'cielo24.callbacks']",
        "[]",
    ]


def test_unknown_names_are_still_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no attribute 'transcribbe'"):
        cielo24.transcribbe  # type: ignore[attr-defined]  # noqa: B018
