"""Parameters that several endpoints share."""

from __future__ import annotations

from typing import Any, Union

from cielo24.model_utils import TRUE_FALSE, boolean, param, true_false


def _version_one(value: Any) -> Any:
    if isinstance(value, bool) or value != 1:
        raise ValueError(f"must be 1, the only API version, got {value!r}")
    return value


V = param("v", int, required=True, convert=_version_one)
V_FORM = param("v", int, required=True, convert=_version_one, location="form")
JOB_ID = param("job_id", str, required=True)
IS_DUPLICATE = param("is_duplicate", Union[str, bool], enum=TRUE_FALSE, convert=true_false)


def flag(name: str, **kwargs: Any) -> Any:
    """An optional boolean parameter, sent as ``true``/``false`` ("true"/"false" accepted)."""
    return param(name, bool, convert=boolean, **kwargs)
