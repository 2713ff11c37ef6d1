"""Code written for the generated client (openapi-generator 6.0.0) runs on this SDK unchanged.

    python examples/generated_client.py

Every name below is the generated client's: its imports, its model modules, its methods with
their positional arguments, and its per-call options. The script runs against a local emulator
of the service, started in this process, so it needs no account. docs/migration.md lists what
differs from the generated client and what to do about each difference.
"""

from __future__ import annotations

import warnings

import cielo24
from cielo24.api import account_api, job_api
from cielo24.emulator import Emulator
from cielo24.model.iwp_enum import IWPEnum
from cielo24.model.login_body import LoginBody
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.perform_transcription_body import PerformTranscriptionBody


def main() -> None:
    emulator = Emulator()
    with emulator:
        configuration = cielo24.Configuration(host=emulator.url)
        with cielo24.ApiClient(configuration) as api_client:
            accounts = account_api.AccountApi(api_client)

            # The generated client's README: log in with a LoginBody, keep the token.
            login_body = LoginBody(username=emulator.demo_username, password=emulator.demo_password)
            session = accounts.login(login_body)
            configuration.api_key["ApiKeyAuth"] = session.api_token
            print(f"logged in as {login_body.username}")

            settings = accounts.get_settings()
            print(f"settings: {sorted(settings.to_dict())}")
            print(f"key belongs to: {accounts.verify_key().name}")

            jobs = job_api.JobApi(api_client)
            job = jobs.new_job(NewJobBody(job_name="generated-client script", language="en"))
            print(f"created job {job.job_id}")
            jobs.add_media_url(job.job_id, "https://media.example.com/talk.mp4")
            jobs.perform_transcription(
                PerformTranscriptionBody(
                    job_id=job.job_id, transcription_fidelity="PROFESSIONAL", priority="STANDARD"
                )
            )

            # The per-call options that change what a call returns.
            thread = jobs.job_info(job.job_id, async_req=True)
            print(f"async job_info: {thread.get().job_status}")
            info, status, headers = jobs.job_info(job.job_id, _return_http_data_only=False)
            print(f"job_info with http info: {status} {headers['Content-Type']}")
            raw = jobs.job_info(job.job_id, _preload_content=False)
            print(f"job_info unread: {raw.status}, {len(raw.data)} bytes")
            print(f"job_info on _host_index 0: {jobs.job_info(job.job_id, _host_index=0).job_id}")

            caption = jobs.get_caption(job.job_id, "SRT")
            print(f"caption: {caption.splitlines()[0]!r} ...")
            print(f"mechanical task name: {IWPEnum('MECHANICAL').value}")

            # Options that no longer apply: accepted, ignored, with a DeprecationWarning.
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                jobs.job_info(
                    job.job_id,
                    _check_input_type=False,
                    _check_return_type=False,
                    _spec_property_naming=True,
                    _request_auths=None,
                )
            for warning in caught:
                print(f"DeprecationWarning: {warning.message}")

            translated = jobs.perform_translation(job.job_id, "es")
            print(f"translation ordered: {translated.to_dict()}")

            try:
                jobs.job_info("0" * 32)
            except cielo24.OpenApiException as error:
                print(f"OpenApiException: {error.status} {error.error_type}")
            try:
                info.no_such_field  # noqa: B018  # reading it is the point
            except cielo24.ApiAttributeError as error:
                print(f"ApiAttributeError: {error}")

            accounts.logout()
            print("logged out")


if __name__ == "__main__":
    main()
