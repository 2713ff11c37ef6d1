"""Output endpoints: transcripts, captions (and their permanent URLs), ElementLists, burn-in.

The documents come from the outputs package (the sample transcript, formatted with the
request's options). A job has outputs once its first ElementList version is produced (see
lifecycle.py); before that they are refused with INVALID_QUERY.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from . import lifecycle
from .errors import INVALID_OPTION, INVALID_QUERY, ITEM_NOT_FOUND, NOT_IMPLEMENTED, ApiError
from .lifecycle import IWPS, TRANSLATION, Version
from .outputs import (
    CAPTION_FORMATS,
    NotImplementedFormat,
    OptionError,
    build_element_list,
    render_caption,
    render_transcript,
)
from .protocol import Request, Response, Route, documented
from .state import CaptionLink, Job, State, new_id

NOT_OPTIONS = frozenset(
    {"v", "api_token", "job_id", "caption_format", "build_url", "elementlist_version", "iwp_name"}
)
"""Request parameters that are not formatting options."""

SHARED_OPTIONS = (
    "elementlist_version",
    "iwp_name",
    "emit_speaker_change_tokens_as",
    "mask_profanity",
    "remove_disfluencies",
    "remove_sounds_list",
    "remove_sound_references",
    "replace_slang",
    "sound_boundaries",
    "replace_english_spelling",
    "audio_description",
    "mixed",
)
"""The options documented for both transcripts and captions."""
TRANSCRIPT_OPTIONS = (
    "create_paragraphs",
    "newlines_after_paragraph",
    "newlines_after_sentence",
    "timecode_every_paragraph",
    "timecode_format",
    "timecode_interval",
    "timecode_offset",
    "file_format",
)
"""The options documented for transcripts only."""
CAPTION_OPTIONS = (
    "build_url",
    "caption_words_min",
    "caption_by_sentence",
    "characters_per_caption_line",
    "dfxp_header",
    "disallow_dangling",
    "display_effects_speaker_as",
    "display_speaker_id",
    "force_case",
    "include_dfxp_metadata",
    "layout_target_caption_length_ms",
    "line_break_on_sentence",
    "line_ending_format",
    "lines_per_caption",
    "maximum_caption_duration",
    "merge_gap_interval",
    "minimum_caption_length_ms",
    "minimum_gap_between_captions_ms",
    "qt_seamless",
    "silence_max_ms",
    "single_speaker_per_caption",
    "sound_threshold",
    "sound_tokens_by_caption",
    "sound_tokens_by_line",
    "sound_tokens_by_caption_list",
    "sound_tokens_by_line_list",
    "speaker_on_new_line",
    "srt_format",
    "strip_square_brackets",
    "utf8_mark",
)
"""The options documented for captions only."""
LEGACY_OPTIONS = frozenset(("emit_speaker_change_token_as",))
"""Output options the legacy clients send under another name, read as well."""


@functools.cache
def sample_duration_ms() -> int:
    """The length of the sample the outputs are made from, in milliseconds."""
    return int(build_element_list(language="en", iwp_name="FINAL")["end_time"])


def media_length_ms(job: Job) -> int:
    """The job's media length: as set on the job, else the sample's; 0 without media."""
    if job.media_duration_ms is not None:
        return job.media_duration_ms
    return sample_duration_ms() if job.has_media else 0


def element_list(job: Job, version: Version) -> dict[str, Any]:
    """One ElementList version of the job (a translation is in its target language)."""
    language = job.language
    if job.relation == TRANSLATION and job.target_language:
        language = job.target_language
    return build_element_list(
        language=language, iwp_name=version.iwp_name, duration_ms=job.media_duration_ms
    )


def select_version(state: State, job: Job, iwp_name: str | None, wanted: str | None) -> Version:
    """The version asked for: by ``elementlist_version`` and/or ``iwp_name``, else the latest.

    Raises:
        ApiError: INVALID_QUERY when the job has no version yet; ITEM_NOT_FOUND when none
            matches.
    """
    now = state.now()
    produced = lifecycle.versions(job, now)
    if not produced:
        status = lifecycle.status(job, now)
        raise ApiError(
            INVALID_QUERY,
            f"job {job.job_id} has no ElementList yet (JobStatus {status}): "
            "outputs exist once transcription has produced one",
        )
    if wanted is not None:
        wanted = wanted.strip().removesuffix("Z")
    matching = [
        version
        for version in produced
        if (iwp_name is None or version.iwp_name == iwp_name)
        and (wanted is None or version.version == wanted)
    ]
    if not matching:
        asked = [
            f"{name} {value!r}"
            for name, value in (("elementlist_version", wanted), ("iwp_name", iwp_name))
            if value is not None
        ]
        raise ApiError(
            ITEM_NOT_FOUND, f"job {job.job_id} has no ElementList with {' and '.join(asked)}"
        )
    return matching[-1]


def _version_of(request: Request, state: State, job: Job) -> Version:
    params = request.params
    iwp_name = params.optional_choice("iwp_name", IWPS)
    return select_version(state, job, iwp_name, params.optional("elementlist_version"))


def formatting_options(request: Request) -> dict[str, str]:
    """The request's parameters that may be formatting options."""
    return {k: v for k, v in request.params.as_dict().items() if k not in NOT_OPTIONS}


