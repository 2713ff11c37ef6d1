"""ElementList: the timed transcript of a job, from get_element_list."""

from typing import Any, Optional, TypeVar, cast

from cielo24.model.meta_token import MetaToken
from cielo24.model.segment import Segment
from cielo24.model.sequence import Sequence
from cielo24.model.speaker import Speaker
from cielo24.model.token import Token
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
        """``en, 2 speakers, 0:00:46, 120 words`` (the language when known)."""
        words = sum(
            1
            for segment in _items(self.segments, Segment)
            for sequence in _items(segment.sequences, Sequence)
            for token in _items(sequence.tokens, Token)
            if token.type == "word"
        )
        ends = [_ms(segment.end_time) for segment in _items(self.segments, Segment)]
        duration = _ms(self.end_time) or max(ends, default=0)
        speakers = len(_items(self.speakers, Speaker))
        language = f"{self.language}, " if isinstance(self.language, str) else ""
        return f"{language}{speakers} speakers, {_clock(duration)}, {words} words"

    def _lines(self) -> list[tuple[str, str, str]]:
        """(start ``H:MM:SS``, speaker, text) of each segment."""
        names = {
            s.id: str(s.name or "") for s in _items(self.speakers, Speaker) if isinstance(s.id, int)
        }
        return [
            (
                _clock(_ms(segment.start_time)),
                names.get(segment.speaker_id, "") if isinstance(segment.speaker_id, int) else "",
                _segment_text(segment),
            )
            for segment in _items(self.segments, Segment)
        ]

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

        names = ", ".join(str(s.name or s.id) for s in _items(self.speakers, Speaker))
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
        "".join(
            str(token.display_as or token.value or "") for token in _items(sequence.tokens, Token)
        )
        for sequence in _items(segment.sequences, Sequence)
    ]
    return " ".join(w for w in words if w)


_T = TypeVar("_T")


def _items(values: object, kind: type[_T]) -> list[_T]:
    """The items of a list field that are of ``kind`` (a field the SDK could not read as one
    keeps what the service sent, which a summary skips)."""
    if not isinstance(values, list):
        return []
    return [value for value in cast("list[object]", values) if isinstance(value, kind)]


def _ms(value: object) -> int:
    """Milliseconds, or 0 for a missing or unreadable time."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def _clock(milliseconds: int) -> str:
    seconds = milliseconds // 1000
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
