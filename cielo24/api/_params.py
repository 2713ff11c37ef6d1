"""Parameter types that several endpoints share: how they are checked and sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal, Union, cast

from cielo24.api.endpoint import Param
from cielo24.model_utils import http_url, positive, true_false


def _comma_list(value: Any) -> Any:
    return ",".join(cast("Sequence[str]", value)) if isinstance(value, (list, tuple)) else value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


#: ``true`` or ``false``: a bool, or the text in any case.
TrueFalse = Annotated[Union[Literal["true", "false"], bool, None], Param(convert=true_false)]
#: A yes/no value as the newer endpoints take it: a bool, or yes, no, t, f, true or false.
YesNo = Annotated[
    Union[Literal["yes", "no", "t", "f", "true", "false"], bool, None], Param(convert=true_false)
]
#: A whole number above 0.
Positive = Annotated[Union[int, None], Param(convert=positive)]
#: An http:// or https:// URL.
HttpUrl = Annotated[Union[str, None], Param(convert=http_url)]
#: A list sent as one comma-separated value (``de,fr``); a string is sent as it is.
CommaList = Param(convert=_comma_list)
#: One value or a list, sent as a JSON list.
OneOrMore = Param(convert=_as_list)
