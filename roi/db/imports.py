"""What an import writes, and how one is undone: the SQL of roi.importers.

An import happens inside one `Store.transaction()`: `ImportWriter` records the batch,
creates the tasks and steps the log names, appends its entries (INSERT OR IGNORE on the
content hash: the same file imported again adds nothing) and its rejected rows, and
fills in the batch's counts. A crash or a kill leaves the database as it was.

A large import into a small log appends with time_entry's indexes dropped and builds
each once at the end (one sort instead of a random insert per row; the hash index is
the costly one); the rows an earlier import already holds are then removed in one
statement.

Undoing an import (`undo_batch`) removes, in one transaction, its entries, its rejected
rows, its record, and the tasks and steps it created, unless something else holds on
to them: other entries, a plan, a dismissed flag, steps added by hand, or a change the
person made since.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from typing import Any

from roi.db.measurements import refresh_measurements
from roi.db.store import Store, iso, utc_now
from roi.errors import RoiError

# Below this many rows the indexes are kept and updated as rows go in: rebuilding them
# costs a sort of the whole table, which only a large import pays back.
BULK_MIN_ROWS = 20_000
# A bigger page cache while the rows go in: the hash index takes random inserts, and a
# 2 MB cache spills pages to the WAL again and again (an append with the indexes dropped
# gains too: 16.5 s against 18.2 s for a million rows). The usual cache is back before
# the index builds, whose sorter sizes its memory by it.
IMPORT_CACHE_KIB = 32 * 1024
# Removing entries row by row from three indexes costs about ten times what rebuilding
# an index costs per remaining row; so a large undo that leaves few rows rebuilds them.
REBUILD_SHARE = 4  # rebuild when the rows left are at most this many times the rows removed

ENTRY_COLUMNS = ("task_id", "step_id", "start", "end", "duration_s", "description", "tags", "hash")
# In ENTRY_COLUMNS order; start and end as whole UTC epoch seconds (floored), which the
# INSERT writes as ISO-8601 UTC text, the storage form of every instant.
EntryRow = tuple[int, "int | None", int, int, float, str, str, str]
# strftime('%Y-%m-%dT%H:%M:%SZ', ?, 'unixepoch') writes the same text, a little slower
_ISO = "replace(datetime(?, 'unixepoch'), ' ', 'T') || 'Z'"


@contextmanager
def import_transaction(store: Store, expected_rows: int | None) -> Iterator[sqlite3.Connection]:
    """The one transaction of an import. A large one appends with foreign-key checks off
    (three lookups a row, a tenth of the append): its rows name only the batch, tasks and
    steps that ImportWriter looked up or created in this same transaction, and the
    checks are on again when it ends. (SQLite ignores the switch inside a transaction, so
    an import joined to an outer one keeps its checks.)"""
    conn = store.conn
    bulk = expected_rows is not None and expected_rows >= BULK_MIN_ROWS and not conn.in_transaction
    if bulk:
        conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with store.transaction() as joined:
            yield joined
    finally:
        if bulk:
            conn.execute("PRAGMA foreign_keys = ON")


def created_note(file_name: str) -> str:
    """The note of a task an import created (an undo finds older imports' tasks by it)."""
    return f"created by importing {file_name}"


class ImportWriter:
    """The writes of one import, inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection, file_name: str, file_hash: str, fmt: str, expected_rows: int | None):
        self.conn = conn
        self.now = iso(utc_now())
        self.note = created_note(os.path.basename(file_name))
        self.batch_id = int(conn.execute(
            "INSERT INTO import_batch (file_name, file_hash, format, started_at) VALUES (?,?,?,?)",
            [file_name, file_hash, fmt, self.now],
        ).lastrowid or 0)
        self.earlier_batch: int | None = conn.execute(
            "SELECT max(id) FROM import_batch WHERE file_hash = ? AND id < ? AND imported > 0",
            [file_hash, self.batch_id],
        ).fetchone()[0]
        source = "'" + fmt.replace("'", "''") + "'"  # the same for every row: a literal, not a parameter
        self.insert_sql = (
            'INSERT OR IGNORE INTO time_entry (task_id, step_id, start, "end", duration_s, source,'
            f" description, tags, batch_id, hash) VALUES (?,?,{_ISO},{_ISO},?,{source},?,?,{self.batch_id},?)"
        )
        self.old_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
        self.dropped = self._drop_indexes_if_large(expected_rows)
        conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")

    def known_tasks(self) -> dict[str, int]:
        """Lower-cased name -> id of every task (the oldest of equal names)."""
        tasks: dict[str, int] = {}
        for tid, name in self.conn.execute("SELECT id, name FROM task ORDER BY id"):
            tasks.setdefault(name.lower(), tid)
        return tasks

    def known_steps(self) -> dict[tuple[int, str], int]:
        """(task id, lower-cased name) -> id of every step."""
        steps: dict[tuple[int, str], int] = {}
        for sid, tid, name in self.conn.execute("SELECT id, task_id, name FROM step ORDER BY id"):
            steps.setdefault((tid, name.lower()), sid)
        return steps

    def new_task(self, name: str) -> int:
        return int(self.conn.execute(
            "INSERT INTO task (name, category, tags, notes, created_at, import_batch_id) VALUES (?, 'other', '[]', ?, ?, ?)",
            [name, self.note, self.now, self.batch_id],
        ).lastrowid or 0)

    def new_step(self, task_id: int, name: str) -> int:
        return int(self.conn.execute(
            "INSERT INTO step (task_id, position, name, minutes, import_batch_id) VALUES"
            " (?, (SELECT coalesce(max(position) + 1, 0) FROM step WHERE task_id = ?), ?, 0, ?)",
            [task_id, task_id, name, self.batch_id],
        ).lastrowid or 0)

    def add_entries(self, rows: list[EntryRow]) -> int:
        """Store entries; returns how many were new (not held already)."""
        return self.conn.executemany(self.insert_sql, rows).rowcount

    def add_errors(self, rows: Iterable[tuple[int, str, str]]) -> None:
        """Rejected rows: (line, reason, raw text)."""
        self.conn.executemany(
            "INSERT INTO import_error (batch_id, line, reason, raw) VALUES (?,?,?,?)",
            [(self.batch_id, line, reason, raw) for line, reason, raw in rows],
        )

    def close(self) -> None:
        """The usual page cache again, however the import ended."""
        self.conn.execute(f"PRAGMA cache_size = {int(self.old_cache)}")

    def finish_entries(self) -> int:
        """After the last entry: the usual page cache again (SQLite's sorter sizes itself by
        it), and for a large import the indexes built and the rows an earlier import holds
        removed. Returns how many were removed so."""
        self.conn.execute(f"PRAGMA cache_size = {int(self.old_cache)}")
        if self.dropped is None:
            return 0
        indexes, had_entries = self.dropped
        removed = 0
        if had_entries:
            removed = self.conn.execute(
                "DELETE FROM time_entry WHERE batch_id = ? AND hash IN"
                " (SELECT hash FROM time_entry WHERE batch_id IS NOT ? AND hash IS NOT NULL)",
                [self.batch_id, self.batch_id],
            ).rowcount
        build_indexes(self.conn, indexes)
        return removed

    def stored_seconds(self) -> float:
        return float(self.conn.execute(
            "SELECT coalesce(sum(duration_s), 0) FROM time_entry WHERE batch_id = ?", [self.batch_id]
        ).fetchone()[0])

    def adopt_measured_minutes(self, step_ids: list[int]) -> None:
        """New steps take their measured median minutes (they were created with 0)."""
        self.conn.executemany(
            "UPDATE step SET minutes = coalesce((SELECT round(median_minutes, 2) FROM measurement m"
            " WHERE m.step_id = step.id), minutes) WHERE id = ?",
            [(sid,) for sid in step_ids],
        )

    def finish_batch(self, rows_read: int, imported: int, duplicates: int, skipped: int, rejected: int) -> None:
        self.conn.execute(
            "UPDATE import_batch SET rows_read=?, imported=?, duplicates=?, skipped=?, rejected=?,"
            " finished_at=? WHERE id=?",
            [rows_read, imported, duplicates, skipped, rejected, iso(utc_now()), self.batch_id],
        )

    def _drop_indexes_if_large(self, expected_rows: int | None) -> tuple[list[tuple[str, str]], bool] | None:
        """Drop time_entry's indexes when an import of `expected_rows` is worth a rebuild:
        at least BULK_MIN_ROWS, and at least twice the rows the table holds (a re-import
        of the same file is cheaper with the indexes kept)."""
        if expected_rows is None or expected_rows < BULK_MIN_ROWS:
            return None
        existing = self.conn.execute("SELECT count(*) FROM time_entry").fetchone()[0]
        if existing * 2 > expected_rows:
            return None
        indexes = drop_indexes(self.conn)
        return None if indexes is None else (indexes, existing > 0)


def drop_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]] | None:
    """Drop time_entry's full indexes; return them for build_indexes, or None (and drop
    nothing) when one was made by a constraint and cannot be dropped. The partial index
    of the running stopwatch admits next to none of the imported rows: it stays."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'time_entry'"
    ).fetchall()
    if any(sql is None for _, sql in rows):
        return None
    rows = [(name, sql) for name, sql in rows if " WHERE " not in sql.upper()]
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return rows


