"""Waiting for a job: poll job_info, less and less often, until the job is done.

The looks come at 0, 1, 3, 7, 15, 31 s, ... (pauses of 1, 2, 4, 8 ... s, doubling up to 60 s):
a short job is seen done soon after it is, and a long one costs one call a minute, about
65 calls in its first hour and 60 in each hour after. A status change, Complete included, is
seen within one pause of when it happened.

``JobApi.wait_for_job`` is the usual way in; :class:`Waiter` is what it runs, and takes a
clock and a sleep function so that a test (or an event loop's thread) can drive it.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Callable, Protocol, TypedDict

from cielo24.enums import JobStatus
from cielo24.exceptions import (
    ApiTypeError,
    ApiValueError,
    MediaFailureError,
    WaitError,
    WaitTimeoutError,
)

if TYPE_CHECKING:
    from cielo24.model.element_list_version import ElementListVersion
    from cielo24.model.job_info_response import JobInfoResponse

#: Seconds between the first two looks at the job.
POLL_INTERVAL = 1.0
#: The longest pause between two looks, in seconds.
MAX_POLL_INTERVAL = 60.0
#: Seconds to wait in all by default: the service's default turnaround (48 hours at STANDARD
#: priority) and a day of margin. Pass ``timeout=None`` to wait without a limit.
TIMEOUT = 72 * 3600.0

#: Called with the job info each time the job's status changes (and on the first look).
StatusCallback = Callable[["JobInfoResponse"], None]

#: Statuses in which a job cannot have an element list version yet.
_NOT_STARTED = frozenset({JobStatus.AUTHORIZING, JobStatus.PENDING})


def poll_intervals(first: float = 1.0, maximum: float = 60.0) -> Iterator[float]:
    """The pauses between looks: ``first``, then twice the one before, up to ``maximum``
    (1, 2, 4, 8, 16, 32, 60, 60 ... s by default); endless."""
    interval = first
    while True:
        yield min(interval, maximum)
        interval = min(interval * 2, maximum)


class WaitOptions(TypedDict, total=False):
    """The keyword arguments of ``JobApi.wait_for_job`` and :meth:`Waiter.wait`.

    Keys:
        timeout: seconds to wait in all (TIMEOUT, 72 hours, when not given); None waits
            without a limit.
        poll_interval: seconds before the second look (POLL_INTERVAL, 1, when not given).
        max_poll_interval: the longest pause between two looks (MAX_POLL_INTERVAL, 60).
        on_status_change: called with the JobInfoResponse at the first look and whenever the
            status changes.
        iwp_name: wait until the job has an element list version of this interim work
            product (cielo24.enums.IWP, e.g. ``"MECHANICAL"``) instead of until Complete.
    """

    timeout: float | None
    poll_interval: float
    max_poll_interval: float
    on_status_change: StatusCallback | None
    iwp_name: str | None


class JobReader(Protocol):
    """What a Waiter reads a job with: a JobApi."""

    def job_info(self, job_id: str) -> JobInfoResponse:
        """The job's status."""
        ...

    def list_element_lists(self, job_id: str) -> list[ElementListVersion]:
        """The job's element list versions."""
        ...


