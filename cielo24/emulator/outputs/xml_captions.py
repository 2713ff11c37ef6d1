"""Caption files in markup formats: DFXP (TTML) and SAMI, both well-formed XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from .errors import OptionError
from .layout import Cue
from .timecodes import hms

TTML = "http://www.w3.org/ns/ttml"
_TT_NAMESPACES = (
    f'xmlns="{TTML}" xmlns:tts="{TTML}#styling" xmlns:ttm="{TTML}#metadata" '
    f'xmlns:ttp="{TTML}#parameter"'
)
_DFXP_STYLING = [
    "<styling>",
    '<style xml:id="basic" tts:color="white" tts:fontFamily="sansSerif" tts:fontSize="100%"'
    ' tts:textAlign="center"/>',
    "</styling>",
    "<layout>",
    '<region xml:id="bottom" tts:origin="10% 80%" tts:extent="80% 20%" tts:displayAlign="after"/>',
    "</layout>",
]
_SAMI_STYLE = (
    "P { margin-left: 1pt; margin-right: 1pt; margin-bottom: 2pt; margin-top: 2pt;"
    " text-align: center; font-size: 10pt; font-family: Arial; font-weight: normal;"
    " color: #ffffff; }"
)
_NOT_LANGUAGE = re.compile(r"[^A-Za-z0-9-]")


def write_dfxp(
    cues: Sequence[Cue],
    *,
    job_id: str,
    job_name: str | None,
    language: str,
    header: str | None = None,
    include_metadata: bool = True,
) -> str:
    """DFXP (TTML 1): ``<tt>``, a ``<head>``, then one ``<p begin end>`` per cue.

    Args:
        header: the client's whole ``<head>…</head>`` (``dfxp_header``), used as given
            instead of the emulator's (TTML is the default namespace, and the ``tts``,
            ``ttm`` and ``ttp`` prefixes are declared for it); the body then refers to
            none of the emulator's styles or regions.
        include_metadata: put the job's name, ID and language in the emulator's head.

    Raises:
        OptionError: ``header`` is not a well-formed ``<head>`` element.
    """
    if header is None:
        head = _dfxp_head(job_id, job_name, language, include_metadata)
        body = '<body region="bottom" style="basic">'
    else:
        head, body = [_checked_head(header)], "<body>"
    paragraphs = [
        f'<p begin="{hms(cue.start_ms)}" end="{hms(cue.end_ms)}">'
        + "<br/>".join(escape(line) for line in cue.lines)
        + "</p>"
        for cue in cues
    ]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<tt xml:lang={quoteattr(language)} {_TT_NAMESPACES} ttp:timeBase="media">',
        *head,
        body,
        "<div>",
        *paragraphs,
        "</div>",
        "</body>",
        "</tt>",
    ]
    return "\n".join(lines) + "\n"


def _dfxp_head(job_id: str, job_name: str | None, language: str, metadata: bool) -> list[str]:
    """The emulator's DFXP head: metadata when asked, a style and a bottom region."""
    lines = ["<head>"]
    if metadata:
        lines += [
            "<metadata>",
            f"<ttm:title>{escape(job_name or job_id)}</ttm:title>",
            f"<ttm:desc>{escape(f'cielo24 job {job_id}, language {language}')}</ttm:desc>",
            "</metadata>",
        ]
    return [*lines, *_DFXP_STYLING, "</head>"]


def _checked_head(header: str) -> str:
    """The client's ``dfxp_header``, once it proves to be one well-formed ``<head>``."""
    try:
        root = ElementTree.fromstring(f"<tt {_TT_NAMESPACES}>{header}</tt>")
        valid = [child.tag for child in root] == [f"{{{TTML}}}head"] and not (
            (root.text or "").strip() or (root[0].tail or "").strip()
        )
    except ElementTree.ParseError:
        valid = False
    if not valid:
        raise OptionError(
            "dfxp_header",
            f"invalid dfxp_header {header!r}: expected one well-formed <head>...</head> element",
        )
    return header


def write_sami(cues: Sequence[Cue], *, job_id: str, job_name: str | None, language: str) -> str:
    """SAMI: ``<SYNC Start=ms>`` paragraphs of one language class, each cleared at its end.

    Written as well-formed XML (every element closed, ``&#160;`` for the clearing space).
    """
    language = _NOT_LANGUAGE.sub("", language) or "en"
    css_class = language.replace("-", "").upper() + "CC"
    body: list[str] = []
    for index, cue in enumerate(cues):
        text = "<br/>".join(escape(line) for line in cue.lines)
        body.append(f'<SYNC Start="{cue.start_ms}"><P Class="{css_class}">{text}</P></SYNC>')
        following = cues[index + 1].start_ms if index + 1 < len(cues) else None
        if following != cue.end_ms:
            body.append(f'<SYNC Start="{cue.end_ms}"><P Class="{css_class}">&#160;</P></SYNC>')
    lines = [
        "<SAMI>",
        "<HEAD>",
        f"<TITLE>{escape(job_name or job_id)}</TITLE>",
        '<STYLE TYPE="text/css">',
        "<!--",
        _SAMI_STYLE,
        f".{css_class} {{ Name: {language}; lang: {language}; SAMIType: CC; }}",
        "-->",
        "</STYLE>",
        "</HEAD>",
        "<BODY>",
        *body,
        "</BODY>",
        "</SAMI>",
    ]
    return "\n".join(lines) + "\n"