def build_indexes(conn: sqlite3.Connection, indexes: list[tuple[str, str]]) -> None:
    """Create the indexes drop_indexes dropped (SQLite's sorter may use helper threads)."""
    threads = conn.execute("PRAGMA threads").fetchone()[0]
    conn.execute(f"PRAGMA threads = {min(os.cpu_count() or 1, 4)}")
    try:
        for _, sql in indexes:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA threads = {int(threads)}")


def entry_indexes(store: Store) -> list[tuple[str, str]]:
    """(name, sql) of time_entry's indexes, for tests that check a rebuild."""
    return sorted(store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'time_entry'"
    ).fetchall())


# --- past imports ---------------------------------------------------------------------------


@dataclass
class Batch:
    id: int
    file: str
    format: str
    started: str
    finished: str | None
    rows_read: int
    imported: int
    duplicates: int
    skipped: int
    rejected: int
    entries: int  # of its entries still in the database
    hours: float  # their logged time

    def to_json(self) -> dict[str, Any]:
        return dict(asdict(self), hours=round(self.hours, 4))


@dataclass
class Undone:
    batch: Batch  # as it was: its entries and hours are what the undo removes
    tasks_removed: list[str] = field(default_factory=list)
    tasks_kept: list[str] = field(default_factory=list)  # created by it, kept: something else holds them
    steps_removed: int = 0
    dry_run: bool = False

    @property
    def entries(self) -> int:
        return self.batch.entries

    @property
    def hours(self) -> float:
        return self.batch.hours

    def to_json(self) -> dict[str, Any]:
        return {
            "batch": self.batch.id,
            "file": self.batch.file,
            "entries_removed": self.entries,
            "hours_removed": round(self.hours, 4),
            "tasks_removed": self.tasks_removed,
            "tasks_kept": self.tasks_kept,
            "steps_removed": self.steps_removed,
            "dry_run": self.dry_run,
        }


