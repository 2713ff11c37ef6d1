"""A job's progress, computed from its timestamps and the clock: status, dates, ElementLists.

Nothing here changes a job. Processing starts when a transcription is requested (and
authorized); it lasts the job's ``processing_seconds``. The MECHANICAL ElementList version is
produced half-way, the fidelity's own IWP (PREMIUM or PROFESSIONAL) and FINAL at the end, when
the job becomes Complete, or Media Failure (with no ElementList) if its media is bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from .state import AUTHORIZING, COMPLETE, IN_PROCESS, MEDIA_FAILURE, Job

MECHANICAL = "MECHANICAL"
FINAL = "FINAL"
IWPS = (
    "PREMIUM",
    "INTERIM_PROFESSIONAL",
    "PROFESSIONAL",
    "SPEAKER_ID",
    FINAL,
    MECHANICAL,
    "CUSTOMER_APPROVED_RETURN",
    "CUSTOMER_APPROVED_TRANSLATION",
)
"""Every interim work product name."""

REPORTED_FIDELITY = {"MECHANICAL": "MECHANICAL", "PREMIUM": "STANDARD", "PROFESSIONAL": "HIGH"}
"""Job info reports fidelities in its own vocabulary."""

DEFAULT_TURNAROUND_HOURS = {"STANDARD": 48, "PRIORITY": 24, "ECONOMY": 72}
TRANSLATION = "translation"
UPLEVEL = "uplevel"


@dataclass(frozen=True)
class Version:
    """One ElementList version of a job: its IWP, its version string, when it is produced."""

    iwp_name: str
    version: str
    produced_at: datetime


def format_moment(moment: datetime | None) -> str:
    """A time as the service writes it: ISO 8601 in UTC without an offset, with microseconds;
    an unset time is ``""``."""
    if moment is None:
        return ""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")


def steps(job: Job) -> list[tuple[str, float]]:
    """The IWPs the job produces, each with the fraction of processing after which it is."""
    if job.relation == TRANSLATION:
        return [(FINAL, 1.0)]
    produced = [(MECHANICAL, 0.5)]
    if job.fidelity in ("PREMIUM", "PROFESSIONAL"):
        produced.append((job.fidelity, 1.0))
    produced.append((FINAL, 1.0))
    return produced


def planned_versions(job: Job) -> list[Version]:
    """Every version the job will produce, in order; none before processing starts or for
    media that fails. Version strings are distinct even when produced at the same instant."""
    if job.started_at is None or job.media_failure:
        return []
    versions: list[Version] = []
    for index, (iwp_name, fraction) in enumerate(steps(job)):
        produced_at = job.started_at + timedelta(seconds=job.processing_seconds * fraction)
        version = format_moment(produced_at + timedelta(microseconds=index))
        versions.append(Version(iwp_name, version, produced_at))
    return versions


def versions(job: Job, now: datetime) -> list[Version]:
    """The versions produced by ``now``, oldest first (fail_media stops production)."""
    return [
        version
        for version in planned_versions(job)
        if version.produced_at <= now
        and (job.failed_at is None or version.produced_at < job.failed_at)
    ]


def finished_at(job: Job) -> datetime | None:
    """When processing ends (or ended), or None when it has not started."""
    if job.started_at is None:
        return None
    return job.started_at + timedelta(seconds=job.processing_seconds)


def status(job: Job, now: datetime) -> str:
    """The status the service reports at ``now``."""
    if job.failed_at is not None and job.failed_at <= now:
        return MEDIA_FAILURE
    finish = finished_at(job)
    if finish is None:
        return job.status
    if now < finish:
        return IN_PROCESS
    return MEDIA_FAILURE if job.media_failure else COMPLETE


def completed_at(job: Job, now: datetime) -> datetime | None:
    """When the job became Complete, or None."""
    return finished_at(job) if status(job, now) == COMPLETE else None


def due_date(job: Job) -> datetime | None:
    """When the job is due: the transcription request plus its turnaround."""
    if job.requested_at is None:
        return None
    hours = job.turnaround_hours
    if hours is None:
        hours = DEFAULT_TURNAROUND_HOURS.get(job.priority or "STANDARD", 48)
    return job.requested_at + timedelta(hours=hours)


def turnaround_hours(job: Job) -> int | None:
    """The turnaround asked for, or the priority's default once transcription is requested."""
    if job.turnaround_hours is not None or job.requested_at is None:
        return job.turnaround_hours
    return DEFAULT_TURNAROUND_HOURS.get(job.priority or "STANDARD", 48)


def difficulty(job: Job, now: datetime) -> str:
    """JobDifficulty: Unknown until the job ends, then Good (Bad for failed media)."""
    current = status(job, now)
    if current == COMPLETE:
        return "Good"
    if current == MEDIA_FAILURE:
        return "Bad"
    return "Unknown"


def is_held(job: Job) -> bool:
    """Whether the job waits for job/authorize."""
    return job.started_at is None and job.status == AUTHORIZING
