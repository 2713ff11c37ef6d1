"""The sample as a version-3 ElementList, for one IWP version of a job."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any, Callable

from . import sample
from .text import same_case

ELEMENTLIST_VERSION = 3
MECHANICAL = "MECHANICAL"
MIN_DURATION_MS = 1000
"""Shorter media is timed as if it lasted this long, so that no word loses its duration."""

_SOUND = re.compile(r"\[([A-Z_]+)\]")
_WORD = re.compile(r"(.*?)([.,!?;:]*)")
_SENTENCE_END = (".", "?", "!")
_MECHANICAL_CONFIDENCE = 0.93
_MISHEARD_CONFIDENCE = 0.41

Token = dict[str, Any]
Scale = Callable[[int], int]


def build_element_list(
    *, language: str, iwp_name: str, duration_ms: int | None = None
) -> dict[str, Any]:
    """The sample transcript as the ElementList of one version of a job.

    The MECHANICAL version is the machine's: its speakers have no names or genders and it
    mishears a word. Every other IWP is the edited (FINAL) text.

    Args:
        language: the job's language code, reported as the ElementList's ``language``.
        iwp_name: the interim work product this version is (``MECHANICAL``, ``FINAL``, ...).
        duration_ms: the media's length; the timings are scaled to span it. None keeps the
            sample's own timing.
    """
    mechanical = iwp_name.upper() == MECHANICAL
    end_ms = sample.DURATION_MS if duration_ms is None else max(duration_ms, MIN_DURATION_MS)
    scale = _scaler(end_ms)
    segments: list[dict[str, Any]] = []
    previous_speaker: int | None = None
    for sentence in sample.SENTENCES:
        sequences = [_sequence(word, mechanical, scale) for word in sentence.words]
        segments.append(
            {
                "speaker_change": sentence.speaker_id != previous_speaker,
                "speaker_id": sentence.speaker_id,
                "interpolated": False,
                "start_time": sequences[0]["start_time"],
                "end_time": sequences[-1]["end_time"],
                "sequences": sequences,
            }
        )
        previous_speaker = sentence.speaker_id
    words = [token for token in _tokens(segments) if token["type"] == "word"]
    return {
        "version": ELEMENTLIST_VERSION,
        "start_time": 0,
        "end_time": end_ms,
        "language": language,
        "segments": segments,
        "speakers": [_speaker(speaker, mechanical) for speaker in sample.SPEAKERS],
        "keywords": _keywords(words),
        "topics": _topics(words),
        "entities": _entities(words),
    }


def _scaler(end_ms: int) -> Scale:
    """Map the sample's times onto a media of ``end_ms`` milliseconds."""
    if end_ms == sample.DURATION_MS:
        return lambda ms: ms
    return lambda ms: round(ms * end_ms / sample.DURATION_MS)


def _speaker(speaker: sample.SampleSpeaker, mechanical: bool) -> dict[str, Any]:
    """One entry of ``speakers``; the machine knows neither names nor genders."""
    if mechanical:
        return {"id": speaker.id, "name": "", "gender": "Unknown"}
    return {"id": speaker.id, "name": speaker.name, "gender": speaker.gender}


def _sequence(word: sample.SampleWord, mechanical: bool, scale: Scale) -> dict[str, Any]:
    """One written word: a sound token, or a word token followed by its punctuation."""
    start, end = scale(word.start_ms), scale(word.end_ms)
    sound = _SOUND.fullmatch(word.text)
    if sound:
        tokens = [_token(word.text.lower(), word.text, "sound", start, end, [sound.group(1)])]
        confidence = 1.0
    else:
        match = _WORD.fullmatch(word.text)
        assert match is not None  # the pattern matches any text
        text, punctuation = match.groups()
        misheard = mechanical and text.lower() in sample.MECHANICAL_MISHEARINGS
        if misheard:
            text = same_case(text, sample.MECHANICAL_MISHEARINGS[text.lower()])
        tokens = [_token(text.lower(), text, "word", start, end, [])]
        if punctuation:
            tags = ["ENDS_SENTENCE"] if punctuation.endswith(_SENTENCE_END) else []
            punct = _token(punctuation, punctuation, "punctuation", end, end, tags)
            punct["interpolated"] = True
            tokens.append(punct)
        confidence = _MISHEARD_CONFIDENCE if misheard else _MECHANICAL_CONFIDENCE
        confidence = confidence if mechanical else 1.0
    return {
        "interpolated": False,
        "start_time": start,
        "end_time": end,
        "confidence_score": confidence,
        "tokens": tokens,
    }


def _token(value: str, display_as: str, kind: str, start: int, end: int, tags: list[str]) -> Token:
    """One ElementList token."""
    return {
        "interpolated": False,
        "start_time": start,
        "end_time": end,
        "value": value,
        "type": kind,
        "display_as": display_as,
        "tags": tags,
    }


def _tokens(segments: Iterable[dict[str, Any]]) -> list[Token]:
    """Every token of ``segments``, in order."""
    return [
        token
        for segment in segments
        for sequence in segment["sequences"]
        for token in sequence["tokens"]
    ]


def _time_ranges(words: Sequence[Token], phrase: Sequence[str]) -> list[dict[str, int]]:
    """Where the words of ``phrase`` (lower case) occur one after another."""
    size = len(phrase)
    return [
        {"start_time": words[i]["start_time"], "end_time": words[i + size - 1]["end_time"]}
        for i in range(len(words) - size + 1)
        if [word["value"] for word in words[i : i + size]] == list(phrase)
    ]


def _keywords(words: Sequence[Token]) -> dict[str, Any]:
    """The sample's keywords that occur in ``words``, with where they occur."""
    found = {key: _time_ranges(words, [key]) for key in sample.KEYWORDS}
    return {key: {"time_ranges": ranges} for key, ranges in found.items() if ranges}


def _topics(words: Sequence[Token]) -> dict[str, Any]:
    """The sample's topics, each spanning the keywords' occurrences."""
    ranges = [r for meta in _keywords(words).values() for r in meta["time_ranges"]]
    if not ranges:
        return {}
    span = {
        "start_time": min(r["start_time"] for r in ranges),
        "end_time": max(r["end_time"] for r in ranges),
    }
    return {
        key: {"display_name": name, "time_ranges": [span]} for key, name in sample.TOPICS.items()
    }


def _entities(words: Sequence[Token]) -> dict[str, Any]:
    """The sample's named entities that occur in ``words``, with where they occur."""
    found = {key: _time_ranges(words, key.split()) for key in sample.ENTITIES}
    return {
        key: {"display_name": sample.ENTITIES[key], "time_ranges": ranges}
        for key, ranges in found.items()
        if ranges
    }
