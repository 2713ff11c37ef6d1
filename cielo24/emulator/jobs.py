"""Job endpoints: create, transcribe, authorize, modify, delete, translate, uplevel, and the
transcript and guidelines a customer adds to a job."""

from __future__ import annotations

import email.parser
import email.policy
from email.message import EmailMessage
from typing import Any, cast

from . import lifecycle, workflow
from .errors import INVALID_OPTION, INVALID_QUERY, MISSING_PARAMETER, ApiError
from .lifecycle import IWPS, TRANSLATION, UPLEVEL
from .media import check_raw_body, consume
from .params import Params, check_names
from .protocol import Request, Response, Route, documented
from .state import AUTHORIZING, DEFAULT_JOB_NOTES, Account, Job, State, new_id

FIDELITIES = ("MECHANICAL", "PREMIUM", "PROFESSIONAL")
PRIORITIES = ("STANDARD", "PRIORITY")
LEGACY_PRIORITIES = ("STANDARD", "PRIORITY", "ECONOMY", "CRITICAL", "HIGH")
"""modify and uplevel also take the legacy priorities (the legacy clients' tests use ECONOMY)."""
TRANSCRIPT_FORMATS = ("text", "srt", "vtt", "dfxp")
MAX_NOTES = 1000
MAX_TURNAROUND_HOURS = 100_000
MAX_GUIDELINES_BYTES = 10 << 20
"""The largest custom guidelines body read (10 MiB)."""
MULTIPART = "multipart/form-data"
NEEDS_UPLEVEL = ("MECHANICAL", "PREMIUM")
JOB_OPTIONS = frozenset(
    (
        "customer_approval_steps",
        "customer_approval_tool",
        "custom_metadata",
        "notes",
        "return_iwp",
        "generate_media_intelligence_iwp",
        "speaker_id",
        "enable_true_verbatim",
        "first_pass_campaign",
        "audio_description",
        "on_screen_text",
        "music_lyrics",
        "custom_special_handling",
    )
)
"""The job options cielo24's docs give for perform_transcription's ``options``."""
UPLEVEL_WORKFLOWS = {
    "MECHANICAL": "MechFP 2nd Pass Only",
    "PREMIUM": "Premium 2nd Pass Only",
    "EXTERNAL": "Caption Import 2nd Pass Only",
}


# --- create --------------------------------------------------------------------------------


def new_job(request: Request, state: State) -> Response:
    """Create a job; a second job with the same external_id needs is_duplicate=true.

    ``username`` creates it in a sub-account of the caller. A name no account has yet becomes
    a new sub-account of the caller (sub-accounts are made by the service's support, so the
    emulator makes them on first use; see docs/emulator.md).
    """
    params = request.params
    is_duplicate = params.boolean("is_duplicate")
    job = Job(
        job_name=params.optional("job_name"),
        language=params.optional("language") or "en",
        external_id=params.optional("external_id"),
        requestor=params.optional("requestor"),
        reference=params.optional("reference"),
        expected_speakers=params.integer("expected_speakers"),
    )
    with state.lock:
        owner = job_owner(state, request.caller, params.optional("username"))
        if (
            job.external_id
            and not is_duplicate
            and any(
                other.external_id == job.external_id
                and other.username == owner
                and other.deleted_at is None
                for other in state.jobs.values()
            )
        ):
            raise ApiError(
                INVALID_QUERY,
                f"a job with external_id {job.external_id!r} already exists; "
                "pass is_duplicate=true to create another",
            )
        add(state, job, owner)
        task_id = job.task_ids[-1]
    return Response.json({"JobId": job.job_id, "TaskId": task_id})


def job_owner(state: State, caller: str, username: str | None) -> str:
    """The account a new job belongs to: the caller, or its sub-account ``username``, made on
    first use (hold the lock)."""
    if not username:
        return caller
    if username not in state.accounts:
        state.add_account(Account(username, new_id(), parent=caller, created=state.now()))
    return state.managed_account(caller, username, "username").username


def add(state: State, job: Job, owner: str) -> None:
    """Give a new job its owner, start status and creation time, and remember it (hold the
    lock); its first TaskId is issued."""
    job.username = owner
    job.created = state.now()
    job.status = state.new_job_status(owner)
    if job.status != AUTHORIZING:
        job.authorized_at = job.created
    job.notes = job.notes or state.setting(owner, DEFAULT_JOB_NOTES) or None
    job.new_task()
    state.jobs[job.job_id] = job


# --- transcription -------------------------------------------------------------------------


