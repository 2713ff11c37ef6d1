"""The text pipeline shared by transcripts and captions: ElementList to sentences of words.

It applies the options common to both outputs: disfluencies, sound
references and their boundaries, slang, profanity, English spelling, and the speaker-change
token that opens each speaker's turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .options import (
    first_present,
    one_of,
    option,
    parse_bool,
    parse_boundaries,
    parse_tag_list,
)

DISFLUENCIES = frozenset({"um", "uh", "ah", "er", "erm", "hmm", "mm"})
PROFANITY = frozenset({"damn", "hell", "crap", "shit", "fuck", "bastard"})
SLANG = {
    "gonna": "going to",
    "wanna": "want to",
    "gotta": "got to",
    "kinda": "kind of",
    "sorta": "sort of",
    "dunno": "don't know",
    "lemme": "let me",
    "gimme": "give me",
}
_OUR = {"color": "colour", "colors": "colours", "favorite": "favourite", "neighbor": "neighbour"}
_RE = {"center": "centre", "theater": "theatre"}
_ISE = {"organize": "organise", "realize": "realise", "apologize": "apologise"}
SPELLINGS: dict[str, dict[str, str]] = {
    "A": {},  # American: the transcript's own spelling
    "B": {**_OUR, **_RE, **_ISE},  # British
    "Z": {**_OUR, **_RE},  # British with "-ize" (Oxford)
    "U": {**_OUR, **_RE, **_ISE},  # Australian
    "C": {**_OUR, **_RE},  # Canadian
}
"""American spellings replaced, by ``replace_english_spelling`` value."""

SPEAKER_CHANGE_OPTIONS = ("emit_speaker_change_tokens_as", "emit_speaker_change_token_as")
"""The documented spelling, then the one every handwritten client sends."""


@dataclass(frozen=True)
class TextOptions:
    """The options shared by transcripts and captions, with the service's defaults."""

    speaker_change_token: str = ">>"
    mask_profanity: bool = False
    remove_disfluencies: bool = True
    remove_sound_references: bool = True
    remove_sounds_list: tuple[str, ...] = ()
    replace_slang: bool = False
    sound_boundaries: tuple[str, str] = ("[", "]")
    english_spelling: str = "A"

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> TextOptions:
        """Read the shared options from a request's parameters.

        Raises:
            OptionError: a value the service refuses.
        """
        token_name = first_present(options, *SPEAKER_CHANGE_OPTIONS)
        option(options, "audio_description", parse_bool, False)  # accepted; no effect here
        option(options, "mixed", parse_bool, False)  # accepted; no effect here
        default = cls()
        return cls(
            speaker_change_token=(
                default.speaker_change_token if token_name is None else options[token_name]
            ),
            mask_profanity=option(options, "mask_profanity", parse_bool, default.mask_profanity),
            remove_disfluencies=option(
                options, "remove_disfluencies", parse_bool, default.remove_disfluencies
            ),
            remove_sound_references=option(
                options, "remove_sound_references", parse_bool, default.remove_sound_references
            ),
            remove_sounds_list=option(
                options, "remove_sounds_list", parse_tag_list, default.remove_sounds_list
            ),
            replace_slang=option(options, "replace_slang", parse_bool, default.replace_slang),
            sound_boundaries=option(
                options, "sound_boundaries", parse_boundaries, default.sound_boundaries
            ),
            english_spelling=option(
                options, "replace_english_spelling", one_of(*SPELLINGS), default.english_spelling
            ),
        )


@dataclass(frozen=True)
class Word:
    """A word as displayed (with its punctuation), or a sound such as ``[MUSIC]``."""

    text: str
    start_ms: int
    end_ms: int
    sound_tag: str | None = None


@dataclass(frozen=True)
class Sentence:
    """One ElementList segment's words, and its speaker.

    ``speaker_change`` is true when the speaker differs from the previous sentence shown;
    ``effects`` when the segment holds only sounds (its speaker is the effects "speaker").
    """

    words: tuple[Word, ...]
    speaker_id: int | None
    speaker_name: str
    speaker_change: bool
    effects: bool

    @property
    def start_ms(self) -> int:
        """When the first word starts."""
        return self.words[0].start_ms

    @property
    def end_ms(self) -> int:
        """When the last word ends."""
        return self.words[-1].end_ms


