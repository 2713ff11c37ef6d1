"""``cielo24 caption``, ``cielo24 transcript`` and ``cielo24 elementlist``: a job's results."""

from __future__ import annotations

import argparse
import io
from typing import Any, cast

from cielo24.api.output_options import CaptionOptions, TranscriptOptions
from cielo24.captions import caption_format_for
from cielo24.cli.arguments import (
    COMMAND,
    DOCS_URL,
    SubParsers,
    caption_format,
    iwp_name,
    name_value,
)
from cielo24.cli.context import Context
from cielo24.enums import CaptionFormat, CaptionFormatName
from cielo24.workflows import save_element_list

#: The options of each command, and an example of one it accepts.
_OPTIONS = {
    "caption": (
        (CaptionOptions.__required_keys__ | CaptionOptions.__optional_keys__) - {"caption_format"},
        "characters_per_caption_line=32",
        "caption-options",
    ),
    "transcript": (
        TranscriptOptions.__required_keys__ | TranscriptOptions.__optional_keys__,
        "create_paragraphs=true",
        "transcript-options",
    ),
}


def add_output_options(parser: argparse.ArgumentParser, command: str) -> None:
    """``--option NAME=VALUE``, repeatable: the service's caption or transcript options, each
    name checked against the command's own."""
    known, example, anchor = _OPTIONS[command]
    where = f"{DOCS_URL}JobApi.md#{anchor}"

    def option(text: str) -> tuple[str, Any]:
        name, value = name_value(text)
        if name not in known:
            raise argparse.ArgumentTypeError(
                f"{name!r} is not an option of {command} (they are listed at {where})"
            )
        return name, value

    parser.add_argument(
        "--option",
        type=option,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help=f"an option of the service, e.g. {example} (repeatable; the value is read as "
        'JSON when it is: 32, true, ["MUSIC"]; otherwise as text)',
    )


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``caption``, ``transcript`` and ``elementlist``."""
    caption = subparsers.add_parser(
        "caption",
        parents=[common],
        help="get a job's captions (SRT, WEB_VTT, DFXP, ...)",
        description="Get a job's captions, on stdout or into a file.",
    )
    caption.add_argument("job_id")
    caption.add_argument(
        "--format",
        type=caption_format,
        help="SRT (the default), WEB_VTT, DFXP, SBV, SAMI, QT, SCC, TRANSCRIPT, ..., in any "
        "case, or a file extension (srt, vtt, smi, ...); with -o, read from the file's "
        "extension when not given",
    )
    caption.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    add_output_options(caption, "caption")
    caption.set_defaults(**{COMMAND: get_caption})

    transcript = subparsers.add_parser(
        "transcript",
        parents=[common],
        help="get a job's transcript",
        description="Get a job's transcript, on stdout or into a file.",
    )
    transcript.add_argument("job_id")
    transcript.add_argument("-o", "--output", metavar="FILE", help="write to FILE, not stdout")
    add_output_options(transcript, "transcript")
    transcript.set_defaults(**{COMMAND: get_transcript})

    element_list = subparsers.add_parser(
        "elementlist",
        parents=[common],
        help="get a job's element list (JSON: every word with its timing)",
        description="Get a job's element list, the JSON the service sends, on stdout or "
        "into a file.",
    )
    element_list.add_argument("job_id")
    element_list.add_argument("-o", "--output", metavar="FILE", help="write to FILE")
    which = element_list.add_mutually_exclusive_group()
    which.add_argument("--version", metavar="V", help="a version from list_elementlists")
    which.add_argument("--iwp", type=iwp_name, metavar="NAME", help="the version of this IWP")
    element_list.set_defaults(**{COMMAND: get_element_list})


def get_caption(ctx: Context) -> None:
    args = ctx.args
    options: dict[str, Any] = dict(args.option)
    fmt: CaptionFormatName = args.format or (
        caption_format_for(args.output) if args.output else CaptionFormat.SRT
    )
    jobs = ctx.jobs()
    if args.output:
        written = cast(int, jobs.get_caption(args.job_id, fmt, destination=args.output, **options))
        _saved(ctx, written, format=fmt)
    elif ctx.output.json_mode:
        text = cast(str, jobs.get_caption(args.job_id, fmt, **options))
        ctx.output.result({"job_id": args.job_id, "format": fmt, "caption": text})
    else:
        caption = cast(str, jobs.get_caption(args.job_id, fmt, **options))
        ctx.output.raw(caption)


def get_transcript(ctx: Context) -> None:
    args = ctx.args
    options: dict[str, Any] = dict(args.option)
    jobs = ctx.jobs()
    if args.output:
        written = cast(int, jobs.get_transcript(args.job_id, destination=args.output, **options))
        _saved(ctx, written)
    elif ctx.output.json_mode:
        text = cast(str, jobs.get_transcript(args.job_id, **options))
        ctx.output.result({"job_id": args.job_id, "transcript": text})
    else:
        transcript = cast(str, jobs.get_transcript(args.job_id, **options))
        ctx.output.raw(transcript)


def get_element_list(ctx: Context) -> None:
    args = ctx.args
    jobs = ctx.jobs()
    which = {"elementlist_version": args.version, "iwp_name": args.iwp}
    if args.output:
        _saved(ctx, save_element_list(jobs, args.job_id, args.output, **which))
    else:  # the element list is JSON already, with --json or without
        received = io.BytesIO()
        save_element_list(jobs, args.job_id, received, **which)
        ctx.output.raw(received.getvalue().decode("utf-8", "replace") + "\n")


def _saved(ctx: Context, written: int, **extra: str) -> None:
    args = ctx.args
    data = {"job_id": args.job_id, "path": args.output, "bytes": written, **extra}
    ctx.output.result(data, f"wrote {args.output} ({written} bytes)")
