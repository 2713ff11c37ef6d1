"""The emulator's outputs as pure functions: ElementLists, transcripts and captions."""

from __future__ import annotations

import io
import json
import re
import warnings
import xml.etree.ElementTree as ElementTree
from html.parser import HTMLParser
from typing import Any

import pytest

from cielo24.emulator.outputs import (
    CAPTION_FORMATS,
    NotImplementedFormat,
    OptionError,
    build_element_list,
    render_caption,
    render_transcript,
)
from cielo24.emulator.outputs.options import (
    one_of,
    parse_bool,
    parse_boundaries,
    parse_int,
    parse_tag_list,
)

FINAL = build_element_list(language="en", iwp_name="FINAL")
MECHANICAL = build_element_list(language="en", iwp_name="MECHANICAL")
JOB_ID = "0123456789abcdef0123456789abcdef"
WRITTEN_FORMATS = ("SRT", "WEB_VTT", "SBV", "QT", "TRANSCRIPT", "DFXP", "SAMI")
TIMED_FORMATS = tuple(fmt for fmt in WRITTEN_FORMATS if fmt != "TRANSCRIPT")
SOUNDS = {"remove_sound_references": "false"}
FLOWING = {"caption_by_sentence": "false"}

Cue = tuple[int, int, tuple[str, ...]]


# --- helpers -------------------------------------------------------------------------------


def caption(fmt: str, element_list: dict[str, Any] = FINAL, /, **options: str) -> str:
    """The caption file as text (a byte-order mark kept as U+FEFF)."""
    body, _ = render_caption(
        element_list, fmt, options, job_id=JOB_ID, job_name="Paint & colour", language="en"
    )
    return body.decode("utf-8")


def transcript(element_list: dict[str, Any] = FINAL, /, **options: str) -> str:
    """The transcript as text."""
    body, _ = render_transcript(element_list, options)
    return body.decode("utf-8")


def ms(hours: str, minutes: str, seconds: str, millis: str) -> int:
    """Milliseconds from the parts of a timestamp."""
    return ((int(hours) * 60 + int(minutes)) * 60 + int(seconds)) * 1000 + int(millis)


STAMP = r"(\d+):(\d\d):(\d\d)[.,](\d{3})"
SRT_CUE = re.compile(rf"(\d+)\n{STAMP} --> {STAMP}\n((?:.+\n)+)\n")
VTT_CUE = re.compile(rf"{STAMP} --> {STAMP}\n((?:.+\n)+)\n")
SBV_CUE = re.compile(rf"{STAMP},{STAMP}\n((?:.+\n)+)\n")
QT_STAMP = re.compile(r"\[(\d\d):(\d\d):(\d\d)\.(\d{3})\]")


def blocks(pattern: re.Pattern[str], text: str) -> list[re.Match[str]]:
    """Every block of ``text``, which must consist of nothing else."""
    matches = list(pattern.finditer(text))
    assert "".join(match.group(0) for match in matches) == text, "stray text between cues"
    return matches


def srt_cues(text: str) -> list[Cue]:
    """SRT cues, strictly: numbered from 1, standard timestamps, a blank line after each."""
    matches = blocks(SRT_CUE, text)
    assert [int(m.group(1)) for m in matches] == list(range(1, len(matches) + 1))
    return [
        (ms(*m.group(2, 3, 4, 5)), ms(*m.group(6, 7, 8, 9)), tuple(m.group(10).splitlines()))
        for m in matches
    ]


def vtt_cues(text: str) -> list[Cue]:
    """WebVTT cues after the header, with character references decoded."""
    assert text.startswith("WEBVTT\n\n")
    return [
        (
            ms(*m.group(1, 2, 3, 4)),
            ms(*m.group(5, 6, 7, 8)),
            tuple(
                line.replace("&lt;", "<").replace("&amp;", "&") for line in m.group(9).splitlines()
            ),
        )
        for m in blocks(VTT_CUE, text[len("WEBVTT\n\n") :])
    ]


def sbv_cues(text: str) -> list[Cue]:
    """SBV cues: ``H:MM:SS.mmm,H:MM:SS.mmm``, text, a blank line."""
    matches = blocks(SBV_CUE, text)
    hours = [m.group(i) for m in matches for i in (1, 5)]
    assert all(re.fullmatch(r"0|[1-9][0-9]*", hour) for hour in hours)  # H, not HH
    return [
        (ms(*m.group(1, 2, 3, 4)), ms(*m.group(5, 6, 7, 8)), tuple(m.group(9).splitlines()))
        for m in matches
    ]


def qt_cues(text: str) -> list[Cue]:
    """QuickTime text cues: after the header, each stamp is followed by text lines or by
    one empty line (clearing); a cue lasts until the next stamp."""
    header, *lines = text.split("\n")
    assert header.startswith("{QTtext}") and "{timeScale:1000}" in header
    assert lines[-1] == "", "the file ends with a newline"
    entries: list[tuple[int, list[str]]] = []
    for line in lines[:-1]:
        stamp = QT_STAMP.fullmatch(line)
        if stamp:
            entries.append((ms(*stamp.groups()), []))
        else:
            assert entries, "text before the first stamp"
            entries[-1][1].append(line)
    cues = []
    for (start, texts), (end, _) in zip(entries, [*entries[1:], (-1, [])]):
        assert texts, "a stamp without text"
        if texts == [""]:
            continue  # clears the screen
        assert all(texts), "an empty line inside a caption"
        assert end >= 0, "the last caption is never cleared"
        cues.append((start, end, tuple(texts)))
    return cues


