"""The credential chain: where a Configuration's host and credentials come from.

One chain for the SDK (``Configuration()``, ``Configuration.from_env()``) and the ``cielo24``
command, like boto3's and the AWS CLI's; the first source that has credentials wins:

1. explicit arguments: ``Configuration(host=..., api_key=..., username=...)``, the command's
   ``--host``/``--server``, and a profile named with ``profile=`` / ``--profile``;
2. the ``CIELO24_*`` variables: ``CIELO24_API_TOKEN``, or ``CIELO24_USERNAME`` with
   ``CIELO24_PASSWORD`` or ``CIELO24_API_SECUREKEY``; ``CIELO24_HOST`` or ``CIELO24_SERVER``;
3. the credentials file that ``cielo24 login --save`` writes, profile ``CIELO24_PROFILE``
   (``default`` when unset): ``$XDG_CONFIG_HOME/cielo24/credentials``
   (``~/.config/cielo24/credentials``; ``%APPDATA%\\cielo24\\credentials`` on Windows).

The file is JSON, ``{"PROFILE": {"host": URL, "api_token": TOKEN}, ...}``, in a folder only its
owner can use (0700), readable by its owner only (0600). A saved token is only ever sent to its
own host. A file that others can write (or that another user owns) is refused: whoever can
write it could send your requests, and your media, to a host of theirs.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import urlsplit

from cielo24.exceptions import ApiValueError

if TYPE_CHECKING:
    from cielo24.configuration import Configuration

#: The variable that names the profile of the credentials file to use.
PROFILE_VARIABLE = "CIELO24_PROFILE"
#: The profile used when none is named.
DEFAULT_PROFILE = "default"
#: The variables that choose where requests go.
HOST_VARIABLES = ("CIELO24_HOST", "CIELO24_SERVER")
#: The variables that hold credentials.
CREDENTIAL_VARIABLES = (
    "CIELO24_API_TOKEN",
    "CIELO24_USERNAME",
    "CIELO24_PASSWORD",
    "CIELO24_API_SECUREKEY",
)

logger = logging.getLogger("cielo24")


@dataclass(frozen=True)
class Resolved:
    """What the chain found: the host, the credentials (if any) and where each came from.

    Attributes:
        host: the API's URL.
        host_source: where the host came from (``"--host"``, ``"CIELO24_HOST"``, ``"profile
            default"``, ``"the default"``, ...).
        source: where the credentials came from, or ``"none"``.
        note: why a saved token was not used, when one was found for another host.
        profile: the profile of the credentials file the token came from, or None.
    """

    host: str
    host_source: str
    source: str = "none"
    profile: str | None = None
    api_token: str | None = field(default=None, repr=False)
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    api_securekey: str | None = field(default=None, repr=False)
    note: str | None = None

    @property
    def has_credentials(self) -> bool:
        """Whether a token, or a username with a password or secure key, was found."""
        return bool(self.api_token) or bool(self.username)

    def configuration(self, **settings: Any) -> Configuration:
        """A Configuration with this host and these credentials, and ``settings``."""
        from cielo24.configuration import Configuration

        configuration = Configuration(
            host=self.host,
            username=self.username,
            password=self.password,
            api_securekey=self.api_securekey,
            **settings,
        )
        if self.api_token:
            configuration.api_key["ApiKeyAuth"] = self.api_token
        return configuration


@dataclass(frozen=True)
class Profile:
    """A token saved by ``cielo24 login --save``, the host it belongs to, and its file."""

    name: str
    host: str
    api_token: str = field(repr=False)
    path: Path


def resolve(
    environ: Mapping[str, str],
    *,
    host: str | None = None,
    server: str | None = None,
    profile: str | None = None,
    credentials: bool = True,
) -> Resolved:
    """Follow the chain (see the module's docstring).

    Args:
        environ: the variables to read (``os.environ`` usually); the credentials file is
            found with its ``XDG_CONFIG_HOME``, ``HOME`` or ``APPDATA``, never read when it
            has none of them.
        host, server: an explicit host or named server, which win over the variables.
        profile: an explicit profile of the credentials file, which wins over the variables;
            it must exist.
        credentials: look for credentials; False resolves the host only.

    Raises:
        ApiValueError: contradicting or invalid variables or arguments, a profile named but
            missing, or a credentials file others can write. The message names variables and
            files, never a secret.
    """
    from cielo24.configuration import SERVERS

    if host is not None and server is not None:
        raise ApiValueError("give either host or server, not both")
    if server is not None and server not in SERVERS:
        raise ApiValueError(f"server must be one of {sorted(SERVERS)}, got {server!r}")
    found = _from_environment(environ)
    explicit = (
        (host, "host") if host is not None else (SERVERS[server], "server") if server else None
    )
    if profile is not None:
        saved = load_profile(environ, profile, required=True)
        assert saved is not None
        if explicit is not None and not _same_host(explicit[0], saved.host):
            raise ApiValueError(f"profile {profile!r} is for {saved.host}, not {explicit[0]}")
        return _from_profile(saved)
    if explicit is None and "host" in found:
        explicit = (found["host"], "CIELO24_HOST")
    elif explicit is None and "server" in found:
        explicit = (SERVERS[found["server"]], "CIELO24_SERVER")
    chosen, chosen_from = explicit or (SERVERS["production"], "the default")
    if not credentials:
        return Resolved(chosen, chosen_from)
    if "api_token" in found or "username" in found:
        names = [n for n in CREDENTIAL_VARIABLES if environ.get(n)]
        return Resolved(
            chosen,
            chosen_from,
            source="the environment: " + ", ".join(names),
            api_token=found.get("api_token"),
            username=found.get("username"),
            password=found.get("password"),
            api_securekey=found.get("api_securekey"),
        )
    name = environ.get(PROFILE_VARIABLE) or None
    saved = load_profile(environ, name or DEFAULT_PROFILE, required=name is not None)
    if saved is None:
        return Resolved(chosen, chosen_from)
    if explicit is None or _same_host(explicit[0], saved.host):
        return _from_profile(saved)
    note = (
        f"the saved token (profile {saved.name}) is for {saved.host}, not {chosen}: log in "
        "there (`cielo24 login --save --host URL`) or set CIELO24_API_TOKEN"
    )
    return Resolved(chosen, chosen_from, note=note)


def _from_profile(saved: Profile) -> Resolved:
    where = f"profile {saved.name}"
    return Resolved(
        saved.host,
        where,
        source=f"{where} in {saved.path}",
        profile=saved.name,
        api_token=saved.api_token,
    )


def _same_host(one: str, other: str) -> bool:
    return one.rstrip("/") == other.rstrip("/")


def _from_environment(environ: Mapping[str, str]) -> dict[str, str]:
    """The settings the CIELO24_* variables give (host, server, api_token, username, password,
    api_securekey), checked; an empty variable counts as unset."""
    from cielo24.configuration import SERVERS, Configuration

    def get(name: str) -> str | None:
        return environ.get(f"CIELO24_{name}") or None

    token, username, password = get("API_TOKEN"), get("USERNAME"), get("PASSWORD")
    securekey, server, host = get("API_SECUREKEY"), get("SERVER"), get("HOST")
    if server is not None and host is not None:
        raise ApiValueError("set CIELO24_SERVER or CIELO24_HOST, not both")
    if server is not None and server not in SERVERS:
        raise ApiValueError(f"CIELO24_SERVER must be one of {', '.join(SERVERS)}, got {server!r}")
    if host is not None:
        parts = urlsplit(host)
        if parts.username or parts.password:
            raise ApiValueError("CIELO24_HOST must not hold credentials")
        try:
            Configuration(host=host)
        except ApiValueError as exc:
            raise ApiValueError(f"CIELO24_HOST: {exc}") from None
    if password is not None and securekey is not None:
        raise ApiValueError("set CIELO24_PASSWORD or CIELO24_API_SECUREKEY, not both")
    if username is None and (password is not None or securekey is not None):
        secret = "CIELO24_PASSWORD" if password is not None else "CIELO24_API_SECUREKEY"
        raise ApiValueError(f"{secret} is set but CIELO24_USERNAME is not")
    if username is not None and password is None and securekey is None:
        raise ApiValueError(
            "CIELO24_USERNAME is set without CIELO24_PASSWORD or CIELO24_API_SECUREKEY"
        )
    found = {
        "host": host,
        "server": server,
        "username": username,
        "password": password,
        "api_securekey": securekey,
        "api_token": token,
    }
    return {name: value for name, value in found.items() if value is not None}


# --- the credentials file -----------------------------------------------------------------


def credentials_path(environ: Mapping[str, str]) -> Path | None:
    """The credentials file, or None when ``environ`` says nothing of where it would be."""
    if os.name == "nt" and environ.get("APPDATA"):
        base = Path(environ["APPDATA"])
    elif environ.get("XDG_CONFIG_HOME"):
        base = Path(environ["XDG_CONFIG_HOME"])
    elif environ.get("HOME"):
        base = Path(environ["HOME"]) / ".config"
    else:
        return None
    return base / "cielo24" / "credentials"


def load_profile(
    environ: Mapping[str, str], name: str, *, required: bool = False
) -> Profile | None:
    """A profile of the credentials file, or None when there is none.

    Raises:
        ApiValueError: the file is writable by others, or ``required`` and the profile is
            missing.
    """
    path = credentials_path(environ)
    profiles = {} if path is None else _read(path)
    fields = profiles.get(name)
    if fields is None:
        if required:
            raise ApiValueError(
                f"no profile {name!r} in {path}: run `cielo24 login --save --profile {name}`"
            )
        return None
    assert path is not None
    return Profile(name, fields["host"], fields["api_token"], path)


def save_profile(environ: Mapping[str, str], name: str, host: str, api_token: str) -> Path:
    """Save a token for ``host`` as profile ``name``; returns the file's path.

    The folder is made (or made again) 0700 and the file 0600: it is written under a
    temporary name created with mode 0600, then renamed, so the token is never readable by
    others, not even for a moment. The file's other profiles are kept.

    Raises:
        ApiValueError: no HOME (or XDG_CONFIG_HOME, APPDATA) to find the file with, or an
            existing file writable by others (delete it first).
    """
    path = credentials_path(environ)
    if path is None:
        raise ApiValueError("no HOME or XDG_CONFIG_HOME: nowhere to save the token")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt" and stat.S_IMODE(path.parent.stat().st_mode) & 0o077:
        os.chmod(path.parent, 0o700)
    profiles = _read(path)
    profiles[name] = {"host": host, "api_token": api_token}
    _write(path, profiles)
    return path


def delete_profile(environ: Mapping[str, str], name: str) -> bool:
    """Delete a profile (and the file, when it was the last one); whether there was one."""
    path = credentials_path(environ)
    if path is None:
        return False
    profiles = _read(path)
    if profiles.pop(name, None) is None:
        return False
    if profiles:
        _write(path, profiles)
    else:
        path.unlink()
    return True


def _read(path: Path) -> dict[str, dict[str, str]]:
    """The file's valid profiles; {} when it is missing or not one of ours."""
    try:
        with open(path, encoding="utf-8") as file:
            _check_private(path, os.fstat(file.fileno()))
            text = file.read()
    except OSError:
        return {}
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    profiles: dict[str, dict[str, str]] = {}
    for name, fields in cast("dict[str, Any]", data).items():
        if isinstance(fields, dict):
            entry = cast("dict[str, Any]", fields)
            host, token = entry.get("host"), entry.get("api_token")
            if isinstance(host, str) and isinstance(token, str) and token:
                profiles[name] = {"host": host, "api_token": token}
    return profiles


def _check_private(path: Path, status: os.stat_result) -> None:
    """Refuse a file others can write (or another user owns); warn when others can read it."""
    if os.name == "nt":
        return
    mode = stat.S_IMODE(status.st_mode)
    if status.st_uid != os.getuid() or mode & 0o022:
        raise ApiValueError(
            f"{path} is writable by others (or not yours): it is not used; delete it and run "
            "`cielo24 login --save` again"
        )
    if mode & 0o044:
        logger.warning("%s is readable by others: run `chmod 600 %s`", path, path)


def _write(path: Path, profiles: dict[str, dict[str, str]]) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".credentials-")  # 0600
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(profiles, file, indent=2)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
