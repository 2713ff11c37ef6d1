"""Caption layout: sentences to timed cues of at most N lines of at most M characters.

Words are packed greedily, a word with its speaker's label kept in one caption. A word that
does not fit goes to a new line, and when the caption's lines are used up (or the caption
would outlast the target length), to a new caption. Hard breaks (a new speaker with
``single_speaker_per_caption``, a sound shown alone, ``maximum_caption_duration``) always open
a new caption; soft ones (a new sentence with ``caption_by_sentence``, the target length, a
long silence) wait until the caption holds ``caption_words_min`` words.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .options import at_least, one_of, option, parse_bool, parse_tag_list, parse_text
from .text import Sentence, TextOptions, speaker_label

SPEAKER_DISPLAYS = ("no", "number", "name")
CASES = ("", "lower", "upper")
_SOUNDS_SHOWN_ALONE = ("BLANK_AUDIO", "MUSIC")


@dataclass(frozen=True)
class Cue:
    """One caption: when it shows, and its lines of text."""

    start_ms: int
    end_ms: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class LayoutOptions:
    """The caption options that shape cues, with the service's defaults.

    ``merge_gap_interval`` and ``sound_threshold`` are accepted and checked, with no effect.
    """

    characters_per_caption_line: int = 42
    lines_per_caption: int = 2
    caption_by_sentence: bool = True
    caption_words_min: int = 1
    layout_target_caption_length_ms: int = 5000
    maximum_caption_duration: int | None = None
    minimum_caption_length_ms: int | None = None
    minimum_gap_between_captions_ms: int | None = None
    silence_max_ms: int = 2000
    line_break_on_sentence: bool = False
    single_speaker_per_caption: bool = False
    speaker_on_new_line: bool = True
    disallow_dangling: bool = False
    sound_tokens_by_caption: bool = False
    sound_tokens_by_caption_list: tuple[str, ...] = _SOUNDS_SHOWN_ALONE
    sound_tokens_by_line: bool = False
    sound_tokens_by_line_list: tuple[str, ...] = _SOUNDS_SHOWN_ALONE
    display_speaker_id: str = "name"
    display_effects_speaker_as: str = "Effects"
    force_case: str = ""
    strip_square_brackets: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> LayoutOptions:
        """Read the layout options from a request's parameters.

        Raises:
            OptionError: a value the service refuses.
        """
        d = cls()
        option(options, "merge_gap_interval", at_least(0), None)  # accepted; no effect
        option(options, "sound_threshold", at_least(0), None)  # accepted; no effect

        def flag(name: str, default: bool) -> bool:
            return option(options, name, parse_bool, default)

        def count(name: str, minimum: int, default: int) -> int:
            return option(options, name, at_least(minimum), default)

        def ms(name: str) -> int | None:
            return option(options, name, at_least(0), None)

        return cls(
            characters_per_caption_line=count(
                "characters_per_caption_line", 1, d.characters_per_caption_line
            ),
            lines_per_caption=count("lines_per_caption", 1, d.lines_per_caption),
            caption_by_sentence=flag("caption_by_sentence", d.caption_by_sentence),
            caption_words_min=count("caption_words_min", 0, d.caption_words_min),
            layout_target_caption_length_ms=count(
                "layout_target_caption_length_ms", 0, d.layout_target_caption_length_ms
            ),
            maximum_caption_duration=option(options, "maximum_caption_duration", at_least(1), None),
            minimum_caption_length_ms=ms("minimum_caption_length_ms"),
            minimum_gap_between_captions_ms=ms("minimum_gap_between_captions_ms"),
            silence_max_ms=count("silence_max_ms", 0, d.silence_max_ms),
            line_break_on_sentence=flag("line_break_on_sentence", d.line_break_on_sentence),
            single_speaker_per_caption=flag(
                "single_speaker_per_caption", d.single_speaker_per_caption
            ),
            speaker_on_new_line=flag("speaker_on_new_line", d.speaker_on_new_line),
            disallow_dangling=flag("disallow_dangling", d.disallow_dangling),
            sound_tokens_by_caption=flag("sound_tokens_by_caption", d.sound_tokens_by_caption),
            sound_tokens_by_caption_list=option(
                options,
                "sound_tokens_by_caption_list",
                parse_tag_list,
                d.sound_tokens_by_caption_list,
            ),
            sound_tokens_by_line=flag("sound_tokens_by_line", d.sound_tokens_by_line),
            sound_tokens_by_line_list=option(
                options, "sound_tokens_by_line_list", parse_tag_list, d.sound_tokens_by_line_list
            ),
            display_speaker_id=option(
                options, "display_speaker_id", one_of(*SPEAKER_DISPLAYS), d.display_speaker_id
            ),
            display_effects_speaker_as=option(
                options, "display_effects_speaker_as", parse_text, d.display_effects_speaker_as
            ),
            force_case=option(options, "force_case", one_of(*CASES), d.force_case),
            strip_square_brackets=flag("strip_square_brackets", d.strip_square_brackets),
        )


@dataclass(frozen=True)
class _Piece:
    """Text laid out as a whole, no wider than a line, and its share of the word's time."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class _Unit:
    """A word (opened by its speaker's label at a turn), as pieces no wider than a line."""

    pieces: tuple[_Piece, ...]
    first_in_sentence: bool
    last_in_sentence: bool
    speaker_change: bool
    sound_tag: str | None

    @property
    def start_ms(self) -> int:
        """When the word starts."""
        return self.pieces[0].start_ms

    @property
    def end_ms(self) -> int:
        """When the word ends."""
        return self.pieces[-1].end_ms


