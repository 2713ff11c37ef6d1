"""User code, written the way the docs show, for the type checkers (never run, not a test).

`mypy --strict` and `pyright --strict` check this file against the package: each public call
must give a real type (each result is assigned to a variable of the type a user expects, so an
`Any` or a wrong type is an error), and models are built with keywords.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import cielo24
from cielo24.api import account_api, job_api
from cielo24.models import (
    AccountSettings,
    AddMediaResponse,
    ElementList,
    GenerateApiKeyResponse,
    JobInfoResponse,
    JobListResponse,
    JobOptions,
    LoginResponse,
    NewJobBody,
    NewJobResponse,
    PerformTranscriptionBody,
    PerformTranscriptionResponse,
    TaskResponse,
    VerifyKeyResponse,
)
from cielo24.retry import NO_RETRIES, RetryPolicy


def configure() -> cielo24.Configuration:
    configuration = cielo24.Configuration(host="https://api.cielo24.com/api")
    configuration.api_key["ApiKeyAuth"] = "YOUR_API_KEY"
    configuration.retries = RetryPolicy(max_attempts=5, deadline=60.0)
    configuration.retries = NO_RETRIES
    attempts: int = RetryPolicy().max_attempts
    assert attempts
    from_env: cielo24.Configuration = cielo24.Configuration.from_env()
    with_credentials = cielo24.Configuration(username="me", password="secret")
    assert from_env.host and with_credentials.host
    return configuration


def account(configuration: cielo24.Configuration) -> None:
    with cielo24.ApiClient(configuration) as api_client:
        accounts = account_api.AccountApi(api_client)
        login: LoginResponse = accounts.login("me", password="secret")
        token: str = login.api_token or ""
        key: GenerateApiKeyResponse = accounts.generate_api_key(force_new=True)
        api_key: str = key.api_key or ""
        settings: AccountSettings = accounts.get_settings()
        verified: VerifyKeyResponse = accounts.verify_key()
        name: str = verified.name or ""
        accounts.update_setting("default_job_notes", "notes")
        accounts.remove_api_key(api_key)
        accounts.logout()
        assert token and settings.to_dict() is not None and name


def jobs(configuration: cielo24.Configuration, media: Path) -> None:
    with cielo24.ApiClient(configuration) as api_client:
        jobs = job_api.JobApi(api_client)
        try:
            job: NewJobResponse = jobs.new_job(NewJobBody(job_name="Keynote", language="en"))
            job_id: str = job.job_id or ""
            with media.open("rb") as body:
                added: AddMediaResponse = jobs.add_media_file(job_id, 1, body)
            task_id: str = added.task_id or ""
            jobs.add_media_url(job_id, "https://example.com/talk.mp4")
            performed: PerformTranscriptionResponse = jobs.perform_transcription(
                PerformTranscriptionBody(
                    job_id=job_id,
                    transcription_fidelity="MECHANICAL",
                    options=JobOptions(notes="Two speakers"),
                )
            )
            assert performed.task_id and task_id
            info: JobInfoResponse = jobs.job_info(job_id)
            status: str = info.job_status or ""
            created: datetime.datetime | None = info.creation_date
            listed: JobListResponse = jobs.job_list()
            for listed_job in listed.active_jobs or []:
                listed_id: str = listed_job.job_id or ""
                assert listed_id
            done: JobInfoResponse = jobs.wait_for_job(job_id, timeout=600, poll_interval=1.0)
            caption: str = jobs.get_caption(job_id, "SRT")
            written: int = jobs.get_caption(job_id, "SRT", destination=Path("talk.srt"))
            transcript: str = jobs.get_transcript(job_id)
            elements: ElementList = jobs.get_element_list(job_id)
            deleted: TaskResponse = jobs.delete_job(job_id)
            assert status and created and done and caption and written and transcript
            assert elements.segments is not None and deleted.task_id
        except cielo24.ItemNotFoundError as e:
            comment: str = e.error_comment or ""
            assert comment
        except cielo24.ApiException as e:
            error_type: str = e.error_type or ""
            http_status: int = e.status or 0
            print(f"cielo24 said {error_type}: {e.error_comment} ({http_status})")
        except cielo24.ApiConnectionError as e:
            sent: bool = e.request_sent
            assert sent


def one_call(configuration: cielo24.Configuration, media: Path) -> None:
    try:
        with media.open("rb") as body:
            result: cielo24.Transcription = cielo24.transcribe(
                body, fidelity="MECHANICAL", configuration=configuration
            )
    except cielo24.WaitTimeoutError as e:
        print(e)
        return
    except cielo24.MediaFailureError as e:
        print(e)
        return
    srt: str = result.captions["SRT"]
    job_id: str = result.job_id
    final: JobInfoResponse | None = result.job_info
    text: str = result.transcript()
    result.close()
    assert srt and job_id and final and text


def main() -> None:
    configuration = configure()
    account(configuration)
    jobs(configuration, Path("talk.mp4"))
    one_call(configuration, Path("talk.mp4"))
    version: str = cielo24.__version__
    assert version