def dfxp_cues(text: str) -> list[Cue]:
    """DFXP ``<p begin end>`` cues, lines split at ``<br/>``."""
    ns = "{http://www.w3.org/ns/ttml}"
    root = ElementTree.fromstring(text.lstrip("\ufeff").encode("utf-8"))
    cues = []
    for p in root.iter(f"{ns}p"):
        assert all(child.tag == f"{ns}br" for child in p)
        lines = (p.text or "", *(br.tail or "" for br in p))
        begin = re.fullmatch(STAMP, p.get("begin", ""))
        end = re.fullmatch(STAMP, p.get("end", ""))
        assert begin and end
        cues.append((ms(*begin.groups()), ms(*end.groups()), lines))
    return cues


def sami_cues(text: str) -> list[Cue]:
    """SAMI cues: each ``<SYNC>`` lasts until the next; a non-breaking space clears."""
    root = ElementTree.fromstring(text.lstrip("\ufeff").encode("utf-8"))
    syncs = root.findall("./BODY/SYNC")
    entries = []
    for sync in syncs:
        (p,) = list(sync)
        lines = (p.text or "", *(br.tail or "" for br in p))
        entries.append((int(sync.get("Start", "")), lines))
    cues = []
    for (start, lines), (end, _) in zip(entries, entries[1:]):
        if lines != ("\xa0",):
            cues.append((start, end, lines))
    assert entries[-1][1] == ("\xa0",), "the last caption is cleared"
    return cues


def transcript_cues(text: str) -> list[Cue]:
    """TRANSCRIPT captions: blocks of lines separated by blank lines, without times."""
    assert text.endswith("\n\n")
    return [(0, 0, tuple(block.split("\n"))) for block in text[:-2].split("\n\n")]


PARSERS = {
    "SRT": srt_cues,
    "WEB_VTT": vtt_cues,
    "SBV": sbv_cues,
    "QT": qt_cues,
    "TRANSCRIPT": transcript_cues,
    "DFXP": dfxp_cues,
    "SAMI": sami_cues,
}


def cues(fmt: str, element_list: dict[str, Any] = FINAL, /, **options: str) -> list[Cue]:
    """The captions as (start, end, lines), read back strictly from the written file."""
    return PARSERS[fmt](caption(fmt, element_list, **options))


def srt_lines(**options: str) -> list[tuple[str, ...]]:
    """The lines of each SRT cue."""
    return [lines for _, _, lines in cues("SRT", **options)]


def srt_texts(**options: str) -> list[str]:
    """The text of each SRT cue, its lines joined by spaces."""
    return [" ".join(lines) for lines in srt_lines(**options)]


def all_words(element_list: dict[str, Any]) -> list[dict[str, Any]]:
    """Every token of an ElementList."""
    return [
        token
        for segment in element_list["segments"]
        for sequence in segment["sequences"]
        for token in sequence["tokens"]
    ]


def dangling(captions: list[tuple[str, ...]], width: int) -> list[str]:
    """Lines holding nothing but a sentence's last word, which could have shared a line with
    the word before it (that word's line holding another to stay behind)."""
    lines = [line for lines in captions for line in lines]
    return [
        line
        for before, line in zip(lines, lines[1:])
        if len(line.split()) == 1
        and line.endswith((".", "?", "!"))
        and len(before.split()) >= 2
        and not before.endswith((".", "?", "!"))
        and len(before.split()[-1]) + 1 + len(line) <= width
    ]


# --- ElementList ---------------------------------------------------------------------------


def test_element_list_has_the_version_3_shape() -> None:
    assert json.loads(json.dumps(FINAL)) == FINAL
    assert FINAL["version"] == 3
    assert FINAL["language"] == "en"
    assert build_element_list(language="fr-ca", iwp_name="FINAL")["language"] == "fr-ca"
    assert FINAL["start_time"] == 0
    assert len(FINAL["segments"]) == 11  # [MUSIC], then ten sentences
    assert {s["name"] for s in FINAL["speakers"]} == {"Effects", "Alice Martin", "Bob Chen"}
    assert all(set(s) == {"id", "name", "gender"} for s in FINAL["speakers"])
    speaker_ids = {s["id"] for s in FINAL["speakers"]}
    for segment in FINAL["segments"]:
        assert isinstance(segment["speaker_change"], bool)
        assert segment["speaker_id"] in speaker_ids
        for sequence in segment["sequences"]:
            kinds = [token["type"] for token in sequence["tokens"]]
            assert kinds in (["sound"], ["word"], ["word", "punctuation"])  # one word each
        for token in (t for seq in segment["sequences"] for t in seq["tokens"]):
            assert token["value"] == token["value"].lower()
            assert isinstance(token["display_as"], str)
            if token["type"] == "sound":
                assert token["display_as"] == f"[{token['tags'][0]}]"
    spoken = FINAL["segments"][1:]
    assert all(
        segment["sequences"][-1]["tokens"][-1]["tags"] == ["ENDS_SENTENCE"] for segment in spoken
    )
    assert sum("ENDS_SENTENCE" in token["tags"] for token in all_words(FINAL)) == len(spoken)
    assert len(FINAL["keywords"]["color"]["time_ranges"]) == 2
    assert FINAL["topics"]["home improvement"]["display_name"] == "Home improvement"
    assert FINAL["entities"]["alice martin"]["display_name"] == "Alice Martin"
    for group in ("keywords", "topics", "entities"):
        for meta in FINAL[group].values():
            assert all(r["start_time"] < r["end_time"] for r in meta["time_ranges"])


