"""An Input that never shows a control character: what is pasted or set (a path, a name
from the database) keeps its printable characters, and ESC, OSC sequences, bidi
overrides and newlines appear as their visible escapes (`roi.textsafe.visible`), so
the field cannot act on the terminal and shows what is really there.

`text` gives the value back with the characters it was set with, as long as it has not
been edited since (a name holding an ESC, saved from a form that did not touch it, stays
the same name; edited, it is what the field shows)."""

from __future__ import annotations

from textual.widgets import Input

from roi.textsafe import visible


class TextInput(Input):
    def validate_value(self, value: str) -> str:
        shown = visible(value)
        if shown != value:
            self._given = (shown, value)
        return shown

    @property
    def text(self) -> str:
        """The value, with the control characters it was set with (see the module)."""
        given: tuple[str, str] | None = getattr(self, "_given", None)
        if given is not None and given[0] == self.value:
            return given[1]
        return self.value
