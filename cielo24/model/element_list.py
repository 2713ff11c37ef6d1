"""ElementList: the timed transcript of a job, from get_element_list."""

from typing import Any, Optional

from cielo24.model.meta_token import MetaToken
from cielo24.model.segment import Segment
from cielo24.model.speaker import Speaker
from cielo24.model_utils import Model


class ElementList(Model):
    """Everything cielo24 knows of a job's words: every caption and transcript is made from it.

    ``segments`` (sentences) hold ``sequences`` that hold ``tokens``; ``speakers`` are
    referred to by id; ``keywords``, ``topics`` and ``entities`` (media intelligence) map a
    key to a MetaToken. Times are whole milliseconds from the start of the media.
    """

    version: Optional[int] = None
    language: Optional[str] = None
    start_time: Optional[int] = None
    end_time: Optional[int] = None
    segments: Optional[list[Segment]] = None
    speakers: Optional[list[Speaker]] = None
    keywords: Optional[dict[str, MetaToken]] = None
    topics: Optional[dict[str, MetaToken]] = None
    entities: Optional[dict[str, MetaToken]] = None

    def text(self) -> str:
        """The words as displayed, one sentence (segment) per line."""
        return "\n".join(_segment_text(segment) for segment in self.segments or [])

    def _summary(self) -> str:
        """``2 speakers, 0:00:46, 120 words`` (the language first, when known)."""
        words = sum(
            1
            for segment in self.segments or []
            for sequence in segment.sequences or []
            for token in sequence.tokens or []
            if token.type == "word"
        )
        ends = [segment.end_time or 0 for segment in self.segments or []]
        duration = (self.end_time or max(ends, default=0)) // 1000
        clock = f"{duration // 3600}:{duration // 60 % 60:02d}:{duration % 60:02d}"
        speakers = len(self.speakers or [])
        language = f"{self.language}, " if self.language else ""
        return f"{language}{speakers} speakers, {clock}, {words} words"

    def _lines(self) -> list[tuple[str, str, str]]:
        """(start ``H:MM:SS``, speaker, text) of each segment."""
        names = {speaker.id: speaker.name or "" for speaker in self.speakers or []}
        lines: list[tuple[str, str, str]] = []
        for segment in self.segments or []:
            start = (segment.start_time or 0) // 1000
            clock = f"{start // 3600}:{start // 60 % 60:02d}:{start % 60:02d}"
            lines.append((clock, names.get(segment.speaker_id, ""), _segment_text(segment)))
        return lines

    def __repr__(self) -> str:
        """Short, whatever the length of the media: the summary and the first line."""
        first = next((text for _, _, text in self._lines() if text), "")
        preview = first if len(first) <= 40 else first[:39] + "\u2026"
        return f"<ElementList {self._summary()}; {preview!r}>"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def _repr_html_(self) -> str:
        """The speakers, duration, word count and the first lines, for notebooks."""
        from cielo24.notebook import table

        names = ", ".join(speaker.name or str(speaker.id) for speaker in self.speakers or [])
        lines = self._lines()
        shown: list[tuple[str, str, str]] = lines[:_SHOWN_LINES]
        if len(lines) > _SHOWN_LINES:
            shown.append(("\u2026", "", f"{len(lines) - _SHOWN_LINES} more lines"))
        caption = f"element list: {self._summary()}" + (f" ({names})" if names else "")
        return table(shown, ("start", "speaker", "text"), caption=caption)


#: How many lines the notebook display shows.
_SHOWN_LINES = 3


def _segment_text(segment: Segment) -> str:
    words = [
        "".join(token.display_as or token.value or "" for token in sequence.tokens or [])
        for sequence in segment.sequences or []
    ]
    return " ".join(w for w in words if w)