def test_element_list_has_sound_disfluency_slang_and_profanity_tokens() -> None:
    values = [token["value"] for token in all_words(FINAL)]
    for value in ("[music]", "[laugh]", "um", "uh", "gonna", "damn", "color", "organize"):
        assert value in values
    assert all_words(FINAL)[0]["display_as"] == "[MUSIC]"


@pytest.mark.parametrize("duration_ms", [None, 120_000, 10])
def test_element_list_times_are_whole_ordered_and_never_overlap(duration_ms: int | None) -> None:
    element_list = build_element_list(language="en", iwp_name="FINAL", duration_ms=duration_ms)
    for level in ("segments", "sequences", "tokens"):
        if level == "segments":
            items = element_list["segments"]
        elif level == "sequences":
            items = [q for s in element_list["segments"] for q in s["sequences"]]
        else:
            items = all_words(element_list)
        for item in items:
            assert isinstance(item["start_time"], int) and isinstance(item["end_time"], int)
            assert 0 <= item["start_time"] <= item["end_time"] <= element_list["end_time"]
            if item.get("type") != "punctuation":
                assert item["start_time"] < item["end_time"]
        for before, after in zip(items, items[1:]):
            assert before["end_time"] <= after["start_time"]


def test_element_list_timings_are_scaled_to_the_media_length() -> None:
    longer = build_element_list(language="en", iwp_name="FINAL", duration_ms=120_000)
    assert longer["end_time"] == 120_000
    assert 110_000 < longer["segments"][-1]["end_time"] <= 120_000
    assert longer["segments"][1]["start_time"] > FINAL["segments"][1]["start_time"]
    tiny = build_element_list(language="en", iwp_name="FINAL", duration_ms=10)
    assert tiny["end_time"] == 1000  # the shortest media the sample is squeezed into


def test_mechanical_version_has_no_speaker_names_and_mishears_a_word() -> None:
    assert [s["name"] for s in MECHANICAL["speakers"]] == ["", "", ""]
    final_words = [token["value"] for token in all_words(FINAL)]
    mechanical_words = [token["value"] for token in all_words(MECHANICAL)]
    assert "kitchen" in final_words and "kitchen" not in mechanical_words
    assert "chicken" in mechanical_words
    assert all(seq["confidence_score"] == 1.0 for s in FINAL["segments"] for seq in s["sequences"])
    assert (
        min(seq["confidence_score"] for s in MECHANICAL["segments"] for seq in s["sequences"]) < 0.5
    )


# --- option parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        *[("true", True), ("TRUE", True), ("t", True), ("Yes", True), ("1", True)],
        *[("false", False), ("False", False), ("F", False), ("no", False), ("0", False)],
    ],
)
def test_booleans_are_read_in_the_forms_clients_send(text: str, value: bool) -> None:
    assert parse_bool("mask_profanity", text) is value


@pytest.mark.parametrize("text", ["", "maybe", "2", "truee", "on"])
def test_a_bad_boolean_names_the_option_and_the_value(text: str) -> None:
    with pytest.raises(OptionError) as caught:
        parse_bool("mask_profanity", text)
    assert caught.value.name == "mask_profanity"
    assert "mask_profanity" in caught.value.message and repr(text) in caught.value.message


def test_integers_and_choices_are_checked() -> None:
    assert parse_int("timecode_offset", "-250") == -250
    assert parse_int("timecode_offset", "+42") == 42
    for bad in ("4.2", "", "x", "1e3", "4_2"):
        with pytest.raises(OptionError, match="timecode_offset"):
            parse_int("timecode_offset", bad)
    assert one_of("no", "number", "name")("display_speaker_id", "NAME") == "name"
    with pytest.raises(OptionError, match=r"display_speaker_id 'nickname'.*'no', 'number'"):
        one_of("no", "number", "name")("display_speaker_id", "nickname")


def test_sound_tag_lists_are_json_lists_of_known_tags() -> None:
    assert parse_tag_list("remove_sounds_list", '["MUSIC","laugh"]') == ("MUSIC", "LAUGH")
    assert parse_tag_list("remove_sounds_list", "[]") == ()
    for bad in ("MUSIC", '"MUSIC"', "[MUSIC]", '["MUSIC", 1]', '["GUITAR"]', '{"a": 1}'):
        with pytest.raises(OptionError) as caught:
            parse_tag_list("remove_sounds_list", bad)
        assert caught.value.name == "remove_sounds_list" and repr(bad) in caught.value.message


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("('[',']')", ("[", "]")),
        ('("{","}")', ("{", "}")),
        ('["<",">"]', ("<", ">")),
        ("( '(' , ')' )", ("(", ")")),
        ("['','']", ("", "")),
    ],
)
def test_sound_boundaries_accept_the_tuple_and_list_forms(text: str, pair: tuple[str, str]) -> None:
    assert parse_boundaries("sound_boundaries", text) == pair


@pytest.mark.parametrize(
    "text", ["[]", "('[')", "('[',']','!')", "__import__('os')", "('[', 1)", "{", "x" * 100]
)
def test_bad_sound_boundaries_are_refused(text: str) -> None:
    with pytest.raises(OptionError, match="sound_boundaries") as caught:
        parse_boundaries("sound_boundaries", text)
    assert caught.value.name == "sound_boundaries"


