"""The inventory's queries: tasks, steps, plans, settings, flag dismissals and finished
builds, each table with its one column list.

`Store` is the handle every front end holds: a `Connection` (roi.db.connection: opening,
pragmas, WAL, migrations, transactions) with the inventory's named methods. Rows come
back as models (Task, Step, Plan, Settings) or small frozen dataclasses, never tuples.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from sqlite3 import Row
from typing import Any

from roi.db.connection import (
    BUSY_TIMEOUT_MS,
    ENV_VAR,
    Connection,
    Waits,
    apply_migrations,
    default_path,
    iso,
    open_database,
    parse_iso,
    utc_now,
)
from roi.db.measurements import refresh_measurements
from roi.models import Plan, RoiError, Settings, Step, Task, describe_error

__all__ = [
    "BUSY_TIMEOUT_MS", "ENV_VAR", "PLAN_COLUMNS", "STEP_COLUMNS", "TASK_COLUMNS", "FinishedBuild",
    "Store", "Waits", "apply_migrations", "default_path", "iso", "open_database", "parse_iso", "utc_now",
]

# One column list per table: every query of that table is written from it.
TASK_COLUMNS = (
    "id", "name", "category", "tags", "notes", "per_week", "per_week_low", "per_week_high",
    "per_week_pinned", "status", "learning_value", "learning_note",
)
STEP_COLUMNS = (
    "id", "task_id", "position", "name", "minutes", "minutes_low", "minutes_high", "automation",
    "overhead", "overhead_low", "overhead_high", "failure_rate", "running_cost", "pinned",
)
PLAN_COLUMNS = (
    "task_id", "build_hours", "build_low", "build_high", "upkeep_hours_per_week", "start_date",
    "actual_build_hours", "built_on", "build_given",
)


def _select(table: str, columns: tuple[str, ...]) -> str:
    return f"SELECT {', '.join(columns)} FROM {table}"


def _insert(table: str, columns: tuple[str, ...]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


def _update(table: str, columns: tuple[str, ...]) -> str:
    return f"UPDATE {table} SET {', '.join(c + '=?' for c in columns)} WHERE id=?"


def _task_values(task: Task) -> dict[str, Any]:
    """A task's stored columns (all but id), in TASK_COLUMNS order."""
    return {
        "name": task.name, "category": task.category, "tags": json.dumps(task.tags),
        "notes": task.notes, "per_week": task.per_week, "per_week_low": task.per_week_low,
        "per_week_high": task.per_week_high, "per_week_pinned": int(task.per_week_pinned),
        "status": task.status, "learning_value": int(task.learning_value),
        "learning_note": task.learning_note,
    }


def _task_from(row: Row) -> Task:
    return Task.model_construct(
        id=row["id"], name=row["name"], category=row["category"], tags=json.loads(row["tags"]),
        notes=row["notes"], per_week=row["per_week"], per_week_pinned=bool(row["per_week_pinned"]),
        status=row["status"], learning_value=bool(row["learning_value"]),
        learning_note=row["learning_note"], per_week_low=row["per_week_low"],
        per_week_high=row["per_week_high"], steps=[], plan=None,
    )


def _step_values(step: Step) -> dict[str, Any]:
    """A step's stored columns that a person edits (not id, task_id, position)."""
    return {
        "name": step.name, "minutes": step.minutes, "minutes_low": step.minutes_low,
        "minutes_high": step.minutes_high, "automation": step.automation, "overhead": step.overhead,
        "overhead_low": step.overhead_low, "overhead_high": step.overhead_high,
        "failure_rate": step.failure_rate, "running_cost": step.running_cost,
        "pinned": int(step.pinned),
    }


def _step_from(row: Row) -> Step:
    fields = {c: row[c] for c in STEP_COLUMNS}
    fields["pinned"] = bool(fields["pinned"])
    return Step.model_construct(**fields)


def _plan_from(row: Row) -> Plan:
    fields = {c: row[c] for c in PLAN_COLUMNS}
    for day in ("start_date", "built_on"):
        fields[day] = date.fromisoformat(fields[day]) if fields[day] else None
    fields["build_given"] = bool(fields["build_given"])
    return Plan.model_construct(**fields)


def _plan_values(plan: Plan) -> dict[str, Any]:
    return {
        "task_id": plan.task_id, "build_hours": plan.build_hours, "build_low": plan.build_low,
        "build_high": plan.build_high, "upkeep_hours_per_week": plan.upkeep_hours_per_week,
        "start_date": plan.start_date.isoformat() if plan.start_date else None,
        "actual_build_hours": plan.actual_build_hours,
        "built_on": plan.built_on.isoformat() if plan.built_on else None,
        "build_given": int(plan.build_given),
    }


