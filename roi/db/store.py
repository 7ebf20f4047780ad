"""The only place that opens SQLite: pragmas, migrations, and the queries of the inventory.

`open_database` is the one function that constructs a `sqlite_utils.Database`. The
connection runs in autocommit mode and every write goes through `Store.transaction()`,
which takes the write lock up front (BEGIN IMMEDIATE) so that two processes writing at
once wait for each other (busy timeout) instead of failing half-way with "database is
locked". Writes use plain SQL on the connection: sqlite-utils' own insert helpers commit
on their own, which would break a surrounding transaction.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils
from pydantic import ValidationError

from roi.db.migrations import MIGRATIONS
from roi.models import Plan, RoiError, Settings, Step, Task, describe_error

BUSY_TIMEOUT_MS = 120_000
ENV_VAR = "ROI_DB"


def default_path() -> Path:
    """$ROI_DB, else roi.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False)) / "roi.db"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 UTC text, the storage form of every instant."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def open_database(path: str | Path | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database: foreign keys, busy timeout, WAL, migrations.

    `path` None means the default location; ":memory:" gives a private in-memory database.
    """
    target = ":memory:" if str(path) == ":memory:" else Path(path or default_path()).expanduser()
    if isinstance(target, Path):
        if target.is_dir():
            raise RoiError(f"database path {str(target)!r} is a directory, not a file")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RoiError(f"cannot create the folder for database {str(target)!r}: {exc.strerror}") from None
        if target.exists() and target.stat().st_size > 0:
            with open(target, "rb") as fh:
                if not fh.read(16).startswith(b"SQLite format 3"):
                    raise RoiError(f"{str(target)!r} is not an roi database (not SQLite)")
    try:
        conn = sqlite3.connect(
            str(target),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit: transactions are explicit
            check_same_thread=False,  # the TUI reads from worker threads, one at a time
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if isinstance(target, Path):
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise RoiError(f"cannot open database {str(target)!r}: {exc}") from None
    db = sqlite_utils.Database(conn)
    if migrate:
        apply_migrations(db)
    return db


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL: readers never wait for a writer. A very large import leaves WAL while it runs
    (roi.importers.bulk.rollback_journal) and comes back to it; meanwhile the switch is
    refused ("database is locked") and this connection works in that import's mode: its
    reads see the database as it was before the import until the import starts writing
    pages, then wait for its commit (the busy timeout)."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply the named migrations that have not run yet; return their names."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                conn.execute("COMMIT")
                continue
            migration(db)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", [name, iso(utc_now())])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


def _validated(model: type, **fields: Any) -> Any:
    try:
        return model(**fields)
    except ValidationError as exc:
        raise RoiError(describe_error(exc)) from None


class Store:
    """The inventory on one SQLite database."""

    def __init__(self, db: sqlite_utils.Database, path: str | Path | None = None) -> None:
        self.db = db
        self.conn = db.conn
        self.path = path
        self._depth = 0

    @classmethod
    def open(cls, path: str | Path | None = None) -> Store:
        resolved = path if str(path) == ":memory:" else Path(path or default_path()).expanduser()
        return cls(open_database(resolved), resolved)

    def close(self) -> None:
        self.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise RoiError(f"the database is busy (another roi is writing): {exc}") from None
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    # --- tasks -------------------------------------------------------------------------

    def add_task(self, task: Task) -> int:
        with self.transaction() as conn:
            if self.find_task(task.name) is not None:
                raise RoiError(f"a task named {task.name!r} already exists")
            cur = conn.execute(
                "INSERT INTO task (name, category, tags, notes, per_week, per_week_low, per_week_high,"
                " per_week_pinned, status, learning_value, learning_note, created_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    task.name,
                    task.category,
                    json.dumps(task.tags),
                    task.notes,
                    task.per_week,
                    task.per_week_low,
                    task.per_week_high,
                    int(task.per_week_pinned),
                    task.status,
                    int(task.learning_value),
                    task.learning_note,
                    iso(utc_now()),
                ],
            )
            task_id = int(cur.lastrowid or 0)
            for position, step in enumerate(task.steps):
                self.add_step(task_id, step.model_copy(update={"position": position}))
            if task.plan is not None:
                self.set_plan(task_id, **task.plan.model_dump(exclude={"task_id"}, exclude_none=True))
        return task_id

    def find_task(self, ref: str | int) -> int | None:
        """Task id for an id or an exact (case-insensitive) name; None when unknown."""
        text = str(ref).strip()
        row = self.conn.execute("SELECT id FROM task WHERE name = ? COLLATE NOCASE", [text]).fetchone()
        if row:
            return int(row[0])
        if text.isdigit():
            row = self.conn.execute("SELECT id FROM task WHERE id = ?", [int(text)]).fetchone()
            if row:
                return int(row[0])
        return None

    def task_id(self, ref: str | int) -> int:
        found = self.find_task(ref)
        if found is None:
            raise RoiError(f"task {str(ref)!r} not found (give its id or exact name; see `roi task list`)")
        return found

    def get_task(self, ref: str | int) -> Task:
        task_id = self.task_id(ref)
        return self.list_tasks(ids=[task_id])[0]

    def list_tasks(self, ids: list[int] | None = None) -> list[Task]:
        """All tasks (or those ids) with their steps and plans, in three queries."""
        where, params = "", []
        if ids is not None:
            where = f" WHERE id IN ({','.join('?' * len(ids))})"
            params = list(ids)
        tasks: dict[int, Task] = {}
        for row in self.conn.execute(
            "SELECT id, name, category, tags, notes, per_week, per_week_pinned, status,"
            " learning_value, learning_note, per_week_low, per_week_high"
            f" FROM task{where} ORDER BY id",
            params,
        ):
            tasks[row[0]] = Task.model_construct(
                id=row[0],
                name=row[1],
                category=row[2],
                tags=json.loads(row[3]),
                notes=row[4],
                per_week=row[5],
                per_week_pinned=bool(row[6]),
                status=row[7],
                learning_value=bool(row[8]),
                learning_note=row[9],
                per_week_low=row[10],
                per_week_high=row[11],
                steps=[],
                plan=None,
            )
        task_where = where.replace("id IN", "task_id IN")
        for row in self.conn.execute(
            "SELECT id, task_id, position, name, minutes, minutes_low, minutes_high, automation,"
            " overhead, overhead_low, overhead_high, failure_rate, running_cost, pinned"
            f" FROM step{task_where} ORDER BY task_id, position, id",
            params,
        ):
            task = tasks.get(row[1])
            if task is not None:
                task.steps.append(
                    Step.model_construct(
                        id=row[0], task_id=row[1], position=row[2], name=row[3], minutes=row[4],
                        minutes_low=row[5], minutes_high=row[6], automation=row[7],
                        overhead=row[8], overhead_low=row[9], overhead_high=row[10],
                        failure_rate=row[11], running_cost=row[12], pinned=bool(row[13]),
                    )
                )
        for row in self.conn.execute(
            "SELECT task_id, build_hours, build_low, build_high, upkeep_hours_per_week,"
            f" start_date, actual_build_hours, built_on FROM plan{task_where}",
            params,
        ):
            task = tasks.get(row[0])
            if task is not None:
                task.plan = Plan.model_construct(
                    task_id=row[0], build_hours=row[1], build_low=row[2], build_high=row[3],
                    upkeep_hours_per_week=row[4],
                    start_date=date.fromisoformat(row[5]) if row[5] else None,
                    actual_build_hours=row[6],
                    built_on=date.fromisoformat(row[7]) if row[7] else None,
                )
        return list(tasks.values())

    def update_task(self, ref: str | int, **fields: Any) -> Task:
        """Change some fields of a task, validated as a whole before anything is written."""
        current = self.get_task(ref)
        data = current.model_dump(exclude={"steps", "plan"})
        data.update(fields)
        task = _validated(Task, **data)
        with self.transaction() as conn:
            other = self.find_task(task.name)
            if other is not None and other != current.id:
                raise RoiError(f"a task named {task.name!r} already exists")
            conn.execute(
                "UPDATE task SET name=?, category=?, tags=?, notes=?, per_week=?, per_week_low=?,"
                " per_week_high=?, per_week_pinned=?, status=?, learning_value=?, learning_note=?"
                " WHERE id=?",
                [
                    task.name, task.category, json.dumps(task.tags), task.notes, task.per_week,
                    task.per_week_low, task.per_week_high, int(task.per_week_pinned), task.status, int(task.learning_value),
                    task.learning_note, current.id,
                ],
            )
            if task.status == "automated" and current.status != "automated":
                self._mark_live(int(current.id or 0))
        return self.get_task(int(current.id or 0))

    def _mark_live(self, task_id: int) -> None:
        """An automation goes live today unless its plan says when: from then on its
        logged time measures the automated task (see roi.calibration)."""
        from roi.clock import today
        from roi.db.timelog import refresh_measurements  # timelog builds on this module

        self.conn.execute(
            "INSERT INTO plan (task_id, built_on) VALUES (?, ?)"
            " ON CONFLICT(task_id) DO UPDATE SET built_on = coalesce(plan.built_on, excluded.built_on)",
            [task_id, today().isoformat()],
        )
        refresh_measurements(self, [task_id])

    def remove_task(self, ref: str | int) -> Task:
        task = self.get_task(ref)
        with self.transaction() as conn:
            conn.execute("DELETE FROM task WHERE id = ?", [task.id])
        return task

    # --- steps -------------------------------------------------------------------------

    def add_step(self, task_ref: str | int, step: Step) -> int:
        task_id = self.task_id(task_ref)
        with self.transaction() as conn:
            if self.find_step(task_id, step.name) is not None:
                raise RoiError(f"the task already has a step named {step.name!r}")
            row = conn.execute(
                "SELECT coalesce(max(position) + 1, 0) FROM step WHERE task_id = ?", [task_id]
            ).fetchone()
            cur = conn.execute(
                "INSERT INTO step (task_id, position, name, minutes, minutes_low, minutes_high,"
                " automation, overhead, overhead_low, overhead_high, failure_rate, running_cost,"
                " pinned) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    task_id, row[0], step.name, step.minutes, step.minutes_low, step.minutes_high,
                    step.automation, step.overhead, step.overhead_low, step.overhead_high,
                    step.failure_rate, step.running_cost, int(step.pinned),
                ],
            )
        return int(cur.lastrowid or 0)

    def find_step(self, task_id: int, ref: str | int) -> int | None:
        text = str(ref).strip()
        row = self.conn.execute(
            "SELECT id FROM step WHERE task_id = ? AND name = ? COLLATE NOCASE", [task_id, text]
        ).fetchone()
        if row:
            return int(row[0])
        if text.isdigit():
            row = self.conn.execute(
                "SELECT id FROM step WHERE task_id = ? AND id = ?", [task_id, int(text)]
            ).fetchone()
            if row:
                return int(row[0])
        return None

    def step_id(self, task_id: int, ref: str | int) -> int:
        found = self.find_step(task_id, ref)
        if found is None:
            raise RoiError(f"step {str(ref)!r} not found in that task")
        return found

    def get_step(self, step_id: int) -> Step:
        row = self.conn.execute("SELECT task_id FROM step WHERE id = ?", [step_id]).fetchone()
        if row is None:
            raise RoiError(f"step {step_id} not found")
        task = self.list_tasks(ids=[row[0]])[0]
        return next(s for s in task.steps if s.id == step_id)

    def update_step(self, step_id: int, **fields: Any) -> Step:
        current = self.get_step(step_id)
        data = current.model_dump()
        data.update(fields)
        step = _validated(Step, **data)
        with self.transaction() as conn:
            other = self.find_step(int(current.task_id or 0), step.name)
            if other is not None and other != step_id:
                raise RoiError(f"the task already has a step named {step.name!r}")
            conn.execute(
                "UPDATE step SET name=?, minutes=?, minutes_low=?, minutes_high=?, automation=?,"
                " overhead=?, overhead_low=?, overhead_high=?, failure_rate=?, running_cost=?,"
                " pinned=? WHERE id=?",
                [
                    step.name, step.minutes, step.minutes_low, step.minutes_high, step.automation,
                    step.overhead, step.overhead_low, step.overhead_high, step.failure_rate,
                    step.running_cost, int(step.pinned), step_id,
                ],
            )
        return self.get_step(step_id)

    def remove_step(self, step_id: int) -> None:
        with self.transaction() as conn:
            row = conn.execute("SELECT task_id FROM step WHERE id = ?", [step_id]).fetchone()
            if row is None:
                raise RoiError(f"step {step_id} not found")
            conn.execute("DELETE FROM step WHERE id = ?", [step_id])
            self._renumber(row[0])

    def move_step(self, step_id: int, offset: int) -> None:
        """Move a step up (negative) or down (positive) within its task."""
        with self.transaction() as conn:
            row = conn.execute("SELECT task_id FROM step WHERE id = ?", [step_id]).fetchone()
            if row is None:
                raise RoiError(f"step {step_id} not found")
            order = [r[0] for r in conn.execute(
                "SELECT id FROM step WHERE task_id = ? ORDER BY position, id", [row[0]]
            )]
            index = order.index(step_id)
            target = max(0, min(len(order) - 1, index + offset))
            order.insert(target, order.pop(index))
            conn.executemany(
                "UPDATE step SET position = ? WHERE id = ?", [(i, sid) for i, sid in enumerate(order)]
            )

    def _renumber(self, task_id: int) -> None:
        order = [r[0] for r in self.conn.execute(
            "SELECT id FROM step WHERE task_id = ? ORDER BY position, id", [task_id]
        )]
        self.conn.executemany(
            "UPDATE step SET position = ? WHERE id = ?", [(i, sid) for i, sid in enumerate(order)]
        )

    # --- plans -------------------------------------------------------------------------

    def set_plan(self, task_ref: str | int, **fields: Any) -> Plan:
        task_id = self.task_id(task_ref)
        current = self.list_tasks(ids=[task_id])[0].plan or Plan(task_id=task_id)
        data = current.model_dump()
        data.update(fields)
        data["task_id"] = task_id
        plan = _validated(Plan, **data)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO plan (task_id, build_hours, build_low, build_high,"
                " upkeep_hours_per_week, start_date, actual_build_hours, built_on,"
                " estimated_build_hours) VALUES (?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(task_id) DO UPDATE SET build_hours=excluded.build_hours,"
                " build_low=excluded.build_low, build_high=excluded.build_high,"
                " upkeep_hours_per_week=excluded.upkeep_hours_per_week,"
                " start_date=excluded.start_date, actual_build_hours=excluded.actual_build_hours,"
                " built_on=excluded.built_on,"
                " estimated_build_hours=coalesce(plan.estimated_build_hours,"
                " excluded.estimated_build_hours)",
                [
                    task_id, plan.build_hours, plan.build_low, plan.build_high,
                    plan.upkeep_hours_per_week,
                    plan.start_date.isoformat() if plan.start_date else None,
                    plan.actual_build_hours,
                    plan.built_on.isoformat() if plan.built_on else None,
                    plan.build_hours if plan.actual_build_hours is not None else None,
                ],
            )
        return plan

    # --- settings ----------------------------------------------------------------------

    def settings(self) -> Settings:
        values = {k: json.loads(v) for k, v in self.conn.execute("SELECT key, value FROM setting")}
        known = {k: v for k, v in values.items() if k in Settings.model_fields}
        try:
            return Settings(**known)
        except ValidationError:
            return Settings()  # a hand-edited bad value never locks the person out

    def set_setting(self, key: str, value: Any) -> Settings:
        if key not in Settings.model_fields:
            names = ", ".join(Settings.model_fields)
            raise RoiError(f"unknown setting {key!r}; known settings: {names}")
        data = self.settings().model_dump()
        clearable = Settings.model_fields[key].default is None  # timezone, hourly_value, theme
        data[key] = None if value in ("", "none", "None") and clearable else value
        settings = _validated(Settings, **data)
        stored = getattr(settings, key)
        with self.transaction() as conn:
            if stored is None:
                conn.execute("DELETE FROM setting WHERE key = ?", [key])
            else:
                conn.execute(
                    "INSERT INTO setting VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    [key, json.dumps(stored)],
                )
        return settings

    # --- flags -------------------------------------------------------------------------

    def dismissals(self) -> set[tuple[int, str]]:
        return {(r[0], r[1]) for r in self.conn.execute("SELECT task_id, code FROM flag_dismissal")}

    def dismiss_flag(self, task_ref: str | int, code: str, dismissed: bool = True) -> None:
        task_id = self.task_id(task_ref)
        with self.transaction() as conn:
            if dismissed:
                conn.execute(
                    "INSERT OR IGNORE INTO flag_dismissal VALUES (?, ?, ?)",
                    [task_id, code, iso(utc_now())],
                )
            else:
                conn.execute("DELETE FROM flag_dismissal WHERE task_id = ? AND code = ?", [task_id, code])

    # --- counts ------------------------------------------------------------------------

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
