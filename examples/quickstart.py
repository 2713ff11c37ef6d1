"""Quickstart: create a job, upload media, ask for a transcription, authorize the job.

    pip install . && python examples/quickstart.py

Without CIELO24_API_TOKEN in the environment it runs against a local emulator of the service,
started in this process. With it, it runs against the real service (production), or against
CIELO24_HOST when that is set too (e.g. https://sandbox.cielo24.com/api).
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path

import cielo24
from cielo24.api import job_api
from cielo24.models import NewJobBody, PerformTranscriptionBody

MEDIA = Path(__file__).parent / "media" / "sample.wav"


def configuration(stack: ExitStack) -> cielo24.Configuration:
    """The real service's configuration when a token is set; otherwise a local emulator's."""
    token = os.environ.get("CIELO24_API_TOKEN")
    if not token:
        from cielo24.emulator import Emulator

        print("CIELO24_API_TOKEN is not set: running against a local emulator")
        return stack.enter_context(Emulator())
    config = cielo24.Configuration(host=os.environ.get("CIELO24_HOST") or None)
    config.api_key["ApiKeyAuth"] = token
    return config


def show_progress(sent: int, total: int) -> None:
    print(f"   uploaded {sent} of {total} bytes", end="\r" if sent < total else "\n")


def main() -> None:
    with ExitStack() as stack:
        config = configuration(stack)
        print(f"API: {config.host}")
        with cielo24.ApiClient(config) as client:
            jobs = job_api.JobApi(client)

            job = jobs.new_job(NewJobBody(job_name="cielo24 quickstart", language="en"))
            print(f"1. created job {job.job_id}")

            size = MEDIA.stat().st_size
            with MEDIA.open("rb") as media:
                added = jobs.add_media_file(
                    job.job_id, size, media, progress_callback=show_progress
                )
            print(f"2. added {MEDIA.name} ({size} bytes) to the job: task {added.task_id}")

            body = PerformTranscriptionBody(
                job_id=job.job_id, transcription_fidelity="MECHANICAL", priority="STANDARD"
            )
            task = jobs.perform_transcription(body)
            print(f"3. asked for a MECHANICAL transcription: task {task.task_id}")

            jobs.authorize_job(job.job_id)
            print(f"4. authorized job {job.job_id}")


if __name__ == "__main__":
    try:
        main()
    except cielo24.Cielo24Error as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(1)
