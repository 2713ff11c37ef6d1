"""Named values of the cielo24 API, as plain string constants, and their ``Literal`` types.

The classes are conveniences: the SDK sends any of them as the string it is, and keeps values
it does not know when the service reports them (job info says ``STANDARD`` for a PREMIUM job).
Each ``...Name`` type is the closed set of a class's values, for the parameters that take only
those, so that a type checker reports a typo (``"MECHANICL"``) before the SDK refuses it.
"""

from __future__ import annotations

from typing import Final, Literal, get_args


def enum_values(enum: type) -> tuple[str, ...]:
    """The values of one of the classes below, in the order they are declared (the same as
    ``typing.get_args`` of its ``...Name`` Literal type)."""
    return tuple(v for k, v in vars(enum).items() if k.isupper() and isinstance(v, str))


class Fidelity:
    """Fidelity asked for in perform_transcription."""

    MECHANICAL: Final = "MECHANICAL"
    PREMIUM: Final = "PREMIUM"
    PROFESSIONAL: Final = "PROFESSIONAL"


class Priority:
    """A job's priority. perform_transcription takes STANDARD or PRIORITY; the others are
    legacy values that job info may report and that modify_job and uplevel_job accept."""

    STANDARD: Final = "STANDARD"
    PRIORITY: Final = "PRIORITY"
    ECONOMY: Final = "ECONOMY"
    CRITICAL: Final = "CRITICAL"
    HIGH: Final = "HIGH"


_REQUESTED_FIDELITY = {"STANDARD": Fidelity.PREMIUM, "HIGH": Fidelity.PROFESSIONAL}


def requested_fidelity(reported: str) -> str:
    """A fidelity from job info in the request vocabulary: STANDARD -> PREMIUM,
    HIGH -> PROFESSIONAL; any other value as it is."""
    return _REQUESTED_FIDELITY.get(reported, reported)


class IWP:
    """Interim work products: the named versions of a job's transcript."""

    PREMIUM: Final = "PREMIUM"
    INTERIM_PROFESSIONAL: Final = "INTERIM_PROFESSIONAL"
    PROFESSIONAL: Final = "PROFESSIONAL"
    SPEAKER_ID: Final = "SPEAKER_ID"
    FINAL: Final = "FINAL"
    MECHANICAL: Final = "MECHANICAL"
    CUSTOMER_APPROVED_RETURN: Final = "CUSTOMER_APPROVED_RETURN"
    CUSTOMER_APPROVED_TRANSLATION: Final = "CUSTOMER_APPROVED_TRANSLATION"


class CustomerApprovalStep:
    """Points in the workflow where a job waits for the customer's approval."""

    TRANSLATION: Final = "TRANSLATION"
    RETURN: Final = "RETURN"


class CustomerApprovalTool:
    """The web tool used to approve a job."""

    AMARA: Final = "AMARA"
    CIELO24: Final = "CIELO24"


class FirstPassCampaign:
    """The first-pass transcription style (job option ``first_pass_campaign``)."""

    NORMAL: Final = "NORMAL"
    GENERAL_CONTENT: Final = "GENERAL_CONTENT"
    TRUE_VERBATIM: Final = "TRUE_VERBATIM"


class JobStatus:
    """A job's status as job info reports it."""

    AUTHORIZING: Final = "Authorizing"
    PENDING: Final = "Pending"
    IN_PROCESS: Final = "In Process"
    COMPLETE: Final = "Complete"
    MEDIA_FAILURE: Final = "Media Failure"
    REVIEWING: Final = "Reviewing"


class ErrorType:
    """The service's ``ErrorType`` values (an error may carry one the SDK does not know)."""

    LOGIN_INVALID: Final = "LOGIN_INVALID"
    ACCOUNT_EXISTS: Final = "ACCOUNT_EXISTS"
    ACCOUNT_DOES_NOT_EXIST: Final = "ACCOUNT_DOES_NOT_EXIST"
    ACCOUNT_UNPRIVILEGED: Final = "ACCOUNT_UNPRIVILEGED"
    BAD_API_TOKEN: Final = "BAD_API_TOKEN"
    INVALID_QUERY: Final = "INVALID_QUERY"
    INVALID_OPTION: Final = "INVALID_OPTION"
    INVALID_URL: Final = "INVALID_URL"
    MISSING_PARAMETER: Final = "MISSING_PARAMETER"
    NOT_IMPLEMENTED: Final = "NOT_IMPLEMENTED"
    ITEM_NOT_FOUND: Final = "ITEM_NOT_FOUND"
    INVALID_RETURN_HANDLERS: Final = "INVALID_RETURN_HANDLERS"
    NOT_PARENT_ACCOUNT: Final = "NOT_PARENT_ACCOUNT"
    NO_CHILDREN_FOUND: Final = "NO_CHILDREN_FOUND"
    UNHANDLED_ERROR: Final = "UNHANDLED_ERROR"