@dataclass(frozen=True)
class RejectedRow:
    line: int
    reason: str
    raw: str


_BATCH_SQL = """
    SELECT b.id, b.file_name, b.format, b.started_at, b.finished_at, b.rows_read, b.imported,
           b.duplicates, b.skipped, b.rejected, count(e.id), coalesce(sum(e.duration_s), 0) / 3600.0
    FROM import_batch b LEFT JOIN time_entry e ON e.batch_id = b.id
"""

# What the importer writes into a task and a step it creates (ImportWriter.new_task,
# new_step); a row that still reads so was not changed by the person since (the name
# aside: a rename keeps the task removable).
_TASK_AS_CREATED = (
    "category = 'other' AND tags = '[]' AND notes = :note AND per_week IS NULL AND per_week_pinned = 0"
    " AND status = 'idea' AND per_week_low IS NULL AND per_week_high IS NULL AND learning_value = 0"
    " AND learning_note = ''"
)
_STEP_AS_CREATED = (
    "automation = 1.0 AND overhead IS NULL AND failure_rate = 0 AND pinned = 0 AND minutes_low IS NULL"
    " AND minutes_high IS NULL AND overhead_low IS NULL AND overhead_high IS NULL AND running_cost = 0"
)


def list_batches(store: Store) -> list[Batch]:
    """Every import still recorded, oldest first."""
    return [Batch(*row) for row in store.conn.execute(_BATCH_SQL + " GROUP BY b.id ORDER BY b.id")]


