"""How captions and element lists show in a notebook and at a prompt: short, whatever the
length of the media, with the format, cues, duration, speakers and first lines."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

import cielo24
from cielo24.captions import Caption, Cue, caption_format_named
from cielo24.emulator import Emulator
from cielo24.models import ElementList

FORMATS = ["SRT", "WEB_VTT", "SBV", "DFXP", "SAMI", "QT"]


@pytest.fixture(scope="module")
def done() -> Iterator[cielo24.Transcription]:
    """A Complete job on an emulator, with its captions in every format that has cues."""
    with Emulator() as configuration, cielo24.ApiClient(configuration) as client:
        result = cielo24.transcribe(
            b"\x00" * 64,
            fidelity="MECHANICAL",
            caption_formats=[*FORMATS, "TRANSCRIPT"],
            api_client=client,
        )
        yield result


@pytest.mark.parametrize("caption_format", FORMATS)
def test_every_timed_format_gives_the_same_cues(
    done: cielo24.Transcription, caption_format: str
) -> None:
    caption = done.captions[caption_format]
    assert isinstance(caption, str) and str(caption).strip()  # still the text itself
    cues = caption.cues
    assert len(cues) == 10
    assert cues[0] == Cue(3.1, 6.43, ">> Alice Martin: Welcome back to the show, I'm Alice Martin.")
    assert cues == done.captions["SRT"].cues
    assert caption.duration == pytest.approx(cues[-1].end)
    text = repr(caption)
    assert text == (
        f"<Caption {caption_format}: 10 cues, 0:00:46; '>> Alice Martin: Welcome back to the sh…'>"
    )


def test_the_notebook_shows_a_short_table_of_the_first_cues(done: cielo24.Transcription) -> None:
    caption = done.captions["SRT"]
    page = caption._repr_html_()
    assert "<caption>SRT captions: 10 cues, 0:00:46</caption>" in page
    assert page.count("<tr>") == 1 + 3 + 1  # header, three cues, "7 more"
    assert "0:00:03" in page and "I&#x27;m Alice Martin." in page and "7 more" in page
    assert "&gt;&gt; Alice Martin" in page  # escaped
    assert len(page) < 1000

    class Printer:
        def __init__(self) -> None:
            self.shown = ""

        def text(self, text: str) -> None:
            self.shown += text

    printer = Printer()
    caption._repr_pretty_(printer, False)  # IPython's plain text
    assert printer.shown == repr(caption)


def test_captions_without_cues_show_their_first_lines(done: cielo24.Transcription) -> None:
    transcript = done.captions["TRANSCRIPT"]
    assert transcript.cues == []
    assert repr(transcript).startswith("<Caption TRANSCRIPT: ")
    assert " lines, " in repr(transcript) and len(repr(transcript)) < 120
    assert "<pre>" in transcript._repr_html_()
    assert repr(Caption("", "SRT")) == "<Caption SRT: 0 cues, 0:00:00; ''>"


def test_an_element_list_shows_its_speakers_duration_words_and_first_lines(
    done: cielo24.Transcription,
) -> None:
    element_list = done.element_list()
    assert isinstance(element_list, ElementList)
    assert repr(element_list) == "<ElementList en, 3 speakers, 0:00:47, 87 words; '[MUSIC]'>"
    page = element_list._repr_html_()
    assert "<caption>element list: en, 3 speakers, 0:00:47, 87 words" in page
    assert "(Effects, Alice Martin, Bob Chen)</caption>" in page
    assert "Welcome back to the show" in page and "8 more lines" in page
    assert len(page) < 1000
    big = ElementList.from_wire({**element_list.to_wire(), "segments": []})
    big.segments = element_list.segments * 200
    assert len(repr(big)) < 120 and len(big._repr_html_()) < 1000


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("srt", "SRT"),
        ("SRT", "SRT"),
        ("vtt", "WEB_VTT"),
        ("WebVTT", "WEB_VTT"),
        ("web_vtt", "WEB_VTT"),
        ("dfxp", "DFXP"),
        ("sbv", "SBV"),
        ("qt", "QT"),
        ("sami", "SAMI"),
        ("smi", "SAMI"),
        ("scc", "SCC"),
        ("txt", "TRANSCRIPT"),
        (" Srt ", "SRT"),
    ],
)
def test_format_names_and_extensions(name: str, expected: str) -> None:
    assert caption_format_named(name) == expected


def test_an_unknown_format_name_is_refused_with_the_list() -> None:
    with pytest.raises(cielo24.ApiValueError, match=r"'mp4' is not a caption format \(DFXP, "):
        caption_format_named("mp4")