def perform_transcription(request: Request, state: State) -> Response:
    """Request transcription of a job that has media; it starts unless held for authorization."""
    params = request.params
    job_id = params.required("job_id")
    fidelity = params.choice("transcription_fidelity", FIDELITIES)
    priority = params.choice("priority", PRIORITIES)
    callback_url = params.url("callback_url")
    options = params.json_object("options")
    target_language = params.optional("target_language")
    turnaround_hours = params.integer("turnaround_hours", 1, MAX_TURNAROUND_HOURS)
    params.flag("standard_product")
    _check_options(options)
    if request.strict and options is not None:
        check_names("job option", options, JOB_OPTIONS, JOB_OPTIONS, "options")
    with state.lock:
        job = state.job(job_id, request.caller)
        if not job.has_media:
            raise ApiError(INVALID_QUERY, f"job {job_id} has no media: add media first")
        if job.started_at is not None:
            status = lifecycle.status(job, state.now())
            raise ApiError(
                INVALID_QUERY, f"job {job_id} was already sent for transcription ({status})"
            )
        job.fidelity = fidelity
        job.priority = priority
        job.callback_url = callback_url
        job.options = options
        job.target_language = target_language
        job.turnaround_hours = turnaround_hours
        task_id = job.new_task()
        workflow.request_transcription(state, job)
    return Response.json({"TaskId": task_id})


def _check_options(options: dict[str, Any] | None) -> None:
    """Refuse job options whose IWP lists name no IWP (lists may arrive as JSON strings)."""
    for name in ("return_iwp", "generate_media_intelligence_iwp"):
        value = (options or {}).get(name)
        if isinstance(value, str):
            value = Params({name: value}).json_list(name)
        if value is None:
            continue
        if not isinstance(value, list) or any(
            iwp not in IWPS for iwp in cast("list[object]", value)
        ):
            raise ApiError(
                INVALID_OPTION,
                f"options: {name} must be a list of IWP names ({', '.join(IWPS)}), got {value!r}",
            )


def authorize_job(request: Request, state: State) -> Response:
    """Release a job held in Authorizing; on a job in any other status, do nothing."""
    job_id = request.params.required("job_id")
    with state.lock:
        workflow.authorize(state, state.job(job_id, request.caller))
    return Response.no_content()


def modify_job(request: Request, state: State) -> Response:
    """Change a job that still waits in Authorizing (POST; the clients send the query)."""
    params = request.params
    job_id = params.required("job_id")
    fidelity = params.optional_choice("transcription_fidelity", FIDELITIES)
    turnaround_hours = params.integer("turnaround_hours", 1, MAX_TURNAROUND_HOURS)
    priority = params.optional_choice("priority", LEGACY_PRIORITIES)
    account_id = params.optional("account_id")
    requestor = params.optional("requestor_id")
    callback_url = params.url("callback_url")
    expected_speakers = params.integer("expected_speakers")
    notes = params.optional("notes")
    if notes is not None and len(notes) > MAX_NOTES:
        raise ApiError(INVALID_OPTION, f"notes is limited to {MAX_NOTES} characters")
    with state.lock:
        job = state.job(job_id, request.caller)
        if not lifecycle.is_held(job):
            status = lifecycle.status(job, state.now())
            raise ApiError(
                INVALID_QUERY,
                f"job {job_id} is {status}: only a job in Authorizing can be modified",
            )
        if account_id:
            job.username = state.managed_account(request.caller, account_id, "account_id").username
        job.fidelity = fidelity or job.fidelity
        job.turnaround_hours = (
            job.turnaround_hours if turnaround_hours is None else turnaround_hours
        )
        job.priority = priority or job.priority
        job.requestor = job.requestor if requestor is None else requestor
        job.callback_url = callback_url or job.callback_url
        if expected_speakers is not None:
            job.expected_speakers = expected_speakers
        job.notes = job.notes if notes is None else notes
    return Response.no_content()


