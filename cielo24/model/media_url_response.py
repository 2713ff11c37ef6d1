"""MediaUrlResponse: what get_media and get_transcoded_media return."""

from typing import ClassVar, Optional

from cielo24.model_utils import Model


class MediaUrlResponse(Model):
    """A URL of the job's media (``MediaUrl``)."""

    _wire_case: ClassVar[str] = "camel"

    media_url: Optional[str] = None
