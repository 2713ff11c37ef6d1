"""IWPEnum: an interim work product name, checked (the generated client's iwp_enum)."""

from __future__ import annotations

from typing import ClassVar, get_args

from cielo24.enums import IWPName
from cielo24.exceptions import ApiValueError

_VALUES: tuple[str, ...] = get_args(IWPName)


class IWPEnum(str):
    """``IWPEnum("FINAL")`` is the string ``"FINAL"``; a name not in cielo24.enums.IWP is
    refused with an ApiValueError. ``.value`` is the name as an ``IWPName``, which is what the
    models' IWP fields take (``JobOptions(return_iwp=[IWPEnum("FINAL").value])``, or simply
    ``["FINAL"]``)."""

    allowed_values: ClassVar[dict[tuple[str, ...], dict[str, str]]] = {
        ("value",): {v: v for v in _VALUES}
    }
    _value: IWPName

    def __new__(cls, value: IWPName) -> IWPEnum:
        if value not in _VALUES:
            allowed = ", ".join(repr(v) for v in _VALUES)
            raise ApiValueError(f"IWPEnum must be one of {allowed}; got {value!r}")
        self = super().__new__(cls, value)
        self._value = value
        return self

    @property
    def value(self) -> IWPName:
        return self._value
