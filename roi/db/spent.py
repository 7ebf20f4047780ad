"""Where the time goes: the logged work time (every source: the stopwatch, manual entries
and imports) summed per task, step, source or category over a period, and per week of
that period for a trend.

Only finished work entries count (kind 'work', an end): build time is the cost of an
automation, not time the work takes, and a running stopwatch has no length yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from roi.db.connection import Connection, iso, parse_iso

__all__ = ["SPENT_BY", "LogSpan", "SpentBy", "SpentGroup", "TaskName", "log_span", "spent_groups", "task_names"]

SpentBy = Literal["task", "step", "source", "category"]
SPENT_BY: tuple[SpentBy, ...] = ("task", "step", "source", "category")

_WORK = """e.kind = 'work' AND e."end" IS NOT NULL"""

# What a row is grouped by, and the id and name it shows. A step row of entries logged
# against the whole task has no step id (step_id NULL) and shows the task's name.
_KEYS: dict[str, tuple[str, str, str]] = {  # by -> (group by, id, name)
    "task": ("e.task_id", "e.task_id", "t.name"),
    "step": ("e.task_id, e.step_id", "e.step_id", "t.name"),
    "source": ("e.source", "e.source", "e.source"),
    "category": ("t.category", "t.category", "t.category"),
}

# {group}: the grouping columns; the week of an entry counts from the period's start.
_GROUPS_SQL = """
SELECT {key_id} AS key_id, {key_name} AS key_name, e.task_id AS task_id, s.name AS step_name,
    CAST((julianday(e.start) - julianday(?)) / 7 AS INTEGER) AS week,
    count(*) AS entries, total(e.duration_s) AS seconds
FROM time_entry e JOIN task t ON t.id = e.task_id LEFT JOIN step s ON s.id = e.step_id
WHERE {work} AND e.start >= ? AND e.start < ?
GROUP BY {group}, week
ORDER BY {group}, week
"""


@dataclass(frozen=True)
class SpentGroup:
    """The logged time of one task, step, source or category in one week of the period."""

    id: int | str | None  # task id, step id (None: logged against the whole task), source, category
    name: str
    task_id: int | None  # the task of a task or step row; None for a source or category
    step: str | None  # the step's name of a step row
    week: int  # 0 = the period's first 7 days
    entries: int
    seconds: float


@dataclass(frozen=True)
class LogSpan:
    """The first and last start of the finished work entries, or None for an empty log."""

    first: datetime | None
    last: datetime | None


@dataclass(frozen=True)
class TaskName:
    id: int
    name: str


def spent_groups(store: Connection, start: datetime, end: datetime, by: SpentBy) -> list[SpentGroup]:
    """Logged work time started in [start, end), per group (see SpentBy) and week."""
    if by not in _KEYS:
        raise ValueError(f"by must be one of {', '.join(SPENT_BY)} (got {by!r})")
    group, key_id, key_name = _KEYS[by]
    sql = _GROUPS_SQL.format(group=group, key_id=key_id, key_name=key_name, work=_WORK)
    out = []
    for row in store.rows(sql, [iso(start), iso(start), iso(end)]):
        out.append(SpentGroup(
            id=row["key_id"], name=str(row["key_name"]),
            task_id=row["task_id"] if by in ("task", "step") else None,
            step=row["step_name"] if by == "step" else None,
            week=int(row["week"]), entries=int(row["entries"]), seconds=float(row["seconds"]),
        ))
    return out


def log_span(store: Connection) -> LogSpan:
    """When the logged work began and last happened (the default period of `roi spent`)."""
    row = store.row(f"SELECT min(e.start) AS first, max(e.start) AS last FROM time_entry e WHERE {_WORK}")
    if row is None or row["first"] is None:
        return LogSpan(None, None)
    return LogSpan(parse_iso(row["first"]), parse_iso(row["last"]))


def task_names(store: Connection) -> list[TaskName]:
    """Every task's id and name, by id (the tasks a period may have no time for)."""
    return [TaskName(int(r["id"]), str(r["name"])) for r in store.rows("SELECT id, name FROM task ORDER BY id")]
