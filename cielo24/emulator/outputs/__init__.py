"""The service's outputs, as pure functions: ElementLists, transcripts and captions.

Like cielo24's sandbox, the emulator serves a canned sample transcript (see ``sample``),
whatever the media, with the requested options applied. The HTTP handlers map
:class:`OptionError` to 400 INVALID_OPTION and :class:`NotImplementedFormat` to
NOT_IMPLEMENTED.
"""

from __future__ import annotations

from .captions import CAPTION_FORMATS, render_caption
from .elementlist import build_element_list
from .errors import NotImplementedFormat, OptionError
from .transcript import render_transcript

__all__ = [
    "CAPTION_FORMATS",
    "NotImplementedFormat",
    "OptionError",
    "build_element_list",
    "render_caption",
    "render_transcript",
]
