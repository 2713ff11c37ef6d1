"""Shared pytest fixtures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cielo24.emulator import Emulator


@pytest.fixture
def emulator() -> Iterator[Emulator]:
    """A started emulator on a free port of 127.0.0.1, stopped after the test."""
    emu = Emulator()
    emu.start()
    try:
        yield emu
    finally:
        emu.stop()
