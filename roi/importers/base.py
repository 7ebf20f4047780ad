"""Shared types of the importers: problems, detections, summaries and the format registry.

A format module turns a file into a stream of *items*. The hot path uses plain tuples
for speed; an item is one of

- an entry tuple ``(line, start, end, task, step, description, tags_json, identity)``
  where start and end are UTC epoch seconds (floats), line is the 1-based line of the
  file and identity is the row's own content (the raw CSV fields, or the JSON record),
  which the content hash is made of: it does not depend on --tz or --task-from, so
  importing the same file again adds nothing whatever the options;
- a `Problem` (a rejected or a skipped row, with its line and reason);
- a `RowBatch`: many entries at once, as parallel lists, with their ISO-8601 UTC texts
  already made (the vectorised path of logs with split date and time columns).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

from roi.errors import RoiError

# Positions in an entry tuple.
LINE, START, END, TASK, STEP, DESCRIPTION, TAGS, IDENTITY = range(8)

Entry = tuple[int, float, float, str, "str | None", str, str, str]
Item = Any  # Entry | Piece | Problem | RowBatch (kept loose: the hot loop checks `type(item) is tuple`)
Progress = Callable[[int, "int | None"], None]


class Piece(tuple):  # type: ignore[type-arg]
    """An entry that continues the row before it (same line): one row of the log that
    becomes several entries, such as an ActivityWatch window event cut where its person
    was away. Stored like an entry; not counted again as a row read."""

    __slots__ = ()


def usable_cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


class NotATaskLog(RoiError):
    """Unusable input: not a task log, unreadable, or no recognisable columns (exit 2)."""

    exit_code = 2


class RowError(ValueError):
    """One row cannot be used; the message names the field and the value."""


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    reason: str
    raw: str = ""
    skipped: bool = False  # True: knowingly skipped (blank, summary, running); False: rejected


@dataclass(slots=True)
class RowBatch:
    """Entries of one chunk of a file as parallel lists (same meaning as an entry tuple),
    plus the start and end as ISO-8601 UTC text and the durations."""

    lines: list[int]
    starts: list[float]
    ends: list[float]
    tasks: list[str]
    steps: list[str | None]
    descriptions: list[str]
    tags: list[str]
    identities: list[str]
    start_isos: list[str]
    end_isos: list[str]
    durations: list[float]  # end - start, seconds

    def __len__(self) -> int:
        return len(self.lines)

    def part(self, start: int, stop: int) -> RowBatch:
        """The rows from `start` up to `stop`."""
        return RowBatch(*(getattr(self, f.name)[start:stop] for f in fields(self)))

    def entries(self) -> Iterator[Entry]:
        return zip(  # type: ignore[return-value]
            self.lines, self.starts, self.ends, self.tasks, self.steps, self.descriptions,
            self.tags, self.identities, strict=True,
        )


@dataclass
class Detection:
    """Which format a file is in, and what was decided while reading it."""

    format: str
    title: str
    note: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.title}" + (f" ({self.note})" if self.note else "")


@dataclass
class ImportSummary:
    format: str
    rows_read: int = 0
    imported: int = 0
    duplicates: int = 0
    skipped: int = 0
    rejected: int = 0
    hours: float = 0.0
    errors: list[tuple[int, str]] = field(default_factory=list)
    skips: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False
    file: str = ""
    note: str = ""
    batch_id: int | None = None
    tasks_created: list[str] = field(default_factory=list)
    tasks_touched: int = 0
    earlier_batch: int | None = None  # the latest earlier import that stored rows of a file with the same bytes

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def to_json(self) -> dict[str, Any]:
        """The `roi import --json` object of DESIGN.md, exactly."""
        return {
            "format": self.format,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "duplicates": self.duplicates,
            "skipped": self.skipped,
            "rejected": self.rejected,
            "hours": round(self.hours, 4),
            "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
        }


@dataclass
class PreviewRow:
    """One parsed row for a preview: an entry, or the reason it was rejected/skipped."""

    line: int
    start: datetime | None = None
    end: datetime | None = None
    duration_s: float | None = None
    task: str | None = None
    step: str | None = None
    description: str = ""
    tags: list[str] = field(default_factory=list)
    error: str | None = None
    skipped: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.skipped is None

    @classmethod
    def from_item(cls, item: Item) -> PreviewRow:
        import json

        if isinstance(item, Problem):
            if item.skipped:
                return cls(line=item.line, skipped=item.reason)
            return cls(line=item.line, error=item.reason)
        line, start, end, task, step, description, tags, _identity = item
        try:
            start_at, end_at = datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)
        except (ValueError, OverflowError, OSError):
            return cls(line=line, error=f"date out of range ({start!r} to {end!r} seconds)")
        return cls(
            line=line,
            start=start_at,
            end=end_at,
            duration_s=end - start,
            task=task,
            step=step,
            description=description,
            tags=json.loads(tags),
        )


@dataclass
class Options:
    """What the person chose: time zone, mapping, where tasks and steps come from."""

    tz: Any  # a tzinfo
    tz_name: str
    task_from: str | None = None
    step_from: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)


class Parser:
    """A file opened in one format: its detection and an iterator of items."""

    name = "?"
    detection: Detection
    total: int | None = None  # rows expected (for the progress bar), when known

    def items(self) -> Iterator[Item]:  # pragma: no cover - interface
        raise NotImplementedError


@dataclass(frozen=True)
class FormatInfo:
    """A registered source format.

    `sniff(sample)` returns a score (higher wins, 0 = not this format) for the start of
    a file; `open(source, sample, options)` returns a Parser. New sources (an ICS
    calendar, say) register the same way.
    """

    name: str
    title: str
    sniff: Callable[[Any], int]
    open: Callable[[Any, Any, Options], Parser]


REGISTRY: dict[str, FormatInfo] = {}


def register(info: FormatInfo) -> FormatInfo:
    REGISTRY[info.name] = info
    return info
