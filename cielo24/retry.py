"""When a failed call is tried again: a policy value, and the decision for one failure.

The decision is made per operation, not per HTTP verb (cielo24's add_media_url is a GET that
creates state):

- Any operation is tried again when the request provably did not reach the service: the
  connection was refused or could not be made, or an upload was cut off before its last byte
  (it is rewound to its start first).
- Repeatable operations (reads, and authorize_job, which does nothing the second time: each
  API method's ``@endpoint(..., retry=True)`` says so) are also tried again after a
  connection that broke or a response that was cut off or did not come in time, and after
  429, 502, 503 and 504.
- Nothing else is repeated: once a state-changing request may have reached the service, a
  second one could create a second job.
"""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime
from typing import NamedTuple

from cielo24.exceptions import ApiConnectionError, ApiException, Cielo24Error


class RetryPolicy(NamedTuple):
    """How a failed call is tried again (immutable; give it to ``Configuration(retries=...)``).

    Attributes:
        max_attempts: attempts in all, the first one included; 1 turns retries off.
        backoff: the first wait in seconds; it doubles with every attempt ("full jitter": the
            wait is a random time between 0 and that).
        max_backoff: the longest wait between two attempts.
        max_retry_after: the longest ``Retry-After`` honoured; when the service asks for a
            longer wait, the call gives up at once instead.
        deadline: seconds from the first attempt after which no new attempt starts.
        statuses: HTTP statuses after which a repeatable operation is tried again.
    """

    max_attempts: int = 3
    backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    deadline: float = 120.0
    statuses: frozenset[int] = frozenset({429, 502, 503, 504})


#: No retries at all.
NO_RETRIES = RetryPolicy(max_attempts=1)


def retry_delay(
    policy: RetryPolicy,
    repeatable: bool,
    error: Cielo24Error,
    attempt: int,
    started: float,
    upload_incomplete: bool,
) -> float | None:
    """Seconds to wait before attempt ``attempt + 1``, or None to give up.

    Args:
        repeatable: the operation may be sent again after the service may have seen it.
        error: what the attempt raised.
        attempt: how many attempts were made.
        started: ``time.monotonic()`` at the first attempt.
        upload_incomplete: the request's upload stopped before its last byte.
    """
    if attempt >= policy.max_attempts or not _may_repeat(
        policy, repeatable, error, upload_incomplete
    ):
        return None
    delay = random.uniform(0, min(policy.max_backoff, policy.backoff * 2 ** (attempt - 1)))
    if isinstance(error, ApiException):
        asked = _retry_after(error)
        if asked is not None:
            if asked > policy.max_retry_after:
                return None
            delay = asked
    if time.monotonic() - started + delay > policy.deadline:
        return None
    return delay


def _may_repeat(
    policy: RetryPolicy, repeatable: bool, error: Cielo24Error, upload_incomplete: bool
) -> bool:
    if isinstance(error, ApiConnectionError):
        if not error.request_sent or upload_incomplete:
            return True
        return repeatable and not error.output_started
    if isinstance(error, ApiException):
        return error.status in policy.statuses and repeatable
    return False


def _retry_after(error: ApiException) -> float | None:
    """The ``Retry-After`` of an error answer in seconds (a number or an HTTP date)."""
    value = (error.headers or {}).get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None
