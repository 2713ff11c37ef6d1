"""Named values of the cielo24 API, as plain string constants, and their ``Literal`` types.

The classes are conveniences: the SDK sends any of them as the string it is, and keeps values
it does not know when the service reports them (job info says ``STANDARD`` for a PREMIUM job).
Each ``...Name`` type is the closed set of a class's values, for the parameters that take only
those, so that a type checker reports a typo (``"MECHANICL"``) before the SDK refuses it.
"""

from __future__ import annotations

from typing import Literal


def enum_values(enum: type) -> tuple[str, ...]:
    """The values of one of the classes below, in the order they are declared."""
    return tuple(v for k, v in vars(enum).items() if k.isupper() and isinstance(v, str))


class Fidelity:
    """Fidelity asked for in perform_transcription."""

    MECHANICAL = "MECHANICAL"
    PREMIUM = "PREMIUM"
    PROFESSIONAL = "PROFESSIONAL"


class Priority:
    """A job's priority. perform_transcription takes STANDARD or PRIORITY; the others are
    legacy values that job info may report and that modify_job and uplevel_job accept."""

    STANDARD = "STANDARD"
    PRIORITY = "PRIORITY"
    ECONOMY = "ECONOMY"
    CRITICAL = "CRITICAL"
    HIGH = "HIGH"


#: The priorities perform_transcription takes.
REQUEST_PRIORITIES = (Priority.STANDARD, Priority.PRIORITY)

_REQUESTED_FIDELITY = {"STANDARD": Fidelity.PREMIUM, "HIGH": Fidelity.PROFESSIONAL}


def requested_fidelity(reported: str) -> str:
    """A fidelity from job info in the request vocabulary: STANDARD -> PREMIUM,
    HIGH -> PROFESSIONAL; any other value as it is."""
    return _REQUESTED_FIDELITY.get(reported, reported)


class IWP:
    """Interim work products: the named versions of a job's transcript."""

    PREMIUM = "PREMIUM"
    INTERIM_PROFESSIONAL = "INTERIM_PROFESSIONAL"
    PROFESSIONAL = "PROFESSIONAL"
    SPEAKER_ID = "SPEAKER_ID"
    FINAL = "FINAL"
    MECHANICAL = "MECHANICAL"
    CUSTOMER_APPROVED_RETURN = "CUSTOMER_APPROVED_RETURN"
    CUSTOMER_APPROVED_TRANSLATION = "CUSTOMER_APPROVED_TRANSLATION"


class CustomerApprovalStep:
    """Points in the workflow where a job waits for the customer's approval."""

    TRANSLATION = "TRANSLATION"
    RETURN = "RETURN"


class CustomerApprovalTool:
    """The web tool used to approve a job."""

    AMARA = "AMARA"
    CIELO24 = "CIELO24"


class FirstPassCampaign:
    """The first-pass transcription style (job option ``first_pass_campaign``)."""

    NORMAL = "NORMAL"
    GENERAL_CONTENT = "GENERAL_CONTENT"
    TRUE_VERBATIM = "TRUE_VERBATIM"


class JobStatus:
    """A job's status as job info reports it."""

    AUTHORIZING = "Authorizing"
    PENDING = "Pending"
    IN_PROCESS = "In Process"
    COMPLETE = "Complete"
    MEDIA_FAILURE = "Media Failure"
    REVIEWING = "Reviewing"


class ErrorType:
    """The service's ``ErrorType`` values (an error may carry one the SDK does not know)."""

    LOGIN_INVALID = "LOGIN_INVALID"
    ACCOUNT_EXISTS = "ACCOUNT_EXISTS"
    ACCOUNT_DOES_NOT_EXIST = "ACCOUNT_DOES_NOT_EXIST"
    ACCOUNT_UNPRIVILEGED = "ACCOUNT_UNPRIVILEGED"
    BAD_API_TOKEN = "BAD_API_TOKEN"
    INVALID_QUERY = "INVALID_QUERY"
    INVALID_OPTION = "INVALID_OPTION"
    INVALID_URL = "INVALID_URL"
    MISSING_PARAMETER = "MISSING_PARAMETER"
    NOT_IMPLEMENTED = "NOT_IMPLEMENTED"
    ITEM_NOT_FOUND = "ITEM_NOT_FOUND"
    INVALID_RETURN_HANDLERS = "INVALID_RETURN_HANDLERS"
    NOT_PARENT_ACCOUNT = "NOT_PARENT_ACCOUNT"
    NO_CHILDREN_FOUND = "NO_CHILDREN_FOUND"
    UNHANDLED_ERROR = "UNHANDLED_ERROR"


