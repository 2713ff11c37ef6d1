"""ElementList: the timed transcript of a job, from get_element_list."""

from typing import Optional

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
        lines: list[str] = []
        for segment in self.segments:
            words = [
                "".join(token.display_as or token.value for token in sequence.tokens)
                for sequence in segment.sequences
            ]
            lines.append(" ".join(w for w in words if w))
        return "\n".join(lines)