def layout_cues(
    sentences: Sequence[Sentence], options: LayoutOptions, text_options: TextOptions
) -> list[Cue]:
    """Lay the sentences out as captions, in order and without overlaps."""
    builder = _CueBuilder(options)
    for unit in _units(sentences, options, text_options):
        builder.add(unit)
    return _retimed(builder.finish(), options)


def _units(
    sentences: Sequence[Sentence], options: LayoutOptions, text_options: TextOptions
) -> list[_Unit]:
    """Every word as a unit; the first word of a speaker's turn carries the label."""
    units: list[_Unit] = []
    for sentence in sentences:
        label = ""
        if sentence.speaker_change:
            label = speaker_label(
                sentence,
                token=text_options.speaker_change_token,
                display=options.display_speaker_id,
                effects_name=options.display_effects_speaker_as,
            )
        words: list[tuple[tuple[_Piece, ...], str | None]] = []
        for index, word in enumerate(sentence.words):
            text = _styled(f"{label} {word.text}" if index == 0 else word.text, options)
            texts = _wrap(text, options.characters_per_caption_line)
            if texts:
                times = _spread(word.start_ms, word.end_ms, [len(text) for text in texts])
                pieces = tuple(_Piece(t, start, end) for t, (start, end) in zip(texts, times))
                words.append((pieces, word.sound_tag))
        for index, (pieces, sound_tag) in enumerate(words):
            first = index == 0
            last = index == len(words) - 1
            units.append(_Unit(pieces, first, last, first and sentence.speaker_change, sound_tag))
    return units


