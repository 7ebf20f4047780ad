"""The CSV engine every delimited format shares.

A format module only says, in a `Layout`, which column plays which role (start date,
end time, duration, description, ...) and where the task comes from; `CsvReading`
streams the rows and turns each into an `Entry`, or a `Problem` naming its line and
reason. `--map`, `--task-from` and `--step-from` go on top of the format's layout.
"""

from __future__ import annotations

import csv
import functools
import itertools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from roi.importers import columns
from roi.importers.api import Entry, Options, Problem, Reading, RowError, join_notes
from roi.importers.source import Source, header_fields, norm, raw_row
from roi.importers.timeparse import DateOrder, Durations, LocalClock, parse_number, zone_of

ROLES = (
    "start_date", "start_time", "end_date", "end_time",  # split date / time columns
    "start", "end",  # date-time (or bare time with `date`)
    "date",  # the day, for date-only logs or bare times
    "duration",
    "zone",  # a per-row time zone ("UTC+1:00", "Europe/Berlin") of the local times
)
UNITS = {"duration": "clock", "hours": "hours", "minutes": "minutes", "seconds": "seconds"}
ZONE = ("time zone", "timezone", "zone", "tz", "utc offset", "zeitzone")
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
    parts: list[int | None] = field(default_factory=list)  # Hours, Minutes, Seconds columns that add up
    unit_asked: bool = False  # the person named the unit (--map minutes=, duration_unit=): no guessing
    date_order: str | None = None
    date_default: str = "mdy"
    notes: list[str] = field(default_factory=list)


def find(fields: dict[str, int], *names: str) -> int | None:
    """The column of the first of `names` that is a field."""
    return next((fields[name] for name in names if name in fields), None)


def filled(row: list[str], *cols: int | None) -> bool:
    """Whether any of the columns has text in the row."""
    return any(c is not None and c < len(row) and row[c].strip() for c in cols)


