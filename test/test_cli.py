"""The ``cielo24`` command, end to end: every command run as a subprocess (``python -m
cielo24``) against an emulator on 127.0.0.1, its successes and its failures, with their exit
codes."""

from __future__ import annotations

import json
import os
import re
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.cli import errors
from cielo24.emulator import Emulator

ROOT = Path(__file__).parent.parent
SAMPLE = ROOT / "examples" / "media" / "sample.wav"
JOB_ID = re.compile(r"^[0-9a-f]{32}$")


class Cli:
    """Runs ``python -m cielo24`` with a clean environment: no CIELO24_* variable but those
    given, and a home of its own (so no saved token leaks in or out)."""

    def __init__(self, home: Path, **environ: str) -> None:
        self.home = home
        self.environ = environ

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CIELO24_", "XDG_"))}
        env.update(PYTHONPATH=str(ROOT), HOME=str(self.home), **self.environ, **extra)
        return env

    def __call__(
        self, *args: str, input: str | None = None, cwd: Path | None = None, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "cielo24", *args],
            input=input,
            capture_output=True,
            text=True,
            env=self.env(**extra),
            cwd=cwd or self.home,
            timeout=60,
        )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


@pytest.fixture
def cli(emulator: Emulator, home: Path) -> Cli:
    """The command, pointed at the emulator with its API token."""
    return Cli(home, CIELO24_HOST=emulator.url, CIELO24_API_TOKEN=emulator.api_token)


@pytest.fixture
def bare(home: Path) -> Cli:
    """The command with no credentials at all."""
    return Cli(home)


@pytest.fixture
def slow() -> Iterator[Emulator]:
    """An emulator whose jobs take 1000 s."""
    emulator = Emulator(processing_seconds=1000).start()
    try:
        yield emulator
    finally:
        emulator.stop()


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr
    return done.stdout


def failed(done: subprocess.CompletedProcess[str], code: int) -> str:
    assert done.returncode == code, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    return done.stderr


def new_job(cli: Cli) -> str:
    job_id = ok(cli("job", "new", "--name", "cli test")).strip()
    assert JOB_ID.match(job_id)
    return job_id


def complete_job(cli: Cli) -> str:
    job_id = new_job(cli)
    ok(cli("upload", job_id, str(SAMPLE)))
    ok(cli("perform", job_id, "--fidelity", "MECHANICAL"))
    return job_id


# --- help, version, usage errors -------------------------------------------------------


def test_version_and_help(bare: Cli) -> None:
    assert ok(bare("--version")).strip() == cielo24.__version__
    text = ok(bare("--help"))
    for command in ("transcribe", "login", "logout", "job", "upload", "perform", "wait"):
        assert command in text
    for command in ("caption", "transcript", "elementlist", "emulator"):
        assert command in text
    assert "CIELO24_API_TOKEN" in text and "exit codes:" in text
    for code in errors.EXIT_CODES:
        assert re.search(rf"^  {code}\s", text, flags=re.M)


@pytest.mark.parametrize(
    "command",
    [
        ["transcribe"],
        ["login"],
        ["logout"],
        ["job"],
        ["job", "new"],
        ["job", "info"],
        ["job", "list"],
        ["job", "delete"],
        ["job", "authorize"],
        ["upload"],
        ["perform"],
        ["wait"],
        ["caption"],
        ["transcript"],
        ["elementlist"],
        ["emulator"],
    ],
    ids=" ".join,
)
def test_every_command_has_help(bare: Cli, command: list[str]) -> None:
    text = ok(bare(*command, "--help"))
    assert text.startswith("usage:")


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["job"],
        ["frobnicate"],
        ["job", "info"],
        ["perform", "0" * 32],
        ["perform", "0" * 32, "--fidelity", "BEST"],
        ["transcribe", str(SAMPLE), "--format", "MP4"],
        ["transcribe", str(SAMPLE), "--parallel", "0"],
        ["transcribe", str(SAMPLE), "--timeout", "soon"],
        ["transcribe", str(SAMPLE), "-o", "a.srt", "--output-dir", "."],
        ["wait", "0" * 32, "--poll-interval", "0"],
        ["caption", "0" * 32, "--option", "no-equals-sign"],
        ["job", "list", "--host", "https://x.example/api", "--server", "sandbox"],
        ["perform", "0" * 32, "--fidelity", "MECHANICAL", "--options", "[1]"],
    ],
    ids=lambda c: " ".join(c) or "nothing",
)
def test_usage_errors_exit_2_and_send_nothing(
    emulator: Emulator, cli: Cli, command: list[str]
) -> None:
    stderr = failed(cli(*command), errors.USAGE)
    assert "usage:" in stderr
    assert emulator.requests == []