def read_sentences(element_list: Mapping[str, Any], options: TextOptions) -> list[Sentence]:
    """The ElementList's segments as sentences, with the shared options applied.

    Segments left without words (a removed sound, say) are dropped.
    """
    names = {speaker["id"]: speaker.get("name", "") for speaker in element_list.get("speakers", [])}
    sentences: list[Sentence] = []
    for segment in element_list.get("segments", []):
        words = _segment_words(segment, options)
        if not words:
            continue
        speaker_id = segment.get("speaker_id")
        speaker_id = speaker_id if isinstance(speaker_id, int) else None
        tokens = [token for sequence in segment["sequences"] for token in sequence["tokens"]]
        sentences.append(
            Sentence(
                words=tuple(words),
                speaker_id=speaker_id,
                speaker_name=names.get(speaker_id, "") or "",
                speaker_change=not sentences or sentences[-1].speaker_id != speaker_id,
                effects=all(token["type"] == "sound" for token in tokens),
            )
        )
    return sentences


def speaker_label(sentence: Sentence, *, token: str, display: str, effects_name: str) -> str:
    """The text that opens a speaker's turn, such as ``>> Alice Martin:``.

    Args:
        sentence: the turn's first sentence.
        token: the speaker-change token (``>>`` unless the client chose another).
        display: ``no`` (the token alone), ``number`` (``Speaker 1``) or ``name`` (the
            speaker's name, or the number when the name is unknown).
        effects_name: the name shown for the speaker of sound effects.
    """
    number = "" if sentence.speaker_id is None else f"Speaker {sentence.speaker_id}"
    if display == "no":
        name = ""
    elif sentence.effects:
        name = effects_name
    elif display == "name":
        name = sentence.speaker_name or number
    else:
        name = number
    return " ".join(part for part in (token, f"{name}:" if name else "") if part)


def _segment_words(segment: Mapping[str, Any], options: TextOptions) -> list[Word]:
    """A segment's displayed words: one per sequence, its tokens written without spaces."""
    words: list[Word] = []
    for sequence in segment["sequences"]:
        parts: list[str] = []
        sound_tag: str | None = None
        dropped_word = False
        for token in sequence["tokens"]:
            kind = token["type"]
            if kind == "sound":
                tag = next(iter(token.get("tags") or []), "SOUND")
                if not _keeps_sound(tag, options):
                    continue
                parts.append(_sound_text(token["display_as"], options))
                sound_tag = tag
            elif kind == "word":
                if options.remove_disfluencies and token["value"] in DISFLUENCIES:
                    dropped_word = True
                    continue
                parts.append(_word_text(token["display_as"], options))
            elif not dropped_word:
                parts.append(token["display_as"])
            elif "ENDS_SENTENCE" in token.get("tags", []) and words:
                last = words[-1]  # a removed word's full stop still ends the sentence
                words[-1] = Word(last.text + token["display_as"], last.start_ms, last.end_ms)
        if parts:
            start, end = sequence["start_time"], sequence["end_time"]
            words.append(Word("".join(parts), start, end, sound_tag))
    return words


def _keeps_sound(tag: str, options: TextOptions) -> bool:
    """Whether a sound with ``tag`` stays: none do by default, else those not listed."""
    if options.remove_sound_references:
        return False
    return tag not in options.remove_sounds_list


def _sound_text(display_as: str, options: TextOptions) -> str:
    """A sound's text between the chosen boundaries: ``[MUSIC]``, ``{MUSIC}``..."""
    opening, closing = options.sound_boundaries
    return f"{opening}{display_as.strip('[]')}{closing}"


def _word_text(display_as: str, options: TextOptions) -> str:
    """A word with slang replaced, spelling localised and profanity masked, as asked."""
    key = display_as.lower()
    if options.replace_slang and key in SLANG:
        return same_case(display_as, SLANG[key])
    spelling = SPELLINGS[options.english_spelling]
    if key in spelling:
        return same_case(display_as, spelling[key])
    if options.mask_profanity and key in PROFANITY:
        return "*" * len(display_as)
    return display_as


def same_case(original: str, replacement: str) -> str:
    """``replacement`` in the case of ``original`` (all capitals, capitalised, or as is)."""
    if len(original) > 1 and original.isupper():
        return replacement.upper()
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement
