"""CaptionUrlResponse: what get_caption returns with build_url."""

from typing import ClassVar, Optional

from cielo24.model_utils import Model


class CaptionUrlResponse(Model):
    """A permanent URL of the caption file (``CaptionUrl``); get_caption returns the URL."""

    _wire_case: ClassVar[str] = "camel"

    caption_url: Optional[str] = None