def _rendered(render: Any, *args: Any, **kwargs: Any) -> tuple[bytes, str]:
    """Call a renderer, turning its refusals into the service's errors."""
    try:
        body, content_type = render(*args, **kwargs)
    except OptionError as exc:
        raise ApiError(INVALID_OPTION, exc.message) from None
    except NotImplementedFormat as exc:
        raise ApiError(NOT_IMPLEMENTED, str(exc)) from None
    return bytes(body), str(content_type)


def get_transcript(request: Request, state: State) -> Response:
    """The transcript of a version, formatted with the request's options."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        document = element_list(job, _version_of(request, state, job))
    body, content_type = _rendered(render_transcript, document, formatting_options(request))
    return Response(200, body, content_type)


def get_caption(request: Request, state: State) -> Response:
    """A caption file; with ``build_url=true`` a permanent URL of it instead."""
    params = request.params
    job_id = params.required("job_id")
    caption_format = params.choice("caption_format", CAPTION_FORMATS)
    build_url = params.boolean("build_url")
    options = formatting_options(request)
    with state.lock:
        job = state.job(job_id, request.caller)
        version = _version_of(request, state, job)
        document = element_list(job, version)
        job_name, language = job.job_name, job.language
    body, content_type = _caption(document, caption_format, options, job_id, job_name, language)
    if not build_url:
        return Response(200, body, content_type)
    key = new_id()
    link = CaptionLink(job_id, caption_format, options, version.iwp_name, version.version)
    with state.lock:
        state.caption_links[key] = link
    return Response.json({"CaptionUrl": f"{state.origin}/caption/{key}"})


def _caption(
    document: dict[str, Any],
    caption_format: str,
    options: Mapping[str, str],
    job_id: str,
    job_name: str | None,
    language: str,
) -> tuple[bytes, str]:
    return _rendered(
        render_caption,
        document,
        caption_format,
        options,
        job_id=job_id,
        job_name=job_name,
        language=language,
    )


def serve_caption(request: Request, state: State) -> Response:
    """GET /caption/<key>: a caption built by get_caption with build_url=true (no auth)."""
    key = request.path.rsplit("/", 1)[-1]
    with state.lock:
        link = state.caption_links.get(key)
        job = state.jobs.get(link.job_id) if link is not None else None
        if link is None or job is None or job.deleted_at is not None:
            return Response.text(404, "Not Found")
        version = next(
            (v for v in lifecycle.planned_versions(job) if v.version == link.version), None
        )
        if version is None:
            return Response.text(404, "Not Found")
        document = element_list(job, version)
        job_name, language = job.job_name, job.language
    body, content_type = _caption(
        document, link.caption_format, link.options, link.job_id, job_name, language
    )
    return Response(200, body, content_type)


def get_elementlist(request: Request, state: State) -> Response:
    """An ElementList version as JSON: the latest, or the one asked for."""
    params = request.params
    job_id = params.required("job_id")
    params.flag("audio_description")
    with state.lock:
        job = state.job(job_id, request.caller)
        document = element_list(job, _version_of(request, state, job))
    return Response.json(document)


def list_elementlists(request: Request, state: State) -> Response:
    """The versions produced so far, oldest first: ``[{"iwp_name", "version"}]``."""
    job_id = request.params.required("job_id")
    with state.lock:
        job = state.job(job_id, request.caller)
        produced = lifecycle.versions(job, state.now())
    return Response.json([{"iwp_name": v.iwp_name, "version": v.version} for v in produced])


def burn_in_caption(request: Request, state: State) -> Response:
    """Request a video with burned-in captions by email: 200 with no content."""
    params = request.params
    job_id = params.required("job_id")
    send_to = params.optional("send_to_email")
    if send_to is not None and "@" not in send_to:
        raise ApiError(INVALID_QUERY, f"send_to_email must be an email address, got {send_to!r}")
    with state.lock:
        job = state.job(job_id, request.caller)
        select_version(state, job, None, None)
        account = state.accounts.get(job.username or "")
        job.burn_in_emails.append(send_to or (account.email if account else None) or "")
    return Response.empty(200)


ROUTES: dict[str, Route] = {
    "/api/job/get_transcript": Route(
        get_transcript,
        names=documented("job_id", *SHARED_OPTIONS, *TRANSCRIPT_OPTIONS),
        tolerated=LEGACY_OPTIONS,
    ),
    "/api/job/get_caption": Route(
        get_caption,
        names=documented("job_id", "caption_format", *SHARED_OPTIONS, *CAPTION_OPTIONS),
        tolerated=LEGACY_OPTIONS,
    ),
    "/api/job/get_elementlist": Route(
        get_elementlist,
        names=documented("job_id", "elementlist_version", "iwp_name", "audio_description"),
    ),
    "/api/job/list_elementlists": Route(list_elementlists, names=documented("job_id")),
    "/api/job/burn_in_caption": Route(burn_in_caption, names=documented("job_id", "send_to_email")),
    "/caption/": Route(serve_caption, methods=("GET",), api=False, prefix=True),
}
