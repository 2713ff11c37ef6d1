"""Captions as text: the file name extension of each format, and the Caption string."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, cast

from cielo24.enums import CaptionFormat, CaptionFormatName
from cielo24.exceptions import ApiValueError

#: The file name extension of each caption format.
CAPTION_EXTENSIONS = {
    CaptionFormat.SRT: "srt",
    CaptionFormat.WEB_VTT: "vtt",
    CaptionFormat.DFXP: "dfxp",
    CaptionFormat.SBV: "sbv",
    CaptionFormat.SAMI: "smi",
    CaptionFormat.QT: "qt.txt",
    CaptionFormat.SCC: "scc",
    CaptionFormat.TPM: "tpm",
    CaptionFormat.TWX: "twx",
    CaptionFormat.ECHO: "echo",
    CaptionFormat.TRANSCRIPT: "txt",
}


def caption_format_for(path: str | os.PathLike[str]) -> CaptionFormatName:
    """The caption format a file name's extension stands for (``talk.srt`` -> ``SRT``).

    Raises:
        ApiValueError: an extension that is not in CAPTION_EXTENSIONS.
    """
    name = os.fspath(path).lower()
    by_length = sorted(CAPTION_EXTENSIONS.items(), key=lambda item: -len(item[1]))
    for caption_format, extension in by_length:
        if name.endswith("." + extension):
            return cast("CaptionFormatName", caption_format)
    known = ", ".join(f".{e}" for e in CAPTION_EXTENSIONS.values())
    raise ApiValueError(f"no caption format for {os.fspath(path)!r}: give one ({known})")


class Caption(str):
    """Captions as text (a ``str``), with the format they are in.

    In a notebook they show as the text itself, not as a quoted string.
    """

    caption_format: str

    def __new__(cls, text: str, caption_format: str) -> Caption:
        caption = super().__new__(cls, text)
        caption.caption_format = caption_format
        return caption

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the captions to ``path`` in UTF-8, line endings as they are; returns it."""
        target = Path(path)
        with open(target, "w", encoding="utf-8", newline="") as file:
            file.write(self)
        return target

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(str(self))

    def _repr_html_(self) -> str:
        from cielo24.notebook import preformatted

        return preformatted(str(self))
