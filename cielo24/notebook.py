"""Small HTML tables for Jupyter: how job info and job lists show in a notebook.

Every value is escaped; nothing here is loaded until a notebook asks for a display.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any


def cell(value: Any) -> str:
    """A value as escaped text: dates without a T, dicts and lists as compact JSON."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        text = value.isoformat(sep=" ", timespec="seconds")
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, (dict, list)):
        text = json.dumps(value, default=str, separators=(", ", ": "))
    else:
        text = str(value)
    return html.escape(text)


def table(
    rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None, caption: str = ""
) -> str:
    """An HTML table of ``rows``, with a header row and a caption when given."""
    parts = ["<table>"]
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    if header:
        parts.append("<tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in header) + "</tr>")
    for row in rows:
        parts.append("<tr>" + "".join(f"<td>{cell(value)}</td>" for value in row) + "</tr>")
    parts.append("</table>")
    return "".join(parts)


def preformatted(text: str) -> str:
    """Text shown as it is, in a ``<pre>`` block."""
    return f"<pre>{html.escape(text)}</pre>"
