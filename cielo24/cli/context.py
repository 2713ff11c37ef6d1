"""What every command runs with: its arguments, its output, and a client it opens once."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cielo24 import credentials
from cielo24.api_client import ApiClient
from cielo24.cli.errors import CREDENTIALS, CliError, no_credentials
from cielo24.cli.output import Output
from cielo24.configuration import Configuration
from cielo24.exceptions import ApiValueError

if TYPE_CHECKING:
    from cielo24.api.job_api import JobApi
    from cielo24.emulator import Emulator

#: The variable that asks for the in-process emulator, as --emulator does.
EMULATOR_VARIABLE = "CIELO24_EMULATOR"

EMULATOR_NOTICE = (
    "running against a local emulator: its captions are a sample, not your media's. "
    "To use the service, run `cielo24 login --save` (or set CIELO24_API_TOKEN) and leave out "
    f"--emulator and {EMULATOR_VARIABLE}"
)


class Context:
    """A command's arguments, output and environment, and the client it calls through.

    The client (and an emulator, when one is used) is made on first use and closed by
    :meth:`close`.
    """

    def __init__(
        self, args: argparse.Namespace, output: Output, environ: Mapping[str, str] | None = None
    ) -> None:
        self.args = args
        self.output = output
        self.environ = dict(os.environ if environ is None else environ)
        self._client: ApiClient | None = None
        self._emulator: Emulator | None = None

    @property
    def emulator_asked(self) -> bool:
        """Whether --emulator (or CIELO24_EMULATOR=1) asks for the in-process emulator."""
        value = self.environ.get(EMULATOR_VARIABLE, "").strip().lower()
        return bool(getattr(self.args, "emulator", False)) or value not in ("", "0", "false", "no")

    def resolved(
        self, *, credentials_too: bool = True, environ: Mapping[str, str] | None = None
    ) -> credentials.Resolved:
        """The credential chain with --host, --server and --profile (see cielo24.credentials),
        on the command's environment (or ``environ``).

        Raises:
            CliError (CREDENTIALS): inconsistent variables, a missing profile, a credentials
                file others can write.
        """
        try:
            return credentials.resolve(
                self.environ if environ is None else environ,
                host=getattr(self.args, "host", None),
                server=getattr(self.args, "server", None),
                profile=getattr(self.args, "profile", None),
                credentials=credentials_too,
            )
        except ApiValueError as exc:
            raise CliError(str(exc), CREDENTIALS) from None

    def configuration(self) -> Configuration:
        """A local emulator's Configuration with ``--emulator`` (or CIELO24_EMULATOR=1), else
        the service's, from the credential chain.

        Raises:
            CliError (CREDENTIALS): no usable credentials; the message says how to log in and
                how to try the emulator.
        """
        if self.emulator_asked:
            configuration = self._start_emulator()
        else:
            found = self.resolved()
            if not found.has_credentials:
                raise CliError(no_credentials(found.note), CREDENTIALS)
            configuration = found.configuration()
        if getattr(self.args, "debug", False):
            configuration.debug = True
        return configuration

    def client(self, configuration: Configuration | None = None) -> ApiClient:
        """The command's ApiClient, made on first use from ``configuration`` (by default
        :meth:`configuration`)."""
        if self._client is None:
            self._client = ApiClient(configuration or self.configuration())
        return self._client

    def jobs(self) -> JobApi:
        """A JobApi on the command's client."""
        from cielo24.api.job_api import JobApi

        return JobApi(self.client())

    def _start_emulator(self) -> Configuration:
        from cielo24.emulator import Emulator

        if self._emulator is None:
            self._emulator = Emulator().start()
            self.output.notice(EMULATOR_NOTICE)
        return self._emulator.configuration()

    def close(self) -> None:
        """Close the client and stop the emulator."""
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._emulator is not None:
            self._emulator.stop()
            self._emulator = None


def check_readable(path: str) -> None:
    """Refuse a local file that cannot be read, before anything is sent.

    Raises:
        CliError: the file is missing, a directory, or not readable.
    """
    try:
        with open(path, "rb"):
            pass
    except OSError as exc:
        raise CliError(f"cannot read {path}: {exc.strerror or exc}") from None
