"""Models: checks when built, value semantics, dict round trips, tolerant reading."""

from __future__ import annotations

import json

import pytest

import cielo24
from cielo24.model.error_response import ErrorResponse
from cielo24.model.job_options import JobOptions
from cielo24.model.new_job_body import NewJobBody
from cielo24.model.new_job_response import NewJobResponse
from cielo24.model.perform_transcription_body import PerformTranscriptionBody
from cielo24.models import AddMediaResponse, PerformTranscriptionResponse


def body(**kwargs: object) -> PerformTranscriptionBody:
    args: dict[str, object] = {"job_id": "j1", "transcription_fidelity": "MECHANICAL"}
    args.update(kwargs)
    return PerformTranscriptionBody(**args)  # type: ignore[arg-type]


def test_models_are_importable_from_both_places() -> None:
    import cielo24.models as models

    assert models.NewJobBody is NewJobBody
    assert models.JobOptions is JobOptions
    assert models.ErrorResponse is ErrorResponse
    assert models.AddMediaResponse.__module__ == "cielo24.model.add_media_response"
    assert models.PerformTranscriptionResponse.__module__.endswith("perform_transcription_response")


def test_priority_defaults_to_standard_and_is_sent() -> None:
    assert body().priority == "STANDARD"
    assert body().to_wire()["priority"] == "STANDARD"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"transcription_fidelity": "HIGH"}, cielo24.ApiValueError, "'HIGH'"),
        ({"priority": "CRITICAL"}, cielo24.ApiValueError, "'CRITICAL'"),
        ({"job_id": ""}, cielo24.ApiValueError, "job_id"),
        ({"job_id": None}, cielo24.ApiValueError, "job_id"),
        ({"job_id": 5}, cielo24.ApiTypeError, "got int: 5"),
        ({"turnaround_hours": "36"}, cielo24.ApiTypeError, "turnaround_hours"),
        ({"turnaround_hours": 0}, cielo24.ApiValueError, "got 0"),
        ({"turnaround_hours": True}, cielo24.ApiTypeError, "got bool"),
        ({"callback_url": "www.example.com/cb"}, cielo24.ApiValueError, "www.example.com/cb"),
        ({"options": "{notes: x}"}, cielo24.ApiValueError, "{notes: x}"),
        ({"options": "[1, 2]"}, cielo24.ApiValueError, "[1, 2]"),
        ({"options": {"return_iwp": ["FINAL", "LAST"]}}, cielo24.ApiValueError, "'LAST'"),
        ({"options": {"speaker_id": "maybe"}}, cielo24.ApiTypeError, "maybe"),
        ({"options": 7}, cielo24.ApiTypeError, "options"),
        ({"target_language": ["de", 3]}, cielo24.ApiTypeError, "target_language[1]"),
        ({"colour": "red"}, cielo24.ApiTypeError, "'colour'"),
    ],
)
def test_bad_values_are_refused_with_the_value_named(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as caught:
        body(**kwargs)
    assert message in str(caught.value)


def test_missing_required_fields_are_named() -> None:
    with pytest.raises(cielo24.ApiTypeError, match="job_id, transcription_fidelity"):
        PerformTranscriptionBody()  # type: ignore[call-arg]


def test_setting_a_field_is_checked_too() -> None:
    b = body()
    with pytest.raises(cielo24.ApiValueError, match="'SOON'"):
        b.priority = "SOON"
    with pytest.raises(cielo24.ApiTypeError, match="'prority'"):
        b.prority = "PRIORITY"  # type: ignore[attr-defined]
    b.priority = "PRIORITY"
    assert b.priority == "PRIORITY"


def test_is_duplicate_takes_bools_and_any_case() -> None:
    assert NewJobBody(is_duplicate=True).is_duplicate == "true"
    assert NewJobBody(is_duplicate="FALSE").is_duplicate == "false"
    with pytest.raises(cielo24.ApiValueError, match="'yes'"):
        NewJobBody(is_duplicate="yes")


def test_options_are_sent_as_one_json_string_in_every_form() -> None:
    expected = {"notes": "test", "speaker_id": True, "return_iwp": ["FINAL"]}
    as_string = body(options=json.dumps(expected)).to_wire()["options"]
    as_dict = body(options={"notes": "test", "speaker_id": "true", "return_iwp": ["FINAL"]})
    as_model = body(options=JobOptions(notes="test", speaker_id=True, return_iwp=["FINAL"]))
    assert json.loads(as_string) == expected
    assert json.loads(as_dict.to_wire()["options"]) == expected
    assert json.loads(as_model.to_wire()["options"]) == expected
    # the documented string is sent exactly as given
    assert body(options='{"notes": "test"}').to_wire()["options"] == '{"notes": "test"}'


def test_unknown_option_keys_are_kept_and_sent() -> None:
    wire = body(options={"notes": "n", "new_option": 1}).to_wire()
    assert json.loads(wire["options"]) == {"notes": "n", "new_option": 1}


def test_target_language_list_is_joined_with_commas() -> None:
    assert body(target_language=["de", "fr"]).to_wire()["target_language"] == "de,fr"
    assert body(target_language="de,fr").to_wire()["target_language"] == "de,fr"


def test_unset_fields_are_left_out() -> None:
    assert NewJobBody(job_name="a").to_wire() == {"job_name": "a"}
    assert NewJobBody().to_wire() == {}
    assert NewJobBody(job_name="a", language=None).to_dict() == {"job_name": "a"}


def test_value_semantics_and_repr() -> None:
    a = NewJobBody(job_name="talk", expected_speakers=2)
    assert a == NewJobBody(expected_speakers=2, job_name="talk")
    assert a != NewJobBody(job_name="talk")
    assert a != NewJobResponse()
    assert repr(a) == "NewJobBody(job_name='talk', expected_speakers=2)"


def test_dict_round_trip() -> None:
    b = body(options={"notes": "x"}, callback_url="https://example.com/cb?id={job_id}")
    assert PerformTranscriptionBody.from_dict(b.to_dict()) == b
    nested = JobOptions.from_dict({"custom_metadata": {"k": "v"}, "music_lyrics": "false"})
    assert nested.to_dict() == {"custom_metadata": {"k": "v"}, "music_lyrics": False}
    with pytest.raises(cielo24.ApiTypeError, match="mapping"):
        NewJobBody.from_dict(["job_name"])  # type: ignore[arg-type]


def test_from_dict_checks_known_fields() -> None:
    with pytest.raises(cielo24.ApiValueError, match="'FAST'"):
        PerformTranscriptionBody.from_dict(
            {"job_id": "j", "transcription_fidelity": "MECHANICAL", "priority": "FAST"}
        )


def test_responses_map_camel_case_and_keep_unknown_fields() -> None:
    r = NewJobResponse.from_wire({"JobId": "j1", "TaskId": "t1", "ShardName": "east"})
    assert (r.job_id, r.task_id) == ("j1", "t1")
    assert r["JobId"] == r["job_id"] == "j1"
    assert r["ShardName"] == "east"
    assert r.shard_name == "east"
    assert "JobId" in r and "ShardName" in r and "Nope" not in r
    assert r.to_dict() == {"job_id": "j1", "task_id": "t1", "ShardName": "east"}
    with pytest.raises(KeyError):
        r["Nope"]
    with pytest.raises(AttributeError):
        r.nope  # noqa: B018


def test_responses_keep_values_the_sdk_does_not_know() -> None:
    # responses are not checked: a type or value the SDK would refuse in a request is kept
    r = AddMediaResponse.from_wire({"TaskId": 12345})
    assert r.task_id == 12345
    p = PerformTranscriptionResponse.from_wire({"TaskId": "t", "Priority": "CRITICAL"})
    assert p["Priority"] == "CRITICAL"


def test_error_response_reads_the_service_keys() -> None:
    e = ErrorResponse.from_wire({"ErrorType": "ITEM_NOT_FOUND", "ErrorComment": "no job"})
    assert (e.error_type, e.error_comment) == ("ITEM_NOT_FOUND", "no job")


def test_a_field_with_a_default_cannot_be_set_to_none() -> None:
    with pytest.raises(cielo24.ApiValueError, match="priority must not be None"):
        body(priority=None)


def test_options_dict_becomes_job_options_and_round_trips() -> None:
    b = body(options={"notes": "n", "speaker_id": "false"})
    assert b.options == JobOptions(notes="n", speaker_id=False)
    assert PerformTranscriptionBody.from_dict(b.to_dict()) == b


def test_options_string_is_checked_but_sent_as_given() -> None:
    with pytest.raises(cielo24.ApiValueError, match="'SOMETIMES'"):
        body(options='{"return_iwp": ["SOMETIMES"]}')
    assert body(options='{"speaker_id":"true"}').to_wire()["options"] == '{"speaker_id":"true"}'


def test_job_info_reads_both_external_id_spellings_and_open_enums() -> None:
    from cielo24.models import JobInfoResponse

    a = JobInfoResponse.from_wire(
        {"ExternalID": "x1", "Fidelity": "STANDARD", "Priority": "CRITICAL"}
    )
    b = JobInfoResponse.from_wire(
        {"ExternalId": "x2", "Fidelity": "HIGH", "JobStatus": "Reviewing"}
    )
    assert (a.external_id, b.external_id) == ("x1", "x2")
    assert (a.fidelity, a.requested_fidelity, a.priority) == ("STANDARD", "PREMIUM", "CRITICAL")
    assert (b.fidelity, b.requested_fidelity, b.job_status) == ("HIGH", "PROFESSIONAL", "Reviewing")


def test_dates_parse_and_empty_dates_are_none() -> None:
    import datetime as dt

    from cielo24.models import JobInfoResponse

    info = JobInfoResponse.from_wire(
        {
            "CreationDate": "2014-08-27T14:00:06.472706",
            "DueDate": "2014-08-29T14:00:06Z",
            "CompletedDate": "",
            "StartDate": None,
            "ReturnDate": "not a date",
        }
    )
    assert info.creation_date == dt.datetime(2014, 8, 27, 14, 0, 6, 472706)
    assert info.due_date == dt.datetime(2014, 8, 29, 14, 0, 6, tzinfo=dt.timezone.utc)
    assert (
        info.completed_date is None and info.start_date is None and info.authorization_date is None
    )
    assert info.return_date == "not a date"  # kept, never fatal


def test_element_list_is_read_into_nested_models() -> None:
    from cielo24.models import ElementList, MetaToken, Segment, Speaker, TimeRange, Token

    data = {
        "version": 3,
        "language": "en",
        "segments": [
            {
                "speaker_id": 1,
                "sequences": [
                    {"tokens": [{"value": "hello", "display_as": "Hello", "type": "word"}]},
                    {
                        "tokens": [
                            {"value": "world", "type": "word"},
                            {"value": ".", "type": "punctuation", "tags": ["ENDS_SENTENCE"]},
                        ]
                    },
                ],
            }
        ],
        "speakers": [{"id": 1, "name": "Alice", "gender": "Female"}],
        "keywords": {"hello": {"time_ranges": [{"start_time": 0, "end_time": 500}]}},
        "new_section": [1, 2],
    }
    element_list = ElementList.from_wire(data)
    segment = (element_list.segments or [])[0]
    assert isinstance(segment, Segment)
    assert isinstance((segment.sequences or [])[0].tokens[0], Token)  # type: ignore[index]
    assert isinstance((element_list.speakers or [])[0], Speaker)
    keyword = (element_list.keywords or {})["hello"]
    assert isinstance(keyword, MetaToken)
    assert (keyword.time_ranges or [])[0] == TimeRange(start_time=0, end_time=500)
    assert element_list.text() == "Hello world."
    assert element_list["new_section"] == [1, 2]
    assert ElementList.from_dict(element_list.to_dict()) == element_list


def test_secrets_are_masked_in_reprs() -> None:
    from cielo24.models import GenerateApiKeyResponse, LoginResponse

    login = LoginResponse.from_wire({"ApiToken": "a" * 32})
    assert login.api_token == "a" * 32
    assert repr(login) == "LoginResponse(api_token='***')"
    assert LoginResponse.from_wire({"api_token": "b" * 32}).api_token == "b" * 32
    assert "c" * 32 not in repr(GenerateApiKeyResponse.from_wire({"ApiKey": "c" * 32}))


def test_every_typed_option_is_a_checked_parameter() -> None:
    from cielo24.api.account_api import AccountApi
    from cielo24.api.endpoint import declared
    from cielo24.api.job_api import JobApi, JobListFilters
    from cielo24.api.output_options import CaptionOptions, TranscriptOptions

    job = declared(JobApi)
    # a TypedDict's annotations include its bases'
    assert job["get_transcript"].ready().param_names == {
        "v",
        "job_id",
        *TranscriptOptions.__annotations__,
    }
    assert job["get_caption"].ready().param_names == {
        "v",
        "job_id",
        "caption_format",
        "build_url",
        *CaptionOptions.__annotations__,
    }
    assert job["job_list"].ready().param_names == {"v", *JobListFilters.__annotations__}
    wires = {p.wire for p in job["job_list"].ready().params}
    assert {"ExternalID", "ExternalId", "Username", "username", "CreationDateFrom"} <= wires
    assert len(declared(JobApi)) + len(declared(AccountApi)) == 35


def test_from_dict_reads_a_stored_answer_like_the_service_s() -> None:
    import datetime as dt

    from cielo24.models import JobInfoResponse

    stored = {"JobId": "j", "CreationDate": "2014-08-27T14:00:06.472706", "CompletedDate": ""}
    info = JobInfoResponse.from_dict(stored)
    assert info == JobInfoResponse.from_wire(stored)
    assert info.creation_date == dt.datetime(2014, 8, 27, 14, 0, 6, 472706)
    assert info.completed_date is None
    with pytest.raises(cielo24.ApiValueError, match="ISO 8601"):
        JobInfoResponse.from_dict({"DueDate": "next tuesday"})
