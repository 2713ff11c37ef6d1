"""Waiting for a job (cielo24.waiter, JobApi.wait_for_job) against the emulator.

Most tests drive the Waiter with a virtual clock whose sleep moves the emulator's clock, so a
job of minutes is waited for in milliseconds, and the pauses can be checked exactly.
"""

from __future__ import annotations

import itertools
import pickle
from collections.abc import Iterator

import pytest

import cielo24
from cielo24.api.job_api import JobApi
from cielo24.emulator import Emulator
from cielo24.enums import JobStatus
from cielo24.models import JobInfoResponse, NewJobBody, PerformTranscriptionBody
from cielo24.waiter import MAX_POLL_INTERVAL, POLL_INTERVAL, Waiter, poll_intervals


class VirtualClock:
    """A clock for the Waiter: sleeping moves it, and the emulator's clock, forward."""

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        self.emulator.advance(seconds)


def start_emulator(**options: object) -> Emulator:
    return Emulator(**options).start()  # type: ignore[arg-type]


@pytest.fixture
def slow_emulator() -> Iterator[Emulator]:
    """Jobs take 100 s (on the emulator's clock) to complete; MECHANICAL comes at 50 s."""
    emulator = start_emulator(processing_seconds=100)
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture
def jobs(slow_emulator: Emulator) -> Iterator[JobApi]:
    with cielo24.ApiClient(slow_emulator.configuration()) as client:
        yield JobApi(client)


@pytest.fixture
def fast_jobs() -> Iterator[JobApi]:
    """A JobApi on an emulator that completes jobs at once."""
    emulator = start_emulator()
    try:
        with cielo24.ApiClient(emulator.configuration()) as client:
            yield JobApi(client)
    finally:
        emulator.stop()


def submit(jobs: JobApi, media: bytes = b"\x00" * 64, fidelity: str = "MECHANICAL") -> str:
    job_id = jobs.new_job(NewJobBody(job_name="waited")).job_id
    assert job_id is not None
    jobs.add_media_file(job_id, len(media), media)
    jobs.perform_transcription(
        PerformTranscriptionBody(job_id=job_id, transcription_fidelity=fidelity)
    )
    return job_id


def test_waits_until_complete_with_growing_pauses(slow_emulator: Emulator, jobs: JobApi) -> None:
    job_id = submit(jobs)
    clock = VirtualClock(slow_emulator)
    seen: list[str | None] = []

    info = Waiter(jobs, clock=clock, sleep=clock.sleep).wait(
        job_id, on_status_change=lambda info: seen.append(info.job_status)
    )

    assert isinstance(info, JobInfoResponse)
    assert info.job_id == job_id and info.job_status == JobStatus.COMPLETE
    assert seen == [JobStatus.IN_PROCESS, JobStatus.COMPLETE]
    assert (POLL_INTERVAL, MAX_POLL_INTERVAL) == (1.0, 60.0)
    assert clock.sleeps == [1, 2, 4, 8, 16, 32, 60]  # looks at 0, 1, 3, 7, 15, 31, 63, 123 s


def test_pauses_stop_growing_at_the_cap(slow_emulator: Emulator, jobs: JobApi) -> None:
    job_id = submit(jobs)
    clock = VirtualClock(slow_emulator)
    Waiter(jobs, clock=clock, sleep=clock.sleep).wait(job_id, poll_interval=4, max_poll_interval=20)
    assert clock.sleeps == [4, 8, 16, 20, 20, 20, 20]


def test_poll_intervals_double_up_to_the_maximum() -> None:
    assert list(itertools.islice(poll_intervals(), 9)) == [1, 2, 4, 8, 16, 32, 60, 60, 60]
    assert list(itertools.islice(poll_intervals(0.5, 3), 5)) == [0.5, 1, 2, 3, 3]
    assert list(itertools.islice(poll_intervals(5, 5), 3)) == [5, 5, 5]


def test_one_long_job_costs_about_a_call_a_minute() -> None:
    """The figure docs/workflows.md gives: 65 looks in the first hour, 60 in each after."""
    times = itertools.accumulate(poll_intervals(), initial=0.0)  # when the Waiter looks
    looks = list(itertools.takewhile(lambda t: t < 7200, times))
    first_hour = [t for t in looks if t < 3600]
    assert len(first_hour) == 65 and len(looks) - len(first_hour) == 60


