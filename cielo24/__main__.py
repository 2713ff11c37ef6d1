"""``python -m cielo24``: the command line tool (see docs/cli.md)."""

from __future__ import annotations

import sys

from cielo24.cli import main

if __name__ == "__main__":
    sys.exit(main())
