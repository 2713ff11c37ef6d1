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

    version: int
    language: str
    start_time: int
    end_time: int
    segments: list[Segment]
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
            for segment in _items(_field(self, "segments"), Segment)
            for sequence in _items(_field(segment, "sequences"), Sequence)
            for token in _items(_field(sequence, "tokens"), Token)
            if _field(token, "type") == "word"
        )
        ends = [
            _ms(_field(segment, "end_time"))
            for segment in _items(_field(self, "segments"), Segment)
        ]
        duration = _ms(_field(self, "end_time")) or max(ends, default=0)
        speakers = len(_items(_field(self, "speakers"), Speaker))
        language = f"{_field(self, 'language')}, " if _field(self, "language") else ""
        return f"{language}{speakers} speakers, {_clock(duration)}, {words} words"

    def _lines(self) -> list[tuple[str, str, str]]:
        """(start ``H:MM:SS``, speaker, text) of each segment."""
        names = {
            _field(s, "id"): str(_field(s, "name") or "")
            for s in _items(_field(self, "speakers"), Speaker)
            if type(_field(s, "id")) is int
        }
        return [
            (
                _clock(_ms(_field(segment, "start_time"))),
                names.get(_field(segment, "speaker_id"), "")
                if isinstance(_field(segment, "speaker_id"), int)
                else "",
                _segment_text(segment),
            )
            for segment in _items(_field(self, "segments"), Segment)
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

        names = ", ".join(
            str(_field(s, "name") or _field(s, "id"))
            for s in _items(_field(self, "speakers"), Speaker)
        )
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
            str(_field(token, "display_as") or _field(token, "value") or "")
            for token in _items(_field(sequence, "tokens"), Token)
        )
        for sequence in _items(_field(segment, "sequences"), Sequence)
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


def _field(model: object, name: str) -> Any:
    """A field of a response, or None when the service left it out (a summary never fails)."""
    return getattr(model, name, None)