@pytest.mark.parametrize("done_at", [0.5, 2.5, 14.9, 15.1, 40, 100, 250])
def test_a_job_is_seen_complete_within_one_pause_of_completing(done_at: float) -> None:
    emulator = start_emulator(processing_seconds=done_at)
    try:
        with cielo24.ApiClient(emulator.configuration()) as client:
            jobs = JobApi(client)
            job_id = submit(jobs)
            clock = VirtualClock(emulator)
            start = clock.now
            seen_at: list[float] = []

            def on_change(info: JobInfoResponse) -> None:
                if info.job_status == JobStatus.COMPLETE:
                    seen_at.append(clock.now - start)

            Waiter(jobs, clock=clock, sleep=clock.sleep).wait(job_id, on_status_change=on_change)
    finally:
        emulator.stop()
    [seen] = seen_at
    last_pause = clock.sleeps[-1]
    assert done_at <= seen <= done_at + last_pause
    assert last_pause <= done_at + 1  # a job is seen done by about twice its time


def test_the_status_callback_sees_every_change_once() -> None:
    emulator = start_emulator(processing_seconds=30, customer_authorization=True)
    try:
        with cielo24.ApiClient(emulator.configuration()) as client:
            jobs = JobApi(client)
            job_id = submit(jobs)
            clock = VirtualClock(emulator)
            seen: list[str | None] = []

            def authorize_later(seconds: float) -> None:
                clock.sleep(seconds)
                if len(clock.sleeps) == 2:
                    jobs.authorize_job(job_id)

            Waiter(jobs, clock=clock, sleep=authorize_later).wait(
                job_id, poll_interval=1, on_status_change=lambda i: seen.append(i.job_status)
            )
            assert seen == ["Authorizing", "In Process", "Complete"]
    finally:
        emulator.stop()


def test_media_failure_raises_media_failure_error(slow_emulator: Emulator, jobs: JobApi) -> None:
    job_id = submit(jobs)
    clock = VirtualClock(slow_emulator)

    def fail_on_third_pause(seconds: float) -> None:
        clock.sleep(seconds)
        if len(clock.sleeps) == 3:
            slow_emulator.fail_media(job_id)

    with pytest.raises(cielo24.MediaFailureError) as raised:
        Waiter(jobs, clock=clock, sleep=fail_on_third_pause).wait(job_id)
    error = raised.value
    assert error.job_id == job_id and error.status == JobStatus.MEDIA_FAILURE
    assert error.job_info.job_status == JobStatus.MEDIA_FAILURE
    assert job_id in str(error) and "Media Failure" in str(error)
    assert isinstance(error, cielo24.WaitError) and isinstance(error, cielo24.Cielo24Error)
    assert not isinstance(error, (cielo24.ApiConnectionError, cielo24.ApiException))
    assert len(clock.sleeps) == 3


def test_media_failure_at_the_first_look_ends_the_wait_at_once(fast_jobs: JobApi) -> None:
    job_id = submit(fast_jobs, media=b"MEDIA-FAILURE and more")
    sleeps: list[float] = []
    with pytest.raises(cielo24.MediaFailureError):
        Waiter(fast_jobs, sleep=sleeps.append).wait(job_id)
    assert sleeps == []


def test_timeout_holds_the_last_status_and_never_sleeps_past_it(
    slow_emulator: Emulator, jobs: JobApi
) -> None:
    job_id = submit(jobs)
    clock = VirtualClock(slow_emulator)
    with pytest.raises(cielo24.WaitTimeoutError) as raised:
        Waiter(jobs, clock=clock, sleep=clock.sleep).wait(job_id, timeout=30)
    error = raised.value
    assert error.status == JobStatus.IN_PROCESS and error.job_id == job_id
    assert error.timeout == 30
    assert "still 'In Process' after 30 s" in str(error)
    assert sum(clock.sleeps) == pytest.approx(30)  # the last look is at the deadline
    assert clock.sleeps == [1, 2, 4, 8, 15]
    assert not isinstance(error, (cielo24.ApiTimeoutError, cielo24.ApiConnectionError))