def delete_job(request: Request, state: State) -> Response:
    """Delete a job: it is no longer found or listed."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        workflow.delete(state, job)
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


# --- more work on a job --------------------------------------------------------------------


def translate(request: Request, state: State) -> Response:
    """Order translations: one child job per target language (201)."""
    params = request.params
    job_id = params.required("job_id")
    languages = _languages(params.required("target_languages"))
    approve_uplevel = params.optional("approve_uplevel")
    approved = params.flag("approve_uplevel")
    with state.lock:
        job = state.job(job_id, request.caller)
        _check_transcribed(job, "translated")
        workflow_name = _workflow(job)
        if workflow_name in NEEDS_UPLEVEL or workflow_name == "EXTERNAL":
            kind = "a caption import" if workflow_name == "EXTERNAL" else workflow_name
            if approve_uplevel is None:
                raise ApiError(
                    MISSING_PARAMETER,
                    f"missing required parameter: approve_uplevel (job {job_id} is {kind} "
                    "and must be upleveled before translation)",
                )
            if not approved:
                raise ApiError(
                    INVALID_QUERY,
                    f"job {job_id} is {kind}: translation needs approve_uplevel=true",
                )
        if job.language in languages:
            raise ApiError(
                INVALID_QUERY, f"target_languages: {job.language!r} is the job's own language"
            )
        existing = {
            child.target_language: child
            for child in state.jobs.values()
            if child.parent_job_id == job.job_id
            and child.relation == TRANSLATION
            and child.deleted_at is None
        }
        ids: list[str] = []
        messages: list[str] = []
        for language in languages:
            child = existing.get(language)
            if child is None:
                child = _child(state, job, TRANSLATION, job.priority)
                child.target_language = language
                messages.append(f"Child Translation Created for {language}")
            else:
                messages.append(f"Child Translation already exists for {language}")
            ids.append(child.job_id)
    document = {"translation_job_ids": ids, "message": ". ".join(messages)}
    return Response.json(document, status=201)


def _languages(value: str) -> list[str]:
    """The codes of a comma-separated list, in order, without repeats."""
    languages: list[str] = []
    for code in value.split(","):
        code = code.strip()
        if code and code not in languages:
            languages.append(code)
    if not languages:
        raise ApiError(INVALID_QUERY, f"target_languages holds no language code: {value!r}")
    return languages


def _check_transcribed(job: Job, what: str) -> None:
    if job.fidelity is None and job.transcript_format is None:
        raise ApiError(
            INVALID_QUERY,
            f"job {job.job_id} has no transcription to be {what}: call perform_transcription first",
        )


def _workflow(job: Job) -> str:
    """The job's fidelity, or EXTERNAL for a caption import without one."""
    if job.transcript_format is not None and job.fidelity in (None, "EXTERNAL"):
        return "EXTERNAL"
    return job.fidelity or "EXTERNAL"


def _child(state: State, job: Job, relation: str, priority: str | None) -> Job:
    """A PROFESSIONAL job made from ``job`` (same media, owner and language), started now."""
    child = Job(
        job_name=job.job_name,
        language=job.language,
        requestor=job.requestor,
        reference=job.reference,
        media_url=job.media_url,
        media_embedded=job.media_embedded,
        media_size=job.media_size,
        media_sha256=job.media_sha256,
        media_content_type=job.media_content_type,
        media_duration_ms=job.media_duration_ms,
        fidelity="PROFESSIONAL",
        priority=priority or "STANDARD",
        parent_job_id=job.job_id,
        relation=relation,
    )
    add(state, child, job.username or "")
    child.requested_at = child.authorized_at = child.created
    workflow.start(state, child, child.created)
    return child


def uplevel(request: Request, state: State) -> Response:
    """Order a PROFESSIONAL version of a MECHANICAL, PREMIUM or imported job (201)."""
    params = request.params
    job_id = params.required("job_id")
    params.flag("speaker_id")
    priority = params.optional_choice("priority", LEGACY_PRIORITIES)
    params.flag("timing")
    requestor = params.optional("requestor")
    reference = params.optional("reference")
    params.flag("caption_import_as_fp")
    with state.lock:
        job = state.job(job_id, request.caller)
        _check_transcribed(job, "upleveled")
        workflow_name = _workflow(job)
        if workflow_name not in UPLEVEL_WORKFLOWS:
            raise ApiError(
                INVALID_QUERY, f"job {job_id} is already {workflow_name}: nothing to uplevel"
            )
        child = _child(state, job, UPLEVEL, priority or job.priority)
        child.requestor = requestor or child.requestor
        child.reference = reference or child.reference
    document = {
        "upleveled_job_id": child.job_id,
        "upleveled_workflow": UPLEVEL_WORKFLOWS[workflow_name],
    }
    return Response.json(document, status=201)


def add_transcript(request: Request, state: State) -> Response:
    """Add an existing transcript: by ``transcript_url``, or as the raw body of a POST."""
    params = request.params
    job_id = params.required("job_id")
    transcript_format = params.choice("format", TRANSCRIPT_FORMATS)
    transcript_url = params.url("transcript_url")
    if transcript_url is None and (request.method != "POST" or request.body.length in (None, 0)):
        raise ApiError(
            MISSING_PARAMETER,
            "missing required parameter: transcript_url (or POST the transcript as the body)",
        )
    with state.lock:
        state.job(job_id, request.caller)
    size = None
    if transcript_url is None:
        check_raw_body(request, "transcript")
        size = consume(request.body, hash_bytes=False, sink=None).size
    with state.lock:
        job = state.job(job_id, request.caller)
        job.transcript_format = transcript_format
        job.transcript_url = transcript_url
        job.transcript_size = size
        task_id = job.new_task()
    return Response.json({"TaskId": task_id})


