"""Segment: one sentence of one speaker in an element list."""

from typing import Optional

from cielo24.model.sequence import Sequence
from cielo24.model_utils import Model


class Segment(Model):
    """A sentence: its sequences, its speaker (``speaker_id`` refers to ElementList.speakers)
    and whether the speaker changed here. Times in ms."""

    sequences: list[Sequence]
    speaker_change: bool
    speaker_id: Optional[int] = None
    start_time: int
    end_time: int
    interpolated: Optional[bool] = None
    bad_timing: Optional[bool] = None
    style: Optional[str] = None
