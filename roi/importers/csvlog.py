"""The CSV engine every delimited format shares.

A format module only says, in a `Layout`, which column plays which role (start date,
end time, duration, description, ...) and where the task comes from; `CsvReading`
streams the rows and turns each into an `Entry`, or a `Problem` naming its line and
reason. `--map`, `--task-from` and `--step-from` go on top of the format's layout.
"""

from __future__ import annotations

import csv
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from roi.importers.api import Entry, Options, Problem, Reading, RowError, join_notes
from roi.importers.source import Source, header_fields, norm, raw_row
from roi.importers.timeparse import DateOrder, Durations, LocalClock

ROLES = (
    "start_date", "start_time", "end_date", "end_time",  # split date / time columns
    "start", "end",  # date-time (or bare time with `date`)
    "date",  # the day, for date-only logs or bare times
    "duration",
)
UNITS = {"duration": "clock", "hours": "hours", "minutes": "minutes", "seconds": "seconds"}
_SUMMARY = ("total", "totals", "sum", "summe", "gesamt", "grand total", "subtotal", "insgesamt")
TAG_CACHE_LIMIT = 20_000
DATE_SCAN_ROWS = 2000  # rows read to decide DD/MM or MM/DD when no value has told yet


@dataclass
class Layout:
    """Which column (index) plays which role, and how tasks are named."""

    roles: dict[str, int] = field(default_factory=dict)
    duration_unit: str = "clock"
    fields: dict[str, int] = field(default_factory=dict)  # name -> column, for task/step/tags
    task_from: list[str] = field(default_factory=list)  # field names, first non-empty wins
    step_from: str | None = None
    description: str | None = None  # field stored as the entry's description
    tag_fields: list[str] = field(default_factory=list)  # kept as "name:value" tags
    tag_lists: list[str] = field(default_factory=list)  # "a, b" lists kept as tags
    skip_values: list[tuple[str, frozenset[str], str]] = field(default_factory=list)  # (field, values, reason)
    skip_zero: bool = False  # zero-length entries are noise (ActivityWatch), not occurrences
    date_order: str | None = None
    date_default: str = "mdy"
    notes: list[str] = field(default_factory=list)


def find(fields: dict[str, int], *names: str) -> int | None:
    """The column of the first of `names` that is a field."""
    return next((fields[name] for name in names if name in fields), None)


def apply_choices(layout: Layout, header: list[str], options: Options, known: dict[str, list[str]]) -> None:
    """--task-from / --step-from / --map on top of a format's layout. Every column is a
    field by its header name, and by its name in `known` (task: Aufgabe, ...) too."""
    columns = header_fields(header)
    for key, idx in columns.items():
        layout.fields.setdefault(key, idx)
    for key, names in known.items():
        col = find(columns, *names)
        if col is not None:
            layout.fields.setdefault(key, col)

    def column(name: str, what: str) -> int:
        key = norm(name)
        if key in layout.fields:
            return layout.fields[key]
        choices = ", ".join(sorted(set(list(known) + [norm(h) for h in header if h.strip()])))
        raise RowError(f"{what} {name!r} is not a column of this file (choose from: {choices})")

    for key, value in options.mapping.items():
        k = key.strip().lower().replace("-", "_")
        if k == "date_order":
            order = value.strip().lower()
            if order not in ("dmy", "mdy"):
                raise RowError(f"--map date_order must be dmy or mdy (got {value!r})")
            layout.date_order = order
        elif k in ("task", "step", "description", "project", "tags", "client"):
            layout.fields[k] = column(value, f"--map {key}")
            if k == "task":
                layout.task_from = ["task"] + [t for t in layout.task_from if t != "task"]
            elif k == "step":
                layout.step_from = "step"
            elif k == "description":
                layout.description = "description"
        else:
            role = {"minutes": "duration", "hours": "duration", "seconds": "duration"}.get(k, k)
            if role not in ROLES:
                raise RowError(
                    f"--map key {key!r} is not known (use date, start, end, start_date, start_time,"
                    " end_date, end_time, duration, minutes, hours, seconds, task, step,"
                    " description, project, tags, client or date_order)"
                )
            layout.roles[role] = column(value, f"--map {key}")
            if role == "duration":
                layout.duration_unit = UNITS.get(k, "clock")
    if options.task_from:
        layout.fields["--task-from"] = column(options.task_from, "--task-from")
        layout.task_from = ["--task-from"]
    if options.step_from:
        layout.fields["--step-from"] = column(options.step_from, "--step-from")
        layout.step_from = "--step-from"