def test_usage_errors_found_by_the_sdk_exit_2_and_send_nothing(
    emulator: Emulator, cli: Cli
) -> None:
    stderr = failed(cli("caption", "0" * 32, "--option", "bogus=1"), errors.USAGE)
    assert "'bogus' is not an option of caption (they are listed at https://" in stderr
    stderr = failed(cli("transcript", "0" * 32, "--option", "lines_per_caption=2"), errors.USAGE)
    assert "'lines_per_caption' is not an option of transcript" in stderr
    assert "unexpected keyword" not in stderr and "()" not in stderr
    stderr = failed(cli("caption", "0" * 32, "-o", "talk.mp4"), errors.USAGE)
    assert "no caption format for 'talk.mp4'" in stderr
    stderr = failed(cli("transcribe", str(SAMPLE), str(SAMPLE), "-o", "talk.srt"), errors.USAGE)
    assert "one media and one format" in stderr
    assert emulator.requests == []


# --- credentials -----------------------------------------------------------------------


def test_no_credentials_says_how_to_set_them(bare: Cli) -> None:
    stderr = failed(bare("job", "list"), errors.CREDENTIALS)
    assert "CIELO24_API_TOKEN" in stderr and "CIELO24_USERNAME" in stderr
    assert "cielo24 login --save" in stderr
    assert "cielo24 transcribe --emulator MEDIA" in stderr and "CIELO24_EMULATOR=1" in stderr
    stderr = failed(bare("whoami"), errors.CREDENTIALS)
    assert "no cielo24 credentials" in stderr


def test_inconsistent_variables_name_the_variable_not_the_secret(bare: Cli) -> None:
    stderr = failed(bare("job", "list", CIELO24_PASSWORD="hunter2-secret"), errors.CREDENTIALS)
    assert "CIELO24_PASSWORD is set but CIELO24_USERNAME is not" in stderr
    assert "hunter2-secret" not in stderr
    stderr = failed(bare("job", "list", CIELO24_SERVER="staging"), errors.CREDENTIALS)
    assert "CIELO24_SERVER must be one of production, sandbox" in stderr


def test_a_bad_token_exits_3_without_showing_it(emulator: Emulator, home: Path) -> None:
    bad = Cli(home, CIELO24_HOST=emulator.url, CIELO24_API_TOKEN="badc0ffee" * 3)
    stderr = failed(bad("job", "list"), errors.CREDENTIALS)
    assert "BAD_API_TOKEN" in stderr and "badc0ffee" not in stderr


def test_username_and_password_from_the_environment(emulator: Emulator, home: Path) -> None:
    user = Cli(
        home,
        CIELO24_HOST=emulator.url,
        CIELO24_USERNAME=emulator.demo_username,
        CIELO24_PASSWORD=emulator.demo_password,
    )
    assert ok(user("job", "list", "--json"))
    wrong = Cli(
        home, CIELO24_HOST=emulator.url, CIELO24_USERNAME="demo", CIELO24_PASSWORD="wrong-pw"
    )
    stderr = failed(wrong("job", "list"), errors.CREDENTIALS)
    assert "credentials were refused" in stderr and "wrong-pw" not in stderr


def test_login_prints_a_token_that_works(emulator: Emulator, home: Path) -> None:
    login = Cli(home, CIELO24_USERNAME="demo", CIELO24_PASSWORD=emulator.demo_password)
    token = ok(login("login", "--host", emulator.url)).strip()
    assert JOB_ID.match(token)
    as_json = json.loads(ok(login("login", "--host", emulator.url, "--json")))
    assert as_json["host"] == emulator.url and JOB_ID.match(as_json["api_token"])
    user = Cli(home, CIELO24_HOST=emulator.url, CIELO24_API_TOKEN=token)
    assert json.loads(ok(user("job", "list", "--json")))["username"] == "demo"