class JobDifficulty:
    """How hard the media is to transcribe, as job info reports it."""

    GOOD = "Good"
    BAD = "Bad"
    UNKNOWN = "Unknown"


class CaptionFormat:
    """Caption formats of get_caption."""

    DFXP = "DFXP"
    ECHO = "ECHO"
    QT = "QT"
    SAMI = "SAMI"
    SBV = "SBV"
    SCC = "SCC"
    SRT = "SRT"
    TPM = "TPM"
    TRANSCRIPT = "TRANSCRIPT"
    TWX = "TWX"
    WEB_VTT = "WEB_VTT"


class SpeakerId:
    """How captions show who speaks (``display_speaker_id``)."""

    NO = "no"
    NUMBER = "number"
    NAME = "name"


class Case:
    """Forced case of captions (``force_case``); NONE leaves it unchanged."""

    NONE = ""
    LOWER = "lower"
    UPPER = "upper"


class LineEnding:
    """Line endings of captions (``line_ending_format``)."""

    UNIX = "UNIX"
    WINDOWS = "WINDOWS"
    OSX = "OSX"


class SoundTag:
    """Tags of sound tokens (``remove_sounds_list``, ``sound_tokens_by_*_list``)."""

    UNKNOWN = "UNKNOWN"
    INAUDIBLE = "INAUDIBLE"
    CROSSTALK = "CROSSTALK"
    MUSIC = "MUSIC"
    NOISE = "NOISE"
    LAUGH = "LAUGH"
    COUGH = "COUGH"
    FOREIGN = "FOREIGN"
    BLANK_AUDIO = "BLANK_AUDIO"
    APPLAUSE = "APPLAUSE"
    BLEEP = "BLEEP"
    ENDS_SENTENCE = "ENDS_SENTENCE"


class EnglishSpelling:
    """Spelling of English outputs (``replace_english_spelling``)."""

    AMERICAN = "A"
    BRITISH = "B"
    BRITISH_IZE = "Z"
    AUSTRALIAN = "U"
    CANADIAN = "C"


class TranscriptFileFormat:
    """File formats of get_transcript (``file_format``)."""

    TXT = "txt"
    HTML = "html"
    PDF = "pdf"


class TokenType:
    """Types of element list tokens."""

    WORD = "word"
    PUNCTUATION = "punctuation"
    SOUND = "sound"


class SpeakerGender:
    """Genders of element list speakers (the service writes them in any case)."""

    UNKNOWN = "UNKNOWN"
    MALE = "MALE"
    FEMALE = "FEMALE"


class TranscriptFormat:
    """Formats of a transcript given to add_transcript_url / add_transcript_file."""

    TEXT = "text"
    SRT = "srt"
    VTT = "vtt"
    DFXP = "dfxp"


class MediaFlavor:
    """Media versions of get_transcoded_media and download_media."""

    MP4 = "mp4"
    MP3 = "mp3"


class Metric:
    """Metrics of aggregate_statistics."""

    BILLABLE_MINUTES_TOTAL = "billable_minutes_total"
    BILLABLE_MINUTES_MECHANICAL = "billable_minutes_mechanical"
    BILLABLE_MINUTES_PREMIUM = "billable_minutes_premium"
    BILLABLE_MINUTES_PROFESSIONAL = "billable_minutes_professional"
    BILLABLE_MINUTES_FOREIGN_TRANSCRIPTION = "billable_minutes_foreign_transcription"
    BILLABLE_MINUTES_TRANSLATION = "billable_minutes_translation"
    BILLABLE_MINUTES_ENGLISH_TRANSCRIPTION = "billable_minutes_english_transcription"


class GroupBy:
    """Periods of aggregate_statistics."""

    WEEK = "week"
    MONTH = "month"


class AccountSetting:
    """Settings of update_setting."""

    DEFAULT_JOB_NOTES = "default_job_notes"
    REQUIRE_CUSTOMER_AUTHORIZATION = "require_customer_authorization_before_starting_workflow"
    CUSTOMER_AUTHORIZATION_REQUIRED_MECHANICAL = "customer_authorization_required_mechanical"


# The Literal type of each class above: keep them equal (test_models checks).
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
