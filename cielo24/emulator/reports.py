"""Reading jobs: job info, the job list and its filters, related jobs, billing statistics."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime, time, timedelta, timezone
from typing import Any, Callable

from . import lifecycle
from .errors import INVALID_OPTION, INVALID_QUERY, ApiError
from .lifecycle import REPORTED_FIDELITY, TRANSLATION, format_moment
from .params import Params
from .products import media_length_ms
from .protocol import Request, Response, Route, documented
from .state import JOB_STATUSES, Job, State

OPTION_LABELS = {
    "customer_approval_steps": "Customer Approval Steps",
    "customer_approval_tool": "Customer Approval Tool",
    "custom_metadata": "Custom Metadata",
    "notes": "Notes",
    "return_iwp": "Return IWP",
    "generate_media_intelligence_iwp": "Generate Media Intelligence IWP",
    "speaker_id": "Speaker ID",
    "enable_true_verbatim": "Enable True Verbatim",
    "first_pass_campaign": "First Pass Campaign",
    "audio_description": "Audio Description",
    "on_screen_text": "On Screen Text",
    "music_lyrics": "Music Lyrics",
    "custom_special_handling": "Custom Special Handling",
}
METRICS = (
    "billable_minutes_total",
    "billable_minutes_mechanical",
    "billable_minutes_premium",
    "billable_minutes_professional",
    "billable_minutes_foreign_transcription",
    "billable_minutes_translation",
    "billable_minutes_english_transcription",
)
MAX_BUCKETS = 1200
"""The most periods aggregate_statistics answers with (a century of months)."""
FIDELITY_FILTERS = ("MECHANICAL", "PREMIUM", "PROFESSIONAL", "STANDARD", "HIGH")
DIFFICULTIES = ("Good", "Bad", "Unknown")


# --- one job -------------------------------------------------------------------------------


def job_document(state: State, job: Job, now: datetime) -> dict[str, Any]:
    """The job as job/info shows it, at ``now``."""
    completed = lifecycle.completed_at(job, now)
    targets = [{"callback_url": job.callback_url}] if job.callback_url else []
    return {
        "JobId": job.job_id,
        "JobName": job.job_name,
        "MediaLengthSeconds": media_length_ms(job) / 1000,
        "ExternalID": job.external_id,
        "Priority": job.priority,
        "Fidelity": REPORTED_FIDELITY.get(job.fidelity or "", job.fidelity),
        "JobStatus": lifecycle.status(job, now),
        "SourceLanguage": job.language,
        "TargetLanguage": job.target_language or job.language,
        "CreationDate": format_moment(job.created),
        "StartDate": format_moment(job.started_at),
        "DueDate": format_moment(lifecycle.due_date(job)),
        "CompletedDate": format_moment(completed),
        "ReturnDate": format_moment(completed),
        "AuthorizationDate": format_moment(job.authorized_at),
        "JobDifficulty": lifecycle.difficulty(job, now),
        "TurnaroundTimeHours": lifecycle.turnaround_hours(job),
        "ReturnTargets": {"url": targets} if targets else {},
        "Options": _options(job),
    }


def _options(job: Job) -> dict[str, dict[str, Any]]:
    """The job's options as ``{name: {"label": ..., "setting": ...}}``."""
    options = dict(job.options or {})
    if job.notes is not None:
        options.setdefault("notes", job.notes)
    return {
        name: {"label": OPTION_LABELS.get(name, name.replace("_", " ").title()), "setting": value}
        for name, value in options.items()
    }


