"""The canned sample the emulator serves for every job, timed word by word.

Like cielo24's sandbox, the emulator does not transcribe the media: every job's outputs are
this short conversation, with the requested options applied. It holds the things the options
act on: sound tokens, disfluencies, slang, a mild profanity and American spellings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SampleSpeaker:
    """A speaker of the sample; id 0 is the speaker of sound effects, as in the service."""

    id: int
    name: str
    gender: str


@dataclass(frozen=True)
class SampleWord:
    """One word as written (with its punctuation, or a ``[TAG]`` sound) and its timing."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class SampleSentence:
    """One sentence (one ElementList segment) and who says it."""

    speaker_id: int
    words: tuple[SampleWord, ...]


EFFECTS = SampleSpeaker(0, "Effects", "Unknown")
ALICE = SampleSpeaker(1, "Alice Martin", "Female")
BOB = SampleSpeaker(2, "Bob Chen", "Male")
SPEAKERS = (EFFECTS, ALICE, BOB)

SCRIPT: tuple[tuple[int, str], ...] = (
    (EFFECTS.id, "[MUSIC]"),
    (ALICE.id, "Welcome back to the show, I'm Alice Martin."),
    (ALICE.id, "Today Bob Chen joins us to talk about picking a paint color."),
    (BOB.id, "Thanks for having me, Alice."),
    (BOB.id, "I uh spent the whole weekend repainting my kitchen."),
    (ALICE.id, "How did it go?"),
    (BOB.id, "[LAUGH] Honestly, it was a damn mess at first."),
    (BOB.id, "I um picked a bright yellow color and it looked way too loud."),
    (BOB.id, "So next week I'm gonna try a softer shade of green."),
    (ALICE.id, "That sounds like a much calmer choice."),
    (ALICE.id, "Let's take a short break, then we'll organize your questions."),
)
"""Who says what, in order; ``[TAG]`` words are sounds."""

MECHANICAL_MISHEARINGS = {"kitchen": "chicken"}
"""Words that the MECHANICAL (machine) version gets wrong, keyed by the right word."""

KEYWORDS = ("paint", "color", "kitchen", "green")
"""Words reported as ElementList keywords wherever they occur."""

TOPICS = {"home improvement": "Home improvement"}
"""Topics, by key; a topic spans the keywords' occurrences."""

ENTITIES = {"alice martin": "Alice Martin", "bob chen": "Bob Chen"}
"""Named entities, by key (their words, lower case) and display name."""

SOUND_MS = 2400
WORD_BASE_MS = 140
WORD_MS_PER_LETTER = 50
GAP_BETWEEN_WORDS_MS = 80
GAP_BETWEEN_SENTENCES_MS = 450
GAP_AT_SPEAKER_CHANGE_MS = 700
TAIL_MS = 600


def _word_ms(text: str) -> int:
    """How long a word takes to say: sounds last longer, longer words take longer."""
    if text.startswith("["):
        return SOUND_MS
    letters = sum(character.isalpha() for character in text)
    return WORD_BASE_MS + WORD_MS_PER_LETTER * letters


def _timed_script() -> tuple[tuple[SampleSentence, ...], int]:
    """Time the script word by word; returns the sentences and the media length in ms."""
    sentences: list[SampleSentence] = []
    cursor = 0
    previous_speaker: int | None = None
    for speaker_id, text in SCRIPT:
        if previous_speaker is not None:
            changed = speaker_id != previous_speaker
            cursor += GAP_AT_SPEAKER_CHANGE_MS if changed else GAP_BETWEEN_SENTENCES_MS
        words: list[SampleWord] = []
        for index, word in enumerate(text.split()):
            if index:
                cursor += GAP_BETWEEN_WORDS_MS
            end = cursor + _word_ms(word)
            words.append(SampleWord(word, cursor, end))
            cursor = end
        sentences.append(SampleSentence(speaker_id, tuple(words)))
        previous_speaker = speaker_id
    return tuple(sentences), cursor + TAIL_MS


SENTENCES, DURATION_MS = _timed_script()
"""The timed sample, and the length of the media it pretends to transcribe."""
