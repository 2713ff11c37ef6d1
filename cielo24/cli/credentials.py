"""Where the command's credentials come from: the environment, or a token saved by login.

``cielo24 login --save`` keeps the API token, with the host it belongs to, in
``$XDG_CONFIG_HOME/cielo24/token`` (``~/.config/cielo24/token``; ``%APPDATA%\\cielo24\\token``
on Windows), a file only its owner can read (mode 0600, in a 0700 directory). A saved token
is only ever sent to its own host.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cielo24.cli.errors import CREDENTIALS, NO_CREDENTIALS, CliError
from cielo24.configuration import Configuration
from cielo24.exceptions import ApiValueError

#: The variables that choose where requests go.
HOST_VARIABLES = ("CIELO24_HOST", "CIELO24_SERVER")
#: Every variable Configuration.from_env reads.
VARIABLES = (
    "CIELO24_API_TOKEN",
    "CIELO24_USERNAME",
    "CIELO24_PASSWORD",
    "CIELO24_API_SECUREKEY",
    *HOST_VARIABLES,
)


@dataclass(frozen=True)
class SavedToken:
    """A token saved by ``cielo24 login --save``, and the host it belongs to."""

    host: str
    api_token: str
    path: Path


def token_path(environ: Mapping[str, str]) -> Path:
    """The file a token is saved in."""
    if os.name == "nt" and environ.get("APPDATA"):
        base = Path(environ["APPDATA"])
    elif environ.get("XDG_CONFIG_HOME"):
        base = Path(environ["XDG_CONFIG_HOME"])
    else:
        base = Path(environ.get("HOME") or Path.home()) / ".config"
    return base / "cielo24" / "token"


def save_token(environ: Mapping[str, str], host: str, api_token: str) -> Path:
    """Save the token for ``host``, readable by its owner only; returns the file's path.

    The file is written under a temporary name created with mode 0600 and then renamed, so
    the token is never readable by others, not even for a moment.
    """
    path = token_path(environ)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".token-")  # mode 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump({"host": host, "api_token": api_token}, file)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def load_token(environ: Mapping[str, str]) -> SavedToken | None:
    """The saved token, or None when there is none (or the file is not one of ours)."""
    path = token_path(environ)
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(saved, dict):
        return None
    fields = cast("dict[str, Any]", saved)
    host, token = fields.get("host"), fields.get("api_token")
    if not isinstance(host, str) or not isinstance(token, str) or not token:
        return None
    return SavedToken(host, token, path)


def delete_token(environ: Mapping[str, str]) -> bool:
    """Delete the saved token; whether there was one."""
    try:
        token_path(environ).unlink()
    except FileNotFoundError:
        return False
    return True


def with_host_options(
    environ: Mapping[str, str], host: str | None, server: str | None
) -> dict[str, str]:
    """The environment with --host or --server in place of CIELO24_HOST and CIELO24_SERVER."""
    result = dict(environ)
    if host or server:
        for name in HOST_VARIABLES:
            result.pop(name, None)
        result.update({"CIELO24_HOST": host} if host else {"CIELO24_SERVER": server or ""})
    return result


def configuration_from(environ: Mapping[str, str], *, use_saved: bool = True) -> Configuration:
    """The service's Configuration: the CIELO24_* variables, else the saved token.

    Raises:
        CliError (CREDENTIALS): inconsistent variables, no credentials at all, or a saved
            token for another host than the one asked for.
    """
    try:
        configuration = Configuration.from_env(environ)
    except ApiValueError as exc:
        raise CliError(str(exc), CREDENTIALS) from None
    if has_credentials(configuration) or not use_saved:
        return configuration
    saved = load_token(environ)
    if saved is None:
        raise CliError(NO_CREDENTIALS, CREDENTIALS)
    host_chosen = any(environ.get(name) for name in HOST_VARIABLES)
    if host_chosen and saved.host != configuration.host:
        raise CliError(
            f"the saved token is for {saved.host}, not {configuration.host}: log in there "
            "(`cielo24 login --save --host URL`) or set CIELO24_API_TOKEN",
            CREDENTIALS,
        )
    configuration.host = saved.host
    configuration.api_key["ApiKeyAuth"] = saved.api_token
    return configuration


def has_credentials(configuration: Configuration) -> bool:
    """Whether a Configuration has a token, or a username with a password or secure key."""
    return bool(configuration.api_key.get("ApiKeyAuth")) or configuration.has_credentials
