"""``cielo24 job new | info | list | delete | authorize``."""

from __future__ import annotations

import argparse
from datetime import datetime

from cielo24.cli.arguments import COMMAND, SubParsers
from cielo24.cli.context import Context
from cielo24.cli.output import columns, fields
from cielo24.enums import JobStatus, enum_values
from cielo24.model.new_job_body import NewJobBody


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``job`` and its subcommands."""
    job = subparsers.add_parser(
        "job", help="create, show, list, delete or authorize jobs", description="Manage jobs."
    )
    commands = job.add_subparsers(title="commands", metavar="COMMAND", required=True)

    new = commands.add_parser(
        "new",
        parents=[common],
        help="create a job; prints its id",
        description="Create a job (a container for one media) and print its id.",
    )
    new.add_argument("--name", help="the job's name")
    new.add_argument("--language", help="the language spoken (the service's default: en)")
    new.add_argument("--external-id", help="your own identifier for the job")
    new.set_defaults(**{COMMAND: job_new})

    info = commands.add_parser(
        "info",
        parents=[common],
        help="show a job's status, settings and dates",
        description="Show a job's status, settings and dates.",
    )
    info.add_argument("job_id")
    info.set_defaults(**{COMMAND: job_info})

    listing = commands.add_parser(
        "list",
        parents=[common],
        help="list the account's jobs, newest first",
        description="List the account's jobs that match every filter, newest first.",
    )
    listing.add_argument("--status", choices=enum_values(JobStatus), help="only jobs in it")
    listing.add_argument("--name", help="only jobs with this name (* is a wildcard)")
    listing.add_argument("--external-id", help="only jobs with this external id")
    listing.set_defaults(**{COMMAND: job_list})

    delete = commands.add_parser(
        "delete", parents=[common], help="delete a job", description="Delete a job."
    )
    delete.add_argument("job_id")
    delete.set_defaults(**{COMMAND: job_delete})

    authorize = commands.add_parser(
        "authorize",
        parents=[common],
        help='authorize a job held in "Authorizing"',
        description='Authorize a job held in "Authorizing" (no effect on other jobs).',
    )
    authorize.add_argument("job_id")
    authorize.set_defaults(**{COMMAND: job_authorize})


def job_new(ctx: Context) -> None:
    args = ctx.args
    body = NewJobBody(job_name=args.name, language=args.language, external_id=args.external_id)
    created = ctx.jobs().new_job(body)
    ctx.output.result(created.to_dict(), created.job_id or "")


def job_info(ctx: Context) -> None:
    info = ctx.jobs().job_info(ctx.args.job_id)
    ctx.output.result(info.to_dict(), fields(info.to_dict()))


def job_list(ctx: Context) -> None:
    args = ctx.args
    listed = ctx.jobs().job_list(
        job_status=args.status, job_name=args.name, external_id=args.external_id
    )
    jobs = listed.active_jobs or []
    rows = [
        (job.job_id, job.job_status, job.fidelity, _date(job.creation_date), job.job_name)
        for job in jobs
    ]
    text = columns(rows, ("JOB ID", "STATUS", "FIDELITY", "CREATED", "NAME"))
    ctx.output.result(listed.to_dict(), text)


def job_delete(ctx: Context) -> None:
    deleted = ctx.jobs().delete_job(ctx.args.job_id)
    ctx.output.result(
        {"job_id": ctx.args.job_id, **deleted.to_dict()}, f"deleted job {ctx.args.job_id}"
    )


def job_authorize(ctx: Context) -> None:
    ctx.jobs().authorize_job(ctx.args.job_id)
    ctx.output.result(
        {"job_id": ctx.args.job_id, "authorized": True}, f"authorized job {ctx.args.job_id}"
    )


def _date(value: datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else ""