class CsvReading(Reading):
    """The rows of a delimited file read through a Layout."""

    def __init__(self, title: str, source: Source, layout: Layout, options: Options) -> None:
        roles = layout.roles
        if not any(r in roles for r in ("start_date", "start", "date")):
            raise RowError("no date or start column found (name one with --map date=COLUMN or --map start=COLUMN)")
        if not any(r in roles for r in ("end_date", "end_time", "end", "duration")):
            raise RowError(
                "no end or duration column found (name one with --map end=COLUMN, --map minutes=COLUMN,"
                " --map hours=COLUMN or --map duration=COLUMN)"
            )
        self.title = title
        self.source = source
        self.layout = layout
        self.options = options
        self.dates = DateOrder(layout.date_order, layout.date_default)
        self.clock = LocalClock(options.tz, self.dates)
        self.durations = Durations(layout.duration_unit)
        self.total = max(source.lines - 1, 0)
        self.note = "; ".join(layout.notes)
        self.width = len(source.header)
        self.header_norm = [norm(h) for h in source.header]
        self._labels = [h.strip() for h in source.header]
        self._dates_decided = False
        self.warnings: list[tuple[int, str]] = []  # (line, what): imported, but said
        self._blank_seen = False
        self._columns(roles)
        self._naming(layout)

    def label(self, col: int | None) -> str:
        if col is None:
            return ""
        return self._labels[col] if col < len(self._labels) else f"column {col + 1}"

    def _naming(self, lay: Layout) -> None:
        """Columns of the task, step, description and tags."""
        f = lay.fields
        task_cols = [f[n] for n in lay.task_from if n in f]
        self.first_task = task_cols[0] if task_cols else None
        self.other_tasks = task_cols[1:]
        self.step_col = f.get(lay.step_from) if lay.step_from else None
        self.desc_col = f.get(lay.description) if lay.description else None
        used = set(task_cols[:1]) | ({self.step_col} if self.step_col is not None else set())
        self.tag_prefixes = [n for n in lay.tag_fields if n in f and f[n] not in used]
        tag_cols = [f[n] for n in self.tag_prefixes + lay.tag_lists if n in f and f[n] not in used]
        self.tag_key: Callable[[list[str]], tuple[str, ...]] | None = None
        if tag_cols:
            getter = operator.itemgetter(*tag_cols)
            self.tag_key = getter if len(tag_cols) > 1 else (lambda r: (getter(r),))
        self.tag_cache: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.skips = [(f[n], values, reason) for n, values, reason in lay.skip_values if n in f]

    def decide_dates(self) -> None:
        """Scan the date columns once when the file writes DD/MM or MM/DD, and say what
        was decided (and the zone of local times) in the note."""
        if self._dates_decided:
            return
        self._dates_decided = True
        roles = self.layout.roles
        cols = [roles[r] for r in ("start_date", "end_date", "start", "end", "date") if r in roles]
        if cols and self.dates.order is None:  # not asked for: the values tell
            ambiguous = False
            for n, (_line, row) in enumerate(self.source.rows()):
                for c in cols if n else ():
                    value = row[c] if c < len(row) else ""
                    if "/" in value or "." in value[:6] or (value[2:3] == "-" and value[5:6] == "-"):
                        ambiguous = True
                        self.dates.observe(value)
                if n > DATE_SCAN_ROWS and not ambiguous:
                    break
            if ambiguous:
                self.dates.decide()
        local = f"times without an offset read in {self.options.tz_name}"
        self.note = join_notes(self.note, self.dates.reason, local)

    def __iter__(self) -> Iterator[Entry | Problem]:
        self.decide_dates()
        with self.source.csv_reader() as reader:
            next(reader, None)  # the header (line 1, or more lines if it has quoted newlines)
            yield from self._rows(reader, 0)

    def _rows(self, reader: Any, offset: int) -> Iterator[Entry | Problem]:
        """The rows of a csv reader whose line 1 is the file's line `offset` + 1. A stray
        quote makes the csv module read on to the next quote, or to the end, as one
        field: the lines it took in are read again as rows, and that line is rejected."""
        read, before = self.read, reader.line_num  # lines up to the end of the previous row
        for row in reader:
            if reader.line_num - before > 1 and self._takes_in_rows(row, offset + reader.line_num >= self.source.lines):
                first, last = offset + before + 1, offset + reader.line_num
                lines = self.source.physical_lines(first, last)
                yield Problem(first, f"an unclosed quote on line {first} takes in lines {first}-{last}"
                              " (the lines after it are read without it)", lines[0].rstrip("\r\n"))
                yield from self._rows(csv.reader(lines[1:], delimiter=self.source.delimiter, strict=False), first)
            else:
                yield read(offset + before + 1, row)
            before = reader.line_num

    def _takes_in_rows(self, row: list[str], at_end: bool) -> bool:
        """A row over several lines whose quoted text holds whole rows: two lines with a
        row's worth of delimiters, or one when the row is short of fields or runs to the
        end of the file."""
        need, delimiter = max(self.width - 1, 1), self.source.delimiter
        cells = [cell for cell in row if "\n" in cell or "\r" in cell]
        rowlike = sum(1 for cell in cells for line in cell.splitlines()[1:] if line.count(delimiter) >= need)
        return rowlike >= 2 or (rowlike == 1 and (len(row) < self.width or at_end))

    def read(self, line: int, row: list[str]) -> Entry | Problem:
        """One row -> an Entry or a Problem."""
        if not any(row) or (not row[0].strip() and len(row) <= self.width and not "".join(row).strip()):
            self._blank_seen = True
            return Problem(line, "blank line", "", True)
        for col, values, reason in self.skips:
            if col < len(row) and row[col].strip().lower() in values:
                return Problem(line, reason, raw_row(row, self.source.delimiter), True)
        try:
            start, end = self.times(row)
            if self.clock.adjusted:
                end = self._dst_settled(line, row, start, end)
            if end < start:
                raise RowError(f"ends ({self.clock.iso(end)}) before it starts ({self.clock.iso(start)})")
            task = row[self.first_task].strip() if self.first_task is not None else ""
            for col in self.other_tasks if not task else ():
                task = row[col].strip()
                if task:
                    break
            step = (row[self.step_col].strip() or None) if self.step_col is not None else None
            tags = self.tag_cache.get(self.tag_key(row)) if self.tag_key is not None else ()
            if tags is None:
                tags = self.tags(row)
            entry = Entry(line, start, end, task, step, row[self.desc_col] if self.desc_col is not None else "",
                          tags, "\x1f".join(row))
        except RowError as exc:
            self.clock.adjusted.clear()
            return self.rejected(line, row, str(exc))
        except IndexError:
            raw = raw_row(row, self.source.delimiter)
            if self._blank_seen:
                return Problem(line, "not part of the log (a table after a blank line)", raw, True)
            return Problem(line, f"has {len(row)} fields, the header has {self.width}", raw)
        if self.layout.skip_zero and end == start:
            return Problem(line, "zero-length event", "", True)
        return entry

    def _dst_settled(self, line: int, row: list[str], start: float, end: float) -> float:
        """A row with a local time a DST shift skipped or repeated: its own duration, where
        it has one, is the truth (02:30-03:30 on the night clocks go forward is an hour,
        not 0 s); the row is imported, with a warning."""
        said = "; ".join(self.clock.adjusted)
        self.clock.adjusted.clear()
        if self.dur_col is not None:
            end = start + self.durations(row[self.dur_col], self.label(self.dur_col))
            said += f"; its {self.label(self.dur_col)} is used"
        self.warnings.append((line, said))
        return end

    def rejected(self, line: int, row: list[str], reason: str) -> Problem:
        raw = raw_row(row, self.source.delimiter)
        if _looks_like_summary(row) or (self._blank_seen and len(row) != self.width):
            return Problem(line, f"summary line ({reason})", raw, True)
        if [norm(c) for c in row] == self.header_norm:
            return Problem(line, "repeated header line", raw, True)
        return Problem(line, reason, raw)

    # -- the parts of a row --------------------------------------------------------------------

    def _columns(self, roles: dict[str, int]) -> None:
        self.sd, self.st, self.ed, self.et = (roles.get(k) for k in ("start_date", "start_time", "end_date", "end_time"))
        self.s_col, self.e_col, self.d_col, self.dur_col = (roles.get(k) for k in ("start", "end", "date", "duration"))
        # separate date and time columns for both ends (Toggl, Clockify): both times required
        split = None not in (self.sd, self.st, self.ed, self.et)
        self.times = self.split_times if split else self.any_times
        self.split_labels = tuple(self.label(c) for c in (self.sd, self.st, self.ed, self.et))
        self.split_columns: tuple[int, int, int, int] = (self.sd or 0, self.st or 0, self.ed or 0, self.et or 0)

    def split_times(self, row: list[str]) -> tuple[float, float]:
        """Start and end from a start date and time and an end date (empty: the start
        date) and time. The usual log repeats its days and times: both are cached, and a
        day's local midnight is a number unless the zone shifts that day."""
        sd, st, ed, et = self.split_columns
        days, times = self.clock.days, self.clock.times
        try:
            start = days[row[sd]] + times[row[st]]
            end = days[row[ed] or row[sd]] + times[row[et]]
        except KeyError:  # a first sight, a DST day, or a bad value (which raises with its field named)
            f_sd, f_st, f_ed, f_et = self.split_labels
            start = self.clock.instant(row[sd], row[st], f_sd, f_st)
            end = self.clock.instant(row[ed] or row[sd], row[et], f_ed, f_et)
        if self.dur_col is not None and row[self.dur_col] not in self.durations.cache:
            self.durations(row[self.dur_col], self.label(self.dur_col))  # a bad duration is an error even so
        return start, end

    def any_times(self, row: list[str]) -> tuple[float, float]:
        """Start and end (UTC epoch seconds) from whichever columns the layout has."""
        clock, label = self.clock, self.label
        sd, st, ed, et = self.sd, self.st, self.ed, self.et
        s_col, e_col, d_col, dur_col = self.s_col, self.e_col, self.d_col, self.dur_col
        day = row[d_col] if d_col is not None else None
        d_label = label(d_col) if d_col is not None else "date"
        if sd is not None:
            start = clock.combine(row[sd], row[st] if st is not None else None, label(sd), label(st))
        elif s_col is not None:
            start = clock.moment(row[s_col], label(s_col), day, d_label)
        else:
            assert d_col is not None
            start = clock.moment(row[d_col], label(d_col))
        if et is not None or ed is not None:
            day_text = row[ed] if ed is not None and row[ed].strip() else row[sd] if sd is not None else ""
            if et is not None and row[et].strip():
                end = clock.combine(day_text, row[et], label(ed) or label(sd), label(et))
                if ed is None and end < start:
                    end += 86400.0  # an end time after midnight, without an end date
            elif dur_col is not None:
                end = start + self.durations(row[dur_col], label(dur_col))
            else:
                raise RowError(f"{label(et) or label(ed)} is empty")
        elif e_col is not None and row[e_col].strip():
            short = len(row[e_col].strip()) <= 11
            end = clock.moment(row[e_col], label(e_col), day, d_label)
            if end < start and short and (d_col is None or ":" in row[e_col]):
                end += 86400.0  # a bare end time after midnight
        elif dur_col is not None:
            end = start + self.durations(row[dur_col], label(dur_col))
        else:
            raise RowError(f"{label(e_col or 0)} is empty")
        if dur_col is not None and (et is not None or e_col is not None):
            self.durations(row[dur_col], label(dur_col))  # a bad duration is an error even so
        return start, end

    def tags(self, row: list[str]) -> tuple[str, ...]:
        """The tags of a row: "name:value" of the tag fields, then the tag lists split."""
        assert self.tag_key is not None
        key = self.tag_key(row)
        n = len(self.tag_prefixes)
        tags = [f"{p}:{v}" for p, v in zip(self.tag_prefixes, key[:n], strict=False) if v.strip()]
        for v in key[n:]:
            tags.extend(t.strip() for t in v.split(",") if t.strip())
        if len(self.tag_cache) > TAG_CACHE_LIMIT:
            self.tag_cache.clear()
        self.tag_cache[key] = got = tuple(tags)
        return got


def _looks_like_summary(row: list[str]) -> bool:
    """The row's first text is "Total", "Summe", ..."""
    return next((c.strip().lower() for c in row if c.strip()), "").startswith(_SUMMARY)


def csv_open(
    title: str, make_layout: Callable[[Source], Layout], known: dict[str, list[str]]
) -> Callable[[Source, Options], CsvReading]:
    """An `open` for a format: layout from the header, the person's choices on top."""

    def open_(source: Source, options: Options) -> CsvReading:
        layout = make_layout(source)
        apply_choices(layout, source.header, options, known)
        return CsvReading(title, source, layout, options)

    return open_

