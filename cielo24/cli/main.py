"""The command's entry point: parse the command line, run the command, map errors to exit
codes (see cli.errors)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Callable

from cielo24._version import __version__
from cielo24.cli.arguments import COMMAND, DOCS_URL, common_options
from cielo24.cli.commands import MODULES
from cielo24.cli.context import Context
from cielo24.cli.errors import EXIT_CODES, INTERRUPTED, OK, USAGE, CliError, describe, exit_code
from cielo24.cli.output import Output
from cielo24.exceptions import Cielo24Error

ENVIRONMENT = """\
environment:
  CIELO24_API_TOKEN                 an API token
  CIELO24_USERNAME                  log in as this user, with
  CIELO24_PASSWORD                    a password
  CIELO24_API_SECUREKEY               or a secure key (API key)
  CIELO24_SERVER                    production (the default) or sandbox
  CIELO24_HOST                      or the API's URL, e.g. http://127.0.0.1:8024/api
  CIELO24_PROFILE                   the profile of the saved tokens to use (default)
  CIELO24_EMULATOR=1                run against a local emulator, as --emulator does
Without credentials in them, a token saved by `cielo24 login --save` is used;
`cielo24 whoami` shows which.
"""


def _epilog() -> str:
    codes = "\n".join(f"  {code:<3} {meaning}" for code, meaning in EXIT_CODES.items())
    return f"{ENVIRONMENT}\nexit codes:\n{codes}\n\nDocumentation: {DOCS_URL}cli.md"


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command."""
    parser = argparse.ArgumentParser(
        prog="cielo24",
        description="The cielo24 transcription and captioning API from the command line. "
        "`cielo24 COMMAND --help` describes each command.",
        epilog=_epilog(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=__version__)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", required=True)
    common = common_options()
    for module in MODULES:
        module.register(subparsers, common)
    subparsers.add_parser(
        "emulator",
        add_help=False,
        help="run a local emulator of the service (`cielo24 emulator --help`)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (``sys.argv[1:]`` by default); the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["emulator"]:
        from cielo24.emulator.__main__ import main as emulator_main

        return emulator_main(arguments[1:])
    try:
        args = build_parser().parse_args(arguments)
    except SystemExit as exc:  # --help, --version, or a usage error already reported
        return exc.code if isinstance(exc.code, int) else USAGE
    output = Output(
        json_mode=getattr(args, "json", False), progress=getattr(args, "progress", None)
    )
    context = Context(args, output)
    run: Callable[[Context], int | None] = getattr(args, COMMAND)
    try:
        code = run(context)
        return OK if code is None else code
    except KeyboardInterrupt:
        output.notice("interrupted")
        return INTERRUPTED
    except (CliError, Cielo24Error, OSError) as exc:
        output.notice(f"error: {describe(exc)}")
        return exit_code(exc)
    finally:
        context.close()