class JobDifficulty:
    """How hard the media is to transcribe, as job info reports it."""

    GOOD: Final = "Good"
    BAD: Final = "Bad"
    UNKNOWN: Final = "Unknown"


class CaptionFormat:
    """Caption formats of get_caption."""

    DFXP: Final = "DFXP"
    ECHO: Final = "ECHO"
    QT: Final = "QT"
    SAMI: Final = "SAMI"
    SBV: Final = "SBV"
    SCC: Final = "SCC"
    SRT: Final = "SRT"
    TPM: Final = "TPM"
    TRANSCRIPT: Final = "TRANSCRIPT"
    TWX: Final = "TWX"
    WEB_VTT: Final = "WEB_VTT"


class SpeakerId:
    """How captions show who speaks (``display_speaker_id``)."""

    NO: Final = "no"
    NUMBER: Final = "number"
    NAME: Final = "name"


class Case:
    """Forced case of captions (``force_case``); NONE leaves it unchanged."""

    NONE: Final = ""
    LOWER: Final = "lower"
    UPPER: Final = "upper"


class LineEnding:
    """Line endings of captions (``line_ending_format``)."""

    UNIX: Final = "UNIX"
    WINDOWS: Final = "WINDOWS"
    OSX: Final = "OSX"


class SoundTag:
    """Tags of sound tokens (``remove_sounds_list``, ``sound_tokens_by_*_list``)."""

    UNKNOWN: Final = "UNKNOWN"
    INAUDIBLE: Final = "INAUDIBLE"
    CROSSTALK: Final = "CROSSTALK"
    MUSIC: Final = "MUSIC"
    NOISE: Final = "NOISE"
    LAUGH: Final = "LAUGH"
    COUGH: Final = "COUGH"
    FOREIGN: Final = "FOREIGN"
    BLANK_AUDIO: Final = "BLANK_AUDIO"
    APPLAUSE: Final = "APPLAUSE"
    BLEEP: Final = "BLEEP"
    ENDS_SENTENCE: Final = "ENDS_SENTENCE"


class EnglishSpelling:
    """Spelling of English outputs (``replace_english_spelling``)."""

    AMERICAN: Final = "A"
    BRITISH: Final = "B"
    BRITISH_IZE: Final = "Z"
    AUSTRALIAN: Final = "U"
    CANADIAN: Final = "C"


class TranscriptFileFormat:
    """File formats of get_transcript (``file_format``)."""

    TXT: Final = "txt"
    HTML: Final = "html"
    PDF: Final = "pdf"


class TokenType:
    """Types of element list tokens."""

    WORD: Final = "word"
    PUNCTUATION: Final = "punctuation"
    SOUND: Final = "sound"


class SpeakerGender:
    """Genders of element list speakers (the service writes them in any case)."""

    UNKNOWN: Final = "UNKNOWN"
    MALE: Final = "MALE"
    FEMALE: Final = "FEMALE"


class TranscriptFormat:
    """Formats of a transcript given to add_transcript_url / add_transcript_file."""

    TEXT: Final = "text"
    SRT: Final = "srt"
    VTT: Final = "vtt"
    DFXP: Final = "dfxp"


class MediaFlavor:
    """Media versions of get_transcoded_media and download_media."""

    MP4: Final = "mp4"
    MP3: Final = "mp3"


