"""Storing an import: one transaction, content hashes, tasks and steps, measurements.

Everything one import writes (the batch row, new tasks and steps, the entries, the
rejected lines, the refreshed measurements) happens inside a single BEGIN IMMEDIATE ...
COMMIT, so a crash or a kill leaves the database exactly as it was. Entries go in with
INSERT OR IGNORE on their content hash: the same file imported again adds nothing.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path

from roi.db.store import Store, iso, utc_now
from roi.importers import bulk as bulk_mode
from roi.importers.base import (
    Detection,
    ImportSummary,
    Options,
    Parser,
    PreviewRow,
    Progress,
    RowBatch,
)
from roi.importers.convert import UNNAMED, Known, items_of
from roi.importers.detect import open_parser
from roi.importers.reader import open_source
from roi.importers.timeparse import timezone
from roi.importers.worker import chunk_source
from roi.models import RoiError

CHUNK = 4096
IMPORT_CACHE_KIB = 32 * 1024  # 64 MB is ~4% faster at 1M rows but peaks near 200 MB


def entry_insert_sql(source: str, batch_id: int) -> str:
    """INSERT for Chunk.rows(), with the source and the batch, the same for every row, as
    literals: one fewer bound parameter each is about a tenth less time per row."""
    literal = "'" + source.replace("'", "''") + "'"
    return (
        'INSERT OR IGNORE INTO time_entry (task_id, step_id, start, "end", duration_s, source,'
        f" description, tags, batch_id, hash) VALUES (?,?,?,?,?,{literal},?,?,{int(batch_id)},?)"
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
    for item in items_of(parser):
        for one in item.entries() if isinstance(item, RowBatch) else (item,):
            if len(rows) >= limit:
                return rows
            row = PreviewRow.from_item(one)
            if row.ok and not row.task:
                row.task = UNNAMED
            rows.append(row)
    return rows


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
    old_cache = store.conn.execute("PRAGMA cache_size").fetchone()[0]
    try:
        with (
            bulk_mode.unchecked_ids(store.conn, parser.total) as check_ids,
            bulk_mode.rollback_journal(store.conn, parser.total),
            store.transaction() as conn,
        ):
            _write(store, conn, parser, summary, progress, old_cache, check_ids)
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
    check_ids: bool = False,
) -> None:
    """The import inside its transaction. check_ids: foreign-key checks are off, so the
    task and step ids stored are checked here before the transaction can commit."""
    source = parser.source  # type: ignore[attr-defined]
    now = iso(utc_now())
    file_name = str(Path(source.path).resolve())
    batch_id = int(
        conn.execute(
            "INSERT INTO import_batch (file_name, file_hash, format, started_at) VALUES (?,?,?,?)",
            [file_name, source.sha256, parser.name, now],
        ).lastrowid
        or 0
    )
    summary.batch_id = batch_id
    summary.earlier_batch = conn.execute(
        "SELECT max(id) FROM import_batch WHERE file_hash = ? AND id < ? AND imported > 0", [source.sha256, batch_id]
    ).fetchone()[0]
    bulk = bulk_mode.begin(conn, parser.total)
    if bulk is None:
        # A bigger page cache while the rows go in: the hash index takes random inserts,
        # and a 2 MB cache spills pages to the WAL again and again. (With the indexes
        # dropped, appending to the table needs no more than the usual cache.)
        conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    feed = chunk_source(parser, _known(conn), CHUNK)
    insert = entry_insert_sql(parser.name, batch_id)
    # the name as recorded in import_batch (a link resolved): an undo knows its tasks by it
    created_note = f"created by importing {Path(file_name).name}"
    new_steps: list[int] = []
    total = parser.total
    read = offered = imported = rejected = skipped = 0  # offered: entries sent to be stored
    seconds: list[float] = []  # of each chunk's stored rows, while they are all of them
    seconds_exact = True
    task_ids: set[int] = set()  # every id stored, when they are checked here (a set update per chunk)
    step_ids: set[int | None] = set()

    if progress is not None:
        progress(0, total)
    try:
        for chunk in feed:
            if chunk.new_tasks:
                conn.executemany(
                    "INSERT INTO task (id, name, category, tags, notes, created_at, import_batch_id)"
                    " VALUES (?, ?, 'other', '[]', ?, ?, ?)",
                    [(tid, name, created_note, now, batch_id) for tid, name in chunk.new_tasks],
                )
                summary.tasks_created.extend(name for _, name in chunk.new_tasks)
            if chunk.new_steps:
                conn.executemany(
                    "INSERT INTO step (id, task_id, position, name, minutes, import_batch_id) VALUES"
                    " (?, ?, (SELECT coalesce(max(position) + 1, 0) FROM step WHERE task_id = ?), ?, 0, ?)",
                    [(sid, tid, tid, name, batch_id) for sid, tid, name in chunk.new_steps],
                )
                new_steps.extend(sid for sid, _, _ in chunk.new_steps)
            if len(chunk):
                offered += len(chunk)
                stored = conn.executemany(insert, chunk.rows()).rowcount
                if check_ids:
                    task_ids.update(chunk.task_ids)
                    step_ids.update(chunk.step_ids)
                imported += stored
                if stored == len(chunk):
                    seconds.append(math.fsum(chunk.durations))
                else:  # some were there already: sum what was stored at the end
                    seconds_exact = False
            if chunk.errors:
                rejected += len(chunk.errors)
                summary.errors.extend((line, reason) for line, reason, _ in chunk.errors)
                conn.executemany(
                    "INSERT INTO import_error (batch_id, line, reason, raw) VALUES (?,?,?,?)",
                    [(batch_id, line, reason, raw) for line, reason, raw in chunk.errors],
                )
            summary.skips.extend(chunk.skips)
            skipped += chunk.skipped
            read += chunk.read
            if progress is not None:
                progress(read, total)
    finally:
        feed.close()  # a failure above stops the reading process at once
    if progress is not None:
        progress(read, read)
    if check_ids:
        for table, ids in (("task", task_ids), ("step", step_ids)):
            missing = bulk_mode.missing_ids(conn, table, ids)
            if missing:  # a bug of the importer's own: nothing of this import is kept
                raise RoiError(f"import stopped: entries name {table} ids that do not exist ({missing[:5]})")
    # back to the usual page cache before the index builds and the aggregation: SQLite's
    # sorter sizes itself by it, and the import's cache and the sorter's memory add up
    conn.execute(f"PRAGMA cache_size = {int(old_cache)}")
    if bulk is not None:
        removed = bulk_mode.finish(conn, bulk, batch_id)
        imported -= removed
        seconds_exact = seconds_exact and not removed

    used_tasks = feed.used_tasks
    parser.detection.note = feed.note
    summary.rows_read = read
    summary.imported = imported
    summary.rejected = rejected
    summary.skipped = skipped
    summary.duplicates = offered - imported  # a row read can make more than one entry (Piece)
    if not imported:
        summary.hours = 0.0
    elif seconds_exact:
        summary.hours = math.fsum(seconds) / 3600.0
    else:
        summary.hours = (
            conn.execute("SELECT sum(duration_s) FROM time_entry WHERE batch_id = ?", [batch_id]).fetchone()[0] / 3600.0
        )
    summary.tasks_touched = len(used_tasks)
    if imported and used_tasks:
        from roi.db.timelog import refresh_measurements

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


def _known(conn: sqlite3.Connection) -> Known:
    """The tasks and steps an import can match, and the next free ids (the caller holds
    the write lock, so nobody else takes them meanwhile)."""
    tasks: dict[str, int] = {}
    for tid, name in conn.execute("SELECT id, name FROM task ORDER BY id"):
        tasks.setdefault(name.lower(), tid)
    steps: dict[tuple[int, str], int] = {}
    for sid, tid, name in conn.execute("SELECT id, task_id, name FROM step ORDER BY id"):
        steps.setdefault((tid, name.lower()), sid)
    next_task = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM task").fetchone()[0]
    next_step = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM step").fetchone()[0]
    return Known(tasks, steps, next_task, next_step)


def tags_of(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []
