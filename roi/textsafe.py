"""Show text from people and imported files literally.

Rich markup is never interpreted because callers build `rich.text.Text` objects, never
markup strings; this module handles the other half: control characters (terminal escape
sequences, bells, carriage returns) are made visible instead of reaching the terminal.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and the C1 range (0x9b is a one-byte CSI).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def visible(text: str, *, keep_newlines: bool = False) -> str:
    """Replace control characters by their escaped form, e.g. ESC -> '\\x1b'."""
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if not keep_newlines:
        text = text.replace("\n", "\\n").replace("\t", " ")
    return text
