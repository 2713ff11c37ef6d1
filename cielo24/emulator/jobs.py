"""Job endpoints: job/new, job/add_media, job/perform_transcription, job/authorize."""

from __future__ import annotations

import hashlib

from .errors import INVALID_QUERY, ITEM_NOT_FOUND, MISSING_PARAMETER, ApiError
from .params import FORM, JSON
from .protocol import Body, Request, Response, Route
from .state import AUTHORIZING, IN_PROCESS, PENDING, Job, State

FIDELITIES = ("MECHANICAL", "PREMIUM", "PROFESSIONAL")
PRIORITIES = ("STANDARD", "PRIORITY")
MAX_MEDIA_BYTES = 10737418239
"""The service's upload limit: 10 GiB minus one byte."""
REFUSED_UPLOAD_TYPES = (FORM, "multipart/form-data")


def new_job(request: Request, state: State) -> Response:
    """Create a job; a second job with the same external_id needs is_duplicate=true."""
    params = request.params
    is_duplicate = params.boolean("is_duplicate")
    job = Job(
        job_name=params.optional("job_name"),
        language=params.optional("language") or "en",
        external_id=params.optional("external_id"),
        username=params.optional("username"),
        requestor=params.optional("requestor"),
        reference=params.optional("reference"),
        expected_speakers=params.integer("expected_speakers"),
    )
    with state.lock:
        if (
            job.external_id
            and not is_duplicate
            and any(other.external_id == job.external_id for other in state.jobs.values())
        ):
            raise ApiError(
                INVALID_QUERY,
                f"a job with external_id {job.external_id!r} already exists; "
                "pass is_duplicate=true to create another",
            )
        job.status = state.new_job_status
        task_id = job.new_task()
        state.jobs[job.job_id] = job
    return Response.json({"JobId": job.job_id, "TaskId": task_id})


def add_media(request: Request, state: State) -> Response:
    """Add the job's one media: by ``media_url``, or as the raw body of a POST."""
    params = request.params
    job_id = params.required("job_id")
    is_duplicate = params.boolean("is_duplicate")
    if params.optional("media_url") is not None:
        return _add_media_url(request, state, job_id, is_duplicate)
    if request.method != "POST" or request.media_type == JSON:  # a JSON body holds parameters
        raise ApiError(MISSING_PARAMETER, "missing required parameter: media_url")
    return _upload_media(request, state, job_id)


def _add_media_url(request: Request, state: State, job_id: str, is_duplicate: bool) -> Response:
    """Record a media URL (never fetched); another job's URL needs is_duplicate=true."""
    media_url = request.params.url("media_url")
    with state.lock:
        job = _find_job(state, job_id)
        _check_no_media(job)
        if not is_duplicate and any(o.media_url == media_url for o in state.jobs.values()):
            raise ApiError(
                INVALID_QUERY,
                f"media_url {media_url!r} is already used by another job; "
                "pass is_duplicate=true to add it again",
            )
        job.media_url = media_url
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


def _upload_media(request: Request, state: State, job_id: str) -> Response:
    """Stream the raw body, counting and hashing it, then record it as the job's media.

    Refusals come before the body is read, and the HTTP layer then closes the connection;
    only losing a race with another add for the job's one media is found after.
    """
    length = request.body.length
    if length is None:
        raise ApiError(
            MISSING_PARAMETER,
            "missing Content-Length header: a media upload must announce its size",
            close=True,
        )
    if length > MAX_MEDIA_BYTES:
        raise ApiError(
            INVALID_QUERY,
            f"Content-Length {length} is over the 10 GB media limit ({MAX_MEDIA_BYTES} bytes)",
        )
    if length == 0:
        raise ApiError(INVALID_QUERY, "the media body is empty (Content-Length: 0)")
    if request.media_type in REFUSED_UPLOAD_TYPES:
        raise ApiError(
            INVALID_QUERY,
            f"Content-Type {request.content_type!r} is not accepted for a media upload: "
            "send the raw media bytes, not form data",
        )
    with state.lock:
        _check_no_media(_find_job(state, job_id))
    size, sha256 = _consume(request.body, state.hash_uploads)
    with state.lock:
        job = _find_job(state, job_id)
        _check_no_media(job)  # another request may have added media meanwhile
        job.media_size = size
        job.media_sha256 = sha256
        job.media_content_type = request.content_type
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


def _consume(body: Body, hash_bytes: bool) -> tuple[int, str | None]:
    """Read the whole body block by block; its size and (if asked) its sha256 hex digest."""
    digest = hashlib.sha256() if hash_bytes else None
    for block in body.blocks():
        if digest is not None:
            digest.update(block)
    return body.consumed, digest.hexdigest() if digest is not None else None


def perform_transcription(request: Request, state: State) -> Response:
    """Request transcription of a job that has media."""
    params = request.params
    job_id = params.required("job_id")
    fidelity = params.choice("transcription_fidelity", FIDELITIES)
    priority = params.choice("priority", PRIORITIES)
    callback_url = params.url("callback_url")
    options = params.json_object("options")
    target_language = params.optional("target_language")
    turnaround_hours = params.integer("turnaround_hours")
    with state.lock:
        job = _find_job(state, job_id)
        if not job.has_media:
            raise ApiError(INVALID_QUERY, f"job {job_id} has no media: add media first")
        job.fidelity = fidelity
        job.priority = priority
        job.callback_url = callback_url
        job.options = options
        job.target_language = target_language
        job.turnaround_hours = turnaround_hours
        if job.status != AUTHORIZING:
            job.status = IN_PROCESS
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


def authorize_job(request: Request, state: State) -> Response:
    """Release a job held in Authorizing; on a job in any other status, do nothing."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = _find_job(state, job_id)
        if job.status == AUTHORIZING:
            job.status = IN_PROCESS if job.fidelity is not None else PENDING
    return Response.no_content()


def _find_job(state: State, job_id: str) -> Job:
    """The job with this id (hold ``state.lock``); ITEM_NOT_FOUND when there is none."""
    job = state.jobs.get(job_id)
    if job is None:
        raise ApiError(ITEM_NOT_FOUND, f"job_id {job_id!r} not found")
    return job


def _check_no_media(job: Job) -> None:
    """Refuse a second media: a job holds one."""
    if job.has_media:
        raise ApiError(INVALID_QUERY, f"job {job.job_id} already has media")


ROUTES: dict[str, Route] = {
    "/api/job/new": Route(new_job),
    "/api/job/add_media": Route(add_media),
    "/api/job/perform_transcription": Route(perform_transcription),
    "/api/job/authorize": Route(authorize_job),
}
