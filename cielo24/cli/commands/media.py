"""``cielo24 upload``, ``cielo24 perform`` and ``cielo24 wait``: a job's steps one by one."""

from __future__ import annotations

import argparse

from cielo24.cli.arguments import (
    COMMAND,
    SubParsers,
    add_fidelity,
    add_job_settings,
    add_progress,
    add_wait_options,
    iwp_name,
)
from cielo24.cli.context import Context
from cielo24.cli.output import fields
from cielo24.media_source import MediaSource
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.progress import DONE, UPLOADING, WAITING


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``upload``, ``perform`` and ``wait``."""
    upload = subparsers.add_parser(
        "upload",
        parents=[common],
        help="give a job its media: a file (streamed) or an http(s) URL",
        description="Give a job its media: upload a local file (streamed, with a progress "
        "bar on a terminal), or pass an http(s) URL for the service to fetch.",
    )
    upload.add_argument("job_id")
    upload.add_argument("media", help="a local file, or an http:// or https:// URL")
    upload.add_argument(
        "--duplicate", action="store_true", help="allow media already given to another job"
    )
    add_progress(upload)
    upload.set_defaults(**{COMMAND: upload_media})

    perform = subparsers.add_parser(
        "perform",
        parents=[common],
        help="ask for a job's transcription",
        description="Ask for the transcription of a job's media.",
    )
    perform.add_argument("job_id")
    add_fidelity(perform, default=None)
    add_job_settings(perform)
    perform.set_defaults(**{COMMAND: perform_transcription})

    wait = subparsers.add_parser(
        "wait",
        parents=[common],
        help="wait until a job is Complete",
        description="Wait until a job is Complete (or has an element list version with "
        "--iwp), looking less and less often; prints its final job info. Exits 6 on Media "
        "Failure and 7 on timeout.",
    )
    wait.add_argument("job_id")
    wait.add_argument(
        "--iwp",
        type=iwp_name,
        metavar="NAME",
        help="wait for this interim version (e.g. MECHANICAL) instead of Complete",
    )
    add_wait_options(wait)
    add_progress(wait)
    wait.set_defaults(**{COMMAND: wait_for_job})


def upload_media(ctx: Context) -> None:
    args = ctx.args
    with MediaSource(args.media) as source:
        jobs = ctx.jobs()
        with ctx.output.display(shown=source.url is None) as display:  # a URL: no bytes sent
            display.update(source.name, UPLOADING, job_id=args.job_id)
            callback = display.upload_callback(source.name)
            added = source.add_to(jobs, args.job_id, callback, is_duplicate=args.duplicate or None)
            display.update(source.name, DONE, status="uploaded")
    data = {"job_id": args.job_id, "media": args.media, **added.to_dict()}
    ctx.output.result(data, f"added {args.media} to job {args.job_id}")


def perform_transcription(ctx: Context) -> None:
    args = ctx.args
    body = PerformTranscriptionBody(
        job_id=args.job_id,
        transcription_fidelity=args.fidelity,
        priority=args.priority,
        callback_url=args.callback_url,
        options=args.options,
        turnaround_hours=args.turnaround_hours,
    )
    task = ctx.jobs().perform_transcription(body)
    ctx.output.result(
        {"job_id": args.job_id, **task.to_dict()},
        f"asked for a {args.fidelity} transcription of job {args.job_id}",
    )


def wait_for_job(ctx: Context) -> None:
    args = ctx.args
    key = f"job {args.job_id}"
    with ctx.output.display() as display:
        info = ctx.jobs().wait_for_job(
            args.job_id,
            timeout=args.timeout,
            poll_interval=args.poll_interval,
            max_poll_interval=max(args.max_poll_interval, args.poll_interval),
            on_status_change=lambda info: display.update(key, WAITING, status=info.job_status),
            iwp_name=args.iwp,
        )
        display.update(key, DONE, status=info.job_status)
    ctx.output.result(info.to_dict(), fields(info.to_dict()))