def test_login_save_keeps_the_token_private_and_later_commands_use_it(
    emulator: Emulator, home: Path
) -> None:
    bare = Cli(home)
    done = bare(
        "login",
        "--host",
        emulator.url,
        "--username",
        "demo",
        "--password-stdin",
        "--save",
        input=emulator.demo_password + "\n",
    )
    out = ok(done)
    path = home / ".config" / "cielo24" / "credentials"
    assert f"logged in as demo; token saved to {path}" in out
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    saved = json.loads(path.read_text())["default"]
    assert saved["host"] == emulator.url
    assert saved["api_token"] not in out + done.stderr

    job_id = ok(bare("job", "new")).strip()  # no variable set: the saved token and host
    assert job_id in emulator.jobs
    shown = ok(bare("whoami"))
    assert f"host:        {emulator.url} (from profile default)" in shown
    assert (
        f"credentials: api token ***{saved['api_token'][-4:]} (from profile default in {path})"
        in shown
    )
    assert saved["api_token"] not in shown
    stderr = failed(bare("job", "list", "--server", "sandbox"), errors.CREDENTIALS)
    assert "the saved token (profile default) is for" in stderr  # never sent to another host

    # the SDK's own chain finds the same token: cielo24.transcribe() with no configuration
    script = (
        f"import cielo24; result = cielo24.transcribe({str(SAMPLE)!r}, fidelity='MECHANICAL'); "
        "print(result.job_id, result.status)"
    )
    sdk = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=bare.env(), timeout=60
    )
    transcribed, status = ok(sdk).split()
    assert transcribed in emulator.jobs and status == "Complete"

    assert ok(bare("logout")).strip() == "logged out"
    assert not path.exists()
    failed(bare("job", "list"), errors.CREDENTIALS)


def test_named_profiles(emulator: Emulator, home: Path) -> None:
    other = Emulator().start()
    try:
        bare = Cli(home, CIELO24_USERNAME="demo", CIELO24_PASSWORD=emulator.demo_password)
        ok(bare("login", "--host", emulator.url, "--save"))
        out = ok(bare("login", "--host", other.url, "--save", "--profile", "work"))
        assert out.strip().endswith("as profile work")
        path = home / ".config" / "cielo24" / "credentials"
        assert sorted(json.loads(path.read_text())) == ["default", "work"]
        bare = Cli(home)
        ok(bare("job", "new", "--name", "at home"))
        ok(bare("job", "new", "--name", "at work", "--profile", "work"))
        ok(bare("job", "new", "--name", "at work too", CIELO24_PROFILE="work"))
        assert [j.job_name for j in emulator.jobs.values()] == ["at home"]
        assert [j.job_name for j in other.jobs.values()] == ["at work", "at work too"]
        assert "(from profile work in" in ok(bare("whoami", CIELO24_PROFILE="work"))
        stderr = failed(bare("job", "list", "--profile", "play"), errors.CREDENTIALS)
        assert f"no profile 'play' in {path}" in stderr
        # the variables win over the file, and an explicit --profile over the variables
        env_token = Cli(home, CIELO24_HOST=other.url, CIELO24_API_TOKEN=other.api_token)
        assert "(from the environment: CIELO24_API_TOKEN)" in ok(env_token("whoami"))
        assert "(from profile default in" in ok(env_token("whoami", "--profile", "default"))
        ok(bare("logout", "--profile", "work"))
        assert sorted(json.loads(path.read_text())) == ["default"]
    finally:
        other.stop()


def test_the_credentials_file_is_kept_private(emulator: Emulator, home: Path) -> None:
    folder = home / ".config" / "cielo24"
    folder.mkdir(parents=True, mode=0o777)
    folder.chmod(0o777)
    login = Cli(home, CIELO24_HOST=emulator.url, CIELO24_USERNAME="demo")
    save = ("login", "--save", "--password-stdin")
    ok(login(*save, input=emulator.demo_password))
    path = folder / "credentials"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # fixed
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.chmod(0o644)
    done = Cli(home)("job", "list")
    ok(done)
    assert "is readable by others: run `chmod 600" in done.stderr
    ok(login(*save, input=emulator.demo_password))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # fixed by the next save
    path.chmod(0o666)
    stderr = failed(Cli(home)("job", "list"), errors.CREDENTIALS)
    assert f"{path} is writable by others (or not yours): it is not used" in stderr
    stderr = failed(login(*save, input=emulator.demo_password), errors.CREDENTIALS)
    assert "writable by others" in stderr


