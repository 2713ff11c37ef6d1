"""What every command runs with: its arguments, its output, and a client it opens once."""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from typing import TYPE_CHECKING

from cielo24.api_client import ApiClient
from cielo24.cli import credentials
from cielo24.cli.errors import CliError
from cielo24.cli.output import Output
from cielo24.configuration import Configuration

if TYPE_CHECKING:
    from cielo24.api.job_api import JobApi
    from cielo24.emulator import Emulator

EMULATOR_NOTICE = (
    "running against a local emulator{why}: its captions are a sample, not your media's. "
    "To use the service, set CIELO24_API_TOKEN (or CIELO24_USERNAME and CIELO24_PASSWORD) "
    "or run `cielo24 login --save`"
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
    def service_environ(self) -> dict[str, str]:
        """The environment with --host or --server applied."""
        return credentials.with_host_options(
            self.environ, getattr(self.args, "host", None), getattr(self.args, "server", None)
        )

    def configuration(self, *, emulator_fallback: bool = False) -> Configuration:
        """The service's Configuration (see cli.credentials), or a local emulator's with
        ``--emulator``, or when ``emulator_fallback`` and no credentials are set at all.

        Raises:
            CliError: no usable credentials.
        """
        environ = self.service_environ
        nothing_set = not any(environ.get(name) for name in credentials.VARIABLES)
        if getattr(self.args, "emulator", False):
            configuration = self._start_emulator("")
        elif emulator_fallback and nothing_set and credentials.load_token(environ) is None:
            configuration = self._start_emulator(" (no credentials are set)")
        else:
            configuration = credentials.configuration_from(environ)
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

    def _start_emulator(self, why: str) -> Configuration:
        from cielo24.emulator import Emulator

        if self._emulator is None:
            self._emulator = Emulator().start()
            self.output.notice(EMULATOR_NOTICE.format(why=why))
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
