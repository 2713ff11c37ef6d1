"""``cielo24 transcribe``: media in, caption files out, for one file or a whole library.

Every run is a batch (cielo24.batch): one job per media, found again rather than made twice,
resumable after a crash or Ctrl-C by running the same command again.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from cielo24.batch import (
    BAD_INPUT,
    CONNECTION,
    MEDIA_FAILURE,
    SERVICE,
    TIMED_OUT,
    BatchInterrupted,
    BatchResult,
    MediaItem,
    MediaResult,
    read_media_list,
    transcribe_many,
)
from cielo24.batch import (
    INTERRUPTED as BATCH_INTERRUPTED,
)
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
from cielo24.cli.context import Context
from cielo24.cli.errors import (
    CONNECTION as CONNECTION_CODE,
)
from cielo24.cli.errors import (
    ERROR,
    INTERRUPTED,
    JOB_FAILED,
    OK,
    SOME_FAILED,
    TIMEOUT,
    USAGE,
    CliError,
)
from cielo24.cli.errors import SERVICE as SERVICE_CODE
from cielo24.enums import CaptionFormat, CaptionFormatName, Fidelity
from cielo24.progress import choose_mode

#: The exit code of a media that failed, by kind (cielo24.batch's MediaResult.failure).
FAILURE_CODES = {
    BAD_INPUT: USAGE,
    MEDIA_FAILURE: JOB_FAILED,
    TIMED_OUT: TIMEOUT,
    SERVICE: SERVICE_CODE,
    CONNECTION: CONNECTION_CODE,
    BATCH_INTERRUPTED: INTERRUPTED,
}


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``transcribe``."""
    parser = subparsers.add_parser(
        "transcribe",
        parents=[common],
        help="the whole flow: media in, captions out, for one media or thousands",
        description="Create one job per media, upload it (or pass its URL), ask for the "
        "transcription, wait, and write the captions: to stdout for one media and one "
        "format, else to <media name>.<extension> files (in --output-dir). A media that "
        "has a job already (the same content or URL, found in the state file or at the "
        "service by its external id) gets no second one: its job is resumed. After a "
        "crash or Ctrl-C, run the same command again. With --emulator (or CIELO24_EMULATOR=1) "
        "it runs against a local emulator; its captions are a sample.",
        epilog="examples: cielo24 transcribe talk.mp4 --format SRT -o talk.srt\n"
        "  cielo24 transcribe --from lectures.csv --parallel 16 --output-dir captions "
        "--report report.csv",
    )
    parser.add_argument("media", nargs="*", help="local files or http(s) URLs")
    parser.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="read the media from FILE: one path or URL per line, or a .csv with a media "
        "column and optional job_name, external_id and language columns",
    )
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
    where.add_argument(
        "--output-dir", metavar="DIR", help="where caption files are written (made if missing)"
    )
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
        help="submit the jobs, print their ids and return (run the same command again, or "
        "`cielo24 wait` and `cielo24 caption`, to fetch the captions later)",
    )
    add_wait_options(parser)
    parser.set_defaults(poll_interval=1.0)  # the batch's first look; the pauses double
    parser.add_argument(
        "--parallel",
        type=positive_int,
        default=8,
        metavar="N",
        help="upload N media at a time (default %(default)s)",
    )
    parser.add_argument(
        "--state",
        metavar="FILE",
        help="the batch's state file (default: .cielo24-batch.sqlite in --output-dir)",
    )
    parser.add_argument(
        "--new-job",
        action="store_true",
        help="make a new job for each media the state file has none for, even if the "
        "service has one (sent with is_duplicate=true)",
    )
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="report and skip media that are missing, unreadable, empty or over 10 GB "
        "(by default the batch does not start)",
    )
    parser.add_argument(
        "--report", metavar="FILE", help="write a report of every media (.json or .csv)"
    )
    parser.add_argument(
        "--emulator", action="store_true", help="run against a local emulator, in-process"
    )
    add_progress(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="show no progress")
    parser.set_defaults(**{COMMAND: transcribe_command})


