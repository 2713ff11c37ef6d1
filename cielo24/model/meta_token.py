"""MetaToken: a keyword, topic or entity of an element list."""

from typing import Optional

from cielo24.model.time_range import TimeRange
from cielo24.model_utils import Model


class MetaToken(Model):
    """Media intelligence: a name, maybe a URL, and where in the media it occurs."""

    display_name: Optional[str] = None
    url: Optional[str] = None
    time_ranges: list[TimeRange]
