"""The CSV engine every delimited format shares.

A format module only says which column plays which role (start date, end time,
duration, description, ...) and where the task comes from; this module streams the
rows, turns them into entry tuples, and reports bad rows with their line and reason.
"""

from __future__ import annotations

import bisect
import json
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import numpy as np

from roi.importers.base import Detection, Item, Options, Parser, Problem, RowBatch, RowError
from roi.importers.reader import Source, csv_reader, iter_csv, raw_row
from roi.importers.timeparse import DateOrder, Durations, LocalClock, iso_utc, split_columns

ROLES = (
    "start_date", "start_time", "end_date", "end_time",  # split date / time columns
    "start", "end",  # date-time (or bare time with `date`)
    "date",  # the day, for date-only logs or bare times
    "duration",
)
UNITS = {"duration": "clock", "hours": "hours", "minutes": "minutes", "seconds": "seconds"}
_SUMMARY = ("total", "totals", "sum", "summe", "gesamt", "grand total", "subtotal", "insgesamt")
TAG_CACHE_LIMIT = 20_000
# Logs with split date and time columns (Toggl, Clockify) are read this many rows at a
# time, dates and times converted with numpy; 0 turns it off (every row on its own).
BATCH_ROWS = 2048


def norm(name: str) -> str:
    return " ".join(name.strip().lstrip("\ufeff").strip().strip('"').lower().split())


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