def apply_choices(layout: Layout, header: list[str], options: Options, known: dict[str, list[str]]) -> None:
    """--task-from / --step-from / --map on top of a format's layout. Every column is a
    field by its header name, and by its name in `known` (task: Aufgabe, ...) too."""
    named = header_fields(header)
    found = {key: col for key, names in known.items() if (col := find(named, *names)) is not None}
    layout.fields = {**found, **named, **layout.fields}  # the format's own fields win, then the header's

    def column(name: str, what: str) -> int:
        key = norm(name)
        if key in layout.fields:
            return layout.fields[key]
        choices = ", ".join(sorted(set(list(known) + [norm(h) for h in header if h.strip()])))
        raise RowError(f"{what} {name!r} is not a column of this file (choose from: {choices})")

    for key, value in options.mapping.items():
        k = key.strip().lower().replace("-", "_")
        if k == "duration_unit":
            unit = columns.UNIT_WORDS.get(value.strip().lower())
            if unit is None:
                raise RowError(f"--map duration_unit must be s, min or h (got {value!r})")
            layout.duration_unit, layout.parts, layout.unit_asked = unit, [], True
            layout.notes.append(f"bare numbers of the duration read as {unit} (as asked)")
        elif k == "date_order":
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
            role = "duration" if k in UNITS else k
            if role not in ROLES:
                raise RowError(
                    f"--map key {key!r} is not known (use date, start, end, start_date, start_time,"
                    " end_date, end_time, duration, minutes, hours, seconds, task, step,"
                    " description, project, tags, client, zone, date_order or duration_unit)"
                )
            layout.roles[role] = column(value, f"--map {key}")
            if role == "duration":
                layout.duration_unit, layout.parts, layout.unit_asked = UNITS[k], [], k != "duration"
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
        self.durations = Durations(layout.duration_unit, layout.unit_asked)
        self.total = max(source.lines - 1 - source.skip, 0)
        self.note = join_notes(source.note, *layout.notes)
        self.width = len(source.header)
        self.header_norm = [norm(h) for h in source.header]
        self._labels = [h.strip() for h in source.header]
        self._dates_decided = False
        self.warnings: list[tuple[int, str]] = []  # (line, what): imported, but said
        self._blank_seen = False
        self.run = 0.0  # seconds of the entries since the last summary row (a total equals it)
        self.zone_col = roles.get("zone", find(source.fields, *ZONE))
        self.zoned = functools.cache(self._clock_of)  # per-row zone text -> its clock
        self._columns(roles)
        self._naming(layout)
        named = columns.unit_of_name(self.label(self.dur_col))
        if named and not layout.unit_asked and layout.duration_unit == "clock":
            self.durations.unit = named

    def label(self, col: int | None) -> str:
        return "" if col is None else self._labels[col]

    def _naming(self, lay: Layout) -> None:
        """Columns of the task, step, description and tags."""
        f = lay.fields
        task_cols = [f[n] for n in lay.task_from if n in f]
        self.first_task = task_cols[0] if task_cols else None
        self.free_text = next((n for n in lay.task_from if n in f), "") in ("description", "notes")
        self.other_tasks = task_cols[1:]
        self.step_col = f.get(lay.step_from) if lay.step_from else None
        self.desc_col = f.get(lay.description) if lay.description else None
        used = {self.first_task, self.step_col}
        self.tag_prefixes = [n for n in lay.tag_fields if n in f and f[n] not in used]
        tag_cols = [f[n] for n in self.tag_prefixes + lay.tag_lists if n in f and f[n] not in used]
        self.tag_key = operator.itemgetter(*tag_cols) if tag_cols else None
        self.tag_cache: dict[str | tuple[str, ...], tuple[str, ...]] = {}
        self.skips = [(f[n], values, reason) for n, values, reason in lay.skip_values if n in f]

    def decide_dates(self) -> None:
        """Read the first rows once to decide what the file leaves open: DD/MM or MM/DD
        (scanning on while no value has told), the unit of bare durations, whether
        Hours/Minutes/Seconds columns add up, and whether the description is free text
        (see roi.importers.columns); the note says what was decided."""
        if self._dates_decided:
            return
        self._dates_decided = True
        roles = self.layout.roles
        cols = [roles[r] for r in ("start_date", "end_date", "start", "end", "date") if r in roles]
        scan_dates, ambiguous, sample = bool(cols) and self.dates.order is None, False, []
        rows = itertools.islice(self.source.rows(), 1, None)  # past the header
        for n, (_line, row) in enumerate(rows, 1):
            if n <= DATE_SCAN_ROWS:
                sample.append(row)
            elif not (scan_dates and ambiguous):
                break
            for c in cols if scan_dates else ():
                value = row[c] if c < len(row) else ""
                if "/" in value or "." in value[:6] or (value[2:3] == "-" and value[5:6] == "-"):
                    ambiguous = True
                    self.dates.observe(value)
        if ambiguous:
            self.dates.decide()
        notes = [self.dates.reason, *self._decide_columns(sample)]
        self.note = join_notes(self.note, *notes, f"times without an offset read in {self.options.tz_name}")

    def _decide_columns(self, sample: list[list[str]]) -> list[str]:
        notes: list[str] = []
        lay = self.layout

        def cells(col: int | None) -> list[str]:
            return [r[col] if col is not None and col < len(r) else "" for r in sample]

        if self.parts and not columns.parts_add_up(list(zip(*(cells(c) for c in self.parts), strict=True))):
            self.parts.clear()
            notes.append(f"{self.label(self.dur_col)} is the whole duration (the other columns say it again)")
        elif self.parts:
            notes.append("the duration is " + " + ".join(self.label(c) for c in self.parts if c is not None))
        makes_end = self.et is None and self.e_col is None
        if self.durations.unit == "clock" and self.dur_col is not None and not lay.unit_asked and makes_end:
            bare = [v for v in cells(self.dur_col) if columns.BARE.fullmatch(v.strip())]
            unit, why = columns.unit_of_values(bare)
            self.durations.unit = unit
            if bare:
                notes.append(f"bare numbers in {self.label(self.dur_col)} read as {unit}"
                             + (f" ({why})" if why else "") + "; --map duration_unit=s|min|h to change")
        if self.free_text and not self.options.task_from and self.first_task is not None:
            others = [c for c in [*self.other_tasks, *(lay.fields.get(k) for k in ("task", "project"))]
                      if c is not None and c != self.first_task]
            better = columns.free_text(sample, self.first_task, others)
            if better is not None:
                notes.append(f"tasks named by {self.label(better)}: {self.label(self.first_task)} differs in most"
                             " rows (kept as each entry's description; --task-from to choose)")
                self.other_tasks = [self.first_task]
                self.first_task = better
        return notes

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
            now = reader.line_num
            if now - before > 1 and self._takes_in_rows(row, offset + now >= self.source.lines):
                first, last = offset + before + 1, offset + now
                lines = self.source.physical_lines(first, last)
                yield Problem(first, f"an unclosed quote on line {first} takes in lines {first}-{last}"
                              " (the lines after it are read without it)", lines[0].rstrip("\r\n"))
                yield from self._rows(csv.reader(lines[1:], delimiter=self.source.delimiter, strict=False), first)
            else:
                yield read(offset + before + 1, row)
            before = now

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
            if self.zone_col is not None:
                self.clock = self.zoned(row[self.zone_col])
            start, end = self.times(row)
            if self.clock.adjusted:
                end = self._dst_settled(line, row, start, end)
            if end < start:
                raise RowError(f"ends ({self.clock.iso(end)}) before it starts ({self.clock.iso(start)})")
            task = row[self.first_task].strip() if self.first_task is not None else ""
            if not task:
                task = next((t for t in (row[c].strip() for c in self.other_tasks) if t), "")
            if task in columns.LABEL_SET:
                return Problem(line, f"summary line (its task is {task!r})", raw_row(row, self.source.delimiter), True)
            tags = self.tag_cache.get(self.tag_key(row)) if self.tag_key is not None else ()
            if tags is None:
                tags = self.tags(row)
            entry = Entry(line, start, end, task, (row[self.step_col].strip() or None) if self.step_col is not None else None,
                          row[self.desc_col] if self.desc_col is not None else "", tags, "\x1f".join(row))
        except RowError as exc:
            self.clock.adjusted.clear()
            return self.rejected(line, row, str(exc))
        except IndexError:
            raw = raw_row(row, self.source.delimiter)
            if self._blank_seen:
                return Problem(line, "not part of the log (a table after a blank line)", raw, True)
            if len(row) < self.width:  # trailing empty fields left out: read as empty
                return self.read(line, row + [""] * (self.width - len(row)))
            return Problem(line, f"has {len(row)} fields, the header has {self.width}", raw)
        self.run += end - start
        return entry

    def _clock_of(self, text: str) -> LocalClock:
        """The clock of a row's own zone column ("UTC+1:00", "Europe/Berlin"; empty: the
        file's zone)."""
        zone = zone_of(text) if text.strip() else self.options.tz
        if zone is None:
            raise RowError(f"{self.label(self.zone_col)} {text!r} is not a time zone (UTC+1:00, Europe/Berlin)")
        return LocalClock(zone, self.dates)

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
        if columns.is_label(row) or (self._blank_seen and len(row) != self.width) or self._dateless_total(row):
            self.run = 0.0
            return Problem(line, f"summary line ({reason})", raw, True)
        if [norm(c) for c in row] == self.header_norm:
            return Problem(line, "repeated header line", raw, True)
        if self._running(row):
            return Problem(line, f"still running (started {self._start_text(row)}, no end or duration yet)", raw, True)
        return Problem(line, reason, raw)

    def _dateless_total(self, row: list[str]) -> bool:
        """No date or start, and only numbers, or a duration that is the sum of the rows
        above it (a subtotal)."""
        if filled(row, self.sd, self.s_col, self.d_col):
            return False
        if columns.numbers_only(row):
            return True
        if self.dur_col is None:
            return False
        try:
            total = self.length(row)
        except (RowError, IndexError):
            return False
        return self.run > 0 and abs(total - self.run) <= max(1.0, self.run * 0.005)

    def _running(self, row: list[str]) -> bool:
        """A start with neither an end nor a duration: a timer still running."""
        ends = [c for c in (self.et, self.e_col) if c is not None] or [c for c in (self.ed,) if c is not None]
        return bool(ends and self._start_text(row)) and not filled(row, *ends, self.dur_col, *self.parts)

    def _start_text(self, row: list[str]) -> str:
        cells = (self.sd, self.st) if self.st is not None else (self.s_col,)
        return " ".join(row[c].strip() for c in cells if c is not None and filled(row, c))

    def length(self, row: list[str]) -> float:
        """Seconds of a row's duration, where it makes the end: its Hours/Minutes/Seconds
        added up, or the duration column (a bare number over 24 h is refused)."""
        if not self.parts:
            assert self.dur_col is not None
            return self.durations.length(row[self.dur_col], self.label(self.dur_col))
        given = [(col, unit) for col, unit in zip(self.parts, (3600.0, 60.0, 1.0), strict=False)
                 if col is not None and row[col].strip()]
        if not given:
            raise RowError(f"{' / '.join(self.label(c) for c in self.parts if c is not None)} are empty")
        return sum(parse_number(row[col], self.label(col)) * unit for col, unit in given)

    # -- the parts of a row --------------------------------------------------------------------

    def _columns(self, roles: dict[str, int]) -> None:
        self.sd, self.st, self.ed, self.et = (roles.get(k) for k in ("start_date", "start_time", "end_date", "end_time"))
        self.parts: list[int | None] = list(self.layout.parts)
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
        end = None  # from an end time or end, else start + duration (an end date alone is no end)
        if et is not None or ed is not None:
            day_text = row[ed] if ed is not None and row[ed].strip() else row[sd] if sd is not None else ""
            if et is not None and row[et].strip():
                end = clock.combine(day_text, row[et], label(ed) or label(sd), label(et))
                if ed is None and end < start:
                    end += 86400.0  # an end time after midnight, without an end date
        elif e_col is not None and row[e_col].strip():
            end = clock.moment(row[e_col], label(e_col), day, d_label)
            if end < start and len(row[e_col].strip()) <= 11 and (d_col is None or ":" in row[e_col]):
                end += 86400.0  # a bare end time after midnight
        if end is None:
            if dur_col is None:
                raise RowError(f"{label(et) or label(ed) or label(e_col or 0)} is empty")
            end = start + self.length(row)
        if dur_col is not None and (et is not None or e_col is not None):
            self.durations(row[dur_col], label(dur_col))  # a bad duration is an error even so
        return start, end

    def tags(self, row: list[str]) -> tuple[str, ...]:
        """The tags of a row: "name:value" of the tag fields, then the tag lists split."""
        assert self.tag_key is not None
        key = self.tag_key(row)
        cells = (key,) if isinstance(key, str) else key  # the itemgetter of one cell gives it bare
        n = len(self.tag_prefixes)
        tags = [f"{p}:{v}" for p, v in zip(self.tag_prefixes, cells[:n], strict=False) if v.strip()]
        for v in cells[n:]:
            tags.extend(t.strip() for t in v.split(",") if t.strip())
        if len(self.tag_cache) > TAG_CACHE_LIMIT:
            self.tag_cache.clear()
        self.tag_cache[key] = got = tuple(tags)
        return got


def csv_open(
    title: str, make_layout: Callable[[Source], Layout], known: dict[str, list[str]]
) -> Callable[[Source, Options], CsvReading]:
    """An `open` for a format: layout from the header, the person's choices on top."""

    def open_(source: Source, options: Options) -> CsvReading:
        layout = make_layout(source)
        apply_choices(layout, source.header, options, known)
        return CsvReading(title, source, layout, options)

    return open_

