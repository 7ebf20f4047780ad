"""Show text from people and imported files literally.

Rich markup is never interpreted because callers build `rich.text.Text` objects, never
markup strings; this module handles the other half: characters that would act on the
terminal or the reader instead of being shown are made visible instead:

- C0 controls, DEL and the C1 range (terminal escape sequences, bells, carriage
  returns; 0x9b is a one-byte CSI), shown as `\\x1b`;
- bidirectional embeddings, overrides, isolates and marks (U+202A-U+202E,
  U+2066-U+2069, U+200E, U+200F, U+061C: they reorder the text after them, the
  "Trojan Source" trick), the line and paragraph separators U+2028/U+2029 and lone
  surrogates (undecodable bytes), shown as `\\u202e`.

`visible()` is for text outputs (terminal, reports); `json_text()` is `json.dumps` for
every JSON the project prints or writes: the same characters escaped as `\\uXXXX`, so
the JSON is valid, `json.loads` gives back the original string, and a terminal or
editor showing the JSON is not affected by them.
"""

from __future__ import annotations

import json
import re
from typing import Any

# Shown escaped in text, besides C0 (tab and newline have their own rule below).
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_OTHER = "\u2028\u2029\ud800-\udfff"
_CONTROL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}{_OTHER}]")
# What json.dumps(ensure_ascii=False) leaves raw of those (it escapes C0 itself).
_JSON_RAW = re.compile(f"[\\x7f-\\x9f{_BIDI}{_OTHER}]")
# Every character either function escapes, tab and newline included: for tests and checks.
UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}{_OTHER}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Replace control and bidi characters by their escaped form, e.g. ESC -> '\\x1b',
    RIGHT-TO-LEFT OVERRIDE -> '\\u202e'. Newlines become '\\n' and tabs a space unless
    `keep_newlines`."""
    text = _CONTROL.sub(_escape, text)
    if not keep_newlines:
        text = text.replace("\n", "\\n").replace("\t", " ")
    return text


def has_unsafe(text: str, *, newlines: bool = False) -> bool:
    """Does `text` hold a character `visible()` would escape (or a newline or tab, unless
    `newlines` allows them)?"""
    if newlines:
        return _CONTROL.search(text) is not None
    return UNSAFE.search(text) is not None


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def json_text(obj: Any, *, indent: int | None = None, **kwargs: Any) -> str:
    """`json.dumps(obj, ensure_ascii=False, indent=indent, ...)` with C1 controls, DEL,
    bidi controls, U+2028/U+2029 and lone surrogates escaped as `\\uXXXX` (json.dumps
    escapes C0 itself). Those characters can only occur inside JSON strings, so the
    result is valid JSON and loads back to the same values."""
    return _JSON_RAW.sub(_json_escape, json.dumps(obj, ensure_ascii=False, indent=indent, **kwargs))
