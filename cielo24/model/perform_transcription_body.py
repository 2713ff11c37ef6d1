"""PerformTranscriptionBody: the parameters of perform_transcription."""

import json
from typing import Any, Optional, Union, cast

from cielo24.enums import FidelityName, RequestPriorityName
from cielo24.model.job_options import JobOptions
from cielo24.model_utils import Model, field, http_url, positive


def _check_options(value: Any) -> Any:
    """Check the options the SDK knows; a dict becomes a JobOptions, a string stays as given."""
    if isinstance(value, str):
        try:
            parsed = json.loads(value)
        except ValueError:
            parsed = None
        if not isinstance(parsed, dict):
            raise ValueError(f"must be a JSON object string, got {value!r}")
        JobOptions.from_dict(cast("dict[str, Any]", parsed))
    elif isinstance(value, dict):
        return JobOptions.from_dict(cast("dict[str, Any]", value))
    return value


def _options_json(value: Union[str, JobOptions]) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value.to_wire(), separators=(",", ":"))


def _comma_list(value: Union[str, list[str]]) -> str:
    return value if isinstance(value, str) else ",".join(value)


class PerformTranscriptionBody(Model):
    """Parameters of perform_transcription.

    Attributes:
        job_id: the job to transcribe (required).
        transcription_fidelity: MECHANICAL, PREMIUM or PROFESSIONAL (required).
        priority: STANDARD (the default) or PRIORITY.
        callback_url: an http(s) URL called when the job is done; may hold the tags
            ``{job_id}``, ``{job_name}``, ``{elementlist_version}``, ``{iwp_name}``.
        options: job options: the documented JSON string (kept as given), or a dict or a
            JobOptions (a dict becomes a JobOptions); always sent as a JSON string.
        target_language: a language to translate into, or several (a list, or a string
            separated by commas).
        turnaround_hours: hours until the job is returned (fewer than the priority's default
            upgrades the priority).
    """

    job_id: str
    transcription_fidelity: FidelityName
    priority: RequestPriorityName = "STANDARD"
    callback_url: Optional[str] = field(default=None, convert=http_url)
    options: Union[str, dict[str, Any], JobOptions, None] = field(
        default=None, convert=_check_options, encode=_options_json
    )
    target_language: Union[str, list[str], None] = field(default=None, encode=_comma_list)
    turnaround_hours: Optional[int] = field(default=None, convert=positive)