def test_unknown_options_are_ignored() -> None:
    assert caption("SRT", frobnicate="x", api_token="t", job_id="j") == caption("SRT")
    assert transcript(frobnicate="x") == transcript()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("characters_per_caption_line", "wide"),
        ("characters_per_caption_line", "0"),
        ("lines_per_caption", "0"),
        ("caption_by_sentence", "perhaps"),
        ("display_speaker_id", "nickname"),
        ("force_case", "title"),
        ("line_ending_format", "MAC"),
        ("maximum_caption_duration", "0"),
        ("minimum_caption_length_ms", "-5"),
        ("sound_tokens_by_caption_list", "MUSIC"),
        ("remove_sounds_list", '["GUITAR"]'),
        ("replace_english_spelling", "X"),
        ("sound_boundaries", "[]"),
        ("utf8_mark", "yes please"),
        ("build_url", "sure"),
        ("merge_gap_interval", "soon"),
        ("audio_description", "2"),
    ],
)
def test_a_bad_caption_option_raises_option_error_naming_it(name: str, value: str) -> None:
    with pytest.raises(OptionError) as caught:
        caption("SRT", **{name: value})
    assert caught.value.name == name
    assert name in str(caught.value) and repr(value) in str(caught.value)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("newlines_after_paragraph", "-1"),
        ("create_paragraphs", "nope"),
        ("timecode_interval", "1s"),
        ("timecode_offset", "x"),
        ("file_format", "doc"),
        ("mask_profanity", "maybe"),
    ],
)
def test_a_bad_transcript_option_raises_option_error_naming_it(name: str, value: str) -> None:
    with pytest.raises(OptionError) as caught:
        transcript(**{name: value})
    assert caught.value.name == name and repr(value) in caught.value.message


# --- the shared text options ---------------------------------------------------------------


def test_defaults_drop_sounds_and_disfluencies_and_keep_the_rest() -> None:
    text = caption("TRANSCRIPT")
    assert "[MUSIC]" not in text and "[LAUGH]" not in text
    assert not re.search(r"\b(um|uh)\b", text)
    for kept in ("gonna", "damn", "color", "organize", ">> Alice Martin: Welcome"):
        assert kept in text


def test_remove_disfluencies_false_keeps_um_and_uh() -> None:
    text = caption("TRANSCRIPT", remove_disfluencies="false")
    assert re.search(r"\bI uh spent\b", text) and re.search(r"\bI um picked\b", text)


def test_sound_references_are_kept_on_request_and_filtered_by_the_list() -> None:
    kept = caption("TRANSCRIPT", **SOUNDS)
    assert "[MUSIC]" in kept and "[LAUGH]" in kept
    listed = caption("TRANSCRIPT", **SOUNDS, remove_sounds_list='["LAUGH"]')
    assert "[MUSIC]" in listed and "[LAUGH]" not in listed
    ignored = caption("TRANSCRIPT", remove_sounds_list='["LAUGH"]')  # all sounds go anyway
    assert "[MUSIC]" not in ignored


@pytest.mark.parametrize("boundaries", ["('{','}')", '["{","}"]'])
def test_sound_boundaries_replace_the_brackets(boundaries: str) -> None:
    text = caption("SRT", **SOUNDS, sound_boundaries=boundaries)
    assert "{MUSIC}" in text and "{LAUGH}" in text and "[MUSIC]" not in text


def test_replace_slang_and_mask_profanity() -> None:
    text = caption("TRANSCRIPT", replace_slang="true", mask_profanity="true")
    assert "I'm going to try" in text and "gonna" not in text
    assert "a **** mess" in text and "damn" not in text


@pytest.mark.parametrize(
    ("variant", "color", "organize"),
    [
        ("A", "color", "organize"),
        ("B", "colour", "organise"),
        ("Z", "colour", "organize"),
        ("U", "colour", "organise"),
        ("C", "colour", "organize"),
    ],
)
def test_replace_english_spelling(variant: str, color: str, organize: str) -> None:
    text = transcript(replace_english_spelling=variant)
    assert f"paint {color}." in text and f"yellow {color} " in text
    assert f"we'll {organize} your" in text


def test_speaker_change_token_in_both_spellings() -> None:
    assert "-- Alice Martin: Welcome" in caption("SRT", emit_speaker_change_tokens_as="--")
    assert "## Alice Martin: Welcome" in caption("SRT", emit_speaker_change_token_as="##")
    both = caption("SRT", emit_speaker_change_tokens_as="--", emit_speaker_change_token_as="##")
    assert "-- Alice" in both and "##" not in both  # the documented spelling wins
    assert "\nAlice Martin: Welcome" in caption("SRT", emit_speaker_change_tokens_as="")


def test_audio_description_and_mixed_are_accepted() -> None:
    assert caption("SRT", audio_description="true", mixed="true") == caption("SRT")


# --- transcripts ---------------------------------------------------------------------------


def test_default_transcript_is_timecoded_paragraphs_per_speaker_turn() -> None:
    body, content_type = render_transcript(FINAL, {})
    assert content_type == "text/plain; charset=utf-8"
    text = body.decode("utf-8")
    paragraphs = text.rstrip("\n").split("\n\n")
    assert len(paragraphs) == 5
    stamp, first = paragraphs[0].split("\n")
    assert stamp == "[00:00:03.100]"
    assert first.startswith(">> Alice Martin: Welcome back to the show, I'm Alice Martin. Today")
    assert paragraphs[1].split("\n")[1].startswith(">> Bob Chen: Thanks for having me")
    assert all(re.fullmatch(r"\[\d\d:\d\d:\d\d\.\d{3}\]\n[^\n]+", p) for p in paragraphs)


