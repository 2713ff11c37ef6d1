"""Models: checks when built, value semantics, dict round trips, tolerant reading."""

from __future__ import annotations

import importlib
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
    assert a != NewJobResponse(job_id="j", task_id="t")
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

    def token(value: str, display_as: str, kind: str, start: int, *tags: str) -> object:
        return {
            "value": value,
            "display_as": display_as,
            "type": kind,
            "tags": list(tags),
            "start_time": start,
            "end_time": start + 10,
            "interpolated": False,
        }

    data = {
        "version": 3,
        "language": "en",
        "start_time": 0,
        "end_time": 30,
        "segments": [
            {
                "speaker_id": 1,
                "speaker_change": True,
                "start_time": 0,
                "end_time": 30,
                "sequences": [
                    {
                        "start_time": 0,
                        "end_time": 10,
                        "tokens": [token("hello", "Hello", "word", 0)],
                    },
                    {
                        "start_time": 10,
                        "end_time": 30,
                        "tokens": [
                            token("world", "world", "word", 10),
                            token(".", ".", "punctuation", 20, "ENDS_SENTENCE"),
                        ],
                    },
                ],
            }
        ],
        "speakers": [{"id": 1, "name": "Alice", "gender": "Female"}],
        "keywords": {"hello": {"time_ranges": [{"start_time": 0, "end_time": 500}]}},
        "new_section": [1, 2],
    }
    element_list = ElementList.from_wire(data)
    segment = element_list.segments[0]
    assert isinstance(segment, Segment)
    assert isinstance(segment.sequences[0].tokens[0], Token)
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

    stored = {
        "JobId": "j",
        "JobStatus": "Complete",
        "CreationDate": "2014-08-27T14:00:06.472706",
        "CompletedDate": "",
    }
    info = JobInfoResponse.from_dict(stored)
    assert info == JobInfoResponse.from_wire(stored)
    assert info.creation_date == dt.datetime(2014, 8, 27, 14, 0, 6, 472706)
    assert info.completed_date is None
    with pytest.raises(cielo24.ApiValueError, match="ISO 8601"):
        JobInfoResponse.from_dict({**stored, "DueDate": "next tuesday"})
    with pytest.raises(cielo24.ApiTypeError, match="job_status"):
        JobInfoResponse.from_dict({"JobId": "j"})


def test_a_field_the_service_always_sends_raises_a_field_error_when_it_did_not() -> None:
    from cielo24.models import JobInfoResponse

    info = JobInfoResponse.from_wire({"JobId": "j", "JobName": "talk"})  # no JobStatus
    assert (info.job_id, info.job_name, info.fidelity) == ("j", "talk", None)
    for read in (lambda: info.job_status, lambda: info["JobStatus"], lambda: info["job_status"]):
        with pytest.raises(cielo24.MissingFieldError) as caught:
            read()
        assert "no field 'job_status'" in str(caught.value) and "'JobStatus'" in str(caught.value)
        error = caught.value
        assert isinstance(error, AttributeError) and isinstance(error, KeyError)
        assert isinstance(error, cielo24.ApiKeyError) and isinstance(
            error, cielo24.ApiAttributeError
        )
    assert "JobStatus" not in info and getattr(info, "job_status", "gone") == "gone"
    assert info.to_dict() == {"job_id": "j", "job_name": "talk"}
    assert repr(info) == "JobInfoResponse(job_id='j', job_name='talk')"


def test_an_attribute_no_model_declares_is_an_attribute_error_naming_the_field() -> None:
    from cielo24.models import JobInfoResponse

    info = JobInfoResponse.from_wire({"JobId": "j", "JobStatus": "Complete", "Tasks": []})
    assert info.tasks == []  # type: ignore[attr-defined]  # a key the SDK does not know
    with pytest.raises(cielo24.ApiAttributeError, match="no field 'job_statuss'"):
        info.job_statuss  # type: ignore[attr-defined]  # noqa: B018
    assert not hasattr(info, "job_statuss")


def test_response_models_built_by_hand_need_the_fields_the_service_always_sends() -> None:
    from cielo24.models import JobInfoResponse, JobListResponse, LoginResponse

    with pytest.raises(cielo24.ApiTypeError, match="job_id, job_status"):
        JobInfoResponse()  # type: ignore[call-arg]
    info = JobInfoResponse(job_id="j", job_status="Complete")
    assert info.job_status == "Complete" and info.job_name is None
    assert repr(LoginResponse(api_token="t" * 32)) == "LoginResponse(api_token='***')"
    listed = JobListResponse(username="me", active_jobs=[info])
    assert listed.active_jobs == [info]


def test_job_list_iterates_over_its_jobs_and_has_a_length() -> None:
    from cielo24.models import JobListResponse

    listed = JobListResponse.from_wire(
        {
            "Username": "me",
            "ActiveJobs": [
                {"JobId": "a", "JobStatus": "Complete"},
                {"JobId": "b", "JobStatus": "Pending"},
            ],
        }
    )
    assert len(listed) == 2
    assert [(job.job_id, job.job_status) for job in listed] == [
        ("a", "Complete"),
        ("b", "Pending"),
    ]
    empty = JobListResponse.from_wire({"Username": "me", "ActiveJobs": []})
    assert len(empty) == 0 and list(empty) == [] and not empty


