"""Sequence: tokens written without white space between them."""

from typing import Optional

from cielo24.model.token import Token
from cielo24.model_utils import Model


class Sequence(Model):
    """A group of tokens written together, such as a word and its punctuation. Times in ms."""

    tokens: list[Token]
    start_time: int
    end_time: int
    confidence_score: Optional[float] = None
    interpolated: Optional[bool] = None
    style: Optional[str] = None
