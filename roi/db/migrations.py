"""Named schema migrations, applied in order by `store.open_database`.

Each migration is a function of a sqlite3 connection and runs inside one transaction
together with the row that records it in `_migrations`, so a crash mid-migration leaves
the schema as it was. Tables are created explicitly: types, keys and foreign keys are
written here, never inferred from a first insert.

The schema, for anyone reading `roi.db` with sqlite3 or datasette:

- task: one recurring chore. per_week is the stated frequency (occurrences a week).
- step: a part of a task, in `position` order. minutes = manual minutes per occurrence
  (estimate); automation and failure_rate are shares 0..1; overhead is NULL when the
  person gave none (then flag defaults may apply). *_low / *_high make a three-point
  estimate around the likely value.
- plan: build and upkeep estimate for a task (one row per task).
- time_entry: logged or stopwatch time, ISO-8601 UTC text; end NULL = stopwatch running.
  `hash` (unique index time_entry_hash) makes re-importing the same file a no-op.
- measurement: per task (step_id NULL) and per step, the median minutes and count of the
  logged entries; a cache refreshed whenever entries change.
- import_batch / import_error: one row per import run, and its rejected lines; tasks and
  steps an import created name it (import_batch_id), for undoing it.
- flag_dismissal: flags a person dismissed for one task.
- setting: key -> JSON value.
- template_figure: figures of a task that came from a category template (`roi estimate
  --like`): the field, the template's name and the value it gave; a figure the person has
  changed since no longer equals that value, and is theirs.
- agent_session / agent_usage: one coding-agent session (Claude Code, Codex) per
  (source, session_id): its file (size and mtime, to see it grew), start, end, events,
  active seconds under the idle gap it was read with, working directory, and the task it
  is attached to as its build or its runs; agent_usage: its tokens by model and kind.
  Nothing of the prompts, code or tool output is stored.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable


def _initial_schema(db: sqlite3.Connection) -> None:
    db.execute(
        """
        CREATE TABLE task (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL COLLATE NOCASE UNIQUE,
            category TEXT NOT NULL DEFAULT 'other',
            tags TEXT NOT NULL DEFAULT '[]',
            notes TEXT NOT NULL DEFAULT '',
            per_week REAL,
            per_week_pinned INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'idea',
            created_at TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE step (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            name TEXT NOT NULL,
            minutes REAL NOT NULL,
            automation REAL NOT NULL DEFAULT 1.0,
            overhead REAL,
            failure_rate REAL NOT NULL DEFAULT 0.0,
            pinned INTEGER NOT NULL DEFAULT 0,
            UNIQUE (task_id, name COLLATE NOCASE)
        )"""
    )
    db.execute("CREATE INDEX step_task ON step(task_id, position)")
    db.execute(
        """
        CREATE TABLE plan (
            task_id INTEGER PRIMARY KEY REFERENCES task(id) ON DELETE CASCADE,
            build_hours REAL NOT NULL DEFAULT 0,
            upkeep_hours_per_week REAL NOT NULL DEFAULT 0,
            start_date TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE import_batch (
            id INTEGER PRIMARY KEY,
            file_name TEXT NOT NULL,
            file_hash TEXT NOT NULL,
            format TEXT NOT NULL,
            rows_read INTEGER NOT NULL DEFAULT 0,
            imported INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0,
            skipped INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            started_at TEXT NOT NULL,
            finished_at TEXT
        )"""
    )
    db.execute(
        """
        CREATE TABLE import_error (
            id INTEGER PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES import_batch(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            reason TEXT NOT NULL,
            raw TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        """
        CREATE TABLE time_entry (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_id INTEGER REFERENCES step(id) ON DELETE SET NULL,
            start TEXT NOT NULL,
            "end" TEXT,
            duration_s REAL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'work',
            description TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
            hash TEXT UNIQUE
        )"""
    )
    db.execute("CREATE INDEX time_entry_task ON time_entry(task_id, step_id)")
    db.execute('CREATE INDEX time_entry_open ON time_entry("end") WHERE "end" IS NULL')
    db.execute(
        """
        CREATE TABLE measurement (
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_id INTEGER REFERENCES step(id) ON DELETE CASCADE,
            samples INTEGER NOT NULL,
            median_minutes REAL NOT NULL,
            first_start TEXT NOT NULL,
            last_start TEXT NOT NULL
        )"""
    )
    db.execute("CREATE UNIQUE INDEX measurement_key ON measurement(task_id, ifnull(step_id, 0))")
    db.execute(
        """
        CREATE TABLE flag_dismissal (
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            code TEXT NOT NULL,
            dismissed_at TEXT NOT NULL,
            PRIMARY KEY (task_id, code)
        )"""
    )
    db.execute(
        """
        CREATE TABLE setting (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )


def _estimates_and_calibration(db: sqlite3.Connection) -> None:
    """Three-point estimates, recorded builds, learning value and running costs."""
    for column in ("minutes_low", "minutes_high", "overhead_low", "overhead_high"):
        db.execute(f"ALTER TABLE step ADD COLUMN {column} REAL")
    db.execute("ALTER TABLE step ADD COLUMN running_cost REAL NOT NULL DEFAULT 0")
    for column in ("build_low", "build_high", "actual_build_hours"):
        db.execute(f"ALTER TABLE plan ADD COLUMN {column} REAL")
    db.execute("ALTER TABLE plan ADD COLUMN built_on TEXT")
    db.execute("ALTER TABLE plan ADD COLUMN estimated_build_hours REAL")
    db.execute("ALTER TABLE task ADD COLUMN per_week_low REAL")
    db.execute("ALTER TABLE task ADD COLUMN per_week_high REAL")
    db.execute("ALTER TABLE task ADD COLUMN learning_value INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE task ADD COLUMN learning_note TEXT NOT NULL DEFAULT ''")


def _measurement_index(db: sqlite3.Connection) -> None:
    """Medians are read from an index in duration order instead of sorting the whole log;
    the new index also serves every lookup the old (task_id, step_id) one did."""
    db.execute("DROP INDEX IF EXISTS time_entry_task")
    db.execute("CREATE INDEX time_entry_measure ON time_entry(task_id, step_id, kind, duration_s)")


def _entry_indexes_droppable(db: sqlite3.Connection) -> None:
    """Every index of time_entry becomes a named CREATE INDEX, so that a large import can
    drop them, append its rows, and build them again in one sort each (roi.importers.bulk):
    the UNIQUE column constraint on hash made an index that cannot be dropped. The
    measurement index also gains `start`, so the refresh's count/first/last per task is
    answered by the index alone instead of a read of every entry row."""
    db.execute(
        """
        CREATE TABLE time_entry_new (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_id INTEGER REFERENCES step(id) ON DELETE SET NULL,
            start TEXT NOT NULL,
            "end" TEXT,
            duration_s REAL,
            source TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'work',
            description TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL,
            hash TEXT
        )"""
    )
    db.execute(
        'INSERT INTO time_entry_new (id, task_id, step_id, start, "end", duration_s, source, kind,'
        " description, tags, batch_id, hash) SELECT id, task_id, step_id, start, \"end\", duration_s,"
        " source, kind, description, tags, batch_id, hash FROM time_entry"
    )
    db.execute("DROP TABLE time_entry")
    db.execute("ALTER TABLE time_entry_new RENAME TO time_entry")
    db.execute("CREATE UNIQUE INDEX time_entry_hash ON time_entry(hash)")
    db.execute("CREATE INDEX time_entry_measure ON time_entry(task_id, step_id, kind, duration_s, start)")
    db.execute('CREATE INDEX time_entry_open ON time_entry("end") WHERE "end" IS NULL')


def _import_provenance(db: sqlite3.Connection) -> None:
    """Tasks and steps remember the import that created them, so that undoing that import
    (roi.importers.batches) can remove them too, and only them.

    Tasks of earlier imports are found again: the importer gave each one the note
    'created by importing <file name>' and the import's start time as its creation time.
    Steps kept no such trace; they stay NULL, and an undo keeps them (and their task)."""
    for table in ("task", "step"):
        db.execute(
            f"ALTER TABLE {table} ADD COLUMN import_batch_id INTEGER REFERENCES import_batch(id) ON DELETE SET NULL"
        )
    for batch_id, file_name, started in db.execute("SELECT id, file_name, started_at FROM import_batch").fetchall():
        name = re.split(r"[\\/]", file_name)[-1]  # written on any system
        db.execute(
            "UPDATE task SET import_batch_id = ? WHERE import_batch_id IS NULL AND created_at = ? AND notes = ?",
            [batch_id, started, f"created by importing {name}"],
        )


def _plan_build_given(db: sqlite3.Connection) -> None:
    """A plan says whether its build estimate was given. A plan made only to hold upkeep,
    or by timing a build, has no estimate: its task needs one before it ranks (unknown is
    not zero). Plans made before this migration cannot tell, and count as given."""
    db.execute("ALTER TABLE plan ADD COLUMN build_given INTEGER NOT NULL DEFAULT 1")


def _template_figures(db: sqlite3.Connection) -> None:
    """Which of a task's figures came from a category template (`roi estimate --like`), so
    that every output can say so until the person changes them. `value` is the figure as
    the template set it (text: a number, or LOW:LIKELY:HIGH for build hours)."""
    db.execute(
        """
        CREATE TABLE template_figure (
            task_id INTEGER NOT NULL REFERENCES task(id) ON DELETE CASCADE,
            step_id INTEGER REFERENCES step(id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            template TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (task_id, field)
        )"""
    )


def _measurement_rule(db: sqlite3.Connection) -> None:
    """A measurement says how the log's entries became occurrences (`rule`: entries,
    sessions or counted), how many entries it read, how many occurrences count for the
    frequency (messages and invites carry no time), their sources and the session gap
    used. The measurements are made again under the new rules."""
    db.execute("ALTER TABLE measurement ADD COLUMN rule TEXT NOT NULL DEFAULT 'entries'")
    db.execute("ALTER TABLE measurement ADD COLUMN entries INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE measurement ADD COLUMN counted INTEGER NOT NULL DEFAULT 0")
    db.execute("ALTER TABLE measurement ADD COLUMN sources TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE measurement ADD COLUMN gap_minutes REAL")
    from roi.db.measurements import compute_measurements

    compute_measurements(db, None)


def _agent_sessions(db: sqlite3.Connection) -> None:
    """Coding-agent sessions read from their logs (roi.agentlogs): the figures only, keyed
    by (source, session_id) so that re-reading a grown file updates its row."""
    db.execute(
        """
        CREATE TABLE agent_session (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            session_id TEXT NOT NULL,
            file TEXT NOT NULL,
            file_size INTEGER NOT NULL,
            file_mtime_ns INTEGER NOT NULL,
            started TEXT,
            ended TEXT,
            events INTEGER NOT NULL DEFAULT 0,
            active_s REAL NOT NULL DEFAULT 0,
            idle_gap_s REAL NOT NULL,
            cwd TEXT NOT NULL DEFAULT '',
            sidechain INTEGER NOT NULL DEFAULT 0,
            task_id INTEGER REFERENCES task(id) ON DELETE SET NULL,
            role TEXT CHECK (role IN ('build', 'runs')),
            imported_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (source, session_id)
        )"""
    )
    db.execute("CREATE INDEX agent_session_task ON agent_session(task_id, role)")
    db.execute("CREATE INDEX agent_session_file ON agent_session(file)")
    db.execute(
        """
        CREATE TABLE agent_usage (
            session INTEGER NOT NULL REFERENCES agent_session(id) ON DELETE CASCADE,
            model TEXT NOT NULL,
            input INTEGER NOT NULL DEFAULT 0,
            output INTEGER NOT NULL DEFAULT 0,
            cache_write INTEGER NOT NULL DEFAULT 0,
            cache_read INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session, model)
        )"""
    )


def _monte_carlo_cache(db: sqlite3.Connection) -> None:
    """The Monte Carlo's figures, kept under a hash of everything that went into them
    (roi.db.montecarlo): a cache that can be dropped at any time, never a source of truth."""
    db.execute(
        """
        CREATE TABLE monte_carlo_cache (
            key TEXT PRIMARY KEY,
            figures TEXT NOT NULL,
            kept_at TEXT NOT NULL
        )"""
    )


MIGRATIONS: list[tuple[str, Callable[[sqlite3.Connection], None]]] = [
    ("0001_initial_schema", _initial_schema),
    ("0002_estimates_and_calibration", _estimates_and_calibration),
    ("0003_measurement_index", _measurement_index),
    ("0004_entry_indexes_droppable", _entry_indexes_droppable),
    ("0005_import_provenance", _import_provenance),
    ("0006_plan_build_given", _plan_build_given),
    ("0007_template_figures", _template_figures),
    ("0008_agent_sessions", _agent_sessions),
    ("0009_measurement_rule", _measurement_rule),
    ("0010_monte_carlo_cache", _monte_carlo_cache),
]