def test_login_honours_xdg_config_home(emulator: Emulator, home: Path) -> None:
    config = home / "elsewhere"
    login = Cli(home, XDG_CONFIG_HOME=str(config), CIELO24_HOST=emulator.url)
    ok(login("login", "--username", "demo", "--password-stdin", "--save", input="demo-password"))
    assert (config / "cielo24" / "credentials").exists()


def test_login_failures(emulator: Emulator, home: Path) -> None:
    bare = Cli(home, CIELO24_HOST=emulator.url)
    stderr = failed(bare("login", "--username", "demo"), errors.CREDENTIALS)
    assert "set CIELO24_PASSWORD, pipe it with --password-stdin" in stderr
    stderr = failed(bare("login"), errors.CREDENTIALS)
    assert "give --username or set CIELO24_USERNAME" in stderr
    done = bare("login", "--username", "demo", "--password-stdin", input="not-it\n")
    stderr = failed(done, errors.CREDENTIALS)
    assert "LOGIN_INVALID" in stderr and "not-it" not in stderr
    securekey = bare(
        "login", "--username", "demo", "--securekey", CIELO24_API_SECUREKEY=emulator.demo_securekey
    )
    assert JOB_ID.match(ok(securekey).strip())


# --- jobs, step by step ----------------------------------------------------------------


def test_job_new_info_list_authorize_delete(emulator: Emulator, cli: Cli) -> None:
    created = json.loads(
        ok(cli("job", "new", "--name", "Keynote", "--external-id", "k-1", "--json"))
    )
    job_id = created["job_id"]
    assert JOB_ID.match(job_id) and JOB_ID.match(created["task_id"])
    assert emulator.jobs[job_id].external_id == "k-1"

    text = ok(cli("job", "info", job_id))
    assert re.search(rf"^job_id:\s+{job_id}$", text, flags=re.M)
    assert re.search(r"^job_name:\s+Keynote$", text, flags=re.M)
    info = json.loads(ok(cli("job", "info", job_id, "--json")))
    assert info["job_status"] == "Pending" and info["creation_date"].startswith("20")

    listing = ok(cli("job", "list"))
    assert listing.splitlines()[0].split() == ["JOB", "ID", "STATUS", "FIDELITY", "CREATED", "NAME"]
    assert job_id in listing
    listed = json.loads(ok(cli("job", "list", "--name", "Keynote", "--json")))
    assert [job["job_id"] for job in listed["active_jobs"]] == [job_id]
    assert json.loads(ok(cli("job", "list", "--status", "Complete", "--json")))["active_jobs"] == []

    assert ok(cli("job", "authorize", job_id)).strip() == f"authorized job {job_id}"
    deleted = json.loads(ok(cli("job", "delete", job_id, "--json")))
    assert deleted["job_id"] == job_id and JOB_ID.match(deleted["task_id"])
    stderr = failed(cli("job", "info", job_id), errors.SERVICE)
    assert "ITEM_NOT_FOUND" in stderr