def add_custom_guidelines(request: Request, state: State) -> Response:
    """Store guidelines: ``guidelines_url`` (+``is_html``), a form's ``guidelines_data``, or
    a multipart/form-data ``file``."""
    params = request.params
    job_id = params.required("job_id")
    is_html = params.flag("is_html")
    guidelines_url = params.url("guidelines_url")
    text = params.optional("guidelines_data")
    with state.lock:
        state.job(job_id, request.caller)
    storage: dict[str, Any]
    if guidelines_url is not None:
        storage = {"source": "url", "url": guidelines_url}
    elif text:
        storage = {"source": "text", "size": len(text.encode("utf-8"))}
    elif request.method == "POST" and request.media_type == MULTIPART:
        storage = _multipart_guidelines(request)
    else:
        raise ApiError(
            MISSING_PARAMETER,
            "missing required parameter: guidelines_url, guidelines_data or a multipart "
            "field named file",
        )
    stored = {"full_html": is_html, "storage_data": storage}
    with state.lock:
        state.job(job_id, request.caller).guidelines = stored
    return Response.json({"CUSTOM_GUIDELINES_STORED": stored})


def _multipart_guidelines(request: Request) -> dict[str, Any]:
    """Read a multipart/form-data body and find its ``file`` (or ``guidelines_data``) part."""
    length = request.body.length
    if length is None:
        raise ApiError(
            MISSING_PARAMETER, "missing Content-Length header for the multipart body", close=True
        )
    if length > MAX_GUIDELINES_BYTES:
        raise ApiError(
            INVALID_QUERY, f"the guidelines body is limited to {MAX_GUIDELINES_BYTES} bytes"
        )
    head = f"MIME-Version: 1.0\r\nContent-Type: {request.content_type}\r\n\r\n"
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        head.encode("latin-1", "replace") + request.body.read()
    )
    if isinstance(message, EmailMessage) and message.is_multipart():  # pyright: ignore[reportUnnecessaryIsInstance]  # the parser's result is checked, not trusted
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if name not in ("file", "guidelines_data"):
                continue
            payload = part.get_payload(decode=True)
            data = payload if isinstance(payload, bytes) else b""
            if name == "file":
                return {"source": "file", "filename": part.get_filename(), "size": len(data)}
            return {"source": "text", "size": len(data)}
    raise ApiError(
        MISSING_PARAMETER,
        "missing required parameter: the multipart body has no field named file",
    )


ROUTES: dict[str, Route] = {
    "/api/job/new": Route(
        new_job,
        names=documented(
            "job_name",
            "language",
            "external_id",
            "username",
            "requestor",
            "reference",
            "expected_speakers",
            "is_duplicate",
        ),
    ),
    "/api/job/perform_transcription": Route(
        perform_transcription,
        names=documented(
            "job_id",
            "transcription_fidelity",
            "priority",
            "callback_url",
            "options",
            "target_language",
            "turnaround_hours",
            "standard_product",
        ),
    ),
    "/api/job/authorize": Route(authorize_job, names=documented("job_id")),
    "/api/job/modify": Route(
        modify_job,
        methods=("POST",),
        names=documented(
            "job_id",
            "transcription_fidelity",
            "turnaround_hours",
            "priority",
            "account_id",
            "requestor_id",
            "callback_url",
            "expected_speakers",
            "notes",
        ),
    ),
    "/api/job/delete": Route(delete_job, names=documented("job_id")),
    "/api/job/del": Route(delete_job, names=documented("job_id")),
    "/api/job/translate": Route(
        translate,
        needs_version=False,
        names=documented("job_id", "target_languages", "approve_uplevel"),
    ),
    "/api/job/uplevel": Route(
        uplevel,
        needs_version=False,
        names=documented(
            "job_id",
            "speaker_id",
            "priority",
            "timing",
            "requestor",
            "reference",
            "caption_import_as_fp",
        ),
    ),
    "/api/job/add_transcript": Route(
        add_transcript, names=documented("job_id", "format", "transcript_url"), raw_body=True
    ),
    "/api/job/add_custom_guidelines": Route(
        add_custom_guidelines,
        needs_version=False,
        names=documented("job_id", "guidelines_url", "is_html", "guidelines_data"),
    ),
}
