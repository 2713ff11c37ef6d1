"""The options of get_transcript and get_caption: typed keyword arguments, checked before sending.

Each option is declared twice, as it must be: once in a TypedDict for type checkers and
editors, once as a checked parameter. A test keeps the two lists equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypedDict, Union, cast

from cielo24.api._params import flag
from cielo24.enums import (
    IWP,
    CaptionFormat,
    Case,
    EnglishSpelling,
    LineEnding,
    SoundTag,
    SpeakerId,
    TranscriptFileFormat,
    enum_values,
)
from cielo24.model_utils import param


def _sound_boundaries(value: Any) -> Any:
    """Two one-character strings as the documented tuple text, e.g. ``('[',']')``."""
    if isinstance(value, (tuple, list)):
        items = cast("Sequence[object]", value)
        if len(items) != 2 or not all(isinstance(c, str) and len(c) == 1 for c in items):
            raise ValueError(f"must be two single characters, got {value!r}")
        return f"('{value[0]}','{value[1]}')"
    return value


def _positive(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise ValueError(f"must not be negative, got {value}")
    return value


def _count(name: str) -> Any:
    return param(name, int, convert=_positive)


def _tags(name: str) -> Any:
    return param(name, list[str], enum=enum_values(SoundTag))


class OutputOptions(TypedDict, total=False):
    """Options of both get_transcript and get_caption (contract §8.2)."""

    elementlist_version: str | datetime
    iwp_name: str
    emit_speaker_change_tokens_as: str
    mask_profanity: bool
    remove_disfluencies: bool
    remove_sounds_list: list[str]
    remove_sound_references: bool
    replace_slang: bool
    sound_boundaries: str | tuple[str, str]
    replace_english_spelling: str
    audio_description: bool
    mixed: bool


class TranscriptOptions(OutputOptions, total=False):
    """Options of get_transcript (contract §8.3)."""

    create_paragraphs: bool
    newlines_after_paragraph: int
    newlines_after_sentence: int
    timecode_every_paragraph: bool
    timecode_format: str
    timecode_interval: int
    timecode_offset: int
    file_format: str


class CaptionOptions(OutputOptions, total=False):
    """Options of get_caption (contract §8.4), build_url excepted (an argument of its own)."""

    caption_words_min: int
    caption_by_sentence: bool
    characters_per_caption_line: int
    dfxp_header: str
    disallow_dangling: bool
    display_effects_speaker_as: str
    display_speaker_id: str
    force_case: str
    include_dfxp_metadata: bool
    layout_target_caption_length_ms: int
    line_break_on_sentence: bool
    line_ending_format: str
    lines_per_caption: int
    maximum_caption_duration: int
    merge_gap_interval: int
    minimum_caption_length_ms: int
    minimum_gap_between_captions_ms: int
    qt_seamless: bool
    silence_max_ms: int
    single_speaker_per_caption: bool
    sound_threshold: int
    sound_tokens_by_caption: bool
    sound_tokens_by_line: bool
    sound_tokens_by_caption_list: list[str]
    sound_tokens_by_line_list: list[str]
    speaker_on_new_line: bool
    srt_format: str
    strip_square_brackets: bool
    utf8_mark: bool


OUTPUT_PARAMS = [
    param("elementlist_version", datetime),
    param("iwp_name", str, enum=enum_values(IWP)),
    param("emit_speaker_change_tokens_as", str),
    flag("mask_profanity"),
    flag("remove_disfluencies"),
    _tags("remove_sounds_list"),
    flag("remove_sound_references"),
    flag("replace_slang"),
    param(
        "sound_boundaries",
        Union[str, tuple, list],  # pyright: ignore[reportMissingTypeArgument]  # runtime spec: any items
        convert=_sound_boundaries,
    ),
    param("replace_english_spelling", str, enum=enum_values(EnglishSpelling)),
    flag("audio_description"),
    flag("mixed"),
]

TRANSCRIPT_PARAMS = [
    *OUTPUT_PARAMS,
    flag("create_paragraphs"),
    _count("newlines_after_paragraph"),
    _count("newlines_after_sentence"),
    flag("timecode_every_paragraph"),
    param("timecode_format", str),
    _count("timecode_interval"),
    _count("timecode_offset"),
    param("file_format", str, enum=enum_values(TranscriptFileFormat)),
]

CAPTION_PARAMS = [
    *OUTPUT_PARAMS,
    param("caption_format", str, required=True, enum=enum_values(CaptionFormat)),
    flag("build_url"),
    _count("caption_words_min"),
    flag("caption_by_sentence"),
    _count("characters_per_caption_line"),
    param("dfxp_header", str),
    flag("disallow_dangling"),
    param("display_effects_speaker_as", str),
    param("display_speaker_id", str, enum=enum_values(SpeakerId)),
    param("force_case", str, enum=enum_values(Case)),
    flag("include_dfxp_metadata"),
    _count("layout_target_caption_length_ms"),
    flag("line_break_on_sentence"),
    param("line_ending_format", str, enum=enum_values(LineEnding)),
    _count("lines_per_caption"),
    _count("maximum_caption_duration"),
    _count("merge_gap_interval"),
    _count("minimum_caption_length_ms"),
    _count("minimum_gap_between_captions_ms"),
    flag("qt_seamless"),
    _count("silence_max_ms"),
    flag("single_speaker_per_caption"),
    _count("sound_threshold"),
    flag("sound_tokens_by_caption"),
    flag("sound_tokens_by_line"),
    _tags("sound_tokens_by_caption_list"),
    _tags("sound_tokens_by_line_list"),
    flag("speaker_on_new_line"),
    param("srt_format", str),
    flag("strip_square_brackets"),
    flag("utf8_mark"),
]
