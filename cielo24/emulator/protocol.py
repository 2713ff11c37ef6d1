"""What the HTTP layer hands an endpoint handler, and what the handler hands back."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol

from .errors import UNHANDLED_ERROR, ApiError
from .params import Params
from .state import State

BLOCK_SIZE = 1 << 20
"""Bodies are read in blocks of this many bytes (1 MiB)."""


class Readable(Protocol):
    """A binary stream, such as a connection's buffered reader."""

    def read(self, size: int, /) -> bytes:
        """Up to ``size`` bytes; fewer only at the end of the stream."""
        ...


class ClientDisconnected(Exception):
    """The client went away before sending the whole body; nothing is recorded or answered."""


class Body:
    """A request body of ``length`` bytes (None: no Content-Length), read at most once.

    ``before_read`` runs once, just before the first byte is read (to send "100 Continue").
    """

    def __init__(
        self,
        stream: Readable,
        length: int | None = None,
        before_read: Callable[[], None] | None = None,
    ) -> None:
        self.length = length
        self.consumed = 0
        self._stream = stream
        self._before_read = before_read

    @property
    def remaining(self) -> int:
        """Bytes announced but not read yet."""
        return (self.length or 0) - self.consumed

    def blocks(self, size: int = BLOCK_SIZE) -> Iterator[bytes]:
        """Yield the unread bytes in blocks of at most ``size``.

        Raises:
            ClientDisconnected: the connection ended before ``length`` bytes arrived.
        """
        if self.remaining and self._before_read is not None:
            self._before_read()
            self._before_read = None
        while self.remaining:
            try:
                block = self._stream.read(min(size, self.remaining))
            except OSError as exc:
                raise ClientDisconnected from exc
            if not block:
                raise ClientDisconnected
            self.consumed += len(block)
            yield block

    def read(self) -> bytes:
        """All the unread bytes at once; only for small bodies."""
        return b"".join(self.blocks())


def media_type(content_type: str | None) -> str | None:
    """The lower-case media type of a Content-Type header, without its parameters."""
    if content_type is None:
        return None
    return content_type.split(";", 1)[0].strip().lower()


@dataclass
class Request:
    """One API call as a handler sees it: parameters decoded, body not yet read.

    ``username`` is the account the ``api_token`` belongs to (None on routes without a token);
    ``strict`` is the emulator's strict mode (a handler checks the names inside a parameter).
    """

    method: str
    path: str
    headers: Mapping[str, str]
    params: Params
    body: Body
    username: str | None = None
    strict: bool = False

    @property
    def caller(self) -> str:
        """The calling account's username; only on routes that need a token."""
        if self.username is None:
            raise RuntimeError(f"{self.path} is not a route with an api_token")
        return self.username

    @property
    def content_type(self) -> str | None:
        """The Content-Type header as sent, or None."""
        return self.headers.get("content-type")

    @property
    def media_type(self) -> str | None:
        """The Content-Type's media type in lower case, or None."""
        return media_type(self.content_type)


@dataclass(frozen=True)
class Response:
    """An answer: status, body, its Content-Type, and whether to close the connection after.

    ``file`` names a file sent as the body instead of ``body``, streamed in blocks; ``headers``
    are extra headers (``Content-Disposition``, ``Allow``...).
    """

    status: int
    body: bytes = b""
    content_type: str | None = None
    close: bool = False
    headers: tuple[tuple[str, str], ...] = ()
    file: Path | None = None

    @classmethod
    def json(cls, document: Any, status: int = 200) -> Response:
        """A JSON answer."""
        return cls(status, json.dumps(document).encode("utf-8"), "application/json")

    @classmethod
    def no_content(cls) -> Response:
        """A 204 answer without a body."""
        return cls(204)

    @classmethod
    def empty(cls, status: int = 200) -> Response:
        """An answer with an empty body (Content-Length: 0), such as burn_in_caption's 200."""
        return cls(status)

    @classmethod
    def text(cls, status: int, text: str) -> Response:
        """A plain-text answer (not the service's JSON error shape)."""
        return cls(status, text.encode("utf-8"), "text/plain")

    @classmethod
    def error(cls, error: ApiError) -> Response:
        """The service's error answer for ``error``."""
        document = {"ErrorType": error.error_type, "ErrorComment": error.comment}
        body = json.dumps(document).encode("utf-8")
        return cls(error.status, body, "application/json", error.close, error.headers)

    @classmethod
    def crash(cls, exc: BaseException) -> Response:
        """A 500 UNHANDLED_ERROR answer for a bug in a handler."""
        comment = f"the emulator failed: {type(exc).__name__}"
        return cls.error(ApiError(UNHANDLED_ERROR, comment, status=500))


Handler = Callable[[Request, State], Response]


API_METHODS = ("GET", "POST")
"""The service accepts either method on every action unless its docs say otherwise."""


@dataclass(frozen=True)
class Route:
    """An endpoint: its handler and what the HTTP layer checks before calling it.

    Args:
        handler: the function that answers.
        needs_token: the call needs a known ``api_token`` (every API call but login).
        needs_version: ``v`` is required; when False it is optional but still checked (the
            docs of a few newer endpoints leave it out).
        methods: the HTTP methods accepted; another one is answered 405.
        api: an API call whose parameters come from the query and a form or JSON body; when
            False (the emulator's own media, caption and upload URLs) only the query is read
            and neither ``v`` nor ``api_token`` is checked.
        prefix: the route's path is a prefix ending in ``/``; the handler reads the rest.
        names: the parameter names the API documents for the endpoint (see documented());
            in strict mode any other name is refused, and the closest of these suggested.
        tolerated: other names the service reads from older clients; accepted in strict
            mode, never suggested.
        raw_body: the body may be a raw upload, so a body without a Content-Type is payload
            (elsewhere it is read as a form, as older clients send forms).
    """

    handler: Handler
    needs_token: bool = True
    needs_version: bool = True
    methods: tuple[str, ...] = API_METHODS
    api: bool = True
    prefix: bool = False
    names: frozenset[str] = frozenset(("v", "api_token"))
    tolerated: frozenset[str] = frozenset()
    raw_body: bool = False


def documented(*names: str) -> frozenset[str]:
    """A route's documented parameter names, with ``v`` and ``api_token``."""
    return frozenset(("v", "api_token", *names))
