"""Storing an import: one transaction, content hashes, tasks and steps, measurements.

Everything one import writes (the batch row, new tasks and steps, the entries, the
rejected lines, the refreshed measurements) happens inside a single BEGIN IMMEDIATE ...
COMMIT, so a crash or a kill leaves the database exactly as it was. Entries go in with
INSERT OR IGNORE on their content hash: the same file imported again adds nothing.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from roi.importers import bulk as bulk_mode
from roi.importers.base import (
    Detection,
    ImportSummary,
    NotATaskLog,
    Options,
    Parser,
    PreviewRow,
    Problem,
    Progress,
    RowError,
)
from roi.importers.detect import open_parser
from roi.importers.reader import open_source
from roi.importers.seen import SeenKeys
from roi.importers.timeparse import LocalClock, timezone
from roi.models import RoiError
from roi.store import Store, iso, utc_now

CHUNK = 4096
IMPORT_CACHE_KIB = 32 * 1024  # 64 MB is ~4% faster at 1M rows but peaks near 200 MB
NAME_MAX = 300
STEP_MAX = 200
KEEP_SKIPS = 1000
UNNAMED = "(no description)"

_INSERT = (
    'INSERT OR IGNORE INTO time_entry (task_id, step_id, start, "end", duration_s, source,'
    " description, tags, batch_id, hash) VALUES (?,?,?,?,?,?,?,?,?,?)"
)


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


def make_options(
    store: Store | None,
    tz: str | None = None,
    task_from: str | None = None,
    step_from: str | None = None,
    mapping: dict[str, str] | None = None,
) -> Options:
    name = tz or (store.settings().timezone if store is not None else None)
    try:
        zone, zone_name = timezone(name)
    except ValueError as exc:
        raise RoiError(str(exc)) from None
    return Options(zone, zone_name, task_from or None, step_from or None, dict(mapping or {}))


def open_file(path: str | Path, format: str, options: Options) -> Parser:
    source = open_source(path)
    return open_parser(source, format, options)


def detect_format(path: str | Path, tz: str | None = None, **mapping: str) -> Detection:
    """The format of a file (from its content) and what was decided reading it, e.g. the
    date order. NotATaskLog when it is not a task log."""
    parser = open_file(path, "auto", make_options(None, tz, mapping=mapping))
    decide = getattr(parser, "decide_dates", None)
    if decide is not None:
        decide()
    return parser.detection


def preview(
    path: str | Path,
    format: str = "auto",
    tz: str | None = None,
    limit: int = 10,
    *,
    task_from: str | None = None,
    step_from: str | None = None,
    store: Store | None = None,
    **mapping: str,
) -> list[PreviewRow]:
    """The first `limit` rows as they would be imported (or why they would not be)."""
    parser = open_file(path, format, make_options(store, tz, task_from, step_from, mapping))
    rows: list[PreviewRow] = []
    for item in _items(parser):
        if len(rows) >= limit:
            break
        row = PreviewRow.from_item(item)
        if row.ok and not row.task:
            row.task = UNNAMED
        rows.append(row)
    return rows


def _items(parser: Parser) -> Iterator[Any]:
    try:
        yield from parser.items()
    except csv.Error as exc:
        raise NotATaskLog(f"{getattr(parser, 'source', None) and parser.source.path}: unreadable CSV ({exc})") from None  # type: ignore[attr-defined]


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
) -> ImportSummary:
    """Import one task log into the store; see ImportSummary for what it reports.

    Raises NotATaskLog (nothing written) for unusable input; bad rows are reported in
    the summary and the good ones kept."""
    options = make_options(store, tz, task_from, step_from, mapping)
    parser = open_file(path, format, options)
    summary = ImportSummary(format=parser.name, file=str(path), dry_run=dry_run)
    # A bigger page cache for the length of the import: the hash index takes random
    # inserts, and a 2 MB cache spills pages to the WAL again and again.
    old_cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    store.conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        with store.transaction() as conn:
            _write(store, conn, parser, summary, progress, old_cache)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    finally:
        store.conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
    summary.note = parser.detection.note
    return summary


def _write(
    store: Store,
    conn: sqlite3.Connection,
    parser: Parser,
    summary: ImportSummary,
    progress: Progress | None,
    old_cache: int,
) -> None:
    source = parser.source  # type: ignore[attr-defined]
    now = iso(utc_now())
    batch_id = int(
        conn.execute(
            "INSERT INTO import_batch (file_name, file_hash, format, started_at) VALUES (?,?,?,?)",
            [str(Path(source.path).resolve()), source.sha256, parser.name, now],
        ).lastrowid
        or 0
    )
    summary.batch_id = batch_id

    bulk = bulk_mode.begin(conn, parser.total)
    tasks: dict[str, int] = {}  # lower-cased name -> id
    for tid, name in conn.execute("SELECT id, name FROM task"):
        tasks.setdefault(name.lower(), tid)
    task_ids: dict[str, int] = {}  # raw task text -> id (cache)
    step_ids: dict[tuple[int, str], int] = {}
    steps_loaded: set[int] = set()
    new_steps: list[int] = []
    used_tasks: set[int] = set()

    def resolve_task(raw: str) -> int:
        name = raw.strip() or UNNAMED
        if len(name) > NAME_MAX:
            name = name[: NAME_MAX - 1] + "…"
        key = name.lower()
        tid = tasks.get(key)
        if tid is None:
            tid = int(
                conn.execute(
                    "INSERT INTO task (name, category, tags, notes, created_at) VALUES (?, 'other', '[]', ?, ?)",
                    [name, f"created by importing {source.name}", now],
                ).lastrowid
                or 0
            )
            tasks[key] = tid
            summary.tasks_created.append(name)
        if len(task_ids) > 50_000:
            task_ids.clear()
        task_ids[raw] = tid
        used_tasks.add(tid)
        return tid

    def resolve_step(tid: int, raw: str) -> int:
        if tid not in steps_loaded:
            steps_loaded.add(tid)
            for sid, sname in conn.execute("SELECT id, name FROM step WHERE task_id = ?", [tid]):
                step_ids.setdefault((tid, sname.lower()), sid)
        name = raw.strip()[:STEP_MAX]
        sid = step_ids.get((tid, name.lower()))
        if sid is None:
            sid = int(
                conn.execute(
                    "INSERT INTO step (task_id, position, name, minutes) VALUES"
                    " (?, (SELECT coalesce(max(position) + 1, 0) FROM step WHERE task_id = ?), ?, 0)",
                    [tid, tid, name],
                ).lastrowid
                or 0
            )
            new_steps.append(sid)
        step_ids[(tid, raw)] = sid
        step_ids[(tid, name.lower())] = sid
        return sid

    clock = LocalClock(parser.options.tz) if not hasattr(parser, "clock") else parser.clock  # type: ignore[attr-defined]
    iso_days: dict[int, str] = {}
    iso_secs: dict[int, str] = {}

    def iso_day(day: int) -> str:
        text = clock.iso(day * 86400.0)[:11]
        iso_days[day] = text
        return text

    def iso_sec(sec: int) -> str:
        h, rem = divmod(sec, 3600)
        text = f"{h:02d}:{rem // 60:02d}:{rem % 60:02d}Z"
        iso_secs[sec] = text
        return text

    src = parser.name
    salt = (src + "\x1f").encode()
    blake = hashlib.blake2b
    seen = SeenKeys()
    buf: list[list[Any]] = []
    digests: list[bytes] = []
    errors: list[tuple[int, int, str, str]] = []
    total = parser.total
    done = 0
    imported = 0
    read = 0
    rejected = 0
    skipped = 0

    def flush() -> None:
        nonlocal imported
        if buf:
            for idx, n in seen.ordinals(digests):
                buf[idx][9] = f"{buf[idx][9]}~{n}"  # the n-th identical row of the file
            imported += conn.executemany(_INSERT, buf).rowcount
            buf.clear()
            digests.clear()
        if errors:
            conn.executemany("INSERT INTO import_error (batch_id, line, reason, raw) VALUES (?,?,?,?)", errors)
            errors.clear()

    if progress is not None:
        progress(0, total)
    append = buf.append
    add_digest = digests.append
    for item in _items(parser):
        read += 1
        if type(item) is tuple:
            line, start, end, task, step, desc, tags, ident = item
            tid = task_ids.get(task)
            if tid is None:
                tid = resolve_task(task)
            sid = None
            if step is not None:
                sid = step_ids.get((tid, step))
                if sid is None:
                    sid = resolve_step(tid, step)
            # ISO text of start and end, inlined (the hot loop): day prefix + time of day
            i = int(start)
            if i > start:
                i -= 1
            day, sec = divmod(i, 86400)
            j = int(end)
            if j > end:
                j -= 1
            eday, esec = divmod(j, 86400)
            try:
                s_iso = (iso_days.get(day) or iso_day(day)) + (iso_secs.get(sec) or iso_sec(sec))
                e_iso = (iso_days.get(eday) or iso_day(eday)) + (iso_secs.get(esec) or iso_sec(esec))
            except RowError as exc:  # an instant outside what dates can hold
                rejected += 1
                summary.errors.append((line, str(exc)))
                errors.append((batch_id, line, str(exc), ident[:2000]))
                continue
            dig = blake(salt + ident.encode("utf-8", "surrogatepass"), digest_size=12).digest()
            add_digest(dig)
            append([tid, sid, s_iso, e_iso, end - start, src, desc, tags, batch_id, dig.hex()])
            if len(buf) >= CHUNK:
                flush()
                if progress is not None:
                    progress(read, total)
        elif isinstance(item, Problem):
            if item.skipped:
                skipped += 1
                if len(summary.skips) < KEEP_SKIPS:
                    summary.skips.append((item.line, item.reason))
            else:
                rejected += 1
                summary.errors.append((item.line, item.reason))
                errors.append((batch_id, item.line, item.reason, item.raw))
                if len(errors) >= CHUNK:
                    flush()
    flush()
    done = read
    if progress is not None:
        progress(done, done)
    if bulk is not None:
        # the sorts of the index builds size themselves by the page cache: back to the
        # usual one, or the import's cache and the sorter's memory add up
        conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
        imported -= bulk_mode.finish(conn, bulk, batch_id)

    summary.rows_read = read
    summary.imported = imported
    summary.rejected = rejected
    summary.skipped = skipped
    summary.duplicates = read - rejected - skipped - imported
    summary.hours = (
        conn.execute("SELECT coalesce(sum(duration_s), 0) FROM time_entry WHERE batch_id = ?", [batch_id]).fetchone()[0]
        / 3600.0
        if imported
        else 0.0
    )
    summary.tasks_touched = len(used_tasks)
    # back to the usual cache before aggregating: SQLite's sorter sizes itself by it
    conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
    if imported and used_tasks:
        from roi.timelog import refresh_measurements

        refresh_measurements(store, used_tasks)
        if new_steps:
            marks = ",".join("?" * len(new_steps))
            conn.execute(
                "UPDATE step SET minutes = coalesce((SELECT round(median_minutes, 2) FROM measurement m"
                f" WHERE m.step_id = step.id), minutes) WHERE id IN ({marks})",
                new_steps,
            )
    conn.execute(
        "UPDATE import_batch SET rows_read=?, imported=?, duplicates=?, skipped=?, rejected=?,"
        " finished_at=? WHERE id=?",
        [read, imported, summary.duplicates, skipped, rejected, iso(utc_now()), batch_id],
    )


def tags_of(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