def test_upload_perform_wait_and_every_output(emulator: Emulator, cli: Cli, tmp_path: Path) -> None:
    job_id = new_job(cli)
    out = ok(cli("upload", job_id, str(SAMPLE)))
    assert out.strip() == f"added {SAMPLE} to job {job_id}"
    assert emulator.jobs[job_id].media_size == SAMPLE.stat().st_size
    out = ok(cli("perform", job_id, "--fidelity", "mechanical", "--options", '{"notes": "n"}'))
    assert out.strip() == f"asked for a MECHANICAL transcription of job {job_id}"
    assert emulator.jobs[job_id].options == {"notes": "n"}
    final = json.loads(ok(cli("wait", job_id, "--json")))
    assert final["job_status"] == "Complete"
    assert re.search(r"^job_status:\s+Complete$", ok(cli("wait", job_id)), flags=re.M)
    ok(cli("wait", job_id, "--iwp", "mechanical"))

    sdk = JobApi(cielo24.ApiClient(emulator.configuration()))
    assert ok(cli("caption", job_id)) == sdk.get_caption(job_id, "SRT")
    assert ok(cli("caption", job_id, "--format", "web_vtt")).startswith("WEBVTT")
    narrow = ok(cli("caption", job_id, "--option", "characters_per_caption_line=20"))
    assert narrow == sdk.get_caption(job_id, "SRT", characters_per_caption_line=20)
    vtt = tmp_path / "talk.vtt"
    saved = json.loads(ok(cli("caption", job_id, "-o", str(vtt), "--json")))
    assert saved == {
        "job_id": job_id,
        "path": str(vtt),
        "bytes": vtt.stat().st_size,
        "format": "WEB_VTT",
    }
    as_json = json.loads(ok(cli("caption", job_id, "--json")))
    assert as_json["caption"] == sdk.get_caption(job_id, "SRT")

    assert ok(cli("transcript", job_id)) == sdk.get_transcript(job_id)
    text = tmp_path / "talk.txt"
    out = ok(cli("transcript", job_id, "-o", str(text), "--option", "timecode_format=[%H:%M]"))
    assert out.strip() == f"wrote {text} ({text.stat().st_size} bytes)"
    assert text.read_text().startswith("[00:00]")
    assert "transcript" in json.loads(ok(cli("transcript", job_id, "--json")))

    element_list = json.loads(ok(cli("elementlist", job_id)))
    assert element_list["segments"] and json.loads(ok(cli("elementlist", job_id, "--json")))
    mechanical = tmp_path / "mechanical.json"
    ok(cli("elementlist", job_id, "--iwp", "MECHANICAL", "-o", str(mechanical)))
    assert json.loads(mechanical.read_text())["segments"]
    sdk.api_client.close()


def test_upload_a_url_and_progress_on_request(emulator: Emulator, cli: Cli) -> None:
    job_id = new_job(cli)
    url = "https://media.example.com/talk.mp4"
    data = json.loads(ok(cli("upload", job_id, url, "--json")))
    assert data["media"] == url and emulator.jobs[job_id].media_url == url

    other = new_job(cli)
    done = cli("upload", other, str(SAMPLE), "--progress")
    ok(done)
    # the display of transcribe: bytes, percent, rate and elapsed time, then the outcome
    assert re.search(
        rf"sample\.wav  job {other}  uploading 48\.0 kB of 48\.0 kB  100%  [0-9.]+ [kMG]?B/s  "
        r"elapsed \d+ s\n",
        done.stderr,
    )
    assert done.stderr.endswith(f"sample.wav  job {other}  uploaded\n")
    quiet = cli("upload", new_job(cli), str(SAMPLE))
    assert quiet.stderr == ""  # not a terminal: no progress unless asked


def test_wait_reports_status_changes_with_progress(cli: Cli) -> None:
    job_id = complete_job(cli)
    done = cli("wait", job_id, "--progress")
    ok(done)
    assert done.stderr.endswith(f"job {job_id}  Complete\n")


# --- failures of jobs ------------------------------------------------------------------


