"""Media endpoints: add media (URL, embedded page, upload, pre-signed PUT), and get it back
(media URL, transcoded media URL, download), plus the emulator's own media and upload URLs.

Uploaded bytes go to the emulator's media store on disk (never held whole in memory); media
added by URL is never fetched.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from .errors import INVALID_QUERY, INVALID_URL, ITEM_NOT_FOUND, MISSING_PARAMETER, ApiError
from .params import FORM, JSON
from .protocol import Body, Request, Response, Route, documented
from .state import Job, State, UploadTarget, new_id

MAX_MEDIA_BYTES = 10737418239
"""The service's upload limit: 10 GiB minus one byte."""
REFUSED_UPLOAD_TYPES = (FORM, "multipart/form-data")
MEDIA_FAILURE_MARK = b"MEDIA-FAILURE"
"""An upload starting with these bytes ends in Media Failure, like a media URL holding
``media-failure``."""
UPLOAD_URL_LIFETIME = timedelta(hours=12)
FLAVORS = {"mp3": "audio/mp3", "mp4": "video/mp4"}
"""download_media's media types, and the Content-Type each is sent with."""


# --- adding media --------------------------------------------------------------------------


def add_media(request: Request, state: State) -> Response:
    """Add the job's one media: by ``media_url``, or as the raw body of a POST."""
    params = request.params
    job_id = params.required("job_id")
    is_duplicate = params.boolean("is_duplicate")
    if params.optional("media_url") is not None:
        return _add_media_url(request, state, job_id, is_duplicate, embedded=False)
    if request.method != "POST" or request.media_type == JSON:  # a JSON body holds parameters
        raise ApiError(MISSING_PARAMETER, "missing required parameter: media_url")
    return _upload_media(request, state, job_id)


def add_embedded_media(request: Request, state: State) -> Response:
    """Add the job's one media as a page URL (YouTube, Vimeo...), which is never fetched."""
    params = request.params
    job_id = params.required("job_id")
    params.required("media_url")
    return _add_media_url(request, state, job_id, params.boolean("is_duplicate"), embedded=True)


def _add_media_url(
    request: Request, state: State, job_id: str, is_duplicate: bool, *, embedded: bool
) -> Response:
    """Record a media URL (never fetched); another job's URL needs is_duplicate=true."""
    media_url = request.params.url("media_url")
    assert media_url is not None
    with state.lock:
        job = state.job(job_id, request.caller)
        _check_no_media(job)
        if not is_duplicate and any(
            other.media_url == media_url and other.deleted_at is None and other.relation is None
            for other in state.jobs.values()
        ):
            raise ApiError(
                INVALID_QUERY,
                f"media_url {media_url!r} is already used by another job; "
                "pass is_duplicate=true to add it again",
            )
        job.media_url = media_url
        job.media_embedded = embedded
        job.media_failure = "media-failure" in media_url.lower()
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


def _upload_media(request: Request, state: State, job_id: str) -> Response:
    """Receive an upload into the job's media; refusals come before the body is read."""
    check_raw_body(request, "media")
    with state.lock:
        _check_no_media(state.job(job_id, request.caller))
    _receive(request, state, job_id)
    with state.lock:
        task_id = state.jobs[job_id].new_task()
    return Response.json({"TaskId": task_id})


def check_raw_body(request: Request, what: str) -> None:
    """Refuse a raw upload the service would refuse, before reading any of it.

    The HTTP layer then closes the connection, since the body is left unread.
    """
    length = request.body.length
    if length is None:
        raise ApiError(
            MISSING_PARAMETER,
            f"missing Content-Length header: a {what} upload must announce its size",
            close=True,
        )
    if length > MAX_MEDIA_BYTES:
        raise ApiError(
            INVALID_QUERY,
            f"Content-Length {length} is over the 10 GB {what} limit ({MAX_MEDIA_BYTES} bytes)",
        )
    if length == 0:
        raise ApiError(INVALID_QUERY, f"the {what} body is empty (Content-Length: 0)")
    if request.media_type in REFUSED_UPLOAD_TYPES or request.media_type == JSON:
        raise ApiError(
            INVALID_QUERY,
            f"Content-Type {request.content_type!r} is not accepted for a {what} upload: "
            f"send the raw {what} bytes, not form data",
        )


@dataclass(frozen=True)
class Received:
    """What reading a body found: its size, its sha256 (if computed) and its first bytes."""

    size: int
    sha256: str | None
    head: bytes


def consume(body: Body, *, hash_bytes: bool, sink: IO[bytes] | None) -> Received:
    """Read the whole body block by block, hashing it and writing it to ``sink`` if given."""
    digest = hashlib.sha256() if hash_bytes else None
    head = b""
    for block in body.blocks():
        if len(head) < len(MEDIA_FAILURE_MARK):
            head += block[: len(MEDIA_FAILURE_MARK) - len(head)]
        if digest is not None:
            digest.update(block)
        if sink is not None:
            sink.write(block)
    return Received(body.consumed, digest.hexdigest() if digest is not None else None, head)


def _receive(request: Request, state: State, job_id: str) -> None:
    """Stream the body to the media store, then make it the job's media.

    A client that disconnects leaves nothing behind; losing a race with another add for the
    job's one media is found after reading, and the bytes are then dropped.
    """
    path, sink = state.media.open_new(job_id) if state.keep_media else (None, None)
    try:
        try:
            received = consume(request.body, hash_bytes=state.hash_uploads, sink=sink)
        finally:
            if sink is not None:
                sink.close()
        with state.lock:
            job = state.jobs[job_id]
            if job.deleted_at is not None:
                raise ApiError(ITEM_NOT_FOUND, f"job_id {job_id!r} was deleted during the upload")
            _check_no_media(job)  # another request may have added media meanwhile
            job.media_size = received.size
            job.media_sha256 = received.sha256
            job.media_content_type = request.content_type
            job.media_path = path
            job.media_failure = received.head.startswith(MEDIA_FAILURE_MARK)
            path = None
    finally:
        state.media.discard(path)


