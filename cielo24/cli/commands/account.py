"""``cielo24 login``, ``cielo24 logout`` and ``cielo24 whoami``.

Secrets never come from the command line, where other processes can read them: the password
(or secure key) comes from ``CIELO24_PASSWORD`` / ``CIELO24_API_SECUREKEY``, from stdin with
``--password-stdin``, or from a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys

from cielo24 import credentials
from cielo24.api.account_api import AccountApi
from cielo24.cli.arguments import COMMAND, SubParsers
from cielo24.cli.context import EMULATOR_VARIABLE, Context
from cielo24.cli.errors import CREDENTIALS, CliError, no_credentials
from cielo24.exceptions import ApiValueError, BadApiTokenError


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``login``, ``logout`` and ``whoami``."""
    login = subparsers.add_parser(
        "login",
        parents=[common],
        help="log in: print an API token, or save it for the next commands",
        description="Log in with a username and a password (or a secure key) and print the "
        "API token, or save it with --save in a file only you can read, for the next "
        "commands. The password comes from CIELO24_PASSWORD (or the key from "
        "CIELO24_API_SECUREKEY), from stdin with --password-stdin, or from a prompt; never "
        "from the command line.",
    )
    login.add_argument("--username", help="the account (default: CIELO24_USERNAME, or a prompt)")
    login.add_argument(
        "--securekey",
        action="store_true",
        help="log in with a secure key (API key) instead of a password",
    )
    login.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password (or secure key) from the first line of stdin",
    )
    login.add_argument(
        "--save",
        action="store_true",
        help="save the token instead of printing it, in ~/.config/cielo24/credentials "
        "($XDG_CONFIG_HOME/cielo24/credentials), readable by you only, as the profile "
        "--profile (or CIELO24_PROFILE, or default); the next commands use it",
    )
    login.set_defaults(**{COMMAND: login_command})

    logout = subparsers.add_parser(
        "logout",
        parents=[common],
        help="end the session and delete the saved token",
        description="End the API token's session, and delete the token when it was saved by "
        "login (its profile only).",
    )
    logout.set_defaults(**{COMMAND: logout_command})

    whoami = subparsers.add_parser(
        "whoami",
        parents=[common],
        help="show which host and credentials the commands use, and where they come from",
        description="Show the host and the credentials the next command would use, and which "
        "source of the chain each came from: --host/--server/--profile, the CIELO24_* "
        "variables, or the file `login --save` writes. Secrets are masked; nothing is sent.",
    )
    whoami.set_defaults(**{COMMAND: whoami_command})


def login_command(ctx: Context) -> None:
    args = ctx.args
    environ = ctx.environ
    profile = args.profile or environ.get(credentials.PROFILE_VARIABLE) or "default"
    args.profile = None  # the profile to save to, not one to read the host from
    host_only = {k: v for k, v in environ.items() if k not in credentials.CREDENTIAL_VARIABLES}
    configuration = ctx.resolved(credentials_too=False, environ=host_only).configuration()
    if args.debug:
        configuration.debug = True
    username = args.username or environ.get("CIELO24_USERNAME") or _ask("cielo24 username: ")
    kind = "secure key" if args.securekey else "password"
    secret = _secret(ctx, kind)
    account = AccountApi(ctx.client(configuration))
    if args.securekey:
        login = account.login(username, securekey=secret)
    else:
        login = account.login(username, password=secret)
    token = login.api_token or ""
    if args.save:
        try:
            path = credentials.save_profile(environ, profile, configuration.host, token)
        except ApiValueError as exc:
            raise CliError(str(exc), CREDENTIALS) from None
        data = {
            "username": username,
            "host": configuration.host,
            "profile": profile,
            "saved_to": str(path),
        }
        named = "" if profile == credentials.DEFAULT_PROFILE else f" as profile {profile}"
        ctx.output.result(data, f"logged in as {username}; token saved to {path}{named}")
    else:
        ctx.output.result({"api_token": token, "host": configuration.host}, token)


def logout_command(ctx: Context) -> None:
    found = ctx.resolved()
    client = ctx.client()
    with contextlib.suppress(BadApiTokenError):  # the session had ended already
        AccountApi(client).logout()
    deleted = found.profile is not None and credentials.delete_profile(ctx.environ, found.profile)
    ctx.output.result({"logged_out": True, "deleted_saved_token": deleted}, "logged out")


def whoami_command(ctx: Context) -> None:
    if ctx.emulator_asked:
        where = "a local emulator, in-process"
        emulated = {"host": where, "host_source": EMULATOR_VARIABLE}
        ctx.output.result(emulated, f"host:        {where} (from {EMULATOR_VARIABLE})")
        return
    found = ctx.resolved()
    if not found.has_credentials:
        raise CliError(no_credentials(found.note), CREDENTIALS)
    if found.api_token:
        kind, shown = "api token", _masked(found.api_token)
    else:
        secret = "password" if found.password is not None else "secure key"
        kind, shown = f"username and {secret}", f"{found.username} / ***"
    data: dict[str, str | None] = {
        "host": found.host,
        "host_source": found.host_source,
        "credentials": kind,
        "shown": shown,
        "source": found.source,
        "profile": found.profile,
    }
    text = (
        f"host:        {found.host} (from {found.host_source})\n"
        f"credentials: {kind} {shown} (from {found.source})"
    )
    ctx.output.result(data, text)


def _masked(secret: str) -> str:
    """``***`` and the last four characters, when the secret is long enough to spare them."""
    return "***" + secret[-4:] if len(secret) >= 16 else "***"


def _secret(ctx: Context, kind: str) -> str:
    """The password or secure key: from the environment, stdin, or a prompt."""
    variable = "CIELO24_API_SECUREKEY" if kind == "secure key" else "CIELO24_PASSWORD"
    from_env = ctx.environ.get(variable)
    if from_env:
        return from_env
    if ctx.args.password_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise CliError(f"--password-stdin: stdin has no {kind}", CREDENTIALS)
        return line
    if not sys.stdin.isatty():
        raise CliError(
            f"no {kind}: set {variable}, pipe it with --password-stdin, or run on a terminal",
            CREDENTIALS,
        )
    return getpass.getpass(f"cielo24 {kind}: ")


def _ask(prompt: str) -> str:
    if not sys.stdin.isatty():
        raise CliError("no username: give --username or set CIELO24_USERNAME", CREDENTIALS)
    sys.stderr.write(prompt)  # not stdout, which may be captured: $(cielo24 login)
    sys.stderr.flush()
    answer = sys.stdin.readline().strip()
    if not answer:
        raise CliError("no username given", CREDENTIALS)
    return answer