def transcribe_command(ctx: Context) -> int:
    args = ctx.args
    items = [MediaItem(m, job_name=args.name, language=args.language) for m in args.media]
    if args.from_file:
        listed = read_media_list(args.from_file)
        items += [
            MediaItem(i.media, i.job_name, i.external_id, i.language or args.language)
            for i in listed
        ]
    if not items:
        raise CliError("no media: give files or URLs, or --from FILE", USAGE)
    formats: list[CaptionFormatName] = list(dict.fromkeys(args.format or [CaptionFormat.SRT]))
    if args.output and (len(items) > 1 or len(formats) > 1):
        raise CliError("-o/--output takes one media and one format; use --output-dir", USAGE)
    if args.name and len(items) > 1:
        raise CliError("--name takes one media", USAGE)
    to_stdout = (
        not (args.output or args.output_dir or args.no_wait)
        and len(items) == 1
        and len(formats) == 1
    )
    scratch = None
    output_dir = args.output_dir or "."
    if args.output or to_stdout:  # captions go to a scratch directory, then there
        parent = Path(args.output).parent if args.output else None
        scratch = output_dir = tempfile.mkdtemp(prefix=".cielo24-", dir=parent)
    try:
        try:
            result = _run(ctx, items, formats, output_dir)
        except BatchInterrupted as interrupted:
            _interrupted(ctx, interrupted.result)
            return INTERRUPTED
        if args.output:
            _move_output(result, args.output)
        _report(ctx, result, to_stdout)
        return _exit_code(result)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(
    ctx: Context, items: list[MediaItem], formats: list[CaptionFormatName], output_dir: str
) -> BatchResult:
    args = ctx.args
    configuration = ctx.configuration()
    configuration.connection_pool_maxsize = max(
        configuration.connection_pool_maxsize, args.parallel + 8
    )
    if args.quiet or args.progress is False:
        mode = "off"
    elif ctx.output.json_mode:
        mode = "json"
    else:
        mode = choose_mode(True, ctx.output.stderr)
    return transcribe_many(
        items,
        fidelity=args.fidelity,
        caption_formats=formats,
        output_dir=output_dir,
        parallel=args.parallel,
        state=args.state,
        priority=args.priority,
        options=args.options,
        callback_url=args.callback_url,
        turnaround_hours=args.turnaround_hours,
        authorize=args.authorize,
        new_job=args.new_job,
        skip_bad=args.skip_bad,
        wait_for_jobs=not args.no_wait,
        timeout=args.timeout,
        poll_interval=args.poll_interval,
        max_poll_interval=max(args.max_poll_interval, args.poll_interval),
        report=args.report,
        progress_mode=mode,
        progress_stream=ctx.output.stderr,
        api_client=ctx.client(configuration),
    )


def _move_output(result: BatchResult, output: str) -> None:
    for media in result:
        for name, path in media.captions.items():
            os.replace(path, output)
            media.captions[name] = output


def _outcome(media: MediaResult, to_stdout: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "media": media.media,
        "job_id": media.job_id,
        "external_id": media.external_id,
        "status": media.status,
        "files": {} if to_stdout else media.captions,
        "exit_code": _media_code(media),
    }
    if to_stdout:
        data["captions"] = {fmt: _read(path) for fmt, path in media.captions.items()}
    if media.error:
        data["error"] = media.error
    return data


def _report(ctx: Context, result: BatchResult, to_stdout: bool) -> None:
    """Errors on stderr; a line per media on stdout (captions already there for one media to
    stdout), or the outcomes as JSON with --json."""
    output = ctx.output
    for media in result.failed:
        where = (
            f" (job {media.job_id})"
            if media.job_id and media.job_id not in (media.error or "")
            else ""
        )
        output.notice(f"error: {media.media}{where}: {media.error}")
    if output.json_mode:
        output.result([_outcome(media, to_stdout) for media in result])
        return
    for media in result:
        if to_stdout:
            output.raw("".join(_read(path) for path in media.captions.values()))
            continue
        if media.ok:
            files = ", ".join(media.captions.values())
            status = media.status or "submitted"
            output.result(
                None,
                f"{media.media}: job {media.job_id} {status}" + (f" -> {files}" if files else ""),
            )


def _read(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def _interrupted(ctx: Context, result: BatchResult) -> None:
    """Say which jobs are in flight and how to go on."""
    for media in result.in_flight:
        ctx.output.notice(f"in flight: {media.media}: job {media.job_id}")
    command = shlex.join(["cielo24", *sys.argv[1:]]) if sys.argv[1:2] == ["transcribe"] else ""
    ctx.output.notice(
        "interrupted; to resume, run the same command again (each job is found again by "
        "its external id)" + (f": {command}" if command else "")
    )


def _media_code(media: MediaResult) -> int:
    if media.ok:
        return OK
    return FAILURE_CODES.get(media.failure or "", ERROR)


def _exit_code(result: BatchResult) -> int:
    """0 when every media succeeded; one media's own code; SOME_FAILED for several."""
    failed = result.failed
    if not failed:
        return OK
    if len(result) == 1:
        return _media_code(failed[0])
    return SOME_FAILED