def _check_no_media(job: Job) -> None:
    """Refuse a second media: a job holds one."""
    if job.has_media:
        raise ApiError(INVALID_QUERY, f"job {job.job_id} already has media")


# --- pre-signed upload ---------------------------------------------------------------------


def request_upload_url(request: Request, state: State) -> Response:
    """A URL of the emulator's to PUT the job's media to, without auth; valid 12 hours."""
    job_id = request.params.required("job_id")
    with state.lock:
        _check_no_media(state.job(job_id, request.caller))
        token = new_id()
        state.uploads[token] = UploadTarget(job_id, state.now() + UPLOAD_URL_LIFETIME)
    return Response.json({"upload_url": f"{state.origin}/upload/{token}"})


def put_upload(request: Request, state: State) -> Response:
    """PUT /upload/<token>: the raw media for the job the token was issued for."""
    token = request.path.rsplit("/", 1)[-1]
    with state.lock:
        target = state.uploads.get(token)
        if target is None or target.expires < state.now():
            raise ApiError(
                INVALID_URL, "this upload URL is unknown or has expired", status=403, close=True
            )
        job = state.jobs.get(target.job_id)
        if job is None or job.deleted_at is not None:
            raise ApiError(INVALID_URL, "the job of this upload URL was deleted", status=403)
        _check_no_media(job)
    check_raw_body(request, "media")
    _receive(request, state, target.job_id)
    with state.lock:
        state.jobs[target.job_id].new_task()
    return Response.empty(200)


# --- getting media back --------------------------------------------------------------------


def media(request: Request, state: State) -> Response:
    """The job's media URL: the URL it was added by, or the emulator's URL of an upload."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        if job.media_url is not None:
            return Response.json({"MediaUrl": job.media_url})
        if job.media_size is None:
            raise ApiError(INVALID_QUERY, f"job {job_id} has no media")
    return Response.json({"MediaUrl": f"{state.origin}/media/{job_id}"})


def transcoded_media(request: Request, state: State) -> Response:
    """The URL of the job's media transcoded to mp4 or mp3 (422 when there is none)."""
    params = request.params
    job_id = params.required("job_id")
    version = params.choice("transcoded_version", tuple(FLAVORS))
    with state.lock:
        _stored_media(state, state.job(job_id, request.caller), version, status=422)
    return Response.json({"MediaUrl": f"{state.origin}/media/{job_id}.{version}"})


def download_media(request: Request, state: State) -> Response:
    """The job's media as an mp3 or mp4 file (400 when that flavor does not exist).

    The emulator does not transcode: both flavors of an upload are its bytes as uploaded.
    """
    params = request.params
    job_id = params.required("job_id")
    media_type = params.choice("media_type", tuple(FLAVORS))
    if params.flag("text_to_speech"):
        raise ApiError(
            INVALID_QUERY, f"job {job_id} has no text_to_speech {media_type}: no audio description"
        )
    with state.lock:
        job = state.job(job_id, request.caller)
        _stored_media(state, job, media_type, status=400)
        path = job.media_path
    disposition = f'attachment; filename="{job_id}.{media_type}"'
    return Response(
        200,
        content_type=FLAVORS[media_type],
        headers=(("Content-Disposition", disposition),),
        file=path,
    )


def _stored_media(state: State, job: Job, flavor: str, *, status: int) -> None:
    """Refuse unless the job's media bytes are on disk (hold the lock)."""
    if job.media_size is None:
        why = "its media was added by URL and never fetched" if job.has_media else "no media"
    elif job.media_failure or job.failed_at is not None:
        why = "its media failed"
    elif not state.media.contains(job.media_path):
        why = "the emulator did not keep its bytes (keep_media=False, or it was stopped)"
    else:
        return
    raise ApiError(INVALID_QUERY, f"job {job.job_id} has no {flavor} media: {why}", status=status)


def serve_media(request: Request, state: State) -> Response:
    """GET /media/<job_id>[.mp3|.mp4]: the uploaded bytes (no auth: the URL is the key)."""
    name = request.path.rsplit("/", 1)[-1]
    job_id, _, flavor = name.partition(".")
    with state.lock:
        job = state.jobs.get(job_id)
        if (
            job is None
            or job.deleted_at is not None
            or (flavor and flavor not in FLAVORS)
            or not state.media.contains(job.media_path)
        ):
            return Response.text(404, "Not Found")
        content_type = FLAVORS.get(flavor) or job.media_content_type or "application/octet-stream"
        return Response(200, content_type=content_type, file=job.media_path)


ROUTES: dict[str, Route] = {
    "/api/job/add_media": Route(
        add_media, names=documented("job_id", "media_url", "is_duplicate"), raw_body=True
    ),
    "/api/job/add_media_url": Route(add_embedded_media, names=documented("job_id", "media_url")),
    "/api/job/request_upload_url": Route(request_upload_url, names=documented("job_id")),
    "/api/job/media": Route(media, names=documented("job_id")),
    "/api/job/transcoded_media": Route(
        transcoded_media, names=documented("job_id", "transcoded_version")
    ),
    "/api/job/download_media": Route(
        download_media,
        needs_version=False,
        names=documented("job_id", "media_type", "text_to_speech"),
    ),
    "/upload/": Route(put_upload, methods=("PUT",), api=False, prefix=True),
    "/media/": Route(serve_media, methods=("GET",), api=False, prefix=True),
}