def job_info(request: Request, state: State) -> Response:
    """Everything about one job."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        return Response.json(job_document(state, job, state.now()))


# --- the job list --------------------------------------------------------------------------


def job_list(request: Request, state: State) -> Response:
    """The caller's jobs (or a sub-account's, or all with ``Username=*``), newest first,
    filtered by every documented filter that is present."""
    params = request.params
    tests = _filters(params)
    username = params.optional("Username")
    if username is None:
        username = params.optional("username")  # JAVA-LEGACY's spelling
    with state.lock:
        if username == "*":
            owners = set(state.family(request.caller))
        else:
            owners = {state.managed_account(request.caller, username, "Username").username}
        now = state.now()
        jobs = sorted(
            (
                job
                for job in state.jobs.values()
                if job.deleted_at is None
                and job.username in owners
                and all(test(job, now) for test in tests)
            ),
            key=lambda job: (job.created, job.sequence),
            reverse=True,
        )
        listed = [{**job_document(state, job, now), "Username": job.username} for job in jobs]
    return Response.json({"Username": request.caller, "ActiveJobs": listed})


Test = Callable[[Job, datetime], bool]
_DATE_FILTERS: dict[str, Callable[[Job, datetime], datetime | None]] = {
    "CreationDate": lambda job, now: job.created,
    "StartDate": lambda job, now: job.started_at,
    "DueDate": lambda job, now: lifecycle.due_date(job),
    "CompleteDate": lifecycle.completed_at,
    "ReturnDate": lifecycle.completed_at,
    "AuthorizationDate": lambda job, now: job.authorized_at,
}


def _filters(params: Params) -> list[Test]:
    """A test per filter present; a filter's bad value is refused naming it."""
    tests: list[Test] = []
    for name, moment_of in _DATE_FILTERS.items():
        start = params.moment(f"{name}From")
        end = params.moment(f"{name}To", end_of_day=True)
        if start is not None or end is not None:
            tests.append(_in_range(moment_of, start, end))
    status = params.optional_choice("JobStatus", JOB_STATUSES)
    if status is not None:
        tests.append(lambda job, now: lifecycle.status(job, now) == status)
    fidelity = params.optional_choice("Fidelity", FIDELITY_FILTERS)
    if fidelity is not None:
        reported = REPORTED_FIDELITY.get(fidelity, fidelity)
        tests.append(lambda job, now: REPORTED_FIDELITY.get(job.fidelity or "") == reported)
    priority = params.optional("Priority")
    if priority is not None:
        tests.append(lambda job, now: job.priority == priority)
    low = params.integer("TurnaroundTimeHoursFrom")
    high = params.integer("TurnaroundTimeHoursTo")
    if low is not None or high is not None:
        tests.append(lambda job, now: _between(lifecycle.turnaround_hours(job), low, high))
    job_name = params.optional("JobName")
    if job_name is not None:
        pattern = re.compile(
            ".*".join(re.escape(part) for part in job_name.split("*")), re.IGNORECASE
        )
        tests.append(lambda job, now: bool(pattern.fullmatch(job.job_name or "")))
    external_id = params.optional("ExternalID")
    if external_id is None:
        external_id = params.optional("ExternalId")
    if external_id is not None:
        tests.append(lambda job, now: job.external_id == external_id)
    difficulty = params.optional_choice("JobDifficulty", DIFFICULTIES)
    if difficulty is not None:
        tests.append(lambda job, now: lifecycle.difficulty(job, now) == difficulty)
    return tests


def _in_range(
    moment_of: Callable[[Job, datetime], datetime | None],
    start: datetime | None,
    end: datetime | None,
) -> Test:
    def test(job: Job, now: datetime) -> bool:
        moment = moment_of(job, now)
        return moment is not None and _between(moment, start, end)

    return test


def _between(value: Any, low: Any, high: Any) -> bool:
    return value is not None and (low is None or value >= low) and (high is None or value <= high)


# --- related jobs --------------------------------------------------------------------------


