"""The importer contract: what a format is, what it yields, and the registry.

A format has a `name`, a `title`, a `sniff(source)` that scores the start of a file
(higher wins, 0: not this format) and an `open(source, options)` that yields an `Entry`
or a `Problem` for each row; what `open` returns may carry a `note` (what was decided
while reading) and a `total` (rows expected), as `Reading` does. Other packages add
formats through the entry-point group `roi.importers` (the README has an example):

    [project.entry-points."roi.importers"]
    mytracker = "my_package.roi_format:FORMAT"
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from roi.errors import NotATaskLog, RowError  # noqa: F401  (part of the contract: formats raise them)

if TYPE_CHECKING:
    from roi.importers.source import Source

ENTRY_POINT_GROUP = "roi.importers"
Progress = Callable[[int, "int | None"], None]


@dataclass(frozen=True, slots=True, init=False)
class Entry:
    """One stretch of logged time, as a format read it.

    `start` and `end` are UTC epoch seconds; `line` is the 1-based line the row starts
    on; `identity` is the row's own content (raw fields, or JSON record), hashed to know
    a row imported before: it must not depend on the options. `piece` marks an entry
    that continues the row before it (one row cut in several): not another row read."""

    line: int
    start: float
    end: float
    task: str
    step: str | None
    description: str
    tags: tuple[str, ...]
    identity: str
    piece: bool

    def __init__(
        self, line: int, start: float, end: float, task: str, step: str | None = None,
        description: str = "", tags: tuple[str, ...] = (), identity: str = "", piece: bool = False,
    ) -> None:
        # each field set once through its slot: a third of the generated __init__'s cost
        _line(self, line)
        _start(self, start)
        _end(self, end)
        _task(self, task)
        _step(self, step)
        _description(self, description)
        _tags(self, tags)
        _identity(self, identity)
        _piece(self, piece)


_line, _start, _end, _task, _step, _description, _tags, _identity, _piece = (
    Entry.__dict__[name].__set__ for name in Entry.__slots__
)


@dataclass(frozen=True, slots=True)
class Problem:
    """A row that gives no entry: rejected (reason, raw text), or knowingly `skipped`
    (a blank line, a summary row, a running timer)."""

    line: int
    reason: str
    raw: str = ""
    skipped: bool = False


@dataclass
class Options:
    """What the person chose: time zone, column mapping, where tasks and steps come from."""

    tz: Any  # a tzinfo
    tz_name: str
    task_from: str | None = None
    step_from: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    sheet: str | None = None  # of a workbook (default: the first)
    me: str | None = None  # the person's email address (calendar and mailbox formats)


@runtime_checkable
class Format(Protocol):
    """A source format (see the module's doc)."""

    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str: ...

    def sniff(self, source: Source) -> int: ...

    def open(self, source: Source, options: Options) -> Iterable[Entry | Problem]: ...


@dataclass(frozen=True)
class FormatInfo:
    """A format made of two functions: how the built-in formats are written."""

    name: str
    title: str
    sniff: Callable[[Source], int]
    open: Callable[[Source, Options], Iterable[Entry | Problem]]


class Reading:
    """Base of what the built-in formats' `open` returns: the rows, a note, a total."""

    note: str = ""
    title: str = ""
    total: int | None = None
    warnings: list[tuple[int, str]]  # (line, what) of rows imported but worth a word


def clipped(text: str, limit: int = 200) -> str:
    """At most about `limit` characters: a long text keeps its start and end, and its size."""
    if len(text) <= limit:
        return text
    size = len(text.encode("utf-8", "replace"))
    shown = f"{size / 1e6:,.0f} MB" if size >= 1e6 else f"{size / 1e3:,.0f} kB" if size >= 1e3 else f"{size} bytes"
    return f"{text[: limit - 60]}… ({shown}) …{text[-40:]}"


ZERO_LENGTH = "zero-length entry (it would drag medians down)"


def skip_kind(reason: str) -> str:
    """A skip reason without its particulars: 'still running (started ...)' -> 'still running'."""
    cut = min((i for i in (reason.find(" ("), reason.find(" '"), reason.find(": ")) if i > 0), default=len(reason))
    return reason[:cut]


def join_notes(*notes: str) -> str:
    return "; ".join(n for n in notes if n)


# --- the registry --------------------------------------------------------------------------

REGISTRY: dict[str, Format] = {}
PLUGIN_PROBLEMS: list[str] = []  # entry points that could not be loaded, said by the CLI
_plugins_loaded = False


def register(fmt: Format) -> Format:
    REGISTRY[fmt.name] = fmt
    return fmt


def all_formats() -> dict[str, Format]:
    """The built-ins, then the entry-point group's (loaded once; a broken one is named in
    PLUGIN_PROBLEMS)."""
    global _plugins_loaded
    import roi.importers.formats  # noqa: F401  (each module registers its format)

    if _plugins_loaded:
        return REGISTRY
    _plugins_loaded = True
    from importlib.metadata import entry_points

    for ep in entry_points(group=ENTRY_POINT_GROUP):
        try:
            fmt = ep.load()
            if isinstance(fmt, type):
                fmt = fmt()
            if not isinstance(fmt, Format):
                raise TypeError("not a format (it needs name, title, sniff and open)")
        except Exception as exc:  # a broken plugin must not stop the built-in formats
            PLUGIN_PROBLEMS.append(f"importer plugin {ep.name!r} ({ep.value}) not loaded: {exc}")
            continue
        if fmt.name in REGISTRY and ep.name not in REGISTRY:
            PLUGIN_PROBLEMS.append(f"importer plugin {ep.name!r} not loaded: format {fmt.name!r} exists")
            continue
        REGISTRY[fmt.name] = fmt
    return REGISTRY


# --- what an import reports -----------------------------------------------------------------


@dataclass
class Detection:
    """Which format a file is in, and what was decided while reading it."""

    format: str
    title: str
    note: str = ""

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
    skip_kinds: dict[str, int] = field(default_factory=dict)  # every skipped row, by kind of reason
    warnings: list[tuple[int, str]] = field(default_factory=list)  # imported, but worth a look
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
        counts = ("format", "rows_read", "imported", "duplicates", "skipped", "rejected")
        return {
            **{name: getattr(self, name) for name in counts},
            "hours": round(self.hours, 4),
            "errors": [{"line": line, "reason": reason} for line, reason in self.errors],
            "warnings": [{"line": line, "reason": reason} for line, reason in self.warnings],
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
    def of(cls, item: Entry | Problem) -> PreviewRow:
        if isinstance(item, Problem):
            return cls(item.line, skipped=item.reason) if item.skipped else cls(item.line, error=item.reason)
        try:
            start, end = datetime.fromtimestamp(item.start, UTC), datetime.fromtimestamp(item.end, UTC)
        except (ValueError, OverflowError, OSError):
            return cls(line=item.line, error=f"date out of range ({item.start!r} to {item.end!r} seconds)")
        return cls(
            line=item.line, start=start, end=end, duration_s=item.end - item.start, task=item.task,
            step=item.step, description=item.description, tags=list(item.tags),
        )