def test_create_paragraphs_false_gives_one_paragraph() -> None:
    text = transcript(create_paragraphs="false")
    assert len(re.findall(r"\[\d\d:\d\d:\d\d\.\d{3}\]", text)) == 1
    assert text.count("\n") == 2 and text.count(">> ") == 5


def test_newlines_after_paragraph_and_sentence() -> None:
    assert "\n\n" not in transcript(newlines_after_paragraph="1")
    assert transcript(newlines_after_paragraph="3").count("\n\n\n") == 4
    lines = transcript(newlines_after_sentence="1", timecode_every_paragraph="false").split("\n")
    sentences = [line for line in lines if line]
    assert len(sentences) == 10
    assert all(line.endswith((".", "?")) for line in sentences)


def test_timecode_every_paragraph_false_drops_the_timecodes() -> None:
    text = transcript(timecode_every_paragraph="false")
    assert "[00:" not in text and text.startswith(">> Alice Martin: Welcome")


def test_timecode_format_and_offset() -> None:
    text = transcript(timecode_format="%H-%M-%S,%f (%%)")
    assert text.startswith("00-00-03,100 (%)\n")
    assert transcript(timecode_offset="3600000").startswith("[01:00:03.100]\n")
    assert transcript(timecode_offset="-5000").startswith("[00:00:00.000]\n")


def test_timecode_interval_adds_inline_timecodes_at_least_that_far_apart() -> None:
    text = transcript(timecode_every_paragraph="false", timecode_interval="10000")
    stamps = [ms("0", *m) for m in re.findall(r"\[\d\d:(\d\d):(\d\d)\.(\d{3})\] ", text)]
    assert len(stamps) >= 3 and stamps[0] == 3100
    assert all(b - a >= 10000 for a, b in zip(stamps, stamps[1:]))
    assert len(re.findall(r"\[\d\d:", transcript(timecode_interval="3000"))) > 5