class Metric:
    """Metrics of aggregate_statistics."""

    BILLABLE_MINUTES_TOTAL: Final = "billable_minutes_total"
    BILLABLE_MINUTES_MECHANICAL: Final = "billable_minutes_mechanical"
    BILLABLE_MINUTES_PREMIUM: Final = "billable_minutes_premium"
    BILLABLE_MINUTES_PROFESSIONAL: Final = "billable_minutes_professional"
    BILLABLE_MINUTES_FOREIGN_TRANSCRIPTION: Final = "billable_minutes_foreign_transcription"
    BILLABLE_MINUTES_TRANSLATION: Final = "billable_minutes_translation"
    BILLABLE_MINUTES_ENGLISH_TRANSCRIPTION: Final = "billable_minutes_english_transcription"


class GroupBy:
    """Periods of aggregate_statistics."""

    WEEK: Final = "week"
    MONTH: Final = "month"


class AccountSetting:
    """Settings of update_setting."""

    DEFAULT_JOB_NOTES: Final = "default_job_notes"
    REQUIRE_CUSTOMER_AUTHORIZATION: Final = (
        "require_customer_authorization_before_starting_workflow"
    )
    CUSTOMER_AUTHORIZATION_REQUIRED_MECHANICAL: Final = "customer_authorization_required_mechanical"


# The Literal type of each class above (each constant is ``Final``, so ``Fidelity.PREMIUM`` is
# of type ``Literal["PREMIUM"]`` and fits a FidelityName): test_models keeps them equal.
FidelityName = Literal["MECHANICAL", "PREMIUM", "PROFESSIONAL"]
PriorityName = Literal["STANDARD", "PRIORITY", "ECONOMY", "CRITICAL", "HIGH"]
IWPName = Literal[
    "PREMIUM",
    "INTERIM_PROFESSIONAL",
    "PROFESSIONAL",
    "SPEAKER_ID",
    "FINAL",
    "MECHANICAL",
    "CUSTOMER_APPROVED_RETURN",
    "CUSTOMER_APPROVED_TRANSLATION",
]
CustomerApprovalStepName = Literal["TRANSLATION", "RETURN"]
CustomerApprovalToolName = Literal["AMARA", "CIELO24"]
FirstPassCampaignName = Literal["NORMAL", "GENERAL_CONTENT", "TRUE_VERBATIM"]
JobStatusName = Literal[
    "Authorizing", "Pending", "In Process", "Complete", "Media Failure", "Reviewing"
]
JobDifficultyName = Literal["Good", "Bad", "Unknown"]
CaptionFormatName = Literal[
    "DFXP", "ECHO", "QT", "SAMI", "SBV", "SCC", "SRT", "TPM", "TRANSCRIPT", "TWX", "WEB_VTT"
]
SpeakerIdName = Literal["no", "number", "name"]
CaseName = Literal["", "lower", "upper"]
LineEndingName = Literal["UNIX", "WINDOWS", "OSX"]
SoundTagName = Literal[
    "UNKNOWN",
    "INAUDIBLE",
    "CROSSTALK",
    "MUSIC",
    "NOISE",
    "LAUGH",
    "COUGH",
    "FOREIGN",
    "BLANK_AUDIO",
    "APPLAUSE",
    "BLEEP",
    "ENDS_SENTENCE",
]
EnglishSpellingName = Literal["A", "B", "Z", "U", "C"]
TranscriptFileFormatName = Literal["txt", "html", "pdf"]
TokenTypeName = Literal["word", "punctuation", "sound"]
SpeakerGenderName = Literal["UNKNOWN", "MALE", "FEMALE"]
TranscriptFormatName = Literal["text", "srt", "vtt", "dfxp"]
MediaFlavorName = Literal["mp4", "mp3"]
MetricName = Literal[
    "billable_minutes_total",
    "billable_minutes_mechanical",
    "billable_minutes_premium",
    "billable_minutes_professional",
    "billable_minutes_foreign_transcription",
    "billable_minutes_translation",
    "billable_minutes_english_transcription",
]
GroupByName = Literal["week", "month"]
AccountSettingName = Literal[
    "default_job_notes",
    "require_customer_authorization_before_starting_workflow",
    "customer_authorization_required_mechanical",
]
RequestPriorityName = Literal["STANDARD", "PRIORITY"]

#: The priorities perform_transcription takes.
REQUEST_PRIORITIES: tuple[RequestPriorityName, ...] = get_args(RequestPriorityName)