def header_fields(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(header):
        key = norm(name)
        if key and key not in out:
            out[key] = i
    return out


def find(fields: dict[str, int], *names: str, prefix: bool = False) -> int | None:
    for name in names:
        if name in fields:
            return fields[name]
    if prefix:
        for name in names:
            for key, idx in fields.items():
                if key.startswith(name):
                    return idx
    return None


def apply_choices(layout: Layout, header: list[str], options: Options, known: dict[str, list[str]]) -> None:
    """--task-from / --step-from / --map on top of a format's layout."""
    fields = header_fields(header)
    for key, idx in fields.items():
        layout.fields.setdefault(key, idx)

    def column(name: str, what: str) -> str:
        key = norm(name)
        if key in layout.fields:
            return key
        for alias, names in known.items():
            if key == alias:
                for n in names:
                    if n in layout.fields:
                        return n
        choices = ", ".join(sorted(set(list(known) + [norm(h) for h in header if h.strip()])))
        raise RowError(f"{what} {name!r} is not a column of this file (choose from: {choices})")

    for key, value in options.mapping.items():
        k = key.strip().lower().replace("-", "_")
        if k == "date_order":
            order = value.strip().lower()
            if order not in ("dmy", "mdy"):
                raise RowError(f"--map date_order must be dmy or mdy (got {value!r})")
            layout.date_order = order
            continue
        if k in ("task", "step", "description", "project", "tags", "client"):
            found = layout.fields.get(column(value, f"--map {key}"))
            assert found is not None
            layout.fields[k] = found
            if k == "task":
                layout.task_from = ["task"] + [t for t in layout.task_from if t != "task"]
            elif k == "step":
                layout.step_from = "step"
            elif k == "description":
                layout.description = "description"
            continue
        role = {"minutes": "duration", "hours": "duration", "seconds": "duration"}.get(k, k)
        if role not in ROLES:
            raise RowError(
                f"--map key {key!r} is not known (use date, start, end, start_date, start_time,"
                " end_date, end_time, duration, minutes, hours, seconds, task, step,"
                " description, project, tags, client or date_order)"
            )
        found = layout.fields.get(column(value, f"--map {key}"))
        assert found is not None
        layout.roles[role] = found
        if role == "duration":
            layout.duration_unit = UNITS.get(k, "clock")
    if options.task_from:
        layout.task_from = [column(options.task_from, "--task-from")]
    if options.step_from:
        layout.step_from = column(options.step_from, "--step-from")


class CsvParser(Parser):
    def __init__(
        self,
        name: str,
        title: str,
        source: Source,
        delimiter: str,
        header: list[str],
        layout: Layout,
        options: Options,
        *,
        source_label: str | None = None,
    ) -> None:
        self.name = name
        self.source = source
        self.delimiter = delimiter
        self.header = header
        self.layout = layout
        self.options = options
        self.source_label = source_label or name
        self.dates = DateOrder(layout.date_order, layout.date_default)
        self.clock = LocalClock(options.tz, self.dates)
        self.total = max(source.lines - 1, 0)
        notes = list(layout.notes)
        self.detection = Detection(name, title, "; ".join(notes), {"delimiter": delimiter, "header": header})
        self._decided = False
        # Reading one part of the file (roi.importers.split): the first part ends with the
        # row that ends on line `head_lines`; the second starts at byte `tail_from[0]`,
        # line `tail_from[1] + 1`. `cut_ok`: the first part really ended there.
        self.head_lines: int | None = None
        self.tail_from: tuple[int, int] | None = None
        self.cut_ok = False
        roles = layout.roles
        if not any(r in roles for r in ("start_date", "start", "date")):
            raise RowError("no date or start column found (name one with --map date=COLUMN or --map start=COLUMN)")
        if not any(r in roles for r in ("end_date", "end_time", "end", "duration")):
            raise RowError(
                "no end or duration column found (name one with --map end=COLUMN, --map minutes=COLUMN,"
                " --map hours=COLUMN or --map duration=COLUMN)"
            )

    # -- date order: scan the date columns once when the file uses DD/MM or MM/DD ------------

    def decide_dates(self) -> None:
        if self._decided:
            return
        self._decided = True
        cols = [self.layout.roles[r] for r in ("start_date", "end_date", "start", "end", "date") if r in self.layout.roles]
        if cols and self.dates.needs_scan:
            ambiguous = False
            for n, (_line, row) in enumerate(iter_csv(self.source, self.delimiter)):
                if n == 0:
                    continue
                for c in cols:
                    if c < len(row):
                        value = row[c]
                        if "/" in value or "." in value[:6] or (value[2:3] == "-" and value[5:6] == "-"):
                            ambiguous = True
                            self.dates.observe(value)
                if n > 2000 and not ambiguous:
                    break
            if ambiguous:
                self.dates.decide()
        if self.dates.reason:
            extra = self.dates.reason
            self.detection.note = "; ".join(x for x in (self.detection.note, extra) if x)
        tz_note = f"times without an offset read in {self.options.tz_name}"
        if self._uses_local_time():
            self.detection.note = "; ".join(x for x in (self.detection.note, tz_note) if x)

    def _uses_local_time(self) -> bool:
        return any(r in self.layout.roles for r in ("start_date", "start", "date"))

    # -- rows ----------------------------------------------------------------------------------

    def items(self) -> Iterator[Item]:
        self.decide_dates()
        lay = self.layout
        roles = lay.roles
        header = self.header
        hn = [h.strip() for h in header]
        clock = self.clock
        label = lambda i: hn[i] if i < len(hn) else f"column {i + 1}"  # noqa: E731
        durations = Durations(lay.duration_unit)
        delim = self.delimiter

        sd, st, ed, et = (roles.get(k) for k in ("start_date", "start_time", "end_date", "end_time"))
        s_col, e_col, d_col, dur_col = (roles.get(k) for k in ("start", "end", "date", "duration"))
        fast = sd is not None and st is not None and ed is not None and et is not None
        f_sd = label(sd) if sd is not None else ""
        f_st = label(st) if st is not None else ""
        f_ed = label(ed) if ed is not None else ""
        f_et = label(et) if et is not None else ""

        def start_end(row: list[str]) -> tuple[float, float]:
            if sd is not None:
                start = clock.combine(row[sd], row[st] if st is not None else None, f_sd, f_st)
            elif s_col is not None:
                start = clock.moment(row[s_col], label(s_col), row[d_col] if d_col is not None else None,
                                     label(d_col) if d_col is not None else "date")
            else:
                assert d_col is not None
                start = clock.moment(row[d_col], label(d_col))
            if et is not None or ed is not None:
                day_text = row[ed] if ed is not None and row[ed].strip() else row[sd] if sd is not None else ""
                if et is not None and row[et].strip():
                    end = clock.combine(day_text, row[et], f_ed or f_sd, f_et)
                    if ed is None and end < start:
                        end += 86400.0
                elif dur_col is not None:
                    end = start + durations(row[dur_col], label(dur_col))
                else:
                    raise RowError(f"{f_et or f_ed} is empty")
            elif e_col is not None and row[e_col].strip():
                bare = d_col is not None and len(row[e_col].strip()) <= 11 and ":" in row[e_col]
                end = clock.moment(row[e_col], label(e_col), row[d_col] if d_col is not None else None,
                                   label(d_col) if d_col is not None else "date")
                if end < start and (bare or (d_col is None and len(row[e_col].strip()) <= 11)):
                    end += 86400.0
            elif dur_col is not None:
                end = start + durations(row[dur_col], label(dur_col))
            else:
                raise RowError(f"{label(e_col or 0)} is empty")
            if dur_col is not None and (et is not None or e_col is not None):
                # validate the duration column too: a negative or non-number duration is an error
                durations(row[dur_col], label(dur_col))
            return start, end

        fields = lay.fields
        task_cols = [fields[n] for n in lay.task_from if n in fields]
        step_col = fields.get(lay.step_from) if lay.step_from else None
        desc_col = fields.get(lay.description) if lay.description else None
        used = set(task_cols[:1]) | ({step_col} if step_col is not None else set())
        tag_specs = [(n, fields[n]) for n in lay.tag_fields if n in fields and fields[n] not in used]
        list_cols = [fields[n] for n in lay.tag_lists if n in fields and fields[n] not in used]
        tag_cols = [c for _, c in tag_specs] + list_cols
        prefixes = [n for n, _ in tag_specs]
        n_prefixed = len(tag_specs)
        tag_cache: dict[tuple[str, ...], str] = {}

        def make_tags(key: tuple[str, ...]) -> str:
            tags = [f"{p}:{v}" for p, v in zip(prefixes, key[:n_prefixed], strict=False) if v.strip()]
            for v in key[n_prefixed:]:
                tags.extend(t.strip() for t in v.split(",") if t.strip())
            text = json.dumps(tags, ensure_ascii=False)
            if len(tag_cache) > TAG_CACHE_LIMIT:
                tag_cache.clear()
            tag_cache[key] = text
            return text

        tag_key = None
        if tag_cols:
            getter = operator.itemgetter(*tag_cols)
            tag_key = getter if len(tag_cols) > 1 else (lambda r: (getter(r),))
        first_task = task_cols[0] if task_cols else None
        rest_tasks = task_cols[1:]
        width = len(header)
        header_norm = [norm(h) for h in header]
        blank_seen = False
        skips = [(fields[n], values, reason) for n, values, reason in lay.skip_values if n in fields]
        skip_zero = lay.skip_zero

        def one(line: int, row: list[str]) -> Item:
            """One row -> an entry tuple or a Problem."""
            nonlocal blank_seen
            if not any(row) or (not row[0].strip() and len(row) <= width and not "".join(row).strip()):
                blank_seen = True
                return Problem(line, "blank line", "", True)
            if skips:
                hit = next((r for c, vs, r in skips if c < len(row) and row[c].strip().lower() in vs), None)
                if hit:
                    return Problem(line, hit, raw_row(row, delim), True)
            try:
                if fast:
                    start = clock.instant(row[sd], row[st], f_sd, f_st)  # type: ignore[index]
                    end = clock.instant(row[ed] or row[sd], row[et], f_ed, f_et)  # type: ignore[index]
                    if dur_col is not None:
                        c = row[dur_col]
                        if c not in durations.cache:
                            durations(c, label(dur_col))
                else:
                    start, end = start_end(row)
                if end < start:
                    raise RowError(f"ends ({clock.iso(end)}) before it starts ({clock.iso(start)})")
                task = row[first_task].strip() if first_task is not None else ""
                if not task:
                    for col in rest_tasks:
                        task = row[col].strip()
                        if task:
                            break
                step = row[step_col].strip() or None if step_col is not None else None
                desc = row[desc_col] if desc_col is not None else ""
                if tag_key is not None:
                    key = tag_key(row)
                    tags = tag_cache.get(key) or make_tags(key)
                else:
                    tags = "[]"
            except RowError as exc:
                reason = str(exc)
                if _looks_like_summary(row) or (blank_seen and len(row) != width):
                    return Problem(line, f"summary line ({reason})", raw_row(row, delim), True)
                if [norm(c) for c in row] == header_norm:
                    return Problem(line, "repeated header line", raw_row(row, delim), True)
                return Problem(line, reason, raw_row(row, delim))
            except IndexError:
                if blank_seen:
                    return Problem(line, "not part of the log (a table after a blank line)", raw_row(row, delim), True)
                return Problem(line, f"has {len(row)} fields, the header has {width}", raw_row(row, delim))
            if skip_zero and end == start:
                return Problem(line, "zero-length event", "", True)
            return (line, start, end, task, step, desc, tags, "\x1f".join(row))

        def batch(lines: list[int], chunk: list[list[str]]) -> Iterator[Item]:
            """The rows of a chunk that the vectorised reading takes as one RowBatch; the
            others (odd shapes, bad values) one by one through `one`, in file order."""
            assert sd is not None and st is not None and ed is not None and et is not None
            if set(map(len, chunk)) == {width}:
                idx: list[int] | range = range(len(chunk))
                rows = chunk
            else:
                idx = [i for i, r in enumerate(chunk) if len(r) == width]
                rows = [chunk[i] for i in idx]
            starts, ends, good = split_columns(clock, rows, sd, st, ed, et, f_sd, f_ed)
            if dur_col is not None and rows:
                cache = durations.cache
                bad = set()
                for c in set([r[dur_col] for r in rows]):
                    if c not in cache:
                        try:
                            durations(c, label(dur_col))
                        except RowError:
                            bad.add(c)
                if bad:
                    good &= np.array([r[dur_col] not in bad for r in rows], dtype=bool)
            ok: list[int] | None = None  # chunk positions of the rows taken here, when not all are
            if len(rows) == len(chunk) and good.all():
                taken_lines = lines
            else:
                ok = [idx[j] for j in np.flatnonzero(good).tolist()]  # ascending
                rows = [chunk[i] for i in ok]
                taken_lines = [lines[i] for i in ok]
                starts, ends = starts[good], ends[good]
            if first_task is not None:
                tasks = [r[first_task].strip() for r in rows]
                if rest_tasks and "" in tasks:
                    for i, (t, r) in enumerate(zip(tasks, rows, strict=True)):
                        if not t:
                            tasks[i] = next((x for x in (r[c].strip() for c in rest_tasks) if x), "")
            else:
                tasks = [""] * len(rows)
            steps: list[str | None] = (
                [r[step_col].strip() or None for r in rows] if step_col is not None else [None] * len(rows)
            )
            descs = [r[desc_col] for r in rows] if desc_col is not None else [""] * len(rows)
            if tag_key is not None:
                get = tag_cache.get
                tags = [get(k) or make_tags(k) for k in map(tag_key, rows)]
            else:
                tags = ["[]"] * len(rows)
            taken_rows = RowBatch(
                taken_lines, starts.tolist(), ends.tolist(), tasks, steps, descs, tags,
                ["\x1f".join(r) for r in rows], iso_utc(starts), iso_utc(ends), (ends - starts).tolist(),
            )
            if ok is None:
                yield taken_rows
                return
            # in file order, as the row-by-row reading gives them: which row names a task
            # first decides its spelling, and ids follow that order
            run_start = done = 0
            for i, row in enumerate(chunk):
                if done < len(ok) and ok[done] == i:
                    done += 1
                    continue
                if done > run_start:
                    yield taken_rows.part(run_start, done)
                run_start = done
                yield one(lines[i], row)
            if done > run_start:
                yield taken_rows.part(run_start, done)

        batched = fast and not skips and not skip_zero and BATCH_ROWS > 0
        stop = self.head_lines
        fh = self.source.open_text(self.tail_from[0] if self.tail_from else 0)
        reader = csv_reader(self.source, fh, delim)
        try:
            base = self.tail_from[1] if self.tail_from else 0  # lines before where this reader starts
            if not self.tail_from:
                next(reader, None)  # the header (line 1, or more lines if it has quoted newlines)
            prev = base + reader.line_num
            if batched:
                while True:
                    chunk = list(islice(reader, BATCH_ROWS))  # the csv module's C loop
                    if not chunk:
                        break
                    last = base + reader.line_num
                    lines = row_lines(chunk, prev, last)
                    prev = last
                    if stop is None or last < stop:
                        yield from batch(lines, chunk)
                        continue
                    # the first part ends in this chunk: at a row boundary, or the cut was
                    # inside a quoted field and this reader goes on to the end of the file
                    keep = len(chunk) if last == stop else bisect.bisect_left(lines, stop + 1)
                    clean = last == stop or (keep < len(lines) and lines[keep] == stop + 1)
                    if not clean:
                        stop = None
                        yield from batch(lines, chunk)
                        continue
                    yield from batch(lines[:keep], chunk[:keep])
                    if not blank_seen:
                        self.cut_ok = True
                        return
                    stop = None  # rows after a blank line read differently: read on here
                    yield from batch(lines[keep:], chunk[keep:])
            else:
                for row in reader:
                    line = prev + 1
                    prev = base + reader.line_num
                    yield one(line, row)
                    if stop is not None and prev >= stop:
                        if prev == stop and not blank_seen:
                            self.cut_ok = True
                            return
                        stop = None
        finally:
            fh.close()


def row_lines(rows: list[list[str]], before: int, last: int) -> list[int]:
    """The line each row starts on, given the line before the first and the last line
    read: consecutive unless a quoted field holds line breaks."""
    if last - before == len(rows):
        return list(range(before + 1, last + 1))
    lines = []
    line = before + 1
    for row in rows:
        lines.append(line)
        breaks = [f.replace("\r\n", "\n") for f in row if "\n" in f or "\r" in f]
        line += 1 + sum(f.count("\n") + f.count("\r") for f in breaks)
    return lines


def _looks_like_summary(row: list[str]) -> bool:
    for cell in row:
        text = cell.strip().lower()
        if text:
            return text.startswith(_SUMMARY)
    return False


Build = Callable[[Source, Any, Options], Parser]


def csv_open(
    name: str, title: str, make_layout: Callable[[Any], Layout], known: dict[str, list[str]]
) -> Build:
    """An `open` for the registry: layout from the header, the person's choices on top."""

    def open_(source: Source, sample: Any, options: Options) -> Parser:
        layout = make_layout(sample)
        apply_choices(layout, sample.header, options, known)
        return CsvParser(name, title, source, sample.delimiter, sample.header, layout, options)

    return open_
