"""Shared pytest fixtures; the whole session runs emulators in strict mode."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from cielo24.emulator import Emulator
from cielo24.emulator.emulator import STRICT_ENVIRONMENT_VARIABLE

# Every emulator of the session, in this process and in CLI subprocesses, refuses parameter
# names the API does not document, so a misspelled name the SDK sends fails a test.
os.environ.setdefault(STRICT_ENVIRONMENT_VARIABLE, "1")


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A started emulator on a free port of 127.0.0.1, stopped after the test."""
    emu = Emulator()
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()


@pytest.fixture(autouse=True, scope="session")
def no_user_credentials(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """No test reads the user's CIELO24_* variables or credentials file: the variables are
    unset and XDG_CONFIG_HOME points at an empty folder, for the whole session."""
    saved = dict(os.environ)
    for name in [name for name in os.environ if name.startswith("CIELO24_")]:
        if name != STRICT_ENVIRONMENT_VARIABLE:
            del os.environ[name]
    config: Path = tmp_path_factory.mktemp("xdg-config")
    os.environ["XDG_CONFIG_HOME"] = str(config)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)