def test_media_failure_exits_6(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.wav"
    bad.write_bytes(b"MEDIA-FAILURE" + b"\x00" * 100)
    job_id = new_job(cli)
    ok(cli("upload", job_id, str(bad)))
    ok(cli("perform", job_id, "--fidelity", "MECHANICAL"))
    stderr = failed(cli("wait", job_id), errors.JOB_FAILED)
    assert f"job {job_id} failed: Media Failure" in stderr
    stderr = failed(cli("transcribe", str(bad)), errors.JOB_FAILED)
    assert "bad.wav: job" in stderr and "Media Failure" in stderr


def test_a_timeout_exits_7_with_the_last_status(slow: Emulator, home: Path) -> None:
    cli = Cli(home, CIELO24_HOST=slow.url, CIELO24_API_TOKEN=slow.api_token)
    job_id = complete_job(cli)
    stderr = failed(
        cli("wait", job_id, "--timeout", "0.3", "--poll-interval", "0.1"), errors.TIMEOUT
    )
    assert f"job {job_id} is still 'In Process' after 0.3 s" in stderr
    done = cli("transcribe", str(SAMPLE), "--timeout", "0.2", "--poll-interval", "0.1", "--json")
    failed(done, errors.TIMEOUT)
    [outcome] = json.loads(done.stdout)
    assert outcome["status"] == "In Process" and outcome["exit_code"] == errors.TIMEOUT
    assert JOB_ID.match(outcome["job_id"])


def test_no_answer_exits_5(home: Path) -> None:
    cli = Cli(home, CIELO24_HOST="http://127.0.0.1:9/api", CIELO24_API_TOKEN="0" * 32)
    stderr = failed(cli("job", "list"), errors.CONNECTION)
    assert "127.0.0.1:9" in stderr and "0" * 32 not in stderr


def test_a_missing_file_exits_1_before_anything_is_sent(emulator: Emulator, cli: Cli) -> None:
    stderr = failed(cli("upload", "0" * 32, "no-such.wav"), errors.ERROR)
    assert "no-such.wav: No such file or directory" in stderr
    stderr = failed(cli("transcribe", str(SAMPLE), "no-such.wav"), errors.USAGE)
    assert "1 bad media, nothing was sent: no-such.wav: No such file or directory" in stderr
    assert emulator.requests == []


# --- transcribe ------------------------------------------------------------------------


def test_transcribe_writes_captions_to_stdout(emulator: Emulator, cli: Cli) -> None:
    done = cli("transcribe", str(SAMPLE), "--fidelity", "MECHANICAL", "--format", "SRT", "-q")
    out = ok(done)
    [job] = emulator.jobs.values()
    with cielo24.ApiClient(emulator.configuration()) as client:
        assert out == JobApi(client).get_caption(job.job_id, "SRT")
    assert job.job_name == "sample.wav" and done.stderr == ""
    again = cli("transcribe", str(SAMPLE), "--format", "SRT")  # the same media: the same job
    assert ok(again) == out and list(emulator.jobs) == [job.job_id]
    assert f"sample.wav  job {job.job_id}  Complete" in again.stderr


def test_transcribe_to_a_file_as_in_the_issue(emulator: Emulator, cli: Cli, home: Path) -> None:
    out = ok(
        cli(
            "transcribe",
            str(SAMPLE),
            "--fidelity",
            "MECHANICAL",
            "--format",
            "SRT",
            "-o",
            "talk.srt",
        )
    )
    [job] = emulator.jobs.values()
    assert out.strip() == f"{SAMPLE}: job {job.job_id} Complete -> talk.srt"
    assert (home / "talk.srt").read_text().startswith("1\n00:00:03,100 --> ")


def test_transcribe_many_files_in_parallel(emulator: Emulator, cli: Cli, tmp_path: Path) -> None:
    media = []
    for name in ("a", "b", "c", "d"):
        path = tmp_path / f"{name}.wav"
        path.write_bytes(SAMPLE.read_bytes() + name.encode())  # four media, not one
        media.append(str(path))
    out_dir = tmp_path / "captions"
    out_dir.mkdir()
    done = cli(
        "transcribe",
        *media,
        "--parallel",
        "4",
        "-f",
        "SRT",
        "-f",
        "WEB_VTT",
        "--output-dir",
        str(out_dir),
        "--json",
    )
    outcomes = json.loads(ok(done))
    assert [o["media"] for o in outcomes] == media
    assert {o["status"] for o in outcomes} == {"Complete"}
    assert sorted(p.name for p in out_dir.iterdir() if p.name[0] != ".") == sorted(
        f"{n}.{e}" for n in "abcd" for e in ("srt", "vtt")
    )
    assert outcomes[0]["files"] == {
        "SRT": str(out_dir / "a.srt"),
        "WEB_VTT": str(out_dir / "a.vtt"),
    }
    assert len(emulator.jobs) == 4


def test_transcribe_without_waiting_and_by_url(emulator: Emulator, cli: Cli) -> None:
    url = "https://media.example.com/keynote.mp4"
    out = ok(cli("transcribe", url, "--no-wait", "--fidelity", "PREMIUM", "--name", "K"))
    [job] = emulator.jobs.values()
    assert out.strip() == f"{url}: job {job.job_id} submitted"
    assert (job.media_url, job.fidelity, job.job_name) == (url, "PREMIUM", "K")


def test_transcribe_with_nothing_configured_stops_and_says_how_to_try_the_emulator(
    bare: Cli,
) -> None:
    done = bare("transcribe", str(SAMPLE), "--format", "SRT")
    stderr = failed(done, errors.CREDENTIALS)
    assert done.stdout == ""
    assert "cielo24 login --save" in stderr and "--emulator" in stderr
    explicit = bare("transcribe", str(SAMPLE), "--emulator", "--json")
    [outcome] = json.loads(ok(explicit))
    assert outcome["captions"]["SRT"].startswith("1\n")
    assert "running against a local emulator:" in explicit.stderr
    by_variable = bare("transcribe", str(SAMPLE), CIELO24_EMULATOR="1")
    assert ok(by_variable).startswith("1\n00:00:03,100 --> 00:00:06,430\n")
    assert "running against a local emulator:" in by_variable.stderr
    assert "(from CIELO24_EMULATOR)" in ok(bare("whoami", CIELO24_EMULATOR="1"))
    failed(bare("transcribe", str(SAMPLE), CIELO24_EMULATOR="0"), errors.CREDENTIALS)


def test_the_readme_main_command_runs_as_written(bare: Cli) -> None:
    first = re.search(r"```console\n(.*?)\n```", (ROOT / "README.md").read_text(), re.S)
    assert first is not None
    assert first.group(1) == (
        "pip install . && cielo24 transcribe examples/media/sample.wav --format SRT --emulator"
    )
    command = first.group(1).split(" && ", 1)[1].split()
    assert command[0] == "cielo24"
    done = bare(*command[1:], cwd=ROOT)
    assert ok(done).startswith("1\n00:00:03,100 --> 00:00:06,430\n>> Alice Martin: Welcome")
    assert "running against a local emulator" in done.stderr


def test_transcribe_with_a_host_but_no_token_does_not_fall_back(bare: Cli) -> None:
    stderr = failed(
        bare("transcribe", str(SAMPLE), CIELO24_HOST="http://127.0.0.1:9/api"), errors.CREDENTIALS
    )
    assert "no cielo24 credentials" in stderr
    stderr = failed(bare("transcribe", str(SAMPLE), CIELO24_PASSWORD="pw"), errors.CREDENTIALS)
    assert "CIELO24_PASSWORD is set but CIELO24_USERNAME is not" in stderr


def test_the_console_script_is_the_same_main(capsys: pytest.CaptureFixture[str]) -> None:
    assert '"cielo24 = cielo24.cli:main"' in (ROOT / "setup.py").read_text()
    from cielo24.cli import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == cielo24.__version__
    assert main(["job"]) == errors.USAGE


def test_transcribe_progress_shows_the_upload_and_the_status(cli: Cli) -> None:
    done = cli("transcribe", str(SAMPLE), "--progress")
    ok(done)
    assert re.search(r"sample\.wav  job [0-9a-f]{32}  uploading  elapsed 0 s\n", done.stderr)
    assert re.search(r"sample\.wav  job [0-9a-f]{32}  Complete\n", done.stderr)


# --- the emulator command --------------------------------------------------------------


def test_the_emulator_command_serves_until_terminated(home: Path) -> None:
    env = Cli(home).env()
    process = subprocess.Popen(
        [sys.executable, "-m", "cielo24", "emulator", "--port", "0", "--processing-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().split()[-1]
        token = process.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:") and JOB_ID.match(token)
        cli = Cli(home, CIELO24_HOST=url, CIELO24_API_TOKEN=token)
        assert ok(cli("transcribe", str(SAMPLE))).startswith("1\n")
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def test_ctrl_c_exits_130(slow: Emulator, home: Path) -> None:
    cli = Cli(home, CIELO24_HOST=slow.url, CIELO24_API_TOKEN=slow.api_token)
    job_id = complete_job(cli)
    process = subprocess.Popen(
        [sys.executable, "-m", "cielo24", "wait", job_id, "--poll-interval", "0.1", "--progress"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli.env(),
    )
    assert process.stderr is not None
    first = process.stderr.readline()  # waiting: the first look is done
    assert re.fullmatch(rf"job {job_id}  In Process  elapsed \d+ s\n", first)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == errors.INTERRUPTED
    assert process.stderr.read().strip() == "cielo24: interrupted"


def test_debug_logs_requests_with_the_token_masked(emulator: Emulator, cli: Cli) -> None:
    done = cli("job", "list", "--debug")
    ok(done)
    assert "GET " in done.stderr and "/job/list" in done.stderr
    assert emulator.api_token not in done.stderr


# --- format names, help, completion ----------------------------------------------------


@pytest.mark.parametrize("command", [["caption", "0" * 32, "--format"], ["transcribe", "a", "-f"]])
def test_format_names_take_any_case_and_the_usual_extensions(command: list[str]) -> None:
    from cielo24.cli.main import build_parser

    parser = build_parser()
    for name, expected in [
        ("SRT", "SRT"),
        ("srt", "SRT"),
        ("vtt", "WEB_VTT"),
        ("VTT", "WEB_VTT"),
        ("web_vtt", "WEB_VTT"),
        ("webvtt", "WEB_VTT"),
        ("dfxp", "DFXP"),
        ("sbv", "SBV"),
        ("qt", "QT"),
        ("sami", "SAMI"),
        ("smi", "SAMI"),
        ("scc", "SCC"),
        ("txt", "TRANSCRIPT"),
    ]:
        parsed = parser.parse_args([*command, name]).format
        assert parsed in (expected, [expected]), name


def test_format_aliases_end_to_end(cli: Cli, tmp_path: Path) -> None:
    job_id = complete_job(cli)
    ok(cli("wait", job_id))
    vtt = ok(cli("caption", job_id, "--format", "vtt"))
    assert vtt.startswith("WEBVTT") and vtt == ok(cli("caption", job_id, "--format", "WEB_VTT"))
    out = tmp_path / "out"
    out.mkdir()
    ok(cli("transcribe", str(SAMPLE), "-f", "srt", "-f", "vtt", "--output-dir", str(out)))
    assert sorted(p.name for p in out.iterdir() if p.suffix != ".sqlite") == [
        "sample.srt",
        "sample.vtt",
    ]
    stderr = failed(cli("caption", job_id, "--format", "mp4"), errors.USAGE)
    assert "'mp4' is not a caption format (DFXP, ECHO" in stderr

    for command in ("caption", "transcript"):  # every example the help gives is accepted
        text = ok(cli(command, "--help"))
        examples = re.findall(r"e\.g\.\s+(\w+=\S+?)\s", " ".join(text.split()))
        assert examples, command
        for example in examples:
            ok(cli(command, job_id, "--option", example))


def test_help_links_to_the_published_docs_and_the_emulator_has_its_name(bare: Cli) -> None:
    from cielo24.cli.arguments import DOCS_URL

    assert DOCS_URL.startswith("https://github.com/cielo24/cielo24-python/")
    assert f"Documentation: {DOCS_URL}cli.md" in ok(bare("--help"))
    assert "docs/cli.md for more" not in ok(bare("--help"))
    assert ok(bare("emulator", "--help")).startswith("usage: cielo24 emulator ")


def complete(script: str, *words: str) -> list[str]:
    """What bash offers after ``cielo24 WORDS`` (the last word being the one completed)."""
    words_text = " ".join(f"'{w}'" for w in ("cielo24", *words))
    program = (
        f"{script}\nCOMP_WORDS=({words_text}); COMP_CWORD={len(words)}\n"
        'COMPREPLY=(); _cielo24; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "--norc", "-c", program], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [line for line in done.stdout.splitlines() if line]


def test_bash_completion(bare: Cli, tmp_path: Path) -> None:
    script = ok(bare("completion", "bash"))
    assert complete(script, "tr") == ["transcribe", "transcript"]
    assert complete(script, "job", "") == ["new", "info", "list", "delete", "authorize"]
    assert complete(script, "transcribe", "--fid") == ["--fidelity"]
    assert complete(script, "transcribe", "--fidelity", "") == [
        "MECHANICAL",
        "PREMIUM",
        "PROFESSIONAL",
    ]
    assert complete(script, "job", "list", "--st") == ["--status"]
    assert "WEB_VTT" in complete(script, "caption", "x", "--format", "")
    (tmp_path / "talk.mp4").write_bytes(b"")
    assert complete(script, "transcribe", str(tmp_path / "ta")) == [str(tmp_path / "talk.mp4")]


def test_zsh_and_fish_completion(bare: Cli) -> None:
    zsh = ok(bare("completion", "zsh"))
    assert "bashcompinit" in zsh and "complete -o default -F _cielo24 cielo24" in zsh
    fish = ok(bare("completion", "fish"))
    assert "complete -c cielo24 -n __fish_use_subcommand -a transcribe" in fish
    assert "-l fidelity -xa 'MECHANICAL PREMIUM PROFESSIONAL'" in fish
    assert failed(bare("completion", "tcsh"), errors.USAGE)
