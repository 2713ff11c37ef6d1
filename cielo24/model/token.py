"""Token: a word, a punctuation mark or a sound of an element list."""

from typing import Optional

from cielo24.model_utils import Model


class Token(Model):
    """The smallest element: ``type`` is word, punctuation or sound (see cielo24.enums).

    ``value`` is lower case; ``display_as`` is how to show it (``"Tim"``, ``"[LAUGH]"``);
    ``tags`` holds sound tags and ``ENDS_SENTENCE``. Times are in ms.
    """

    value: str
    display_as: str
    type: str
    tags: list[str]
    start_time: int
    end_time: int
    interpolated: bool
    style: Optional[str] = None
