"""Importing a file: read it in its format, name its tasks and steps, hash its rows and
store them, in one transaction (the SQL is in roi.db.imports).

The content hash of an entry is blake2b-96 of the format's name, 0x1F and the row's own
content (`Entry.identity`); the n-th identical row of one file (n >= 2) gets `~n`
after it, so two genuinely identical rows are both kept and a re-import adds neither.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from roi.db.imports import EntryRow, ImportWriter, import_transaction
from roi.db.measurements import refresh_measurements
from roi.db.store import Store
from roi.errors import RoiError
from roi.importers.api import (
    ZERO_LENGTH,
    Detection,
    Entry,
    Format,
    ImportSummary,
    Options,
    PreviewRow,
    Problem,
    Progress,
    clipped,
    skip_kind,
)
from roi.importers.detect import open_format
from roi.importers.seen import SeenKeys, twin_keys
from roi.importers.source import Source, open_source
from roi.importers.timeparse import FIRST_INSTANT, PAST_LAST_INSTANT, in_range, timezone
from roi.memory import gc_paused

CHUNK = 16_384  # rows read, then stored with one executemany (and one progress update)
KEEP_SKIPS = 1000  # skipped rows listed in the summary (all are counted)
NAME_MAX = 300
STEP_MAX = 200
UNNAMED = "(no description)"
NAME_CACHE_LIMIT = 50_000
RAW_MAX = 2000  # characters of a rejected row kept (reasons: 200)
DAY = 86400.0


def make_options(
    store: Store | None,
    tz: str | None = None,
    task_from: str | None = None,
    step_from: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    me: str | None = None,
) -> Options:
    name = tz or (store.settings().timezone if store is not None else None)
    try:
        zone, zone_name = timezone(name)
    except ValueError as exc:
        raise RoiError(str(exc)) from None
    me = me or (store.settings().me if store is not None else None)
    return Options(zone, zone_name, task_from or None, step_from or None, dict(mapping or {}), sheet or None, me)


def open_file(path: str | Path, wanted: str, options: Options) -> tuple[Source, Format, Iterable[Entry | Problem]]:
    if Path(path).is_dir():  # a Maildir (cur, new, tmp), or a backed-up Timewarrior data folder
        from roi.importers.formats import timewarrior_data

        if not timewarrior_data.holds_data(Path(path)):
            from roi.importers.formats.mailbox import open_maildir

            return open_maildir(Path(path), wanted, options)
        opened: Source = timewarrior_data.folder_source(Path(path))
    else:
        opened = open_source(path)
    source = opened.inspect(options.mapping, options.sheet)
    return (source, *open_format(source, wanted, options))


def detect_format(path: str | Path, tz: str | None = None, sheet: str | None = None, **mapping: str) -> Detection:
    """The format of a file (from its content) and what was decided reading it, e.g. the
    date order. NotATaskLog when it is not a task log."""
    _source, fmt, rows = open_file(path, "auto", make_options(None, tz, mapping=mapping, sheet=sheet))
    getattr(rows, "decide_dates", lambda: None)()
    return Detection(fmt.name, getattr(rows, "title", "") or fmt.title, getattr(rows, "note", ""))


def preview(
    path: str | Path,
    format: str = "auto",
    tz: str | None = None,
    limit: int = 10,
    *,
    task_from: str | None = None,
    step_from: str | None = None,
    store: Store | None = None,
    sheet: str | None = None,
    **mapping: str,
) -> list[PreviewRow]:
    """The first `limit` rows as they would be imported (or why they would not be)."""
    _source, _fmt, rows = open_file(path, format, make_options(store, tz, task_from, step_from, mapping, sheet))
    out: list[PreviewRow] = []
    for item in rows:
        if len(out) >= limit:
            break
        out.append(row := PreviewRow.of(item))
        if row.ok and row.duration_s == 0:
            row.skipped = ZERO_LENGTH
        if row.ok and not row.task:
            row.task = UNNAMED
    return out


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


def run_import(
    store: Store,
    path: str | Path,
    format: str = "auto",
    tz: str | None = None,
    dry_run: bool = False,
    task_from: str | None = None,
    step_from: str | None = None,
    mapping: dict[str, str] | None = None,
    progress: Progress | None = None,
    name: str | None = None,
    sheet: str | None = None,
    me: str | None = None,
) -> ImportSummary:
    """Import one task log into the store; see ImportSummary for what it reports.

    Raises NotATaskLog (nothing written) for unusable input; bad rows are reported in
    the summary and the good ones kept. `progress(done_rows, total_rows_or_None)`; `name`
    is what the import is recorded as (default: the file's full path); `sheet` the sheet
    of a workbook (default: the first)."""
    options = make_options(store, tz, task_from, step_from, mapping, sheet, me)
    source, fmt, rows = open_file(path, format, options)
    summary = ImportSummary(format=fmt.name, file=str(path), dry_run=dry_run)
    total = getattr(rows, "total", None)
    with suppress(_Rollback), import_transaction(store, total) as conn:
        writer = ImportWriter(conn, name or str(source.path.resolve()), source.sha256, fmt.name, total)
        try:
            with gc_paused():
                _Import(store, writer, fmt.name, summary).run(_with_ends(rows, source), total, progress)
        finally:
            writer.close()
        if dry_run:
            raise _Rollback
    summary.note = getattr(rows, "note", "")
    summary.warnings = sorted([*getattr(rows, "warnings", []), *summary.warnings])[:KEEP_SKIPS]
    return summary


def _with_ends(rows: Iterable[Entry | Problem], source: Source) -> Iterable[Entry | Problem]:
    """The rows, then what was left unread: a run of NULs where the text stops."""
    if source.cut is None:
        return rows
    return itertools.chain(rows, [Problem(
        source.cut_line, f"the rest of the file (from byte {source.cut:,}, line {source.cut_line})"
        " is NUL bytes, as a file cut short by a crash is padded: not read")])


class _Import:
    """One import's way through its rows: counts, names, hashes, chunks to store."""

    def __init__(self, store: Store, writer: ImportWriter, fmt: str, summary: ImportSummary) -> None:
        self.store = store
        self.writer = writer
        self.summary = summary
        summary.batch_id = writer.batch_id
        summary.earlier_batch = writer.earlier_batch
        self.tasks = writer.known_tasks()  # lower-cased name -> id
        self.steps = writer.known_steps()  # (task id, lower-cased name) -> id
        self.task_ids: dict[str, int] = {}  # raw task text -> id
        self.step_ids: dict[tuple[int, str], int] = {}  # (task id, raw step text) -> id
        self.used_tasks: set[int] = set()
        self.new_steps: list[int] = []
        # every content hash starts from the format's name; copying this state is cheaper
        # than making a new hash object for each row
        self.hasher = hashlib.blake2b((fmt + "\x1f").encode(), digest_size=12)
        self.seen = SeenKeys()
        self.tag_texts: dict[tuple[str, ...], str] = {}
        self.rows: list[EntryRow] = []  # until the chunk is stored
        self.errors: list[tuple[int, str, str]] = []
        self.read = self.offered = self.imported = self.skipped = self.rejected = 0
        self.seconds: list[float] = []  # of each chunk's stored rows, while they are all of them
        self.seconds_exact = True

    def run(self, items: Iterable[Entry | Problem], total: int | None, progress: Progress | None) -> None:
        progress = progress or (lambda done, of: None)
        progress(0, total)
        rows = iter(items)
        while chunk := list(itertools.islice(rows, CHUNK)):
            self.take(chunk)
            self.store_chunk()
            progress(self.read, total)
        progress(self.read, self.read)
        self.finish()

    # -- rows -------------------------------------------------------------------------------

    def take(self, chunk: list[Entry | Problem]) -> None:
        """A chunk's entries become rows to store (with their content hashes); its
        problems are counted. Every row of the file is one read, a piece is not."""
        task_ids, tag_texts, out, hasher, floor = self.task_ids, self.tag_texts, self.rows, self.hasher, math.floor
        pieces = 0
        for e in chunk:
            if type(e) is not Entry:
                self.problem(e)  # type: ignore[arg-type]
                continue
            pieces += e.piece
            start, end = e.start, e.end
            if end == start and "occurrence" not in e.tags:  # zero-length: noise, unless an occurrence (roi.db.measurements)
                if not e.piece:
                    self.problem(Problem(e.line, ZERO_LENGTH, "", True))
                continue
            if not (FIRST_INSTANT <= start < PAST_LAST_INSTANT and FIRST_INSTANT <= end < PAST_LAST_INSTANT):
                bad = end if in_range(start) else start  # outside what dates can hold (or NaN)
                self.errors.append((e.line, f"date out of range ({bad!r} seconds)", clipped(e.identity, RAW_MAX)))
                continue
            if end - start > DAY and len(self.summary.warnings) < KEEP_SKIPS:
                self.summary.warnings.append((e.line, f"an entry of {(end - start) / 3600:,.0f} hours (a timer left running?)"))
            tid = task_ids.get(e.task) or self.task_id(e.task)
            sid = None if e.step is None else self.step_id(tid, e.step)
            tags = tag_texts.get(e.tags)
            if tags is None:
                tags = tag_texts[e.tags] = json.dumps(list(e.tags), ensure_ascii=False)
            h = hasher.copy()
            h.update(e.identity.encode("utf-8", "surrogatepass"))  # lone surrogates of JSON escapes kept
            out.append((tid, sid, floor(start), floor(end), end - start, e.description, tags, h.hexdigest()))
        self.read += len(chunk) - pieces

    def problem(self, p: Problem) -> None:
        if p.skipped:
            self.skipped += 1
            kind = skip_kind(p.reason)
            self.summary.skip_kinds[kind] = self.summary.skip_kinds.get(kind, 0) + 1
            if len(self.summary.skips) < KEEP_SKIPS:
                self.summary.skips.append((p.line, p.reason))
        else:
            self.errors.append((p.line, clipped(p.reason), clipped(p.raw, RAW_MAX)))

    def task_id(self, raw: str) -> int:
        name = (" ".join(raw.split()) if "\n" in raw or "\r" in raw else raw.strip()) or UNNAMED
        if len(name) > NAME_MAX:
            name = name[: NAME_MAX - 1] + "…"
        tid = self.tasks.get(name.lower())
        if tid is None:
            tid = self.tasks[name.lower()] = self.writer.new_task(name)
            self.summary.tasks_created.append(name)
        if len(self.task_ids) > NAME_CACHE_LIMIT:
            self.task_ids.clear()
        self.task_ids[raw] = tid
        self.used_tasks.add(tid)
        return tid

    def step_id(self, tid: int, raw: str) -> int:
        sid = self.step_ids.get((tid, raw))
        if sid is None:
            name = raw.strip()[:STEP_MAX]
            sid = self.steps.get((tid, name.lower()))
            if sid is None:
                sid = self.steps[(tid, name.lower())] = self.writer.new_step(tid, name)
                self.new_steps.append(sid)
            if len(self.step_ids) > NAME_CACHE_LIMIT:
                self.step_ids.clear()
            self.step_ids[(tid, raw)] = sid
        return sid

    # -- storing ----------------------------------------------------------------------------

    def store_chunk(self) -> None:
        rows = self.rows
        if rows:
            for index, n in self.seen.ordinals(twin_keys([row[7] for row in rows])):
                row = rows[index]
                rows[index] = (*row[:7], f"{row[7]}~{n}")
            stored = self.writer.add_entries(rows)
            self.offered += len(rows)
            self.imported += stored
            if stored == len(rows):
                self.seconds.append(math.fsum([row[4] for row in rows]))
            else:  # some were there already: sum what was stored at the end
                self.seconds_exact = False
        if self.errors:
            self.rejected += len(self.errors)
            self.summary.errors.extend((line, reason) for line, reason, _ in self.errors)
            self.writer.add_errors(self.errors)
        self.rows, self.errors = [], []

    def finish(self) -> None:
        s, writer = self.summary, self.writer
        removed = writer.finish_entries()
        s.rows_read, s.imported, s.skipped, s.rejected = self.read, self.imported - removed, self.skipped, self.rejected
        s.duplicates = self.offered - s.imported  # a row read can make more than one entry (a piece)
        if not s.imported:
            s.hours = 0.0
        elif self.seconds_exact and not removed:
            s.hours = math.fsum(self.seconds) / 3600.0
        else:
            s.hours = writer.stored_seconds() / 3600.0
        s.tasks_touched = len(self.used_tasks)
        if s.imported and self.used_tasks:
            refresh_measurements(self.store, self.used_tasks)
            if self.new_steps:
                writer.adopt_measured_minutes(self.new_steps)
        writer.finish_batch(s.rows_read, s.imported, s.duplicates, s.skipped, s.rejected)