class _TagChecker(HTMLParser):
    """Records the tags of an HTML document and checks that they nest."""

    VOID = frozenset({"meta", "br"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.seen: list[str] = []
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen.append(tag)
        if tag not in self.VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag


def test_html_transcript_is_a_minimal_valid_document() -> None:
    body, content_type = render_transcript(FINAL, {"file_format": "html"})
    assert content_type == "text/html; charset=utf-8"
    text = body.decode("utf-8")
    checker = _TagChecker()
    checker.feed(text)
    checker.close()
    assert checker.doctype == "DOCTYPE html" and checker.open == []
    assert checker.seen[:4] == ["html", "head", "meta", "title"]
    assert checker.seen.count("p") == 5
    assert '<html lang="en">' in text
    assert '<p><span class="timecode">[00:00:03.100]</span><br>\n&gt;&gt; Alice Martin:' in text


def test_pdf_transcript_is_not_implemented() -> None:
    with pytest.raises(NotImplementedFormat) as caught:
        render_transcript(FINAL, {"file_format": "pdf"})
    assert caught.value.name == "file_format" and caught.value.value == "pdf"


def test_mechanical_transcript_numbers_speakers_and_shows_the_misheard_word() -> None:
    text = transcript(MECHANICAL)
    assert ">> Speaker 1: Welcome" in text and ">> Speaker 2: Thanks" in text
    assert "repainting my chicken." in text


# --- captions: formats ---------------------------------------------------------------------


def test_default_srt_is_the_standard_form() -> None:
    body, content_type = render_caption(
        FINAL, "SRT", {}, job_id=JOB_ID, job_name=None, language="en"
    )
    assert content_type == "text/plain; charset=utf-8"
    assert body.decode("utf-8").startswith(
        "1\n00:00:03,100 --> 00:00:06,430\n"
        ">> Alice Martin: Welcome back to the show,\nI'm Alice Martin.\n\n"
        "2\n00:00:06,880 --> 00:00:11,840\n"
        "Today Bob Chen joins us to talk about\npicking a paint color.\n\n"
    )
    assert len(srt_cues(body.decode("utf-8"))) == 10


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [(fmt, "text/plain; charset=utf-8") for fmt in ("SRT", "WEB_VTT", "SBV", "QT", "TRANSCRIPT")]
    + [("DFXP", "application/xml; charset=utf-8"), ("SAMI", "application/xml; charset=utf-8")],
)
def test_content_types(fmt: str, content_type: str) -> None:
    _, answered = render_caption(FINAL, fmt, {}, job_id=JOB_ID, job_name=None, language="en")
    assert answered == content_type


def test_caption_format_is_checked() -> None:
    assert caption("srt") == caption("SRT")
    with pytest.raises(OptionError) as caught:
        caption("MP4")
    assert caught.value.name == "caption_format" and "'MP4'" in caught.value.message
    for fmt in ("ECHO", "SCC", "TPM", "TWX"):
        assert fmt in CAPTION_FORMATS
        with pytest.raises(NotImplementedFormat) as not_implemented:
            caption(fmt)
        assert not_implemented.value.value == fmt


LAYOUTS: list[dict[str, str]] = [
    {},
    {"characters_per_caption_line": "20", "lines_per_caption": "3"},
    {"characters_per_caption_line": "12", "lines_per_caption": "1", **SOUNDS},
    {
        "characters_per_caption_line": "32",
        "display_speaker_id": "number",
        "force_case": "upper",
        "disallow_dangling": "true",
        **FLOWING,
    },
    {"characters_per_caption_line": "8", "minimum_caption_length_ms": "3000", **SOUNDS},
    {"maximum_caption_duration": "1500", "caption_words_min": "4", **SOUNDS, **FLOWING},
]


@pytest.mark.parametrize("fmt", WRITTEN_FORMATS)
@pytest.mark.parametrize("layout", LAYOUTS, ids=range(len(LAYOUTS)))
def test_every_format_respects_the_layout_and_keeps_cues_apart(
    fmt: str, layout: dict[str, str]
) -> None:
    width = int(layout.get("characters_per_caption_line", "42"))
    lines_per_caption = int(layout.get("lines_per_caption", "2"))
    read = cues(fmt, **layout)
    expected = cues("SRT", **layout)  # the same layout, read from another format
    assert [lines for _, _, lines in read] == [lines for _, _, lines in expected]
    assert len(read) >= 7
    for start, end, lines in read:
        assert 1 <= len(lines) <= lines_per_caption
        assert all(0 < len(line) <= width for line in lines), lines
        if fmt != "TRANSCRIPT":
            assert start < end
    if fmt != "TRANSCRIPT":
        assert [(s, e) for s, e, _ in read] == [(s, e) for s, e, _ in expected]
        for (_, end, _), (start, _, _) in zip(read, read[1:]):
            assert end <= start


def test_captions_hold_every_kept_word_in_order() -> None:
    text = " ".join(srt_texts(**SOUNDS, remove_disfluencies="false"))
    spoken = re.sub(r">> (Effects|Alice Martin|Bob Chen): ", "", text)
    assert spoken.startswith("[MUSIC] Welcome back to the show, I'm Alice Martin. Today")
    assert spoken.endswith("then we'll organize your questions.")
    assert len(spoken.split()) == sum(t["type"] != "punctuation" for t in all_words(FINAL))


@pytest.mark.parametrize(
    ("fmt", "options"),
    [
        (fmt, options)
        for fmt in ("SRT", "WEB_VTT", "DFXP", "SAMI")
        for options in (
            {},
            {**SOUNDS, "line_ending_format": "WINDOWS", "utf8_mark": "true"},
            {
                "line_ending_format": "OSX",
                "force_case": "upper",
                "characters_per_caption_line": "20",
            },
        )
    ],
)
def test_pycaption_reads_the_captions(fmt: str, options: dict[str, str]) -> None:
    pycaption = pytest.importorskip("pycaption")
    readers = {
        "SRT": pycaption.SRTReader,
        "WEB_VTT": pycaption.WebVTTReader,
        "DFXP": pycaption.DFXPReader,
        "SAMI": pycaption.SAMIReader,
    }
    text = caption(fmt, **options).lstrip("\ufeff")
    reader = readers[fmt]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pycaption's own BeautifulSoup warnings
        assert reader.detect(text)
        caption_set = reader.read(text)
    (language,) = caption_set.get_languages()
    read = caption_set.get_captions(language)
    ours = cues("SRT", **{**options, "line_ending_format": "UNIX", "utf8_mark": "false"})
    assert len(read) == len(ours)
    for theirs, (start, end, lines) in zip(read, ours):
        assert theirs.get_text().split() == " ".join(lines).split()
        assert (theirs.start, theirs.end) == (start * 1000, end * 1000)  # microseconds


def test_webvtt_py_reads_the_web_vtt() -> None:
    webvtt = pytest.importorskip("webvtt")
    text = caption("WEB_VTT", **SOUNDS)
    read = list(webvtt.from_buffer(io.StringIO(text)))
    ours = cues("WEB_VTT", **SOUNDS)
    assert [(c.start, c.end) for c in read] == [
        (f"00:00:{s // 1000:02d}.{s % 1000:03d}", f"00:00:{e // 1000:02d}.{e % 1000:03d}")
        for s, e, _ in ours
    ]
    assert read[0].text == ">> Effects: [MUSIC]"


def test_sbv_and_qt_have_their_strict_shapes() -> None:
    sbv = caption("SBV")
    assert sbv.startswith("0:00:03.100,0:00:06.430\n>> Alice Martin: Welcome back to the show,\n")
    assert len(sbv_cues(sbv)) == 10
    qt = caption("QT")
    assert qt.split("\n")[1:6] == [
        "[00:00:03.100]",
        ">> Alice Martin: Welcome back to the show,",
        "I'm Alice Martin.",
        "[00:00:06.430]",
        "",
    ]
    assert len(qt_cues(qt)) == 10


def test_qt_seamless_keeps_each_caption_up_until_the_next() -> None:
    default, seamless = caption("QT"), caption("QT", qt_seamless="true")
    assert default.count("]\n\n") == 10  # every caption cleared
    assert seamless.count("]\n\n") == 1  # only the last
    seamless_cues = qt_cues(seamless)
    assert [s for s, _, _ in seamless_cues] == [s for s, _, _ in qt_cues(default)]
    assert all(
        end == following for (_, end, _), (following, _, _) in zip(seamless_cues, seamless_cues[1:])
    )


def test_transcript_caption_format_is_the_caption_text_without_times() -> None:
    text = caption("TRANSCRIPT")
    assert text.startswith(">> Alice Martin: Welcome back to the show,\nI'm Alice Martin.\n\n")
    assert not re.search(r"\d\d:\d\d", text)


# --- captions: layout options --------------------------------------------------------------


def test_characters_per_caption_line_and_lines_per_caption_change_the_layout() -> None:
    default = srt_lines()
    narrow = srt_lines(characters_per_caption_line="20")
    assert max(len(line) for lines in default for line in lines) > 20
    assert max(len(line) for lines in narrow for line in lines) <= 20
    assert len(narrow) > len(default)
    single = srt_lines(lines_per_caption="1")
    assert all(len(lines) == 1 for lines in single) and len(single) > len(default)
    assert max(len(lines) for lines in srt_lines(lines_per_caption="4", **FLOWING)) > 2


def test_caption_by_sentence_starts_each_sentence_in_a_new_caption() -> None:
    mid_caption_sentence_end = re.compile(r"[.?!] \S")
    assert not any(mid_caption_sentence_end.search(t) for t in srt_texts())
    assert any(mid_caption_sentence_end.search(t) for t in srt_texts(**FLOWING))


def test_caption_words_min_joins_short_sentences() -> None:
    assert ">> Alice Martin: How did it go?" in srt_texts(lines_per_caption="4")
    joined = srt_texts(caption_words_min="8", lines_per_caption="4")
    assert not any(text.endswith("How did it go?") for text in joined)
    assert any("How did it go? >> Bob Chen: Honestly," in text for text in joined)


def test_maximum_caption_duration_limits_every_cue() -> None:
    limited = cues("SRT", maximum_caption_duration="2000")
    assert all(end - start <= 2000 for start, end, _ in limited)
    assert max(end - start for start, end, _ in cues("SRT")) > 2000
    assert len(limited) > len(cues("SRT"))


def test_minimum_caption_length_lengthens_short_cues_up_to_the_next_one() -> None:
    read = cues("SRT", minimum_caption_length_ms="4000")
    assert min(end - start for start, end, _ in cues("SRT")) < 4000
    for (start, end, _), (following, _, _) in zip(read, read[1:]):
        assert end - start >= 4000 or end == following
    assert read[-1][1] - read[-1][0] >= 4000


def test_minimum_gap_between_captions() -> None:
    read = cues("SRT", minimum_gap_between_captions_ms="600", minimum_caption_length_ms="9000")
    assert all(following - end >= 600 for (_, end, _), (following, _, _) in zip(read, read[1:]))


def test_layout_target_caption_length_and_silence_max_make_shorter_captions() -> None:
    default = cues("SRT", **FLOWING)
    target = cues("SRT", **FLOWING, layout_target_caption_length_ms="2000")
    assert len(target) > len(default)
    silence = srt_texts(**FLOWING, silence_max_ms="300")
    assert not any(re.search(r"[.?!] \S", text) for text in silence)  # sentence gaps break


@pytest.mark.parametrize(
    ("display", "element_list", "opening"),
    [
        ("no", FINAL, ">> Welcome back"),
        ("number", FINAL, ">> Speaker 1: Welcome back"),
        ("name", FINAL, ">> Alice Martin: Welcome back"),
        ("name", MECHANICAL, ">> Speaker 1: Welcome back"),
    ],
)
def test_display_speaker_id(display: str, element_list: dict[str, Any], opening: str) -> None:
    assert cues("SRT", element_list, display_speaker_id=display)[0][2][0].startswith(opening)


def test_display_effects_speaker_as() -> None:
    assert cues("SRT", **SOUNDS)[0][2] == (">> Effects: [MUSIC]",)
    assert cues("SRT", **SOUNDS, display_effects_speaker_as="Sound")[0][2] == (">> Sound: [MUSIC]",)


def test_speaker_on_new_line() -> None:
    on_new_line = [line for lines in srt_lines(**FLOWING) for line in lines]
    assert all(line.startswith(">>") for line in on_new_line if ">>" in line)
    inline = [line for lines in srt_lines(**FLOWING, speaker_on_new_line="false") for line in lines]
    assert any(">>" in line and not line.startswith(">>") for line in inline)


def test_single_speaker_per_caption() -> None:
    shared = srt_texts(**FLOWING, lines_per_caption="4")
    assert any(">>" in text and not text.startswith(">>") for text in shared)
    single = srt_texts(**FLOWING, lines_per_caption="4", single_speaker_per_caption="true")
    assert all(text.count(">>") <= 1 for text in single)
    assert all(">>" not in text or text.startswith(">>") for text in single)
    assert len(single) > len(shared)


def test_line_break_on_sentence() -> None:
    lines = [line for cue in srt_lines(**FLOWING, line_break_on_sentence="true") for line in cue]
    assert not any(re.search(r"[.?!] \S", line) for line in lines)


def test_sound_tokens_by_caption_and_by_line() -> None:
    by_caption = srt_lines(**SOUNDS, **FLOWING, sound_tokens_by_caption="true")
    assert (">> Effects: [MUSIC]",) in by_caption
    assert not any("[LAUGH]" in " ".join(lines) and len(lines) == 1 for lines in by_caption)
    laugh = srt_lines(
        **SOUNDS,
        **FLOWING,
        sound_tokens_by_caption="true",
        sound_tokens_by_caption_list='["LAUGH"]',
    )
    assert (">> Bob Chen: [LAUGH]",) in laugh
    by_line = srt_lines(
        **SOUNDS, **FLOWING, sound_tokens_by_line="true", sound_tokens_by_line_list='["LAUGH"]'
    )
    assert any(">> Bob Chen: [LAUGH]" in lines and len(lines) > 1 for lines in by_line)


def test_disallow_dangling_keeps_a_sentences_last_word_company() -> None:
    dangled = 0
    for width in range(12, 42):
        dangled += len(dangling(srt_lines(characters_per_caption_line=str(width)), width))
        kept = srt_lines(characters_per_caption_line=str(width), disallow_dangling="true")
        assert dangling(kept, width) == [], width
        assert all(len(line) <= width for lines in kept for line in lines)
    assert dangled > 5, "by default, some widths leave a last word alone"


@pytest.mark.parametrize("fmt", ["SRT", "DFXP"])
def test_force_case(fmt: str) -> None:
    upper = [line for _, _, lines in cues(fmt, force_case="upper") for line in lines]
    lower = [line for _, _, lines in cues(fmt, force_case="lower") for line in lines]
    assert all(line == line.upper() for line in upper) and ">> ALICE MARTIN: WELCOME" in upper[0]
    assert all(line == line.lower() for line in lower) and ">> alice martin: welcome" in lower[0]
    assert any(line != line.lower() for _, _, lines in cues(fmt) for line in lines)


@pytest.mark.parametrize("fmt", WRITTEN_FORMATS)
def test_line_ending_format_and_utf8_mark(fmt: str) -> None:
    unix = caption(fmt)
    assert "\r" not in unix and not unix.startswith("\ufeff")
    windows = caption(fmt, line_ending_format="WINDOWS")
    assert windows == unix.replace("\n", "\r\n")
    osx = caption(fmt, line_ending_format="osx")
    assert "\n" not in osx and osx == unix.replace("\n", "\r")
    marked = caption(fmt, utf8_mark="true")
    assert marked == "\ufeff" + unix
    assert marked.encode("utf-8").startswith(
        b"\xef\xbb\xbf<" if fmt in ("DFXP", "SAMI") else b"\xef\xbb\xbf"
    )


def test_strip_square_brackets() -> None:
    text = caption("SRT", **SOUNDS, strip_square_brackets="true")
    assert ">> Effects: MUSIC" in text and "[" not in text and "]" not in text


# --- captions: DFXP, SAMI and SRT templates ------------------------------------------------


def test_dfxp_metadata_names_the_job() -> None:
    ns = {"tt": "http://www.w3.org/ns/ttml", "ttm": "http://www.w3.org/ns/ttml#metadata"}
    root = ElementTree.fromstring(caption("DFXP").encode("utf-8"))
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.findtext("tt:head/tt:metadata/ttm:title", namespaces=ns) == "Paint & colour"
    description = root.findtext("tt:head/tt:metadata/ttm:desc", namespaces=ns) or ""
    assert JOB_ID in description and "en" in description
    without = ElementTree.fromstring(caption("DFXP", include_dfxp_metadata="false").encode())
    assert without.find("tt:head/tt:metadata", ns) is None
    assert without.find("tt:head/tt:styling", ns) is not None


def test_dfxp_header_replaces_the_head() -> None:
    header = "<head><metadata><ttm:title>Custom</ttm:title></metadata></head>"
    text = caption("DFXP", dfxp_header=header)
    assert header in text and "<styling>" not in text and JOB_ID not in text
    assert "\n<body>\n" in text  # no reference to the styles and regions it replaced
    assert len(dfxp_cues(text)) == 10
    for bad in ("<head>", "<body/>", "<head/><head/>", "text<head/>", "<head><x:y/></head>"):
        with pytest.raises(OptionError) as caught:
            caption("DFXP", dfxp_header=bad)
        assert caught.value.name == "dfxp_header" and repr(bad) in caught.value.message


def test_sami_is_well_formed_with_a_language_class() -> None:
    text = caption("SAMI")
    root = ElementTree.fromstring(text.encode("utf-8"))
    assert root.tag == "SAMI" and root.findtext("HEAD/TITLE") == "Paint & colour"
    assert ".ENCC { Name: en; lang: en; SAMIType: CC; }" in text
    assert {p.get("Class") for p in root.iter("P")} == {"ENCC"}
    assert len(sami_cues(text)) == 10


def test_srt_format_template_with_literal_backslash_n() -> None:
    documented = (
        r"{caption_number:d}\n{start_hour:02d}:{start_minute:02d}:{start_second:02d},"
        r"{start_millisecond:03d} -->{end_hour:02d}:{end_minute:02d}:{end_second:02d},"
        r"{end_millisecond:03d}\n{caption_text}\n\n"
    )
    text = caption("SRT", srt_format=documented)
    assert text.startswith("1\n00:00:03,100 -->00:00:06,430\n>> Alice Martin: Welcome")
    assert text == caption("SRT").replace(" --> ", " -->")
    short = caption("SRT", srt_format=r"#{caption_number} {start_second}s\n")
    assert short.splitlines()[:2] == ["#1 3s", "#2 6s"]


@pytest.mark.parametrize(
    "template",
    [
        "{caption_number} {speaker}",
        "{caption_number.__class__}",
        "{caption_text[0]}",
        "{0}",
        "{}",
        "{caption_number",
        "{caption_number:x>99999d}",
        "{caption_number:{caption_text}}",
        "{caption_text:d}",
    ],
)
def test_bad_srt_format_is_an_option_error(template: str) -> None:
    with pytest.raises(OptionError) as caught:
        caption("SRT", srt_format=template)
    assert caught.value.name == "srt_format" and repr(template) in caught.value.message