def test_closed_sets_are_literal_types_checked_at_run_time() -> None:
    from typing import get_args

    with pytest.raises(cielo24.ApiValueError, match="'MECHANICL'") as caught:
        body(transcription_fidelity="MECHANICL")
    assert "'MECHANICAL', 'PREMIUM', 'PROFESSIONAL'" in str(caught.value)
    with pytest.raises(cielo24.ApiValueError, match="'LATER'"):
        JobOptions(customer_approval_steps=["RETURN", "LATER"])  # type: ignore[list-item]
    with pytest.raises(cielo24.ApiValueError, match="'ZOOM'"):
        JobOptions(customer_approval_tool="ZOOM")  # type: ignore[arg-type]
    with pytest.raises(cielo24.ApiValueError, match="'FAST'"):
        JobOptions(first_pass_campaign="FAST")  # type: ignore[arg-type]
    fields = PerformTranscriptionBody._fields
    assert fields["transcription_fidelity"].enum == get_args(cielo24.enums.FidelityName)
    assert fields["priority"].enum == get_args(cielo24.enums.RequestPriorityName)


def test_each_class_of_named_values_equals_its_literal_type() -> None:
    from typing import get_args

    from cielo24 import enums

    pairs = {
        name: getattr(enums, name + "Name")
        for name, value in vars(enums).items()
        if isinstance(value, type) and hasattr(enums, name + "Name")
    }
    assert len(pairs) == 22  # every class of enums.py has its ...Name
    for name, literal in pairs.items():
        assert enums.enum_values(getattr(enums, name)) == get_args(literal), name
    assert (
        enums.REQUEST_PRIORITIES
        == get_args(enums.RequestPriorityName)
        == (
            enums.Priority.STANDARD,
            enums.Priority.PRIORITY,
        )
    )


def test_the_generated_client_s_names_import() -> None:
    import cielo24.apis
    import cielo24.models
    from cielo24.api.account_api import AccountApi
    from cielo24.api.job_api import JobApi
    from cielo24.model.iwp_enum import IWPEnum
    from cielo24.model.login_body import LoginBody

    # the generated client's model modules (openapi-generator 6.0.0), each with its class
    generated = {
        "add_media_response": "AddMediaResponse",
        "error_response": "ErrorResponse",
        "iwp_enum": "IWPEnum",
        "job_info_response": "JobInfoResponse",
        "job_options": "JobOptions",
        "login_body": "LoginBody",
        "login_response": "LoginResponse",
        "new_job_body": "NewJobBody",
        "new_job_response": "NewJobResponse",
        "perform_transcription_body": "PerformTranscriptionBody",
        "perform_transcription_response": "PerformTranscriptionResponse",
        "perform_translation_response": "PerformTranslationResponse",
        "verify_key_response": "VerifyKeyResponse",
    }
    for module, name in generated.items():
        imported = getattr(importlib.import_module(f"cielo24.model.{module}"), name)
        assert getattr(cielo24.models, name) is imported
    assert cielo24.models.IWPEnum is IWPEnum and cielo24.models.LoginBody is LoginBody
    assert (cielo24.apis.AccountApi, cielo24.apis.JobApi) == (AccountApi, JobApi)
    for name in ("ApiTypeError", "ApiValueError", "ApiKeyError", "ApiAttributeError"):
        assert issubclass(getattr(cielo24, name), cielo24.OpenApiException)
    assert issubclass(cielo24.ApiException, cielo24.OpenApiException)
    assert cielo24.OpenApiException is cielo24.Cielo24Error
    assert issubclass(cielo24.ApiAttributeError, AttributeError)


def test_login_body_holds_the_credentials_masked() -> None:
    from cielo24.models import LoginBody

    body = LoginBody(username="me", password="secret", securekey="k" * 32)
    assert (body.username, body.password, body.securekey) == ("me", "secret", "k" * 32)
    assert repr(body) == "LoginBody(username='me', password='***', securekey='***')"
    with pytest.raises(cielo24.ApiTypeError, match="username"):
        LoginBody(password="secret")  # type: ignore[call-arg]


def test_iwp_enum_is_the_checked_string() -> None:
    from cielo24.models import IWPEnum

    final = IWPEnum("FINAL")
    assert final == "FINAL" and final.value == "FINAL" and isinstance(final, str)
    assert IWPEnum.allowed_values[("value",)]["SPEAKER_ID"] == "SPEAKER_ID"
    options = JobOptions(return_iwp=[final, IWPEnum("MECHANICAL").value])
    assert json.loads(body(options=options).to_wire()["options"]) == {
        "return_iwp": ["FINAL", "MECHANICAL"]
    }
    with pytest.raises(cielo24.ApiValueError, match="'LAST'"):
        IWPEnum("LAST")  # type: ignore[arg-type]
