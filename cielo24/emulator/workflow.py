"""The actions that move a job along: request transcription, authorize, start, fail, delete.

Each function is called with ``state.lock`` held. Once a job has started, lifecycle.py tells
where it is from the clock; callbacks are scheduled as it starts.
"""

from __future__ import annotations

from datetime import datetime

from . import callbacks
from .state import (
    AUTHORIZATION_FOR_MECHANICAL,
    AUTHORIZING,
    IN_PROCESS,
    PENDING,
    Job,
    State,
)


def request_transcription(state: State, job: Job) -> None:
    """Transcription was requested: start, unless the job waits for authorization.

    An account that requires authorization but not for MECHANICAL jobs
    (``customer_authorization_required_mechanical=false``) lets a MECHANICAL job start.
    """
    job.requested_at = state.now()
    if job.status == AUTHORIZING:
        owner = job.username or ""
        exempt = job.fidelity == "MECHANICAL" and not state.setting(
            owner, AUTHORIZATION_FOR_MECHANICAL
        )
        if not exempt:
            return
        job.authorized_at = job.requested_at
    start(state, job, job.requested_at)


def authorize(state: State, job: Job) -> None:
    """Release a job held in Authorizing: it starts if transcription was requested, else it
    becomes Pending. A job in any other status is left alone."""
    if job.status != AUTHORIZING or job.started_at is not None:
        return
    job.authorized_at = state.now()
    if job.requested_at is not None:
        start(state, job)
    else:
        job.status = PENDING


def start(state: State, job: Job, now: datetime | None = None) -> None:
    """Processing starts now (or at ``now``); it lasts the emulator's processing_seconds."""
    job.status = IN_PROCESS
    job.started_at = now or state.now()
    job.processing_seconds = state.processing_seconds
    callbacks.schedule(state, job)


def fail_media(state: State, job: Job) -> None:
    """The job's media fails now: it reports Media Failure and produces nothing more."""
    if job.failed_at is None:
        job.failed_at = state.now()


def delete(state: State, job: Job) -> None:
    """Delete the job: it is no longer found or listed; its stored media is removed."""
    job.deleted_at = state.now()
    path, job.media_path = job.media_path, None
    state.media.discard(path)