def get_batch(store: Store, batch_id: int) -> Batch:
    row = store.conn.execute(_BATCH_SQL + " WHERE b.id = ? GROUP BY b.id", [batch_id]).fetchone()
    if row is None:
        raise RoiError(f"there is no import {batch_id} (see `roi imports list`)")
    return Batch(*row)


def rejected_lines(store: Store, batch_id: int) -> list[RejectedRow]:
    """Each row the import rejected, in line order."""
    get_batch(store, batch_id)
    return [RejectedRow(*row) for row in store.conn.execute(
        "SELECT line, reason, raw FROM import_error WHERE batch_id = ? ORDER BY line, id", [batch_id]
    )]


def undo_batch(store: Store, batch_id: int, dry_run: bool = False) -> Undone:
    """Remove an import and what it created (see the module's doc), in one transaction;
    with dry_run, say what would go and write nothing."""
    with store.transaction() as conn:
        undone = Undone(get_batch(store, batch_id), dry_run=dry_run)
        doomed_steps, doomed_tasks = _doomed(conn, batch_id, os.path.basename(undone.batch.file))
        undone.steps_removed = len(doomed_steps)
        for tid, name in conn.execute("SELECT id, name FROM task WHERE import_batch_id = ? ORDER BY id", [batch_id]):
            (undone.tasks_removed if tid in doomed_tasks else undone.tasks_kept).append(name)
        if dry_run:
            return undone
        touched = [r[0] for r in conn.execute("SELECT DISTINCT task_id FROM time_entry WHERE batch_id = ?", [batch_id])]
        left = conn.execute("SELECT count(*) FROM time_entry").fetchone()[0] - undone.entries
        with _indexes_dropped(conn, undone.entries >= BULK_MIN_ROWS and left <= REBUILD_SHARE * undone.entries):
            conn.execute("DELETE FROM time_entry WHERE batch_id = ?", [batch_id])
        conn.executemany("DELETE FROM step WHERE id = ?", [(sid,) for sid in sorted(doomed_steps)])
        conn.executemany("DELETE FROM task WHERE id = ?", [(tid,) for tid in sorted(doomed_tasks)])
        # its rejected rows go with it (ON DELETE CASCADE); what it created and kept
        # forgets it (ON DELETE SET NULL)
        conn.execute("DELETE FROM import_batch WHERE id = ?", [batch_id])
        refresh_measurements(store, [t for t in touched if t not in doomed_tasks])
    return undone


@contextmanager
def _indexes_dropped(conn: sqlite3.Connection, wanted: bool) -> Iterator[None]:
    indexes = drop_indexes(conn) if wanted else None
    yield
    if indexes is not None:
        build_indexes(conn, indexes)


def _doomed(conn: sqlite3.Connection, batch_id: int, file_name: str) -> tuple[set[int], set[int]]:
    """The steps and tasks this import created that go with it: unchanged since, and held
    by nothing but the import's own entries (and, for a task, its own removable steps)."""
    others = "SELECT 1 FROM time_entry e WHERE e.task_id = {task} {step} AND e.batch_id IS NOT :b"
    steps = {
        r[0]
        for r in conn.execute(
            f"SELECT id FROM step WHERE import_batch_id = :b AND {_STEP_AS_CREATED}"
            f" AND NOT EXISTS ({others.format(task='step.task_id', step='AND e.step_id = step.id')})",
            {"b": batch_id},
        )
    }
    candidates = [
        r[0]
        for r in conn.execute(
            f"SELECT id FROM task WHERE import_batch_id = :b AND {_TASK_AS_CREATED}"
            f" AND NOT EXISTS ({others.format(task='task.id', step='')})"
            " AND NOT EXISTS (SELECT 1 FROM plan p WHERE p.task_id = task.id)"
            " AND NOT EXISTS (SELECT 1 FROM flag_dismissal f WHERE f.task_id = task.id)",
            {"b": batch_id, "note": created_note(file_name)},
        )
    ]
    tasks = {
        tid
        for tid in candidates
        if all(sid in steps for (sid,) in conn.execute("SELECT id FROM step WHERE task_id = ?", [tid]))
    }
    return steps, tasks
