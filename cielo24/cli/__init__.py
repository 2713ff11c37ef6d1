"""The ``cielo24`` command line tool (also ``python -m cielo24``); see docs/cli.md.

Standard library only: argparse, with the SDK underneath.
"""

from __future__ import annotations

from cielo24.cli.main import main

__all__ = ["main"]
