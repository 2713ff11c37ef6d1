"""Why an output cannot be produced: a bad option value, or a format the emulator lacks."""

from __future__ import annotations


class OptionError(ValueError):
    """An option value the service refuses (answered as 400 INVALID_OPTION).

    Args:
        name: the option at fault, as the client spelled it.
        message: human text naming the option and the value.
    """

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name
        self.message = message


class NotImplementedFormat(Exception):
    """A valid output format that the emulator does not produce (answered as NOT_IMPLEMENTED).

    Args:
        name: the option that asked for it (``caption_format`` or ``file_format``).
        value: the format asked for.
    """

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name} {value!r} is not implemented by the emulator")
        self.name = name
        self.value = value
