"""Time entries: the stopwatch, logged entries, and what the report and the calibration
read from the log.

A running stopwatch is a time entry whose end is NULL, so it survives quitting the app
and the CLI and the TUI see the same timer. After any change to a task's entries its
measurement rows are recomputed (roi.db.measurements, re-exported here).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from roi.db.connection import iso, parse_iso, utc_now
from roi.db.measurements import Measurement, measurements, refresh_measurements
from roi.db.stopwatch import RunningTimer, format_duration, read_running
from roi.db.store import Store
from roi.models import RoiError

__all__ = [
    "ENTRY_COLUMNS", "MIN_STOPWATCH_SECONDS", "LogSource", "LoggedEntry",
    "Measurement", "RunningTimer", "Stopped", "TaskLog", "add_entry", "cancel_timer",
    "edit_entry", "entries", "format_duration", "log_sources",
    "measurements", "record_build_time", "refresh_measurements", "remove_entries",
    "running_timer", "start_timer", "stop_timer", "task_logs",
]

#: A stopwatch run shorter than this is almost always a mis-press: not stored unless kept.
MIN_STOPWATCH_SECONDS = 10.0

# The columns of time_entry that roi writes (id is the row id).
ENTRY_COLUMNS = (
    "task_id", "step_id", "start", "end", "duration_s", "source", "kind", "description", "hash",
)


def _insert_entry_sql(columns: tuple[str, ...] = ENTRY_COLUMNS) -> str:
    quoted = ", ".join(f'"{c}"' for c in columns)
    return f"INSERT INTO time_entry ({quoted}) VALUES ({', '.join('?' * len(columns))})"


def running_timer(store: Store) -> RunningTimer | None:
    return read_running(store.conn)


def start_timer(
    store: Store,
    task_ref: str | int,
    step_ref: str | int | None = None,
    *,
    kind: str = "work",
    now: datetime | None = None,
) -> RunningTimer:
    """Start the stopwatch on a task (and step). Only one timer runs at a time."""
    task_id = store.task_id(task_ref)
    step_id = store.step_id(task_id, step_ref) if step_ref not in (None, "") else None
    if kind not in ("work", "build"):
        raise RoiError(f"kind must be work or build (got {kind!r})")
    with store.transaction() as conn:
        current = running_timer(store)
        if current is not None:
            what = current.task_name + (f" / {current.step_name}" if current.step_name else "")
            raise RoiError(
                f"the stopwatch is already running on {what!r} since "
                f"{current.start.astimezone():%H:%M}; stop it first with `roi time stop`"
            )
        conn.execute(  # no end: the stopwatch is running
            _insert_entry_sql(("task_id", "step_id", "start", "source", "kind", "hash")),
            [task_id, step_id, iso(now or utc_now()), "stopwatch", kind, f"stopwatch:{uuid.uuid4()}"],
        )
    timer = running_timer(store)
    assert timer is not None
    return timer


@dataclass(frozen=True)
class Stopped:
    """A stopped stopwatch: what ran, for how long, and whether the entry was kept (a run
    under MIN_STOPWATCH_SECONDS is dropped unless the person asked to keep it)."""

    timer: RunningTimer
    seconds: float
    kept: bool


def stop_timer(store: Store, *, now: datetime | None = None, keep: bool = False) -> Stopped:
    """Stop the running stopwatch and save its entry; a run under MIN_STOPWATCH_SECONDS
    is deleted instead (almost always a mis-press) unless `keep`."""
    with store.transaction() as conn:
        timer = running_timer(store)
        if timer is None:
            raise RoiError("the stopwatch is not running; start it with `roi time start TASK`")
        end = now or utc_now()
        seconds = timer.elapsed_seconds(end)
        if seconds < MIN_STOPWATCH_SECONDS and not keep:
            conn.execute("DELETE FROM time_entry WHERE id = ?", [timer.entry_id])
            return Stopped(timer, seconds, kept=False)
        conn.execute(
            'UPDATE time_entry SET "end" = ?, duration_s = ? WHERE id = ?',
            [iso(end), seconds, timer.entry_id],
        )
        if timer.kind == "build":
            record_build_time(store, timer.task_id)
        refresh_measurements(store, [timer.task_id])
    return Stopped(timer, seconds, kept=True)


def cancel_timer(store: Store) -> RunningTimer:
    """Discard the running stopwatch without saving an entry."""
    with store.transaction() as conn:
        timer = running_timer(store)
        if timer is None:
            raise RoiError("the stopwatch is not running")
        conn.execute("DELETE FROM time_entry WHERE id = ?", [timer.entry_id])
    return timer


def add_entry(
    store: Store,
    task_id: int,
    start: datetime,
    end: datetime,
    *,
    step_id: int | None = None,
    source: str = "manual",
    kind: str = "work",
    description: str = "",
) -> int:
    """Log one finished entry (used by tests and by manual logging)."""
    if end < start:
        raise RoiError(f"an entry cannot end ({iso(end)}) before it starts ({iso(start)})")
    with store.transaction() as conn:
        cur = conn.execute(
            _insert_entry_sql(),
            [
                task_id, step_id, iso(start), iso(end), (end - start).total_seconds(), source,
                kind, description, f"{source}:{uuid.uuid4()}",
            ],
        )
        if kind == "build":
            record_build_time(store, task_id)
        refresh_measurements(store, [task_id])
    return int(cur.lastrowid or 0)


# --- the log as a person sees and corrects it --------------------------------------------


@dataclass(frozen=True)
class LoggedEntry:
    """One finished time entry, with the names of its task and step."""

    id: int
    task_id: int
    task: str
    step_id: int | None
    step: str | None
    start: datetime
    end: datetime
    seconds: float
    source: str
    kind: str

    @property
    def minutes(self) -> float:
        return self.seconds / 60.0


_ENTRY_SELECT = (
    "SELECT e.id, e.task_id, t.name AS task, e.step_id, s.name AS step, e.start, e.\"end\","
    " e.duration_s, e.source, e.kind FROM time_entry e"
    " JOIN task t ON t.id = e.task_id LEFT JOIN step s ON s.id = e.step_id"
)


def _logged(row: Any) -> LoggedEntry:
    return LoggedEntry(
        id=row["id"], task_id=row["task_id"], task=row["task"], step_id=row["step_id"], step=row["step"],
        start=parse_iso(row["start"]), end=parse_iso(row["end"]), seconds=float(row["duration_s"] or 0.0),
        source=row["source"], kind=row["kind"],
    )


def entries(store: Store, *, task_id: int | None = None, since: datetime | None = None) -> list[LoggedEntry]:
    """The finished entries (of one task, started at or after `since`), oldest first.
    The running stopwatch is not one of them (see `running_timer`)."""
    where: list[str] = ['e."end" IS NOT NULL']
    params: list[int | str] = []
    if task_id is not None:
        where.append("e.task_id = ?")
        params.append(task_id)
    if since is not None:
        where.append("e.start >= ?")
        params.append(iso(since))
    sql = f"{_ENTRY_SELECT} WHERE {' AND '.join(where)} ORDER BY e.start, e.id"
    return [_logged(row) for row in store.rows(sql, params)]


def _entries_by_id(store: Store, ids: list[int]) -> list[LoggedEntry]:
    """These finished entries, in the order asked; RoiError naming any id that is not
    one (unknown, or the running stopwatch)."""
    found = {
        row["id"]: _logged(row)
        for row in store.rows(
            f"{_ENTRY_SELECT} WHERE e.id IN ({', '.join('?' * len(ids))}) AND e.\"end\" IS NOT NULL", ids
        )
    }
    missing = [i for i in ids if i not in found]
    if missing:
        timer = running_timer(store)
        if timer is not None and timer.entry_id in missing:
            raise RoiError(f"entry {timer.entry_id} is the running stopwatch: stop it or `roi time cancel` it")
        listed = ", ".join(str(i) for i in missing)
        raise RoiError(f"no time entry {listed} (see `roi time list`)")
    return [found[i] for i in ids]


def _after_change(store: Store, changed: list[LoggedEntry]) -> None:
    """Inside the transaction of a change to these entries: build totals and measurements follow."""
    for task_id in sorted({e.task_id for e in changed if e.kind == "build"}):
        record_build_time(store, task_id)
    refresh_measurements(store, [e.task_id for e in changed])


def remove_entries(store: Store, ids: list[int]) -> list[LoggedEntry]:
    """Delete these finished entries, all or none, in one transaction; return them."""
    ids = list(dict.fromkeys(ids))
    if not ids:
        return []
    with store.transaction() as conn:
        removed = _entries_by_id(store, ids)
        conn.executemany("DELETE FROM time_entry WHERE id = ?", [(i,) for i in ids])
        _after_change(store, removed)
    return removed


def edit_entry(
    store: Store,
    entry_id: int,
    *,
    minutes: float | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[LoggedEntry, LoggedEntry]:
    """Correct one finished entry: a new start and/or end, or a new length (kept from its
    start). Return it before and after."""
    if minutes is not None and end is not None:
        raise RoiError("give --minutes or --end, not both (--minutes keeps the start and sets the end)")
    if minutes is not None and not (math.isfinite(minutes) and minutes > 0):
        raise RoiError(f"--minutes must be more than 0 (got {minutes:g})")
    with store.transaction() as conn:
        (before,) = _entries_by_id(store, [entry_id])
        new_start = start or before.start
        if minutes is not None:
            new_end = new_start + timedelta(minutes=minutes)
        else:
            new_end = end or before.end
        if new_end < new_start:
            raise RoiError(f"an entry cannot end ({iso(new_end)}) before it starts ({iso(new_start)})")
        conn.execute(
            'UPDATE time_entry SET start = ?, "end" = ?, duration_s = ? WHERE id = ?',
            [iso(new_start), iso(new_end), (new_end - new_start).total_seconds(), entry_id],
        )
        _after_change(store, [before])
        (after,) = _entries_by_id(store, [entry_id])
    return before, after


def record_build_time(store: Store, task_id: int) -> None:
    """Build time logged with the stopwatch, and the active time of the agent sessions
    attached as the task's build (roi.agentlogs), becomes the plan's actual build hours."""
    row = store.row(
        "SELECT (SELECT count(*) FROM time_entry"
        """ WHERE task_id = ?1 AND kind = 'build' AND "end" IS NOT NULL)"""
        " + (SELECT count(*) FROM agent_session WHERE task_id = ?1 AND role = 'build') AS entries,"
        " (SELECT coalesce(sum(duration_s), 0) FROM time_entry"
        """ WHERE task_id = ?1 AND kind = 'build' AND "end" IS NOT NULL)"""
        " + (SELECT coalesce(sum(active_s), 0) FROM agent_session WHERE task_id = ?1 AND role = 'build') AS seconds",
        [task_id],
    )
    if row is None or not row["entries"]:  # the last timed build was removed: none recorded
        store.set_plan(task_id, actual_build_hours=None)
        return
    store.set_plan(task_id, actual_build_hours=row["seconds"] / 3600.0)


# --- what the report reads from the log --------------------------------------------------


@dataclass(frozen=True)
class LogSource:
    """One place logged time came from: an imported file, or the stopwatch / manual log."""

    label: str  # the file name, or "stopwatch" / "manual" for time logged in roi
    kind: str  # "import" or "logged"
    format: str  # the importer's format name, or the entry source
    entries: int
    tasks: int
    first: date | None
    last: date | None


@dataclass(frozen=True)
class TaskLog:
    """The logged time behind one task, per source."""

    label: str
    entries: int
    first: date
    last: date


def _day(text: str | None) -> date | None:
    return parse_iso(text).date() if text else None


def log_sources(store: Store) -> list[LogSource]:
    """Imported files (with the dates their entries cover) and time logged in roi itself."""
    imported = store.rows(
        "SELECT b.file_name AS label, b.format, count(e.id) AS entries,"
        " count(DISTINCT e.task_id) AS tasks, min(e.start) AS first, max(e.start) AS last"
        " FROM import_batch b LEFT JOIN time_entry e ON e.batch_id = b.id"
        " GROUP BY b.id ORDER BY b.started_at, b.id"
    )
    logged = store.rows(
        "SELECT source AS label, source AS format, count(*) AS entries,"
        " count(DISTINCT task_id) AS tasks, min(start) AS first, max(start) AS last"
        """ FROM time_entry WHERE batch_id IS NULL AND "end" IS NOT NULL AND kind = 'work'"""
        " GROUP BY source ORDER BY source"
    )
    return [
        LogSource(row["label"], kind, row["format"], row["entries"], row["tasks"],
                  _day(row["first"]), _day(row["last"]))
        for kind, rows in (("import", imported), ("logged", logged))
        for row in rows
    ]


def task_logs(store: Store) -> dict[int, list[TaskLog]]:
    """task id -> the logs (file name or source) its work entries came from."""
    logs: dict[int, list[TaskLog]] = {}
    for row in store.rows(
        "SELECT e.task_id, coalesce(b.file_name, e.source) AS label, count(*) AS entries,"
        " min(e.start) AS first, max(e.start) AS last"
        " FROM time_entry e LEFT JOIN import_batch b ON b.id = e.batch_id"
        """ WHERE e.kind = 'work' AND e."end" IS NOT NULL AND e.duration_s > 0"""
        " GROUP BY e.task_id, 2 ORDER BY e.task_id, min(e.start)"
    ):
        logs.setdefault(row["task_id"], []).append(
            TaskLog(row["label"], row["entries"], parse_iso(row["first"]).date(), parse_iso(row["last"]).date())
        )
    return logs


def entry_imports(store: Store, task_id: int) -> dict[int, tuple[int, str]]:
    """For the task's imported entries: entry id -> (import batch id, the file's name),
    so a list of entries can say which import each came from."""
    return {
        row["id"]: (row["batch_id"], row["file_name"])
        for row in store.rows(
            "SELECT e.id, e.batch_id, b.file_name FROM time_entry e"
            " JOIN import_batch b ON b.id = e.batch_id WHERE e.task_id = ?",
            [task_id],
        )
    }
