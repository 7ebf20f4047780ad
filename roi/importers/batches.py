"""Past imports: list them, show one's rejected lines, and undo one.

Undoing an import is how a person fixes one made with the wrong options (a wrong --tz,
--task-from or column mapping): the content hash ignores those options, so importing
the same file again adds nothing until the earlier import is undone. An undo removes,
in one transaction, the import's entries, its rejected lines and its record, and the
tasks and steps it created, unless something else holds on to them: other entries, a
plan, a dismissed flag, steps added by hand, or a change the person made since.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.db.store import Store
from roi.errors import RoiError
from roi.importers.bulk import BULK_MIN_ROWS, build_indexes, drop_indexes

# What the importer writes into a task and a step it creates; a row that still reads so
# was not changed by the person since (the name aside: a rename keeps the task removable).
_TASK_AS_CREATED = (
    "category = 'other' AND tags = '[]' AND notes = :note AND per_week IS NULL AND per_week_pinned = 0"
    " AND status = 'idea' AND per_week_low IS NULL AND per_week_high IS NULL AND learning_value = 0"
    " AND learning_note = ''"
)
_STEP_AS_CREATED = (
    "automation = 1.0 AND overhead IS NULL AND failure_rate = 0 AND pinned = 0 AND minutes_low IS NULL"
    " AND minutes_high IS NULL AND overhead_low IS NULL AND overhead_high IS NULL AND running_cost = 0"
)


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
        return dict(self.__dict__, hours=round(self.hours, 4))


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


_BATCH_SQL = """
    SELECT b.id, b.file_name, b.format, b.started_at, b.finished_at, b.rows_read, b.imported,
           b.duplicates, b.skipped, b.rejected, count(e.id), coalesce(sum(e.duration_s), 0) / 3600.0
    FROM import_batch b LEFT JOIN time_entry e ON e.batch_id = b.id
"""


def list_batches(store: Store) -> list[Batch]:
    """Every import still recorded, oldest first."""
    rows = store.conn.execute(_BATCH_SQL + " GROUP BY b.id ORDER BY b.id").fetchall()
    return [Batch(*row) for row in rows]


def get_batch(store: Store, batch_id: int) -> Batch:
    row = store.conn.execute(_BATCH_SQL + " WHERE b.id = ? GROUP BY b.id", [batch_id]).fetchone()
    if row is None:
        raise RoiError(f"there is no import {batch_id} (see `roi imports list`)")
    return Batch(*row)


def rejected_lines(store: Store, batch_id: int) -> list[tuple[int, str, str]]:
    """(line, reason, raw text) of each row the import rejected, in line order."""
    get_batch(store, batch_id)
    return store.conn.execute(
        "SELECT line, reason, raw FROM import_error WHERE batch_id = ? ORDER BY line, id", [batch_id]
    ).fetchall()


# Removing entries row by row from three indexes costs about ten times what rebuilding
# an index costs per remaining row (1,000,000 of 1,000,000 rows: 20 s, against 1.3 s
# with the indexes dropped); so a large undo that leaves few rows rebuilds them.
REBUILD_SHARE = 4  # rebuild when the rows left are at most this many times the rows removed


def undo_batch(store: Store, batch_id: int, dry_run: bool = False) -> Undone:
    """Remove an import and what it created (see the module's doc), in one transaction;
    with dry_run, say what would go and write nothing."""
    from roi.db.timelog import refresh_measurements

    with store.transaction() as conn:
        undone = Undone(get_batch(store, batch_id), dry_run=dry_run)
        doomed_steps, doomed_tasks = _doomed(conn, batch_id, Path(undone.batch.file).name)
        undone.steps_removed = len(doomed_steps)
        for tid, name in conn.execute("SELECT id, name FROM task WHERE import_batch_id = ? ORDER BY id", [batch_id]):
            (undone.tasks_removed if tid in doomed_tasks else undone.tasks_kept).append(name)
        if dry_run:
            return undone
        touched = [r[0] for r in conn.execute("SELECT DISTINCT task_id FROM time_entry WHERE batch_id = ?", [batch_id])]
        left = conn.execute("SELECT count(*) FROM time_entry").fetchone()[0] - undone.entries
        indexes = None
        if undone.entries >= BULK_MIN_ROWS and left <= REBUILD_SHARE * undone.entries:
            indexes = drop_indexes(conn)
        conn.execute("DELETE FROM time_entry WHERE batch_id = ?", [batch_id])
        if indexes is not None:
            build_indexes(conn, indexes)
        conn.executemany("DELETE FROM step WHERE id = ?", [(sid,) for sid in sorted(doomed_steps)])
        conn.executemany("DELETE FROM task WHERE id = ?", [(tid,) for tid in sorted(doomed_tasks)])
        # its rejected rows go with it (ON DELETE CASCADE); what it created and kept
        # forgets it (ON DELETE SET NULL)
        conn.execute("DELETE FROM import_batch WHERE id = ?", [batch_id])
        refresh_measurements(store, [t for t in touched if t not in doomed_tasks])
    return undone


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
            {"b": batch_id, "note": f"created by importing {file_name}"},
        )
    ]
    tasks = {
        tid
        for tid in candidates
        if all(sid in steps for (sid,) in conn.execute("SELECT id FROM step WHERE task_id = ?", [tid]))
    }
    return steps, tasks
