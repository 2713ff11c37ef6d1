"""Property-based tests: arbitrary input at every boundary gives a result or a documented error."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cielo24
import cielo24.models
from cielo24.emulator import Emulator
from cielo24.model_utils import Model

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
MODELS = [
    m
    for m in (getattr(cielo24.models, name) for name in cielo24.models.__all__)
    if issubclass(m, Model)  # IWPEnum is a str
]
VALUES = JSON | st.datetimes() | st.dates() | st.tuples(st.text(), st.text())
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def keys_of(model: type[Model]) -> list[str]:
    return sorted(model._keys)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_any_json_object_reads_into_any_response_model(model: type[Model], data: Any) -> None:
    known = st.fixed_dictionaries({}, optional={key: JSON for key in keys_of(model)})
    document = data.draw(known | st.dictionaries(st.text(max_size=12), JSON, max_size=5))
    result = model.from_wire(document)
    assert isinstance(result, model)
    repr(result)
    assert isinstance(result.to_dict(), dict)
    json.dumps(result.to_dict(), default=str)


REQUEST_MODELS = [
    cielo24.models.NewJobBody,
    cielo24.models.PerformTranscriptionBody,
    cielo24.models.JobOptions,
]


@pytest.mark.parametrize("model", REQUEST_MODELS, ids=lambda m: m.__name__)
@SETTINGS
@given(data=st.data())
def test_any_values_build_a_request_model_or_raise_a_documented_error(
    model: type[Model], data: Any
) -> None:
    fields = data.draw(st.fixed_dictionaries({}, optional=dict.fromkeys(model._fields, VALUES)))
    try:
        built = model(**fields)
    except (cielo24.ApiTypeError, cielo24.ApiValueError) as error:
        assert str(error)
        return
    json.dumps(built.to_wire())  # what is sent is always JSON
    assert model.from_dict(built.to_dict()) == built


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    emu = Emulator()
    emu.start()
    emu.add_job(job_id="0" * 32, status="Complete")
    yield emu
    emu.stop()


PATHS = [
    "/api/account/login",
    "/api/account/logout",
    "/api/account/update_password",
    "/api/account/update_setting",
    "/api/account/generate_api_key",
    "/api/account/create",
    "/api/job/new",
    "/api/job/info",
    "/api/job/list",
    "/api/job/delete",
    "/api/job/modify",
    "/api/job/add_media",
    "/api/job/add_media_url",
    "/api/job/perform_transcription",
    "/api/job/translate",
    "/api/job/get_caption",
    "/api/job/get_transcript",
    "/api/job/get_elementlist",
    "/api/job/aggregate_statistics",
    "/api/job/download_media",
]
PARAM_NAMES = [
    "v",
    "job_id",
    "caption_format",
    "characters_per_caption_line",
    "media_url",
    "options",
    "transcription_fidelity",
    "priority",
    "metrics",
    "JobStatus",
    "CreationDateFrom",
    "elementlist_version",
    "sound_boundaries",
    "srt_format",
    "force_case",
    "target_languages",
]


@SETTINGS
@given(
    path=st.sampled_from(PATHS),
    method=st.sampled_from(["GET", "POST"]),
    params=st.dictionaries(
        st.sampled_from(PARAM_NAMES),
        st.text(max_size=30) | st.sampled_from(["1", "0" * 32, "SRT"]),
        max_size=6,
    ),
    body=st.binary(max_size=64),
    json_body=st.booleans(),
)
def test_the_emulator_never_answers_500(
    emulator: Emulator, path: str, method: str, params: dict[str, str], body: bytes, json_body: bool
) -> None:
    query = urlencode({**params, "api_token": emulator.api_token})
    headers = {"Content-Type": "application/json" if json_body else "application/octet-stream"}
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.request(
            method, f"{path}?{query}", body=body if method == "POST" else None, headers=headers
        )
        answer = connection.getresponse()
        answer.read()
    finally:
        connection.close()
    assert answer.status < 500
