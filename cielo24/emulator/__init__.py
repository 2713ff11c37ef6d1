"""A local emulator of the cielo24 service, for tests and offline development.

It is an independent implementation of the service (standard library only): it shares no code
with the SDK's client, so a mistake in one cannot hide behind the same mistake in the other.
See ``docs/emulator.md``.
"""

import logging

from .emulator import Emulator
from .state import Account, CallbackRecord, Job, RequestRecord

# A failure inside the emulator is logged on "cielo24.emulator.*", never printed by default.
logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = ["Account", "CallbackRecord", "Emulator", "Job", "RequestRecord"]
