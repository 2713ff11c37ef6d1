"""Shared pytest fixtures; the whole session runs emulators in strict mode."""

from __future__ import annotations

import os
from collections.abc import Iterator

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
