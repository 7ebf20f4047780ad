"""A JSON document read in pieces: its outer levels walked by hand, each element decoded
by the json module from a window of the text (or from a whole text in memory).

`members()` and `elements()` walk an object or an array with the cursor on each value,
which the caller decodes (`value()`) or walks further; lines are counted as the cursor
moves, so an element is named by the line it starts on. A year of ActivityWatch (a
million events) is streamed so. `JsonHead` is what the first 64 kB of a file show: enough
for the formats' sniffs, so that none parses a big file to say it is not theirs.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

_WS = " \t\n\r"
_SPACES = re.compile(f"[{_WS}]*")
_NUMBER = set("0123456789+-.eE")
PIECE = 1 << 20  # characters read at a time
ELEMENT_LIMIT = 64 << 20  # one element longer than this is taken for a malformed file


class Stream:
    """The JSON text of a file handle, through a window that moves on as it is read; or
    of a `text` already in memory (no handle), its cursor at `pos`."""

    def __init__(self, fh: Any, decoder: json.JSONDecoder | None = None, text: str = "",
                 pos: int = 0) -> None:
        self.fh = fh
        self.decoder = decoder or json.JSONDecoder()
        self.buf = text
        self.pos = pos  # the cursor, in buf
        self.eof = fh is None
        self.counted = 0  # newlines are counted in buf up to here
        self.lines = 1  # the line of buf[counted]

    def fill(self) -> bool:
        """Drop what was read, add the next piece (at least as much as is left, so that
        one long element costs reads in proportion to its size); False at the end."""
        if self.eof:
            return False
        self.line()
        self.buf, self.counted, self.pos = self.buf[self.pos:], self.counted - self.pos, 0
        piece = self.fh.read(max(PIECE, len(self.buf)))
        if not piece:
            self.eof = True
            return False
        self.buf += piece
        return True

    def line(self, pos: int | None = None) -> int:
        """The line of `pos` (default: the cursor), which is not before the last one asked."""
        pos = self.pos if pos is None else pos
        if pos > self.counted:
            self.lines += self.buf.count("\n", self.counted, pos)
            self.counted = pos
        return self.lines

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the text)."""
        if self.pos < len(self.buf) and self.buf[self.pos] not in _WS:
            return self.buf[self.pos]  # (most often: no regular expression needed)
        while True:
            self.pos = _SPACES.match(self.buf, self.pos).end()  # type: ignore[union-attr]  # "*" always matches
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return ""

    def take(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def value(self) -> Any:
        """The JSON value at the cursor, decoded whole; the cursor moves past it."""
        self.peek()
        while True:
            try:
                value, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if len(self.buf) - self.pos < ELEMENT_LIMIT and self.fill():
                    continue  # the element goes on past the window
                raise ValueError(f"malformed JSON ({exc.msg}) at line {self.line(min(exc.pos, len(self.buf)))}") from None
            except RecursionError:
                raise ValueError(f"JSON nested too deep at line {self.line()}") from None
            cut = end == len(self.buf) or type(value) in (int, float) and self.buf[end] in _NUMBER
            if cut and self.fill():
                continue  # a number (or a word) may go on in the next piece
            self.pos = end
            return value

    def members(self) -> Iterator[str]:
        """The keys of the object at the cursor; at each, the cursor is on its value,
        which the caller reads (`value`) or walks before asking for the next key."""
        if not self._open("{", "}", "an object"):
            return
        while True:
            key = self.value() if self.peek() == '"' else None
            if key is None or not self.take(":"):
                raise ValueError(f"malformed JSON object at line {self.line()}")
            yield key
            if not self._more("}", "object"):
                return

    def elements(self) -> Iterator[int]:
        """The line of each element of the array at the cursor (the cursor on it)."""
        if not self._open("[", "]", "an array"):
            return
        while True:
            self.peek()
            yield self.line()
            if not self._more("]", "array"):
                return

    def end(self) -> None:
        """Nothing but white space (or NULs) after the value."""
        while True:
            rest = self.buf[self.pos:]
            if rest.strip(_WS + "\x00"):
                self.pos += len(rest) - len(rest.lstrip(_WS + "\x00"))
                raise ValueError(f"unexpected text after the JSON value at line {self.line()}")
            self.pos = len(self.buf)
            if not self.fill():
                return

    def _open(self, char: str, close: str, what: str) -> bool:
        """Past `char`, which opens the value at the cursor: False if `close` follows (empty)."""
        if not self.take(char):
            got = self.peek()
            raise ValueError(f"expected {what} at line {self.line()}, found {got!r}" if got else
                             f"the JSON stops at line {self.line()} (expected {what})")
        return not self.take(close)

    def _more(self, close: str, what: str) -> bool:
        if self.take(","):
            return True
        if self.take(close):
            return False
        got = self.peek()
        raise ValueError(f"malformed JSON {what} at line {self.line()}" if got else
                         f"the JSON stops at line {self.line()}, inside an {what}")


@dataclass
class JsonHead:
    """What the start of a JSON text shows: an array's first elements, or an object's
    keys (each with the first character of its value)."""

    kind: str = ""  # "array", "object", or "" (neither)
    items: list[Any] = field(default_factory=list)  # an array's first elements
    opens: dict[str, str] = field(default_factory=dict)  # an object's keys -> first character of the value
    whole: bool = False  # the whole value was seen

    @classmethod
    def of_text(cls, text: str, limit: int = 50) -> JsonHead:
        stream = Stream(io.StringIO(text))
        head = cls()
        first = stream.peek()
        try:
            if first == "[":
                head.kind = "array"
                for _line in stream.elements():
                    head.items.append(stream.value())
                    if len(head.items) >= limit:
                        return head
            elif first == "{":
                head.kind = "object"
                for key in stream.members():
                    head.opens[key] = stream.peek()
                    stream.value()
            head.whole = bool(head.kind)
        except ValueError:  # the head stops inside a value: what came before is known
            pass
        return head

    @classmethod
    def of_value(cls, value: Any, limit: int = 50) -> JsonHead:
        if isinstance(value, list):
            return cls("array", list(value[:limit]), whole=True)
        if isinstance(value, dict):
            opens = {k: "{" if isinstance(v, dict) else "[" if isinstance(v, list) else "" for k, v in value.items()}
            return cls("object", [], opens, whole=True)
        return cls()

    @property
    def first(self) -> Any:
        return self.items[0] if self.items else None

    def describe(self) -> str:
        """'a JSON object with keys a, b, c' / 'a JSON array of numbers'."""
        if self.kind == "object":
            more = len(self.opens) > 8 or not self.whole
            keys = ", ".join(list(self.opens)[:8]) + (", ..." if more else "")
            return f"a JSON object with keys {keys}" if self.opens else "an empty JSON object"
        if self.kind == "array":
            if not self.items:
                return "an empty JSON array" if self.whole else "a JSON array"
            first = self.items[0]
            if isinstance(first, dict):
                keys = ", ".join(list(first)[:8]) + (", ..." if len(first) > 8 else "")
                return f"a JSON array of objects with keys {keys}" if first else "a JSON array of empty objects"
            kinds = {bool: "true/false", int: "numbers", float: "numbers", str: "texts", list: "arrays",
                     type(None): "nulls"}
            return f"a JSON array of {kinds.get(type(first), 'values')}"
        return "JSON"
