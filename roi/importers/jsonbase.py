"""Shared plumbing of the JSON formats: records with their file lines -> items."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from roi.importers.base import (
    Detection,
    Item,
    NotATaskLog,
    Options,
    Parser,
    Piece,
    Problem,
    RowError,
)
from roi.importers.reader import Source
from roi.importers.timeparse import LocalClock

Got = tuple[float, float, str, "str | None", str, list[str]]
# one entry, several (one row cut in pieces, each with a word that tells it apart in the
# content hash), a skipped Problem, or None
Convert = Callable[[Any, LocalClock], "Got | list[tuple[Got, str]] | Problem | None"]


def raw(record: Any) -> str:
    try:
        return json.dumps(record, ensure_ascii=False)[:2000]
    except (TypeError, ValueError):
        return repr(record)[:2000]


class JsonParser(Parser):
    """Records (with lines) -> entry tuples, through a per-format `convert`.

    `convert(record, clock)` returns (start, end, task, step, description, tags), a list
    of those for a record that makes several entries (each with a suffix for its identity;
    all but the first are Pieces), a skipped Problem, or raises RowError."""

    def __init__(
        self,
        name: str,
        title: str,
        source: Source,
        records: list[tuple[int, Any]],
        convert: Convert,
        options: Options,
        note: str = "",
        fields: list[str] | None = None,
        identity: Callable[[Any], str] | None = None,
        finish: Callable[[], str] | None = None,
    ) -> None:
        self.identity = identity or (lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False, default=str))
        for flag, choice in (("--task-from", options.task_from), ("--step-from", options.step_from)):
            if choice and fields is not None and choice.strip().lower() not in fields:
                raise NotATaskLog(
                    f"{flag} {choice!r} is not a field of {title} (choose from: {', '.join(fields)})"
                )
        self.name = name
        self.source = source
        self.records = records
        self.convert = convert
        self.options = options
        self.clock = LocalClock(options.tz)
        self.total = len(records)
        self.detection = Detection(name, title, note)
        self.finish = finish  # after the last item: more for the detection note

    def items(self) -> Iterator[Item]:
        clock = self.clock
        for line, record in self.records:
            try:
                got = self.convert(record, clock)
            except RowError as exc:
                yield Problem(line, str(exc), raw(record))
                continue
            except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
                yield Problem(line, f"not a valid entry ({type(exc).__name__}: {exc})"[:300], raw(record))
                continue
            if isinstance(got, Problem):
                yield Problem(line, got.reason, got.raw or raw(record), got.skipped)
                continue
            if got is None:
                continue
            pieces = got if isinstance(got, list) else [(got, "")]
            identity = clean(self.identity(record))
            for n, (one, apart) in enumerate(pieces):
                item = self._entry(line, record, one, identity + apart)
                yield Piece(item) if n and type(item) is tuple else item
        if self.finish is not None:
            self.detection.note = "; ".join(x for x in (self.detection.note, self.finish()) if x)

    def _entry(self, line: int, record: Any, got: Got, identity: str) -> Item:
        start, end, task, step, desc, tags = got
        task, desc = clean(task), clean(desc)
        step = clean(step) if step is not None else None
        tags = [clean(t) for t in tags]
        try:  # a time past year 9999 (or before year 1) cannot be stored or shown
            start_text, end_text = self.clock.iso(start), self.clock.iso(end)
        except RowError as exc:
            return Problem(line, str(exc), raw(record))
        if end < start:
            return Problem(line, f"ends ({end_text}) before it starts ({start_text})", raw(record))
        return (line, start, end, task, step, desc, json.dumps(tags, ensure_ascii=False), identity)


def choose(fields: dict[str, Any], chain: list[str], choice: str | None, known: list[str], what: str) -> str:
    """The first non-empty of the fields named in `chain` (or the one the person chose)."""
    if choice:
        key = choice.strip().lower()
        if key not in known:
            raise ValueError(f"{what} {choice!r} is not a field of this format (choose from: {', '.join(known)})")
        chain = [key]
    for name in chain:
        value = fields.get(name)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def clean(value: str) -> str:
    """Lone surrogates (JSON allows "\\ud800") cannot be stored as UTF-8: replace them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
