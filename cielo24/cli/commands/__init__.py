"""The commands, one module per group; each has ``register(subparsers, common)``."""

from __future__ import annotations

from cielo24.cli.commands import account, completion, jobs, media, outputs, transcribe

#: In the order --help lists them.
MODULES = (transcribe, account, jobs, media, outputs, completion)
