"""User code, written the way the docs show, for the type checkers (never run, not a test).

`mypy --strict` and `pyright --strict` check this file against the package: each public call
must give a real type (each result is assigned to a variable of the type a user expects, so an
`Any` or a wrong type is an error), and models are built with keywords. There is no `cast` and
no `# type: ignore` here: a line that needs one is a bug in the package's types.
test/typing/mistakes.py holds the mistakes the checkers must report.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import cielo24
import cielo24.apis
import cielo24.models
from cielo24.api import account_api, job_api
from cielo24.callbacks import JobCallback
from cielo24.emulator import Emulator
from cielo24.enums import (
    IWP,
    AccountSetting,
    CaptionFormat,
    Fidelity,
    JobStatus,
    MediaFlavor,
    Priority,
    SoundTag,
    TokenType,
    TranscriptFormat,
)
from cielo24.model.iwp_enum import IWPEnum
from cielo24.model.login_body import LoginBody
from cielo24.models import (
    AccountSettings,
    AddMediaResponse,
    AggregateStatisticsResponse,
    CustomGuidelinesResponse,
    ElementList,
    ElementListVersion,
    ErrorResponse,
    GenerateApiKeyResponse,
    JobInfoResponse,
    JobListResponse,
    JobOptions,
    ListRelatedJobsResponse,
    LoginResponse,
    MediaUrlResponse,
    NewJobBody,
    NewJobResponse,
    PerformTranscriptionBody,
    PerformTranscriptionResponse,
    PerformTranslationResponse,
    RelatedJob,
    RequestUploadUrlResponse,
    StatisticsBucket,
    TaskResponse,
    UplevelJobResponse,
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
    with_key = cielo24.Configuration(username="me", api_securekey="k" * 32)
    sandbox = cielo24.Configuration(server="sandbox")
    assert from_env.host and with_credentials.host and with_key.host and sandbox.host
    return configuration


def account(configuration: cielo24.Configuration) -> None:
    with cielo24.ApiClient(configuration) as api_client:
        accounts = account_api.AccountApi(api_client)
        login: LoginResponse = accounts.login("me", password="secret")
        token: str = login.api_token
        by_key: LoginResponse = accounts.login("me", securekey="k" * 32)
        body = LoginBody(username="me", password="secret")
        from_body: LoginResponse = accounts.login(body)
        key: GenerateApiKeyResponse = accounts.generate_api_key(force_new=True)
        api_key: str = key.api_key
        settings: AccountSettings = accounts.get_settings()
        notes: object = settings["default_job_notes"]
        verified: VerifyKeyResponse = accounts.verify_key()
        name: str = verified.name or ""
        accounts.update_setting(AccountSetting.DEFAULT_JOB_NOTES, "notes")
        accounts.update_setting("require_customer_authorization_before_starting_workflow", True)
        accounts.update_password("new secret", username="sub_account")
        accounts.create_sandbox_account("new_user", "new secret", email="me@example.com")
        accounts.remove_api_key(api_key)
        accounts.logout()
        assert token and by_key.api_token and from_body.api_token and notes and name


def jobs(configuration: cielo24.Configuration, media: Path) -> None:
    with cielo24.ApiClient(configuration) as api_client:
        jobs = job_api.JobApi(api_client)
        try:
            job: NewJobResponse = jobs.new_job(NewJobBody(job_name="Keynote", language="en"))
            job_id: str = job.job_id
            with media.open("rb") as body:
                added: AddMediaResponse = jobs.add_media_file(job_id, 1, body)
            task_id: str = added.task_id
            jobs.add_media_url(job_id, "https://example.com/talk.mp4", is_duplicate=True)
            jobs.add_embedded_media(job_id, "https://www.youtube.com/watch?v=x")
            upload: RequestUploadUrlResponse = jobs.request_upload_url(job_id)
            jobs.upload_to_url(upload.upload_url, 1, b"\x00")
            performed: PerformTranscriptionResponse = jobs.perform_transcription(
                PerformTranscriptionBody(
                    job_id=job_id,
                    transcription_fidelity="MECHANICAL",
                    priority=Priority.PRIORITY,
                    callback_url="https://example.com/done?job={job_id}",
                    options=JobOptions(
                        notes="Two speakers",
                        return_iwp=[IWP.MECHANICAL, "FINAL"],
                        customer_approval_steps=["RETURN"],
                        customer_approval_tool="CIELO24",
                        speaker_id=True,
                    ),
                    target_language=["de", "fr"],
                    turnaround_hours=36,
                )
            )
            premium = PerformTranscriptionBody(
                job_id=job_id, transcription_fidelity=Fidelity.PREMIUM
            )
            assert premium.priority == "STANDARD"
            jobs.authorize_job(job_id)
            jobs.modify_job(job_id, turnaround_hours=24, notes="faster")
            assert performed.task_id and task_id

            info: JobInfoResponse = jobs.job_info(job_id)
            status: str = info.job_status
            created: datetime.datetime | None = info.creation_date
            asked: str | None = info.requested_fidelity
            seconds: float | None = info.media_length_seconds
            unknown: object = info["TurnaroundTimeHours"]
            if info.job_status == JobStatus.COMPLETE:
                print(info.job_id, asked, seconds, unknown)

            listed: JobListResponse = jobs.job_list(job_status="Complete", job_name="talk*")
            for listed_job in listed:
                listed_id: str = listed_job.job_id
                listed_status: str = listed_job.job_status
                assert listed_id and listed_status
            count: int = len(listed)
            first: JobInfoResponse = listed.active_jobs[0]
            owner: str = listed.username

            done: JobInfoResponse = jobs.wait_for_job(job_id, timeout=600, poll_interval=1.0)
            caption: str = jobs.get_caption(job_id, "SRT")
            vtt: str = jobs.get_caption(
                job_id, CaptionFormat.WEB_VTT, characters_per_caption_line=32
            )
            written: int = jobs.get_caption(job_id, "SRT", destination=Path("talk.srt"))
            url: str = jobs.get_caption(job_id, "SRT", build_url=True)
            transcript: str = jobs.get_transcript(job_id)
            saved: int = jobs.get_transcript(job_id, destination=Path("talk.txt"))
            elements: ElementList = jobs.get_element_list(job_id, iwp_name=IWP.FINAL)
            json_bytes: int = jobs.get_element_list(job_id, destination=Path("words.json"))
            versions: list[ElementListVersion] = jobs.list_element_lists(job_id)
            version: str = versions[0].version
            iwp_name: str = versions[0].iwp_name
            media_url: MediaUrlResponse = jobs.get_media(job_id)
            mp3: MediaUrlResponse = jobs.get_transcoded_media(job_id, MediaFlavor.MP3)
            downloaded: int = jobs.download_media(job_id, "mp4", Path("talk.mp4"))
            jobs.burn_in_caption(job_id, send_to_email="me@example.com")
            assert status and created and done and caption and vtt and written and url
            assert transcript and saved and json_bytes and version and iwp_name and downloaded
            assert count
            assert first and owner and (media_url.media_url or mp3.media_url)

            words: list[str] = []
            for segment in elements.segments:
                start: int = segment.start_time
                for sequence in segment.sequences:
                    for token in sequence.tokens:
                        if token.type == TokenType.SOUND and SoundTag.LAUGH in token.tags:
                            words.append(token.display_as)
                        elif token.type == TokenType.WORD:
                            words.append(token.value)
                assert start >= 0
            speakers = {speaker.id: speaker.name or "" for speaker in elements.speakers or []}
            for keyword in (elements.keywords or {}).values():
                spans = [(span.start_time, span.end_time) for span in keyword.time_ranges]
                assert spans
            text: str = elements.text()
            assert words and speakers and text

            translated: PerformTranslationResponse = jobs.perform_translation(job_id, ["de", "fr"])
            translation_ids: list[str] = translated.translation_job_ids
            upleveled: UplevelJobResponse = jobs.uplevel_job(job_id, priority="PRIORITY")
            new_job_id: str = upleveled.upleveled_job_id
            related: ListRelatedJobsResponse = jobs.list_related_jobs(job_id)
            leading: RelatedJob = related.leading_job
            related_ids: list[str] = [r.job_id for r in related.related_jobs]
            guidelines: CustomGuidelinesResponse = jobs.add_custom_guidelines(
                job_id, guidelines_data="Spell the speaker's name Tim."
            )
            transcript_task: TaskResponse = jobs.add_transcript_url(
                job_id, "https://example.com/talk.srt", TranscriptFormat.SRT
            )
            with media.open("rb") as body:
                jobs.add_transcript_file(job_id, 1, body, "text")
            statistics: AggregateStatisticsResponse = jobs.aggregate_statistics(
                metrics=["billable_minutes_total"], group_by="month", start_date="2024-01-01"
            )
            buckets: list[StatisticsBucket] = statistics.data
            minutes: float | None = buckets[0].billable_minutes_total
            deleted: TaskResponse = jobs.delete_job(job_id)
            assert translation_ids and new_job_id and leading.job_status and related_ids
            assert guidelines.to_dict() and transcript_task.task_id and minutes is not None
            assert deleted.task_id
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
        except cielo24.MissingFieldError as e:
            print(f"the answer lacked a field: {e}")


def one_call(configuration: cielo24.Configuration, media: Path) -> None:
    try:
        with media.open("rb") as body:
            result: cielo24.Transcription = cielo24.transcribe(
                body,
                fidelity=Fidelity.MECHANICAL,
                caption_formats=["SRT", "WEB_VTT"],
                options={"return_iwp": ["MECHANICAL"]},
                configuration=configuration,
            )
    except cielo24.WaitTimeoutError as e:
        print(e.job_id, e.status, e.timeout)
        return
    except cielo24.MediaFailureError as e:
        print(e.job_id)
        return
    srt: str = result.captions["SRT"]
    job_id: str = result.job_id
    final: JobInfoResponse | None = result.job_info
    status: str | None = result.status
    text: str = result.transcript()
    caption: cielo24.Caption = result.caption("DFXP")
    saved: Path = caption.save("talk.dfxp")
    paths: dict[str, Path] = result.save_captions("out")
    elements: ElementList = result.element_list()
    refreshed: JobInfoResponse = result.refresh()
    later = cielo24.transcribe(
        "https://example.com/talk.mp4", fidelity="PREMIUM", wait=False, api_client=None
    )
    waited: cielo24.Transcription = later.wait(timeout=3600)
    result.close()
    assert srt and job_id and final and status and text and saved and paths and elements
    assert refreshed and waited


def more_than_the_model(client: cielo24.ApiClient, jobs: job_api.JobApi, job_id: str) -> None:
    raw: cielo24.RawResponse[JobInfoResponse] = jobs.with_raw_response.job_info(job_id)
    status: int = raw.status
    kind: str | None = raw.headers.get("Content-Type")
    info: JobInfoResponse = raw.data
    srt: cielo24.RawResponse[str] = jobs.with_raw_response.get_caption(job_id, "SRT")
    words: cielo24.RawResponse[ElementList] = jobs.with_raw_response.get_element_list(job_id)
    token: str = account_api.AccountApi(client).with_raw_response.login("me", "pw").data.api_token
    pending: cielo24.AsyncResult[JobInfoResponse] = client.submit(jobs.job_info, job_id)
    later: JobInfoResponse = pending.get(timeout=30)
    both = client.submit(jobs.with_raw_response.new_job, NewJobBody(job_name="n"))
    created: str = both.get().data.job_id
    written: int = jobs.get_caption(job_id, "SRT", destination="talk.srt")
    assert status and kind and info and srt and words and token and later and created and written


def helpers(jobs: job_api.JobApi) -> None:
    waiter = cielo24.Waiter(jobs)
    info: JobInfoResponse = waiter.wait("0" * 32, timeout=60, iwp_name=IWP.MECHANICAL)
    url: str = cielo24.build_callback_url("https://example.com/cb", {"order": 7})
    callback: JobCallback = cielo24.parse_callback("job_id=abc&iwp_name=FINAL")
    final: bool = callback.is_final
    assert info and url and final and callback.job_id


def emulator() -> None:
    emu = Emulator(processing_seconds=0.0)
    emu.start()
    try:
        configuration: cielo24.Configuration = emu.configuration()
        with cielo24.ApiClient(configuration) as api_client:
            jobs = cielo24.apis.JobApi(api_client)
            job = jobs.new_job(NewJobBody())
            assert job.job_id
    finally:
        emu.stop()


def generated_client_names() -> None:
    final = IWPEnum("FINAL")
    options = cielo24.models.JobOptions(return_iwp=[final.value])
    assert options.return_iwp
    error = ErrorResponse.from_dict({"ErrorType": "ITEM_NOT_FOUND", "ErrorComment": "no job"})
    kind: str = error.error_type
    try:
        print(JobInfoResponse(job_id="j", job_status="Complete").job_name)
    except cielo24.ApiAttributeError as e:
        print(e)
    except cielo24.OpenApiException as e:
        print(e)
    assert kind


def many(configuration: cielo24.Configuration, media: list[Path]) -> None:
    items: list[Path | cielo24.MediaItem] = [*media, cielo24.MediaItem("https://x/a.mp4", "A")]
    batch: cielo24.BatchResult = cielo24.transcribe_many(
        items, fidelity="MECHANICAL", output_dir="captions", configuration=configuration
    )
    for done in batch:
        job_id: str | None = done.job_id
        paths: dict[str, str] = done.captions
        failed: bool = not done.ok
        print(job_id, paths, failed)


def main() -> None:
    configuration = configure()
    account(configuration)
    jobs(configuration, Path("talk.mp4"))
    one_call(configuration, Path("talk.mp4"))
    with cielo24.ApiClient(configuration) as client:
        more_than_the_model(client, job_api.JobApi(client), "job")
    version: str = cielo24.__version__
    assert version
