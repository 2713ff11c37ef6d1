"""Configuration: where requests go, the credentials, timeouts, TLS, proxy, pool size, logging."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from cielo24.exceptions import ApiTypeError, ApiValueError
from cielo24.retry import RetryPolicy

DEFAULT_RETRIES = RetryPolicy()

SERVERS = {
    "production": "https://api.cielo24.com/api",
    "sandbox": "https://sandbox.cielo24.com/api",
}
_CIELO24_HOSTS = frozenset(urlsplit(url).hostname for url in SERVERS.values())

logger = logging.getLogger("cielo24")


class _Secrets(dict[str, str]):
    """A dict of credentials whose repr never shows the values."""

    def __repr__(self) -> str:
        return repr({key: "***" for key in self})


class Configuration:
    """Settings read by :class:`cielo24.ApiClient`.

    With neither ``host`` nor ``server``, the host and (unless given) the credentials come
    from the credential chain (see cielo24.credentials): the ``CIELO24_*`` variables, then
    the file ``cielo24 login --save`` writes; production and no credentials when neither has
    them. With ``host`` or ``server``, nothing is read from the environment or a file.

    Args:
        host: base URL of the API, e.g. ``"https://api.cielo24.com/api"`` (the default) or an
            emulator's URL. Give either ``host`` or ``server``.
        api_key: credentials by security scheme; cielo24 has one, ``"ApiKeyAuth"``, the
            ``api_token`` sent in the query of every call.
        api_key_prefix: an optional prefix per scheme, joined to the key with a space.
        server: a named server, ``"production"`` or ``"sandbox"``.
        profile: a profile of the credentials file (``cielo24 login --save --profile NAME``)
            to take the host and token from, whatever the variables say; it must exist.
        username, password, api_securekey: credentials instead of a token: the client logs in
            (with the password, or the long-term secure key) on first use, and logs in again
            once when the service says the token expired (BAD_API_TOKEN after an hour idle).
        connect_timeout: seconds to wait for a connection (and for each block of an upload to
            be accepted); ``None`` waits forever.
        read_timeout: seconds to wait for each read of the response; ``None`` waits forever.
        upload_stall_timeout: for uploads, seconds without a byte moving after which the upload
            fails (instead of connect_timeout); there is no limit on an upload's total time.
        upload_answer_timeout: for uploads, seconds to wait for the service's answer after the
            last byte (instead of read_timeout): it may check a large file first.
        retries: when failed calls are tried again (see cielo24.retry); None for never.
        verify_ssl: verify the server's TLS certificate (on by default; leave it on).
        ssl_ca_cert: a CA bundle file to verify with instead of certifi's.
        cert_file, key_file: a client certificate and its key, if the server asks for one.
        proxy: a proxy URL, e.g. ``"http://proxy.example:3128"``.
        proxy_headers: headers to send to the proxy (e.g. Proxy-Authorization).
        connection_pool_maxsize: connections kept open per host; N threads sharing one client
            keep N connections when this is at least N.
        max_response_bytes: the largest answer read into memory (JSON or text; 64 MiB by
            default): a larger one raises UnexpectedResponseError naming this limit, after
            reading no more than it. Downloads into a file are streamed and not limited.
        debug: log each request (with secrets masked) on the ``cielo24`` logger; left as the
            logger is when not given.

    A client reads the host, TLS, proxy and pool settings when it is created and the
    credentials and timeouts on every call. Nothing here changes global state: ``debug`` only
    sets the level of the ``cielo24`` logger.
    """

    def __init__(
        self,
        host: str | None = None,
        api_key: dict[str, str] | None = None,
        api_key_prefix: dict[str, str] | None = None,
        *,
        server: str | None = None,
        profile: str | None = None,
        username: str | None = None,
        password: str | None = None,
        api_securekey: str | None = None,
        connect_timeout: float | None = 10.0,
        read_timeout: float | None = 60.0,
        upload_stall_timeout: float | None = 30.0,
        upload_answer_timeout: float | None = 300.0,
        retries: RetryPolicy | None = DEFAULT_RETRIES,
        verify_ssl: bool = True,
        ssl_ca_cert: str | None = None,
        cert_file: str | None = None,
        key_file: str | None = None,
        proxy: str | None = None,
        proxy_headers: dict[str, str] | None = None,
        connection_pool_maxsize: int = 16,
        max_response_bytes: int = 64 * 1024 * 1024,
        debug: bool | None = None,
    ) -> None:
        if host is not None and server is not None:
            raise ApiValueError("give either host or server, not both")
        if server is not None and server not in SERVERS:
            raise ApiValueError(f"server must be one of {sorted(SERVERS)}, got {server!r}")
        api_key = dict(api_key or {})
        if profile is not None or (host is None and server is None):
            from cielo24.credentials import resolve

            given = (username, password, api_securekey)
            found = resolve(
                os.environ,
                host=host,
                server=server,
                profile=profile,
                credentials=not api_key and all(value is None for value in given),
            )
            host, server = found.host, None
            if found.has_credentials:
                username, password = found.username, found.password
                api_securekey = found.api_securekey
                if found.api_token:
                    api_key["ApiKeyAuth"] = found.api_token
        self.host = host if host is not None else SERVERS[server or "production"]
        self.api_key = _Secrets(api_key)
        self.api_key_prefix: dict[str, str] = dict(api_key_prefix or {})
        if (password is not None or api_securekey is not None) and not username:
            raise ApiValueError("a password or api_securekey needs a username")
        if username and password is None and api_securekey is None:
            raise ApiValueError(f"username {username!r} needs a password or an api_securekey")
        if password is not None and api_securekey is not None:
            raise ApiValueError("give a password or an api_securekey, not both")
        self.username = username
        self.password = password
        self.api_securekey = api_securekey
        self.connect_timeout = _timeout("connect_timeout", connect_timeout)
        self.read_timeout = _timeout("read_timeout", read_timeout)
        self.upload_stall_timeout = _timeout("upload_stall_timeout", upload_stall_timeout)
        self.upload_answer_timeout = _timeout("upload_answer_timeout", upload_answer_timeout)
        if retries is not None and not isinstance(retries, RetryPolicy):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            raise ApiTypeError(f"retries must be a RetryPolicy or None, got {retries!r}")
        self.retries = retries
        #: Whether pickling keeps the token and credentials (off: a pickle holds no secret).
        self.pickle_secrets = False
        self.verify_ssl = verify_ssl
        self.ssl_ca_cert = ssl_ca_cert
        self.cert_file = cert_file
        self.key_file = key_file
        self.proxy = proxy
        self.proxy_headers = proxy_headers
        if not isinstance(connection_pool_maxsize, int) or connection_pool_maxsize < 1:  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            raise ApiValueError(
                f"connection_pool_maxsize must be a positive int, got {connection_pool_maxsize!r}"
            )
        self.connection_pool_maxsize = connection_pool_maxsize
        if (
            isinstance(max_response_bytes, bool)
            or not isinstance(max_response_bytes, int)  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            or max_response_bytes < 1
        ):
            raise ApiValueError(
                f"max_response_bytes must be a positive int, got {max_response_bytes!r}"
            )
        self.max_response_bytes = max_response_bytes
        if debug is not None:
            self.debug = debug

    @property
    def host(self) -> str:
        """The base URL requests go to, without a trailing slash."""
        return self._host

    @host.setter
    def host(self, value: str) -> None:
        if not isinstance(value, str):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            raise ApiTypeError(f"host must be a str, got {type(value).__name__}")
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ApiValueError(f"host must be an http:// or https:// URL, got {value!r}")
        # hostname is lower case already; "api.cielo24.com." is the same host
        if parts.scheme == "http" and parts.hostname.rstrip(".") in _CIELO24_HOSTS:
            raise ApiValueError(f"cielo24 is only reached over https, not {value!r}")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ApiValueError("host must not hold credentials, a query or a fragment")
        self._host = value.rstrip("/")

    @property
    def debug(self) -> bool:
        """Whether the ``cielo24`` logger logs each request at DEBUG level."""
        return logger.isEnabledFor(logging.DEBUG)

    @debug.setter
    def debug(self, value: bool) -> None:
        if value:
            logger.setLevel(logging.DEBUG)
            if not logger.handlers:
                logger.addHandler(logging.StreamHandler())
        elif logger.level == logging.DEBUG:
            logger.setLevel(logging.NOTSET)

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        profile: str | None = None,
        **settings: Any,
    ) -> Configuration:
        """A Configuration from the credential chain: the ``CIELO24_*`` variables, then the
        file ``cielo24 login --save`` writes (see cielo24.credentials).

        - ``CIELO24_API_TOKEN``: an API token.
        - ``CIELO24_USERNAME`` with ``CIELO24_PASSWORD`` or ``CIELO24_API_SECUREKEY``: the
          client logs in by itself (and again when the token expires).
        - ``CIELO24_SERVER`` (``production`` or ``sandbox``) or ``CIELO24_HOST`` (a URL):
          where requests go; production when neither is set.
        - ``CIELO24_PROFILE``: the profile of the credentials file used when no variable
          holds credentials (``default`` when unset).

        An empty variable counts as unset. With no credentials anywhere, the Configuration has
        none (calls then raise ApiKeyError); ``has_credentials`` and ``api_key`` tell.

        Args:
            environ: the variables to read; ``os.environ`` when None.
            profile: a profile of the credentials file to use whatever the variables say.
            settings: any other constructor argument (timeouts, TLS, proxy, ...).

        Raises:
            ApiValueError: the variables contradict each other or one is invalid, a profile
                is missing, or the credentials file is writable by others; the message names
                the variables or the file, never a secret's value.
            ApiTypeError: ``settings`` holds an argument the chain sets (host, server,
                username, password, api_securekey).
        """
        from cielo24.credentials import resolve

        taken = sorted(settings.keys() & _ENV_SETTINGS)
        if taken:
            raise ApiTypeError(f"from_env() reads {', '.join(taken)} from the environment")
        found = resolve(os.environ if environ is None else environ, profile=profile)
        return found.configuration(**settings)

    def get_api_key_with_prefix(self, identifier: str) -> str | None:
        """The key for a security scheme with its prefix, or None when there is no key."""
        key = self.api_key.get(identifier)
        if key is None:
            return None
        prefix = self.api_key_prefix.get(identifier)
        return f"{prefix} {key}" if prefix else key

    @property
    def has_credentials(self) -> bool:
        """Whether the client can log in by itself (a username with a password or key)."""
        return bool(self.username) and (self.password is not None or self.api_securekey is not None)

    def __getstate__(self) -> dict[str, object]:
        """What a pickle holds: everything, without the token and credentials unless
        ``pickle_secrets`` is set (to send a ready Configuration to worker processes)."""
        state = dict(self.__dict__)
        if not self.pickle_secrets:
            state.update(api_key=_Secrets(), password=None, api_securekey=None)
        return state

    def __repr__(self) -> str:
        login = ""
        if self.has_credentials:
            secret = "password" if self.password is not None else "api_securekey"
            login = f", username={self.username!r}, {secret}='***'"
        return f"Configuration(host={self.host!r}, api_key={self.api_key!r}{login})"


def _timeout(name: str, value: float | None) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
        raise ApiValueError(f"{name} must be a positive number of seconds or None, got {value!r}")
    return float(value)


#: The constructor arguments that from_env reads from the chain.
_ENV_SETTINGS = frozenset({"host", "server", "username", "password", "api_securekey"})
