"""``cielo24 transcribe``: media in, caption files out, for one file or many at once."""

from __future__ import annotations

import argparse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cielo24.api_client import ApiClient
from cielo24.cli.arguments import (
    COMMAND,
    SubParsers,
    add_fidelity,
    add_job_settings,
    add_progress,
    add_wait_options,
    caption_format,
    positive_int,
)
from cielo24.cli.context import Context, check_readable
from cielo24.cli.errors import OK, USAGE, CliError, describe, exit_code
from cielo24.enums import CaptionFormat, CaptionFormatName, Fidelity
from cielo24.media_source import is_url, media_name
from cielo24.workflows import transcribe


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``transcribe``."""
    parser = subparsers.add_parser(
        "transcribe",
        parents=[common],
        help="the whole flow: media in, captions out",
        description="Create a job per media, upload it (or pass its URL), ask for the "
        "transcription, wait, and write the captions: to stdout for one media and one "
        "format, else to <media name>.<extension> files (in --output-dir). With no "
        "credentials set at all, or with --emulator, it runs against a local emulator.",
        epilog="example: cielo24 transcribe talk.mp4 --fidelity MECHANICAL --format SRT "
        "-o talk.srt",
    )
    parser.add_argument("media", nargs="+", help="local files or http(s) URLs")
    add_fidelity(parser, default=Fidelity.MECHANICAL)
    parser.add_argument(
        "-f",
        "--format",
        type=caption_format,
        action="append",
        metavar="FORMAT",
        help="a caption format: SRT (the default), WEB_VTT, DFXP, SBV, SAMI, QT, SCC, ... "
        "(repeatable)",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", metavar="FILE", help="the caption file (one media, one format)"
    )
    where.add_argument("--output-dir", metavar="DIR", help="where caption files are written")
    parser.add_argument("--name", help="the job's name (one media; default: its file name)")
    parser.add_argument("--language", help="the language spoken (the service's default: en)")
    add_job_settings(parser)
    parser.add_argument(
        "--authorize",
        action="store_true",
        help="also authorize each job (for accounts that hold new jobs for approval)",
    )
    parser.add_argument(
        "--no-wait",
        action="store_true",
        help="submit the jobs, print their ids and return (fetch captions later with "
        "`cielo24 wait` and `cielo24 caption`)",
    )
    add_wait_options(parser)
    parser.add_argument(
        "--parallel",
        type=positive_int,
        default=1,
        metavar="N",
        help="transcribe N media at a time, sharing one client (default %(default)s)",
    )
    parser.add_argument(
        "--emulator", action="store_true", help="run against a local emulator, in-process"
    )
    add_progress(parser)
    parser.set_defaults(**{COMMAND: transcribe_command})


@dataclass
class Outcome:
    """What became of one media."""

    media: str
    job_id: str | None = None
    status: str | None = None
    files: dict[str, str] = field(default_factory=dict[str, str])
    captions: dict[str, str] = field(default_factory=dict[str, str])
    error: str | None = None
    exit_code: int = OK

    def to_dict(self) -> dict[str, Any]:
        data = {k: v for k, v in vars(self).items() if v or k in ("job_id", "status")}
        data.setdefault("exit_code", OK)
        return data


def transcribe_command(ctx: Context) -> int:
    args = ctx.args
    formats: list[CaptionFormatName] = list(dict.fromkeys(args.format or [CaptionFormat.SRT]))
    if args.output and (len(args.media) > 1 or len(formats) > 1):
        raise CliError("-o/--output takes one media and one format; use --output-dir", USAGE)
    if args.name and len(args.media) > 1:
        raise CliError("--name takes one media", USAGE)
    for media in args.media:
        if not is_url(media):
            check_readable(media)
    configuration = ctx.configuration(emulator_fallback=True)
    configuration.connection_pool_maxsize = max(
        configuration.connection_pool_maxsize, args.parallel
    )
    client = ctx.client(configuration)
    to_stdout = (
        not args.output and not args.output_dir and len(args.media) == 1 and len(formats) == 1
    )

    def one(media: str) -> Outcome:
        return _transcribe_one(ctx, client, media, formats, to_stdout)

    if args.parallel > 1 and len(args.media) > 1:
        with ThreadPoolExecutor(args.parallel, thread_name_prefix="cielo24-transcribe") as pool:
            outcomes = list(pool.map(one, args.media))
    else:
        outcomes = [one(media) for media in args.media]
    _report(ctx, outcomes, to_stdout)
    return next((o.exit_code for o in outcomes if o.exit_code != OK), OK)


def _transcribe_one(
    ctx: Context, client: ApiClient, media: str, formats: list[CaptionFormatName], to_stdout: bool
) -> Outcome:
    """Transcribe one media and write its captions; errors become the Outcome's."""
    args = ctx.args
    outcome = Outcome(media)
    label = media_name(media)
    try:
        result = transcribe(
            media,
            fidelity=args.fidelity,
            priority=args.priority,
            caption_formats=formats,
            wait=not args.no_wait,
            job_name=args.name,
            language=args.language,
            options=args.options,
            callback_url=args.callback_url,
            turnaround_hours=args.turnaround_hours,
            authorize=args.authorize,
            timeout=args.timeout,
            poll_interval=args.poll_interval,
            max_poll_interval=max(args.max_poll_interval, args.poll_interval),
            on_status_change=ctx.output.status_reporter(label),
            progress_callback=None if is_url(media) else ctx.output.progress_bar(label),
            api_client=client,
        )
        outcome.job_id, outcome.status = result.job_id, result.status or "submitted"
        if args.no_wait:
            return outcome
        if to_stdout:
            outcome.captions = dict(result.captions)
        elif args.output:
            outcome.files[formats[0]] = str(result.captions[formats[0]].save(args.output))
        else:
            stem = Path(media_name(media)).stem or result.job_id
            paths = result.save_captions(args.output_dir or ".", stem)
            outcome.files = {fmt: str(path) for fmt, path in paths.items()}
    except Exception as exc:
        outcome.job_id = outcome.job_id or getattr(exc, "job_id", None)
        outcome.status = getattr(exc, "status", outcome.status)
        outcome.error, outcome.exit_code = describe(exc), exit_code(exc)
    return outcome


def _report(ctx: Context, outcomes: list[Outcome], to_stdout: bool) -> None:
    """Errors on stderr; captions, or a line per media, on stdout (or JSON with --json)."""
    output = ctx.output
    for outcome in outcomes:
        if outcome.error:
            output.notice(f"error: {outcome.media}: {outcome.error}")
    if output.json_mode:
        output.result([outcome.to_dict() for outcome in outcomes])
        return
    for outcome in outcomes:
        if outcome.error:
            continue
        if to_stdout and outcome.captions:
            output.raw(next(iter(outcome.captions.values())))
        else:
            files = ", ".join(outcome.files.values())
            output.result(
                None,
                f"{outcome.media}: job {outcome.job_id} {outcome.status}"
                + (f" -> {files}" if files else ""),
            )