@dataclass(frozen=True)
class FinishedBuild:
    """A plan with actual build hours, and the estimate as it stood when the actual was
    first recorded (see roi.calibration)."""

    task_id: int
    task_name: str
    estimated_hours: float
    actual_hours: float

    @property
    def ratio(self) -> float:
        return self.actual_hours / self.estimated_hours


def _validated(model: type, **fields: Any) -> Any:
    from pydantic import ValidationError  # loaded only to write (see roi.models)

    try:
        return model(**fields)
    except ValidationError as exc:
        raise RoiError(describe_error(exc)) from None


class Store(Connection):
    """The inventory on one SQLite database."""

    @classmethod
    def open(
        cls, path: str | Path | None = None, *, create_folder: bool = True, waits: Waits | None = None
    ) -> Store:
        """Open the database at `path` (None: the default location); see `open_database`
        for `create_folder` and what a newer schema does; `waits` is the wait budget of
        every write lock this store takes (default: a fresh one each time)."""
        resolved = path if str(path) == ":memory:" else Path(path or default_path()).expanduser()
        return cls(open_database(resolved, create_folder=create_folder, waits=waits), resolved, waits=waits)

    # --- tasks -------------------------------------------------------------------------

    def add_task(self, task: Task) -> int:
        with self.transaction() as conn:
            if self.find_task(task.name) is not None:
                raise RoiError(f"a task named {task.name!r} already exists")
            values = _task_values(task) | {"created_at": iso(utc_now())}
            cur = conn.execute(_insert("task", tuple(values)), list(values.values()))
            task_id = int(cur.lastrowid or 0)
            for position, step in enumerate(task.steps):
                self.add_step(task_id, step.model_copy(update={"position": position}))
            if task.plan is not None:
                self.set_plan(task_id, **task.plan.model_dump(exclude={"task_id"}, exclude_none=True))
        return task_id

    def find_task(self, ref: str | int) -> int | None:
        """Task id for an id or an exact (case-insensitive) name; None when unknown."""
        text = str(ref).strip()
        row = self.row("SELECT id FROM task WHERE name = ? COLLATE NOCASE", [text])
        if row is None and text.isdecimal():
            row = self.row("SELECT id FROM task WHERE id = ?", [int(text)])
        return None if row is None else int(row["id"])

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
        tasks = {
            task.id: task
            for task in map(_task_from, self.rows(f"{_select('task', TASK_COLUMNS)}{where} ORDER BY id", params))
        }
        task_where = where.replace("id IN", "task_id IN")
        for row in self.rows(f"{_select('step', STEP_COLUMNS)}{task_where} ORDER BY task_id, position, id", params):
            owner = tasks.get(row["task_id"])
            if owner is not None:
                owner.steps.append(_step_from(row))
        for row in self.rows(f"{_select('plan', PLAN_COLUMNS)}{task_where}", params):
            owner = tasks.get(row["task_id"])
            if owner is not None:
                owner.plan = _plan_from(row)
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
            values = _task_values(task)
            conn.execute(_update("task", tuple(values)), [*values.values(), current.id])
            if task.status == "automated" and current.status != "automated":
                self._mark_live(int(current.id or 0))
        return self.get_task(int(current.id or 0))

    def _mark_live(self, task_id: int) -> None:
        """An automation goes live today unless its plan says when: from then on its
        logged time measures the automated task (see roi.calibration)."""
        from roi.clock import today

        self.conn.execute(
            "INSERT INTO plan (task_id, built_on, build_given) VALUES (?, ?, 0)"
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
            row = self.row(
                "SELECT coalesce(max(position) + 1, 0) AS position FROM step WHERE task_id = ?", [task_id]
            )
            values = {"task_id": task_id, "position": row["position"] if row else 0} | _step_values(step)
            cur = conn.execute(_insert("step", tuple(values)), list(values.values()))
        return int(cur.lastrowid or 0)

    def find_step(self, task_id: int, ref: str | int) -> int | None:
        text = str(ref).strip()
        row = self.row("SELECT id FROM step WHERE task_id = ? AND name = ? COLLATE NOCASE", [task_id, text])
        if row is None and text.isdecimal():
            row = self.row("SELECT id FROM step WHERE task_id = ? AND id = ?", [task_id, int(text)])
        return None if row is None else int(row["id"])

    def step_id(self, task_id: int, ref: str | int) -> int:
        found = self.find_step(task_id, ref)
        if found is None:
            raise RoiError(f"step {str(ref)!r} not found in that task")
        return found

    def get_step(self, step_id: int) -> Step:
        task = self.list_tasks(ids=[self._step_owner(step_id)])[0]
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
            values = _step_values(step)
            conn.execute(_update("step", tuple(values)), [*values.values(), step_id])
        return self.get_step(step_id)

    def remove_step(self, step_id: int) -> None:
        with self.transaction() as conn:
            task_id = self._step_owner(step_id)
            conn.execute("DELETE FROM step WHERE id = ?", [step_id])
            self._renumber(task_id)

    def move_step(self, step_id: int, offset: int) -> None:
        """Move a step up (negative) or down (positive) within its task."""
        with self.transaction() as conn:
            order = self._step_order(self._step_owner(step_id))
            index = order.index(step_id)
            target = max(0, min(len(order) - 1, index + offset))
            order.insert(target, order.pop(index))
            conn.executemany(
                "UPDATE step SET position = ? WHERE id = ?", [(i, sid) for i, sid in enumerate(order)]
            )

    def _step_owner(self, step_id: int) -> int:
        row = self.row("SELECT task_id FROM step WHERE id = ?", [step_id])
        if row is None:
            raise RoiError(f"step {step_id} not found")
        return int(row["task_id"])

    def _step_order(self, task_id: int) -> list[int]:
        return [int(r["id"]) for r in self.rows("SELECT id FROM step WHERE task_id = ? ORDER BY position, id", [task_id])]

    def _renumber(self, task_id: int) -> None:
        order = self._step_order(task_id)
        self.conn.executemany(
            "UPDATE step SET position = ? WHERE id = ?", [(i, sid) for i, sid in enumerate(order)]
        )

    # --- plans -------------------------------------------------------------------------

    def set_plan(self, task_ref: str | int, **fields: Any) -> Plan:
        task_id = self.task_id(task_ref)
        # a new plan without a build estimate (only upkeep, or a timed build) has none
        current = self.list_tasks(ids=[task_id])[0].plan or Plan(task_id=task_id, build_given=False)
        data = current.model_dump()
        data.update(fields)
        if "build_hours" in fields:
            data["build_given"] = True
        data["task_id"] = task_id
        plan = _validated(Plan, **data)
        with self.transaction() as conn:
            values = _plan_values(plan) | {
                # the estimate as it stood when the actual was first recorded
                "estimated_build_hours": plan.build_hours if plan.actual_build_hours is not None else None,
            }
            updates = ", ".join(f"{c}=excluded.{c}" for c in PLAN_COLUMNS if c != "task_id")
            conn.execute(
                f"{_insert('plan', tuple(values))} ON CONFLICT(task_id) DO UPDATE SET {updates},"
                " estimated_build_hours=coalesce(plan.estimated_build_hours, excluded.estimated_build_hours)",
                list(values.values()),
            )
        return plan

    # --- settings ----------------------------------------------------------------------

    def settings(self) -> Settings:
        values = {row["key"]: json.loads(row["value"]) for row in self.rows("SELECT key, value FROM setting")}
        return Settings.stored({k: v for k, v in values.items() if k in Settings.model_fields})

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
                    "INSERT INTO setting (key, value) VALUES (?, ?)"
                    " ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                    [key, json.dumps(stored)],
                )
            if key == "session_gap":  # the sessions of fragment logs are made with it
                from roi.db.measurements import compute_measurements

                compute_measurements(conn, None)
        return settings

    # --- flags -------------------------------------------------------------------------

    def dismissals(self) -> set[tuple[int, str]]:
        """(task id, flag code) of every dismissed flag."""
        return {(r["task_id"], r["code"]) for r in self.rows("SELECT task_id, code FROM flag_dismissal")}

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

    # --- finished builds ---------------------------------------------------------------

    def finished_builds(self) -> list[FinishedBuild]:
        """Plans with actual build hours and an estimate above zero, by task id."""
        rows = self.rows(
            "SELECT p.task_id, t.name AS task_name,"
            " coalesce(p.estimated_build_hours, p.build_hours) AS estimated, p.actual_build_hours"
            " FROM plan p JOIN task t ON t.id = p.task_id WHERE p.actual_build_hours IS NOT NULL"
            " ORDER BY p.task_id"
        )
        return [
            FinishedBuild(r["task_id"], r["task_name"], float(r["estimated"]), float(r["actual_build_hours"]))
            for r in rows
            if r["estimated"] and r["estimated"] > 0
        ]