def test_timeout_zero_looks_once(jobs: JobApi) -> None:
    job_id = submit(jobs)
    sleeps: list[float] = []
    with pytest.raises(cielo24.WaitTimeoutError):
        Waiter(jobs, sleep=sleeps.append).wait(job_id, timeout=0)
    assert sleeps == []


def test_waits_for_an_interim_version(slow_emulator: Emulator, jobs: JobApi) -> None:
    job_id = submit(jobs)
    clock = VirtualClock(slow_emulator)
    info = Waiter(jobs, clock=clock, sleep=clock.sleep).wait(
        job_id, iwp_name="MECHANICAL", poll_interval=10, max_poll_interval=10
    )
    assert info.job_status == JobStatus.IN_PROCESS  # MECHANICAL comes half-way
    assert sum(clock.sleeps) == 50
    assert [v.iwp_name for v in jobs.list_element_lists(job_id)] == ["MECHANICAL"]


def test_a_version_the_job_will_never_have_ends_the_wait(fast_jobs: JobApi) -> None:
    job_id = submit(fast_jobs)  # MECHANICAL: no PROFESSIONAL version, ever
    with pytest.raises(cielo24.WaitError) as raised:
        fast_jobs.wait_for_job(job_id, iwp_name="PROFESSIONAL")
    assert type(raised.value) is cielo24.WaitError
    assert "Complete without a PROFESSIONAL version (it has: MECHANICAL, FINAL)" in str(
        raised.value
    )


def test_versions_are_not_asked_for_before_the_job_starts() -> None:
    emulator = start_emulator(customer_authorization=True)
    try:
        with cielo24.ApiClient(emulator.configuration()) as client:
            jobs = JobApi(client)
            job_id = submit(jobs)
            emulator.reset_requests()
            with pytest.raises(cielo24.WaitTimeoutError) as raised:
                Waiter(jobs, sleep=lambda s: None).wait(job_id, iwp_name="FINAL", timeout=0)
            assert raised.value.status == "Authorizing"
            assert [r.path for r in emulator.requests] == ["/api/job/info"]
    finally:
        emulator.stop()


def test_wait_for_job_in_real_time() -> None:
    emulator = start_emulator(processing_seconds=0.3)
    try:
        with cielo24.ApiClient(emulator.configuration()) as client:
            jobs = JobApi(client)
            job_id = submit(jobs)
            info = jobs.wait_for_job(job_id, timeout=10, poll_interval=0.05, max_poll_interval=0.1)
            assert info.job_status == JobStatus.COMPLETE
    finally:
        emulator.stop()


def test_a_failed_call_ends_the_wait(fast_jobs: JobApi) -> None:
    with pytest.raises(cielo24.ItemNotFoundError):
        fast_jobs.wait_for_job("0" * 32, timeout=5)


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"poll_interval": 0}, cielo24.ApiValueError, "poll_interval must be more than zero"),
        ({"max_poll_interval": -1}, cielo24.ApiValueError, "max_poll_interval"),
        ({"poll_interval": 10, "max_poll_interval": 5}, cielo24.ApiValueError, "not be less"),
        ({"timeout": -1}, cielo24.ApiValueError, "timeout must be zero or more"),
        ({"timeout": "60"}, cielo24.ApiTypeError, "timeout must be a number"),
        ({"poll_interval": True}, cielo24.ApiTypeError, "poll_interval"),
        ({"iwp_name": ""}, cielo24.ApiValueError, "iwp_name"),
        ({"on_status_change": "print"}, cielo24.ApiTypeError, "on_status_change"),
    ],
)
def test_bad_arguments_are_refused_before_any_call(
    slow_emulator: Emulator,
    jobs: JobApi,
    options: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    slow_emulator.reset_requests()
    with pytest.raises(error, match=message):
        jobs.wait_for_job("0" * 32, **options)  # type: ignore[arg-type]
    assert slow_emulator.requests == []


def test_wait_errors_survive_pickling() -> None:
    error = cielo24.WaitTimeoutError(
        "job x is still 'Pending'", job_id="x", status="Pending", timeout=5.0
    )
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is cielo24.WaitTimeoutError
    assert (copy.job_id, copy.status, copy.timeout, str(copy)) == (
        "x",
        "Pending",
        5.0,
        "job x is still 'Pending'",
    )
