"""Transcripts (``get_transcript``): the sample as paragraphs of text, in txt or html."""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import NotImplementedFormat
from .media_types import TEXT_HTML, TEXT_PLAIN
from .options import at_least, one_of, option, parse_bool, parse_int, parse_text
from .text import Sentence, TextOptions, read_sentences, speaker_label
from .timecodes import strftime_like

FILE_FORMATS = ("txt", "html", "pdf")
SPEAKER_DISPLAY = "name"
EFFECTS_NAME = "Effects"


@dataclass(frozen=True)
class TranscriptOptions:
    """The transcript-only options, with the service's defaults."""

    create_paragraphs: bool = True
    newlines_after_paragraph: int = 2
    newlines_after_sentence: int = 0
    timecode_every_paragraph: bool = True
    timecode_format: str = "[%H:%M:%S.%f]"
    timecode_interval: int = 0
    timecode_offset: int = 0
    file_format: str = "txt"

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> TranscriptOptions:
        """Read the transcript options from a request's parameters.

        Raises:
            OptionError: a value the service refuses.
        """
        d = cls()
        return cls(
            create_paragraphs=option(options, "create_paragraphs", parse_bool, d.create_paragraphs),
            newlines_after_paragraph=option(
                options, "newlines_after_paragraph", at_least(0), d.newlines_after_paragraph
            ),
            newlines_after_sentence=option(
                options, "newlines_after_sentence", at_least(0), d.newlines_after_sentence
            ),
            timecode_every_paragraph=option(
                options, "timecode_every_paragraph", parse_bool, d.timecode_every_paragraph
            ),
            timecode_format=option(options, "timecode_format", parse_text, d.timecode_format),
            timecode_interval=option(
                options, "timecode_interval", at_least(0), d.timecode_interval
            ),
            timecode_offset=option(options, "timecode_offset", parse_int, d.timecode_offset),
            file_format=option(options, "file_format", one_of(*FILE_FORMATS), d.file_format),
        )


@dataclass(frozen=True)
class Paragraph:
    """A paragraph: its opening timecode (if any) and its sentences' text.

    A sentence's text may open with an inline timecode (``timecode_interval``) and with the
    speaker's label when the speaker changes there.
    """

    timecode: str | None
    sentences: tuple[str, ...]


def render_transcript(
    element_list: Mapping[str, Any], options: Mapping[str, str]
) -> tuple[bytes, str]:
    """The transcript of ``element_list`` with the request's ``options`` applied.

    Returns:
        The body (UTF-8) and its content type: ``text/plain; charset=utf-8`` for ``txt``,
        ``text/html; charset=utf-8`` for ``html``.

    Raises:
        OptionError: an option value the service refuses.
        NotImplementedFormat: ``file_format=pdf``, which the emulator does not produce.
    """
    text_options = TextOptions.from_options(options)
    transcript_options = TranscriptOptions.from_options(options)
    if transcript_options.file_format == "pdf":
        raise NotImplementedFormat("file_format", "pdf")
    sentences = read_sentences(element_list, text_options)
    paragraphs = _paragraphs(sentences, text_options, transcript_options)
    if transcript_options.file_format == "html":
        language = str(element_list.get("language", "en"))
        return _html(paragraphs, transcript_options, language).encode("utf-8"), TEXT_HTML
    return _plain(paragraphs, transcript_options).encode("utf-8"), TEXT_PLAIN


def _paragraphs(
    sentences: list[Sentence], text_options: TextOptions, options: TranscriptOptions
) -> list[Paragraph]:
    """Group sentences into paragraphs (one per speaker's turn) and place the timecodes."""
    groups: list[list[Sentence]] = []
    for sentence in sentences:
        if not groups or (options.create_paragraphs and sentence.speaker_change):
            groups.append([])
        groups[-1].append(sentence)
    paragraphs: list[Paragraph] = []
    last_stamp: int | None = None
    for group in groups:
        timecode = None
        if options.timecode_every_paragraph:
            timecode = _timecode(group[0].start_ms, options)
            last_stamp = group[0].start_ms
        texts: list[str] = []
        for sentence in group:
            text = _sentence_text(sentence, text_options)
            due = last_stamp is None or sentence.start_ms - last_stamp >= options.timecode_interval
            if options.timecode_interval and due and (timecode is None or texts):
                text = f"{_timecode(sentence.start_ms, options)} {text}"
                last_stamp = sentence.start_ms
            texts.append(text)
        paragraphs.append(Paragraph(timecode, tuple(texts)))
    return paragraphs


def _sentence_text(sentence: Sentence, text_options: TextOptions) -> str:
    """A sentence's words, opened by the speaker's label when the speaker changes."""
    words = [word.text for word in sentence.words]
    if sentence.speaker_change:
        label = speaker_label(
            sentence,
            token=text_options.speaker_change_token,
            display=SPEAKER_DISPLAY,
            effects_name=EFFECTS_NAME,
        )
        words = [label, *words] if label else words
    return " ".join(words)


def _timecode(ms: int, options: TranscriptOptions) -> str:
    """A timecode in the requested format, shifted by ``timecode_offset``."""
    return strftime_like(options.timecode_format, ms + options.timecode_offset)


def _plain(paragraphs: list[Paragraph], options: TranscriptOptions) -> str:
    """The txt transcript: each paragraph's timecode on its own line, then its text."""
    sentence_gap = "\n" * options.newlines_after_sentence or " "
    paragraph_gap = "\n" * options.newlines_after_paragraph or " "
    blocks: list[str] = []
    for paragraph in paragraphs:
        text = sentence_gap.join(paragraph.sentences)
        blocks.append(text if paragraph.timecode is None else f"{paragraph.timecode}\n{text}")
    return paragraph_gap.join(blocks) + "\n"


def _html(paragraphs: list[Paragraph], options: TranscriptOptions, language: str) -> str:
    """The html transcript: a minimal HTML5 document with one ``<p>`` per paragraph."""
    sentence_gap = "<br>\n" * options.newlines_after_sentence or " "
    body: list[str] = []
    for paragraph in paragraphs:
        text = sentence_gap.join(html.escape(sentence) for sentence in paragraph.sentences)
        if paragraph.timecode is not None:
            stamp = html.escape(paragraph.timecode)
            text = f'<span class="timecode">{stamp}</span><br>\n{text}'
        body.append(f"<p>{text}</p>")
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{html.escape(language)}">',
            "<head>",
            '<meta charset="utf-8">',
            "<title>Transcript</title>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )
