"""Token: a word, a punctuation mark or a sound of an element list."""

from typing import Optional

from cielo24.model_utils import Model


class Token(Model):
    """The smallest element: ``type`` is word, punctuation or sound (see cielo24.enums).

    ``value`` is lower case; ``display_as`` is how to show it (``"Tim"``, ``"[LAUGH]"``);
    ``tags`` holds sound tags and ``ENDS_SENTENCE``. Times are in ms.
    """

    value: Optional[str] = None
    display_as: Optional[str] = None
    type: Optional[str] = None
    tags: Optional[list[str]] = None
    start_time: Optional[int] = None
    end_time: Optional[int] = None
    interpolated: Optional[bool] = None
    style: Optional[str] = None
