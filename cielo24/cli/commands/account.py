"""``cielo24 login`` and ``cielo24 logout``.

Secrets never come from the command line, where other processes can read them: the password
(or secure key) comes from ``CIELO24_PASSWORD`` / ``CIELO24_API_SECUREKEY``, from stdin with
``--password-stdin``, or from a prompt that does not echo.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import sys

from cielo24.api.account_api import AccountApi
from cielo24.cli import credentials
from cielo24.cli.arguments import COMMAND, SubParsers
from cielo24.cli.context import Context
from cielo24.cli.errors import CREDENTIALS, CliError
from cielo24.exceptions import BadApiTokenError

#: The variables login reads its credentials from (the others choose the host).
CREDENTIAL_VARIABLES = (
    "CIELO24_API_TOKEN",
    "CIELO24_USERNAME",
    "CIELO24_PASSWORD",
    "CIELO24_API_SECUREKEY",
)


def register(
    subparsers: SubParsers,
    common: argparse.ArgumentParser,
) -> None:
    """Add ``login`` and ``logout``."""
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
        help="save the token instead of printing it, in ~/.config/cielo24/token "
        "($XDG_CONFIG_HOME/cielo24/token), readable by you only; the next commands use it",
    )
    login.set_defaults(**{COMMAND: login_command})

    logout = subparsers.add_parser(
        "logout",
        parents=[common],
        help="end the session and delete the saved token",
        description="End the API token's session and delete the token saved by login.",
    )
    logout.set_defaults(**{COMMAND: logout_command})


def login_command(ctx: Context) -> None:
    args = ctx.args
    environ = ctx.service_environ
    host_only = {k: v for k, v in environ.items() if k not in CREDENTIAL_VARIABLES}
    configuration = credentials.configuration_from(host_only, use_saved=False)
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
        path = credentials.save_token(ctx.environ, configuration.host, token)
        data = {"username": username, "host": configuration.host, "saved_to": str(path)}
        ctx.output.result(data, f"logged in as {username}; token saved to {path}")
    else:
        ctx.output.result({"api_token": token, "host": configuration.host}, token)


def logout_command(ctx: Context) -> None:
    saved = credentials.load_token(ctx.environ)
    client = ctx.client()
    token = client.configuration.api_key.get("ApiKeyAuth")
    with contextlib.suppress(BadApiTokenError):  # the session had ended already
        AccountApi(client).logout()
    deleted = saved is not None and token == saved.api_token
    if deleted:
        credentials.delete_token(ctx.environ)
    ctx.output.result({"logged_out": True, "deleted_saved_token": deleted}, "logged out")


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
