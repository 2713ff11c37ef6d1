"""The options of get_transcript and get_caption: typed keyword arguments, checked before sending.

Each option is declared once, here: its name, its type (``Literal`` values are the only ones
taken) and, with ``Annotated``, how it is converted. They are loaded with the first call that
needs them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, TypedDict, cast

from cielo24.api.endpoint import Param
from cielo24.api_client import RequestOptions
from cielo24.enums import (
    CaseName,
    EnglishSpellingName,
    IWPName,
    LineEndingName,
    SoundTagName,
    SpeakerIdName,
    TranscriptFileFormatName,
)


def _sound_boundaries(value: Any) -> Any:
    """Two one-character strings as the documented tuple text, e.g. ``('[',']')``."""
    if isinstance(value, (tuple, list)):
        items = cast("Sequence[object]", value)
        if len(items) != 2 or not all(isinstance(c, str) and len(c) == 1 for c in items):
            raise ValueError(f"must be two single characters, got {value!r}")
        return f"('{value[0]}','{value[1]}')"
    return value


def _not_negative(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool) and value < 0:
        raise ValueError(f"must not be negative, got {value}")
    return value


#: A count or a length: a whole number, 0 or more.
Count = Annotated[int, Param(convert=_not_negative)]


class OutputOptions(TypedDict, total=False):
    """Options of both get_transcript and get_caption."""

    elementlist_version: str | datetime
    iwp_name: IWPName
    emit_speaker_change_tokens_as: str
    mask_profanity: bool
    remove_disfluencies: bool
    remove_sounds_list: list[SoundTagName]
    remove_sound_references: bool
    replace_slang: bool
    sound_boundaries: Annotated[str | tuple[str, str], Param(convert=_sound_boundaries)]
    replace_english_spelling: EnglishSpellingName
    audio_description: bool
    mixed: bool


class TranscriptOptions(OutputOptions, total=False):
    """Options of get_transcript."""

    create_paragraphs: bool
    newlines_after_paragraph: Count
    newlines_after_sentence: Count
    timecode_every_paragraph: bool
    timecode_format: str
    timecode_interval: Count
    timecode_offset: Count
    file_format: TranscriptFileFormatName


class CaptionOptions(OutputOptions, total=False):
    """Options of get_caption, build_url excepted (an argument of its own)."""

    caption_words_min: Count
    caption_by_sentence: bool
    characters_per_caption_line: Count
    dfxp_header: str
    disallow_dangling: bool
    display_effects_speaker_as: str
    display_speaker_id: SpeakerIdName
    force_case: CaseName
    include_dfxp_metadata: bool
    layout_target_caption_length_ms: Count
    line_break_on_sentence: bool
    line_ending_format: LineEndingName
    lines_per_caption: Count
    maximum_caption_duration: Count
    merge_gap_interval: Count
    minimum_caption_length_ms: Count
    minimum_gap_between_captions_ms: Count
    qt_seamless: bool
    silence_max_ms: Count
    single_speaker_per_caption: bool
    sound_threshold: Count
    sound_tokens_by_caption: bool
    sound_tokens_by_line: bool
    sound_tokens_by_caption_list: list[SoundTagName]
    sound_tokens_by_line_list: list[SoundTagName]
    speaker_on_new_line: bool
    srt_format: str
    strip_square_brackets: bool
    utf8_mark: bool


class CaptionCallOptions(CaptionOptions, RequestOptions, total=False):
    """get_caption's keyword arguments: caption options and per-call options."""


class TranscriptCallOptions(TranscriptOptions, RequestOptions, total=False):
    """get_transcript's keyword arguments: transcript options and per-call options."""