def _styled(text: str, options: LayoutOptions) -> str:
    """``text`` with square brackets stripped and its case forced, as asked."""
    if options.strip_square_brackets:
        text = text.replace("[", "").replace("]", "")
    if options.force_case == "upper":
        return text.upper()
    if options.force_case == "lower":
        return text.lower()
    return text


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in pieces of at most ``width`` characters, cut at spaces where possible."""
    pieces: list[str] = []
    for word in text.split():
        chunks = [word[i : i + width] for i in range(0, len(word), width)]
        if pieces and len(pieces[-1]) + 1 + len(chunks[0]) <= width:
            pieces[-1] = f"{pieces[-1]} {chunks.pop(0)}"
        pieces.extend(chunks)
    return pieces


def _spread(start: int, end: int, weights: Sequence[int]) -> list[tuple[int, int]]:
    """Share ``start``..``end`` between consecutive pieces in proportion to their weights."""
    total = sum(weights) or 1
    bounds = [start]
    running = 0
    for weight in weights:
        running += weight
        bounds.append(start + round((end - start) * running / total))
    return list(zip(bounds, bounds[1:]))


class _CueBuilder:
    """Packs words into the lines of the current caption, closing captions as it goes."""

    def __init__(self, options: LayoutOptions) -> None:
        self._options = options
        self._width = options.characters_per_caption_line
        self._lines: list[list[_Piece]] = [[]]
        self._units: list[_Unit] = []
        self._cues: list[Cue] = []

    def add(self, unit: _Unit) -> None:
        """Place the next word: on this line, on new lines, or in a new caption."""
        if self._units:
            if self._breaks_caption(unit):
                self._close_caption()
            else:
                self._make_room(unit)
        for piece in unit.pieces:  # only a word longer than a caption spills over
            if self._lines[-1] and not self._fits(piece.text):
                if len(self._lines) < self._options.lines_per_caption:
                    self._lines.append([])
                else:
                    self._close_caption()
            self._lines[-1].append(piece)
        self._units.append(unit)

    def finish(self) -> list[Cue]:
        """The captions, the last one closed."""
        self._close_caption()
        return self._cues

    def _breaks_caption(self, unit: _Unit) -> bool:
        """Whether ``unit`` must open a new caption, whatever room this one has left."""
        o = self._options
        start, previous = self._units[0].start_ms, self._units[-1]
        if (
            (o.single_speaker_per_caption and unit.speaker_change)
            or self._alone(
                unit, previous, o.sound_tokens_by_caption, o.sound_tokens_by_caption_list
            )
            or (
                o.maximum_caption_duration is not None
                and unit.end_ms - start > o.maximum_caption_duration
            )
        ):
            return True
        return len(self._units) >= o.caption_words_min and (
            (o.caption_by_sentence and unit.first_in_sentence)
            or unit.start_ms - previous.end_ms > o.silence_max_ms
        )

    def _breaks_line(self, unit: _Unit) -> bool:
        """Whether ``unit`` must open a new line of this caption."""
        o = self._options
        line = self._lines[-1]
        return bool(line) and (
            (o.speaker_on_new_line and unit.speaker_change)
            or (o.line_break_on_sentence and unit.first_in_sentence)
            or self._alone(
                unit, self._units[-1], o.sound_tokens_by_line, o.sound_tokens_by_line_list
            )
        )

    @staticmethod
    def _alone(unit: _Unit, previous: _Unit, enabled: bool, tags: tuple[str, ...]) -> bool:
        """Whether a sound listed in ``tags`` separates ``previous`` from ``unit``."""
        return enabled and (unit.sound_tag in tags or previous.sound_tag in tags)

    def _make_room(self, unit: _Unit) -> None:
        """Open new lines for ``unit`` when it needs them, or a new caption.

        A new caption opens when the word needs more lines than are left, or when the
        caption, long enough in words, would outlast ``layout_target_caption_length_ms``.
        """
        forced = self._breaks_line(unit)
        new_lines = self._new_lines_needed(unit, forced)
        if not new_lines:
            return
        carried = [] if forced else self._dangling(unit)
        o = self._options
        past_target = (
            len(self._units) >= o.caption_words_min
            and unit.end_ms - self._units[0].start_ms > o.layout_target_caption_length_ms
        )
        if past_target or len(self._lines) + new_lines > o.lines_per_caption:
            self._close_caption()
        else:
            self._lines.append([])
        self._lines[-1].extend(carried)

    def _new_lines_needed(self, unit: _Unit, forced: bool) -> int:
        """How many lines ``unit`` would add to the caption (at least one when ``forced``)."""
        used = 0 if forced else len(" ".join(piece.text for piece in self._lines[-1]))
        needed = 1 if forced else 0
        for piece in unit.pieces:
            if used and used + 1 + len(piece.text) > self._width:
                needed += 1
                used = len(piece.text)
            else:
                used += (1 if used else 0) + len(piece.text)
        return needed

    def _dangling(self, unit: _Unit) -> list[_Piece]:
        """With ``disallow_dangling``, the piece to take along with a sentence's last word.

        It leaves the current line (which keeps at least one piece) when both fit on a line.
        """
        line = self._lines[-1]
        if (
            self._options.disallow_dangling
            and unit.last_in_sentence
            and not unit.first_in_sentence
            and len(line) >= 2
            and len(unit.pieces) == 1
            and len(line[-1].text) + 1 + len(unit.pieces[0].text) <= self._width
        ):
            return [line.pop()]
        return []

    def _fits(self, text: str) -> bool:
        """Whether ``text`` fits at the end of the current line."""
        used = sum(len(piece.text) + 1 for piece in self._lines[-1])
        return used + len(text) <= self._width

    def _close_caption(self) -> None:
        """Turn the current lines into a cue, and start an empty caption."""
        pieces = [piece for line in self._lines for piece in line]
        if pieces:
            lines = tuple(" ".join(piece.text for piece in line) for line in self._lines if line)
            self._cues.append(Cue(pieces[0].start_ms, pieces[-1].end_ms, lines))
        self._lines = [[]]
        self._units = []


def _retimed(cues: list[Cue], options: LayoutOptions) -> list[Cue]:
    """Cues lengthened to the minimum, cut to the maximum, and kept apart from the next."""
    result: list[Cue] = []
    for index, cue in enumerate(cues):
        end = cue.end_ms
        if options.minimum_caption_length_ms is not None:
            end = max(end, cue.start_ms + options.minimum_caption_length_ms)
        if options.maximum_caption_duration is not None:
            end = min(end, cue.start_ms + options.maximum_caption_duration)
        if index + 1 < len(cues):
            gap = options.minimum_gap_between_captions_ms or 0
            end = min(end, cues[index + 1].start_ms - gap)
        result.append(Cue(cue.start_ms, max(end, cue.start_ms + 1), cue.lines))
    return result
