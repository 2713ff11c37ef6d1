"""Secrets kept out of sight: masked where text is shown, never in the data the SDK parses.

- ``Secret`` and ``SecretBytes`` hold a credential (or a URL or body that carries one) on the
  SDK's own call path: they are the str and bytes they wrap, but their ``repr`` is ``'***'``,
  so an error tracker that captures frame locals (Sentry, ``traceback.TracebackException(...,
  capture_locals=True)``) does not see them.
- ``mask_error`` masks an exception once, when it leaves a call: its message, every text
  attribute (``body``, ``error_comment``, ...) and its ``headers``, in every form a secret takes
  on the wire (raw, percent-encoded with ``quote`` or ``quote_plus``, form-encoded,
  JSON-escaped), and the values of secret query parameters (``redact``). It cuts any exception
  that is not the SDK's own (urllib3's, whose text holds the URL) out of the chain, and clears
  the local variables of the frames the exception came through below the call (they held the
  URL, the headers and the body as sent and received).
"""

from __future__ import annotations

import json
import re
import traceback
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import quote, quote_plus

if TYPE_CHECKING:
    from cielo24.exceptions import Cielo24Error

MASK = "***"

# Credentials, and the signatures of pre-signed upload URLs (S3, GCS, Azure).
_SECRET_PARAMS = re.compile(
    r"((?:api_token|api_securekey|securekey|password|new_password|x-amz-signature"
    r"|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|signature|sig)"
    r"=)[^&\s#'\"]*",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"%[0-9A-F]{2}")


class Secret(str):
    """A str holding a secret: used as the str it is, shown as ``'***'`` by ``repr``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK)


class SecretBytes(bytes):
    """Bytes holding a secret (a form body with a password), shown as ``b'***'`` by ``repr``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return repr(MASK.encode())


def secret(value: str | None) -> Secret | None:
    """``value`` as a Secret (None stays None)."""
    return None if value is None else Secret(value)


def redact(text: str) -> str:
    """``text`` with the values of secret query parameters replaced by ``***``."""
    return _SECRET_PARAMS.sub(r"\1***", text)


def wire_forms(secrets: Iterable[str | None]) -> list[str]:
    """Every form the secrets can take in an answer, longest first: raw, percent-encoded
    (``quote`` and ``quote_plus``, either case of hex digits), form-encoded, JSON-escaped, and
    UTF-8 read as latin-1 (as in a response header)."""
    forms: set[str] = set()
    for value in secrets:
        if not value:
            continue
        text = str(value)
        encoded = {
            quote(text, safe=""),
            quote(text),
            quote_plus(text),
            quote_plus(text, safe="/"),
        }
        encoded |= {_PERCENT.sub(lambda m: m.group().lower(), form) for form in encoded}
        escaped = {json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1]}
        escaped |= {form.replace("/", "\\/") for form in escaped}
        # HTTP headers are read as latin-1: a UTF-8 secret echoed in one shows that way
        latin1 = text.encode("utf-8").decode("latin-1")
        forms |= {text, latin1} | encoded | escaped
    return sorted(forms, key=len, reverse=True)


def mask(text: str, forms: Iterable[str]) -> str:
    """``text`` with every form of the secrets (see ``wire_forms``) and every secret query
    parameter replaced by ``***``."""
    for form in forms:
        text = text.replace(form, MASK)
    return redact(text)


def mask_headers(headers: Mapping[str, str], forms: Iterable[str]) -> Mapping[str, str]:
    """A copy of response headers with every value masked (names are kept)."""
    from urllib3._collections import HTTPHeaderDict  # case-insensitive, in urllib3 1.26 and 2

    forms = list(forms)
    masked = HTTPHeaderDict()
    for name in headers:
        masked[name] = mask(str(headers[name]), forms)
    return masked


def mask_error(error: Cielo24Error, secrets: Iterable[str | None]) -> None:
    """Mask ``error`` in place, and the SDK exceptions it chains to; cut the others out; clear
    the locals of the finished frames of their tracebacks (the running ones keep theirs)."""
    from cielo24.exceptions import Cielo24Error

    forms = wire_forms(secrets)
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current.args = tuple(mask(a, forms) if isinstance(a, str) else a for a in current.args)
        for name, value in list(vars(current).items()):
            if isinstance(value, str):
                setattr(current, name, mask(value, forms))
            elif name == "headers" and isinstance(value, Mapping):
                setattr(current, name, mask_headers(value, forms))  # pyright: ignore[reportUnknownArgumentType]
        for link in ("__cause__", "__context__"):
            chained = getattr(current, link)
            if isinstance(chained, Cielo24Error):
                pending.append(chained)
            elif chained is not None:
                setattr(current, link, None)
