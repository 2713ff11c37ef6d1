"""Captions (``get_caption``): the sample laid out as cues and written in the asked format."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import NotImplementedFormat
from .layout import Cue, LayoutOptions, layout_cues
from .media_types import APPLICATION_XML, TEXT_PLAIN
from .options import one_of, option, parse_bool, parse_text
from .plain_captions import write_qt, write_sbv, write_srt, write_transcript, write_web_vtt
from .text import TextOptions, read_sentences
from .xml_captions import write_dfxp, write_sami

CAPTION_FORMATS = (
    "DFXP",
    "ECHO",
    "QT",
    "SAMI",
    "SBV",
    "SCC",
    "SRT",
    "TPM",
    "TRANSCRIPT",
    "TWX",
    "WEB_VTT",
)
"""Every CaptionFormat the service knows."""

CONTENT_TYPES = {
    "SRT": TEXT_PLAIN,
    "WEB_VTT": TEXT_PLAIN,
    "SBV": TEXT_PLAIN,
    "QT": TEXT_PLAIN,
    "TRANSCRIPT": TEXT_PLAIN,
    # A guess (cielo24's docs only show text/plain). The
    # emulator writes SAMI as well-formed XML so that the type holds for it too.
    "DFXP": APPLICATION_XML,
    "SAMI": APPLICATION_XML,
}
"""The content type of each format the emulator writes; the others are not implemented."""

LINE_ENDINGS = {"UNIX": "\n", "WINDOWS": "\r\n", "OSX": "\r"}
BYTE_ORDER_MARK = "\ufeff"


@dataclass(frozen=True)
class FileOptions:
    """The caption options about the file rather than the cues, with the service's defaults.

    ``build_url`` is accepted and checked here; answering it is the HTTP handler's business.
    """

    line_ending_format: str = "UNIX"
    utf8_mark: bool = False
    srt_format: str | None = None
    dfxp_header: str | None = None
    include_dfxp_metadata: bool = True
    qt_seamless: bool = False

    @classmethod
    def from_options(cls, options: Mapping[str, str]) -> FileOptions:
        """Read the file options from a request's parameters.

        Raises:
            OptionError: a value the service refuses.
        """
        d = cls()
        option(options, "build_url", parse_bool, False)
        return cls(
            line_ending_format=option(
                options, "line_ending_format", one_of(*LINE_ENDINGS), d.line_ending_format
            ),
            utf8_mark=option(options, "utf8_mark", parse_bool, d.utf8_mark),
            srt_format=option(options, "srt_format", parse_text, d.srt_format),
            dfxp_header=option(options, "dfxp_header", parse_text, d.dfxp_header) or None,
            include_dfxp_metadata=option(
                options, "include_dfxp_metadata", parse_bool, d.include_dfxp_metadata
            ),
            qt_seamless=option(options, "qt_seamless", parse_bool, d.qt_seamless),
        )


def render_caption(
    element_list: Mapping[str, Any],
    caption_format: str,
    options: Mapping[str, str],
    *,
    job_id: str,
    job_name: str | None,
    language: str,
) -> tuple[bytes, str]:
    """The captions of ``element_list`` in ``caption_format``, with the request's options.

    Args:
        element_list: the version's ElementList (see ``build_element_list``).
        caption_format: a CaptionFormat, in any case.
        options: the request's parameters; names that are not caption options are ignored.
        job_id, job_name, language: the job's, for the DFXP and SAMI heads.

    Returns:
        The body (UTF-8) and its content type (``CONTENT_TYPES``).

    Raises:
        OptionError: an unknown ``caption_format`` or an option value the service refuses.
        NotImplementedFormat: ECHO, SCC, TPM or TWX, which the emulator does not write.
    """
    fmt = one_of(*CAPTION_FORMATS)("caption_format", caption_format)
    if fmt not in CONTENT_TYPES:
        raise NotImplementedFormat("caption_format", fmt)
    text_options = TextOptions.from_options(options)
    layout_options = LayoutOptions.from_options(options)
    file_options = FileOptions.from_options(options)
    cues = layout_cues(read_sentences(element_list, text_options), layout_options, text_options)
    text = _write(fmt, cues, file_options, job_id=job_id, job_name=job_name, language=language)
    text = text.replace("\n", LINE_ENDINGS[file_options.line_ending_format])
    if file_options.utf8_mark:
        text = BYTE_ORDER_MARK + text
    return text.encode("utf-8"), CONTENT_TYPES[fmt]


def _write(
    fmt: str,
    cues: Sequence[Cue],
    options: FileOptions,
    *,
    job_id: str,
    job_name: str | None,
    language: str,
) -> str:
    """The caption file's text, with ``\\n`` line endings."""
    if fmt == "SRT":
        return write_srt(cues, options.srt_format)
    if fmt == "WEB_VTT":
        return write_web_vtt(cues)
    if fmt == "SBV":
        return write_sbv(cues)
    if fmt == "QT":
        return write_qt(cues, options.qt_seamless)
    if fmt == "TRANSCRIPT":
        return write_transcript(cues)
    if fmt == "DFXP":
        return write_dfxp(
            cues,
            job_id=job_id,
            job_name=job_name,
            language=language,
            header=options.dfxp_header,
            include_metadata=options.include_dfxp_metadata,
        )
    if fmt == "SAMI":
        return write_sami(cues, job_id=job_id, job_name=job_name, language=language)
    raise NotImplementedFormat("caption_format", fmt)
