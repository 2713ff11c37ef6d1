"""The content types of the outputs (every body is UTF-8)."""

from __future__ import annotations

TEXT_PLAIN = "text/plain; charset=utf-8"
TEXT_HTML = "text/html; charset=utf-8"
APPLICATION_XML = "application/xml; charset=utf-8"
