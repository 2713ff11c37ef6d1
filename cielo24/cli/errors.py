"""The command's exit codes, and which error gets which."""

from __future__ import annotations

from cielo24.exceptions import (
    ApiConnectionError,
    ApiException,
    ApiKeyError,
    ApiTypeError,
    ApiValueError,
    AuthenticationError,
    MediaFailureError,
    UnauthorizedException,
    WaitError,
    WaitTimeoutError,
)

OK = 0
#: Anything else: a file that cannot be read or written, an unexpected failure.
ERROR = 1
#: Bad command line or argument (argparse's own code): nothing was sent.
USAGE = 2
#: No credentials, inconsistent CIELO24_* variables, or credentials the service refused.
CREDENTIALS = 3
#: The service answered with an error.
SERVICE = 4
#: No answer from the service (connection refused or cut, network timeout, TLS).
CONNECTION = 5
#: The job failed: Media Failure, or done without the version waited for.
JOB_FAILED = 6
#: The job was not done before --timeout.
TIMEOUT = 7
#: Several media were transcribed and some failed (each is named; see --report).
SOME_FAILED = 8
#: Interrupted (Ctrl-C).
INTERRUPTED = 130

#: The codes and what they mean, for --help.
EXIT_CODES = {
    OK: "success",
    ERROR: "other error (e.g. a file that cannot be read or written)",
    USAGE: "usage error: bad command line or argument, nothing sent",
    CREDENTIALS: "no credentials, bad CIELO24_* variables, or credentials refused",
    SERVICE: "the service answered with an error",
    CONNECTION: "no answer from the service",
    JOB_FAILED: "the job failed (Media Failure)",
    TIMEOUT: "the job was not done before --timeout",
    SOME_FAILED: "transcribe: some of several media failed (the others succeeded)",
    INTERRUPTED: "interrupted",
}


def no_credentials(note: str | None = None) -> str:
    """What to say when the chain found no credentials: how to log in, how to try the
    emulator (and why a saved token was not used, when one was found for another host)."""
    why = f" ({note})" if note else ""
    return (
        f"no cielo24 credentials{why}. Log in once with `cielo24 login --save`, or set "
        "CIELO24_API_TOKEN (or CIELO24_USERNAME with CIELO24_PASSWORD or CIELO24_API_SECUREKEY). "
        "To try it offline against a local emulator: `cielo24 transcribe --emulator MEDIA`, or "
        "set CIELO24_EMULATOR=1"
    )


class CliError(Exception):
    """A failure to report in one line, with the exit code it means."""

    def __init__(self, message: str, code: int = ERROR) -> None:
        super().__init__(message)
        self.code = code


def exit_code(error: BaseException) -> int:
    """The exit code an error means (see EXIT_CODES)."""
    if isinstance(error, CliError):
        return error.code
    if isinstance(error, KeyboardInterrupt):
        return INTERRUPTED
    if isinstance(error, (ApiKeyError, AuthenticationError, UnauthorizedException)):
        return CREDENTIALS
    if isinstance(error, (ApiTypeError, ApiValueError)):
        return USAGE
    if isinstance(error, WaitTimeoutError):
        return TIMEOUT
    if isinstance(error, (MediaFailureError, WaitError)):
        return JOB_FAILED
    if isinstance(error, ApiConnectionError):
        return CONNECTION
    if isinstance(error, ApiException):
        return SERVICE
    return ERROR


def describe(error: BaseException) -> str:
    """A one-line message for an error (the SDK's messages never hold a secret)."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return f"{where}{error.strerror}"
    if isinstance(error, AuthenticationError):
        return f"the credentials were refused: {error}"
    return str(error) or type(error).__name__