class Waiter:
    """Polls a job with ``job_info`` until it is done.

    The first look is at once; the pauses then double from ``poll_interval`` up to
    ``max_poll_interval`` (see poll_intervals), and never go past the deadline, where one last
    look is made.
    A failed call (an ApiException or ApiConnectionError) ends the wait with that error, after
    the client's own retries.

    Args:
        jobs: the JobApi (any JobReader) to call.
        clock: a monotonic clock in seconds (``time.monotonic``).
        sleep: how to pause (``time.sleep``).

    Thread-safe: it keeps nothing between waits, so one Waiter can wait for many jobs at once.
    """

    def __init__(
        self,
        jobs: JobReader,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.jobs = jobs
        self.clock = clock
        self.sleep = sleep

    def wait(
        self,
        job_id: str,
        *,
        timeout: float | None = TIMEOUT,
        poll_interval: float = POLL_INTERVAL,
        max_poll_interval: float = MAX_POLL_INTERVAL,
        on_status_change: StatusCallback | None = None,
        iwp_name: str | None = None,
    ) -> JobInfoResponse:
        """Wait until the job is Complete (or has the ``iwp_name`` version); see WaitOptions.

        Returns:
            The job info of the last look: Complete, or the status it had when the version
            waited for appeared.

        Raises:
            MediaFailureError: the job reported Media Failure.
            WaitTimeoutError: ``timeout`` seconds passed first; it holds the last status seen.
            WaitError: the job is Complete without the ``iwp_name`` version.
            ApiValueError, ApiTypeError: a bad argument; nothing was sent.
        """
        if timeout is not None:
            _seconds("timeout", timeout, zero_allowed=True)
        if _seconds("max_poll_interval", max_poll_interval) < _seconds(
            "poll_interval", poll_interval
        ):
            raise ApiValueError(
                f"max_poll_interval ({max_poll_interval!r}) must not be less than "
                f"poll_interval ({poll_interval!r})"
            )
        if iwp_name is not None and (not isinstance(iwp_name, str) or not iwp_name):  # pyright: ignore[reportUnnecessaryIsInstance]  # refuses a wrong type from an untyped caller
            raise ApiValueError(f"iwp_name must be a non-empty string, got {iwp_name!r}")
        if on_status_change is not None and not callable(on_status_change):
            raise ApiTypeError(f"on_status_change must be callable, got {on_status_change!r}")
        deadline = None if timeout is None else self.clock() + timeout
        pauses = poll_intervals(poll_interval, max_poll_interval)
        last_status: str | None = None
        first = True
        while True:
            info = self.jobs.job_info(job_id)
            if on_status_change is not None and (first or info.job_status != last_status):
                on_status_change(info)
            last_status, first = info.job_status, False
            if self._done(job_id, info, iwp_name):
                return info
            remaining = None if deadline is None else deadline - self.clock()
            if remaining is not None and remaining <= 0:
                waited_for = "Complete" if iwp_name is None else f"a {iwp_name} version"
                raise WaitTimeoutError(
                    f"job {job_id} is still {last_status!r} after {timeout:g} s "
                    f"(waiting for {waited_for})",
                    job_id=job_id,
                    status=last_status,
                    job_info=info,
                    timeout=timeout,
                )
            pause = next(pauses)
            self.sleep(pause if remaining is None else min(pause, remaining))

    def _done(self, job_id: str, info: JobInfoResponse, iwp_name: str | None) -> bool:
        """Whether the wait is over; raises when it can never be."""
        status = info.job_status
        if status == JobStatus.MEDIA_FAILURE:
            raise MediaFailureError(
                f"job {job_id} failed: Media Failure (the service could not use its media)",
                job_id=job_id,
                status=status,
                job_info=info,
            )
        if iwp_name is None:
            return status == JobStatus.COMPLETE
        if status in _NOT_STARTED:
            return False
        versions = self.jobs.list_element_lists(job_id)
        if any(version.iwp_name == iwp_name for version in versions):
            return True
        if status == JobStatus.COMPLETE:
            made = ", ".join(str(v.iwp_name) for v in versions) or "none"
            raise WaitError(
                f"job {job_id} is Complete without a {iwp_name} version (it has: {made})",
                job_id=job_id,
                status=status,
                job_info=info,
            )
        return False


def _seconds(name: str, value: object, *, zero_allowed: bool = False) -> float:
    """A number of seconds, refused unless it is more than zero (or zero, when allowed)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiTypeError(f"{name} must be a number of seconds, got {value!r}")
    if not (value >= 0 if zero_allowed else value > 0):
        least = "zero or more" if zero_allowed else "more than zero"
        raise ApiValueError(f"{name} must be {least} seconds, got {value!r}")
    return float(value)
