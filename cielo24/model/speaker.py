"""Speaker: a speaker of an element list."""

from typing import Optional

from cielo24.model_utils import Model


class Speaker(Model):
    """A speaker: ``id`` (referred to by segments), ``name`` (may be empty) and ``gender``."""

    id: int
    name: Optional[str] = None
    gender: Optional[str] = None