def list_related(request: Request, state: State) -> Response:
    """The leading job (the original) and its translations and upleveled copies."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        leading = state.jobs.get(job.parent_job_id or "") or job
        now = state.now()
        related = [
            _related(other, now)
            for other in sorted(state.jobs.values(), key=lambda j: j.sequence)
            if other.parent_job_id == leading.job_id and other.deleted_at is None
        ]
        document = {"related_jobs": related, "leading_job": _related(leading, now)}
    return Response.json(document)


def _related(job: Job, now: datetime) -> dict[str, Any]:
    return {
        "job_status": lifecycle.status(job, now),
        "job_id": job.job_id,
        "current_priority": job.priority,
        "media_length": str(timedelta(milliseconds=media_length_ms(job))),
        "current_fidelity": REPORTED_FIDELITY.get(job.fidelity or "", job.fidelity),
        "language": f"{job.language}:{job.target_language or job.language}",
    }


# --- statistics ----------------------------------------------------------------------------


def aggregate_statistics(request: Request, state: State) -> Response:
    """Billable minutes of the jobs completed between start_date and end_date, by metric,
    in one bucket or one per week (Sunday to Saturday) or calendar month."""
    params = request.params
    metrics = _metrics(params)
    group_by = params.optional_choice("group_by", ("week", "month"))
    start = params.moment("start_date")
    end = params.moment("end_date", end_of_day=True)
    account_id = params.optional("account_id")
    with state.lock:
        if account_id == "*":
            owners = set(state.family(request.caller))
        else:
            owners = {state.managed_account(request.caller, account_id, "account_id").username}
        now = state.now()
        billed = [
            (completed, job)
            for job in state.jobs.values()
            if job.username in owners
            and job.deleted_at is None
            and (completed := lifecycle.completed_at(job, now)) is not None
        ]
    end = end or now
    if start is None and billed:
        start = min(completed for completed, _ in billed)
    if start is None:
        return Response.json({"data": [], "start_date": None, "end_date": _iso(end)})
    if start > end:
        raise ApiError(INVALID_QUERY, "start_date is after end_date")
    data: list[dict[str, Any]] = []
    try:
        buckets = _buckets(start, end, group_by)
    except (OverflowError, ValueError):  # past the year 9999 or before the year 1
        buckets = []
    if not buckets:
        raise ApiError(
            INVALID_QUERY,
            f"start_date and end_date span more than {MAX_BUCKETS} {group_by}s, "
            "or reach beyond the calendar",
        )
    for low, high in buckets:
        in_bucket = [job for completed, job in billed if low <= completed <= high]
        totals = _minutes(in_bucket)
        bucket: dict[str, Any] = {metric: totals[metric] for metric in metrics}
        bucket.update(start_date=_iso(low), end_date=_iso(high))
        data.append(bucket)
    return Response.json({"data": data, "start_date": _iso(start), "end_date": _iso(end)})


def _metrics(params: Params) -> list[str]:
    requested = params.json_list("metrics")
    if requested is None:
        return list(METRICS)
    unknown = [m for m in requested if m not in METRICS]
    if unknown:
        raise ApiError(
            INVALID_OPTION,
            f"metrics: unknown metric {unknown[0]!r}; expected any of {', '.join(METRICS)}",
        )
    return [str(metric) for metric in requested]


def _minutes(jobs: Iterable[Job]) -> dict[str, int]:
    """Billable minutes per metric; each job counts once by fidelity and once by kind, so
    total = mechanical + premium + professional = foreign + english + translation."""
    totals: dict[str, int] = dict.fromkeys(METRICS, 0)
    for job in jobs:
        minutes = math.ceil(media_length_ms(job) / 60000)
        fidelity = (job.fidelity or "MECHANICAL").lower()
        if f"billable_minutes_{fidelity}" not in totals:
            fidelity = "professional"
        if job.relation == TRANSLATION:
            kind = "translation"
        elif job.language.lower().split("-")[0] == "en":
            kind = "english_transcription"
        else:
            kind = "foreign_transcription"
        totals["billable_minutes_total"] += minutes
        totals[f"billable_minutes_{fidelity}"] += minutes
        totals[f"billable_minutes_{kind}"] += minutes
    return totals


def _buckets(
    start: datetime, end: datetime, group_by: str | None
) -> list[tuple[datetime, datetime]]:
    """The periods between start and end: one, or whole weeks (Sunday first) or months."""
    if group_by is None:
        return [(start, end)]
    day = datetime.combine(start.date(), time.min, timezone.utc)
    if group_by == "week":
        low = day - timedelta(days=(day.weekday() + 1) % 7)
    else:
        low = day.replace(day=1)
    buckets: list[tuple[datetime, datetime]] = []
    while low <= end:
        if len(buckets) == MAX_BUCKETS:
            return []
        if group_by == "week":
            following = low + timedelta(days=7)
        elif low.month == 12:
            following = low.replace(year=low.year + 1, month=1)
        else:
            following = low.replace(month=low.month + 1)
        buckets.append((low, following - timedelta(microseconds=1)))
        low = following
    return buckets


def _iso(moment: datetime) -> str:
    """A time as the statistics show it: ISO 8601 in UTC without an offset."""
    return moment.astimezone(timezone.utc).replace(tzinfo=None).isoformat()


ROUTES: dict[str, Route] = {
    "/api/job/info": Route(job_info, names=documented("job_id")),
    "/api/job/list": Route(
        job_list,
        names=documented(
            *(f"{name}{end}" for name in _DATE_FILTERS for end in ("From", "To")),
            "JobStatus",
            "Fidelity",
            "Priority",
            "TurnaroundTimeHoursFrom",
            "TurnaroundTimeHoursTo",
            "JobName",
            "ExternalID",
            "Username",
            "JobDifficulty",
        ),
        tolerated=frozenset(("ExternalId", "username")),  # the legacy clients' spellings
    ),
    "/api/job/list_related": Route(list_related, needs_version=False, names=documented("job_id")),
    "/api/job/aggregate_statistics": Route(
        aggregate_statistics,
        names=documented("account_id", "metrics", "group_by", "start_date", "end_date"),
    ),
}
