"""Sequence: tokens written without white space between them."""

from typing import Optional

from cielo24.model.token import Token
from cielo24.model_utils import Model


class Sequence(Model):
    """A group of tokens written together, such as a word and its punctuation. Times in ms."""

    tokens: Optional[list[Token]] = None
    start_time: Optional[int] = None
    end_time: Optional[int] = None
    confidence_score: Optional[float] = None
    interpolated: Optional[bool] = None
    style: Optional[str] = None
