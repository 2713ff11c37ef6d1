"""TimeRange: a span of the media, in milliseconds."""

from typing import Optional

from cielo24.model_utils import Model


class TimeRange(Model):
    """Where a keyword, topic or entity is spoken: ``start_time`` to ``end_time`` in ms."""

    start_time: Optional[int] = None
    end_time: Optional[int] = None
