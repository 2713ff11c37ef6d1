"""Named values of the cielo24 API, as plain string constants.

They are conveniences: the SDK sends any of them as the string it is, and keeps values it does
not know when the service reports them (job info says ``STANDARD`` for a PREMIUM job).
"""

from __future__ import annotations


def enum_values(enum: type) -> tuple[str, ...]:
    """The values of one of the classes below, in the order they are declared."""
    return tuple(v for k, v in vars(enum).items() if k.isupper() and isinstance(v, str))


class Fidelity:
    """Fidelity asked for in perform_transcription."""

    MECHANICAL = "MECHANICAL"
    PREMIUM = "PREMIUM"
    PROFESSIONAL = "PROFESSIONAL"


class Priority:
    """Priority asked for in perform_transcription."""

    STANDARD = "STANDARD"
    PRIORITY = "PRIORITY"


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
