"""Time entries: the stopwatch, and the measurements that logged time produces.

A running stopwatch is a time entry whose end is NULL, so it survives quitting the app
and the CLI and the TUI see the same timer. After any change to a task's entries its
measurement rows (median minutes per occurrence, sample count, first and last start) are
recomputed in SQL, so ranking never scans the raw log.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from roi.db.store import Store, iso, parse_iso, utc_now
from roi.models import Measurement, RoiError


@dataclass(frozen=True)
class RunningTimer:
    entry_id: int
    task_id: int
    task_name: str
    step_id: int | None
    step_name: str | None
    kind: str
    start: datetime

    def elapsed_seconds(self, now: datetime | None = None) -> float:
        return max(0.0, ((now or utc_now()) - self.start).total_seconds())


def running_timer(store: Store) -> RunningTimer | None:
    row = store.conn.execute(
        'SELECT e.id, e.task_id, t.name, e.step_id, s.name, e.kind, e.start FROM time_entry e'
        ' JOIN task t ON t.id = e.task_id LEFT JOIN step s ON s.id = e.step_id'
        ' WHERE e."end" IS NULL ORDER BY e.start DESC LIMIT 1'
    ).fetchone()
    if row is None:
        return None
    return RunningTimer(row[0], row[1], row[2], row[3], row[4], row[5], parse_iso(row[6]))


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
        conn.execute(
            'INSERT INTO time_entry (task_id, step_id, start, "end", source, kind, hash)'
            " VALUES (?, ?, ?, NULL, 'stopwatch', ?, ?)",
            [task_id, step_id, iso(now or utc_now()), kind, f"stopwatch:{uuid.uuid4()}"],
        )
    timer = running_timer(store)
    assert timer is not None
    return timer


def stop_timer(store: Store, *, now: datetime | None = None) -> tuple[RunningTimer, float]:
    """Stop the running stopwatch; return it and the seconds it ran."""
    with store.transaction() as conn:
        timer = running_timer(store)
        if timer is None:
            raise RoiError("the stopwatch is not running; start it with `roi time start TASK`")
        end = now or utc_now()
        seconds = timer.elapsed_seconds(end)
        conn.execute(
            'UPDATE time_entry SET "end" = ?, duration_s = ? WHERE id = ?',
            [iso(end), seconds, timer.entry_id],
        )
        if timer.kind == "build":
            record_build_time(store, timer.task_id)
        refresh_measurements(store, [timer.task_id])
    return timer, seconds


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
            'INSERT INTO time_entry (task_id, step_id, start, "end", duration_s, source, kind,'
            " description, hash) VALUES (?,?,?,?,?,?,?,?,?)",
            [
                task_id, step_id, iso(start), iso(end), (end - start).total_seconds(), source,
                kind, description, f"{source}:{uuid.uuid4()}",
            ],
        )
        if kind == "build":
            record_build_time(store, task_id)
        refresh_measurements(store, [task_id])
    return int(cur.lastrowid or 0)


def record_build_time(store: Store, task_id: int) -> None:
    """Build time logged with the stopwatch becomes the plan's actual build hours."""
    total = store.conn.execute(
        "SELECT coalesce(sum(duration_s), 0) FROM time_entry WHERE task_id = ? AND kind = 'build'"
        ' AND "end" IS NOT NULL',
        [task_id],
    ).fetchone()[0]
    store.set_plan(task_id, actual_build_hours=total / 3600.0)


# Time logged after an automation went live measures the automated task, not the manual
# one (see roi.calibration.realised_savings), so it is left out of the manual measurement.
_MANUAL = "kind = 'work' AND duration_s > 0"
_COUNTED = f"""{_MANUAL} AND NOT EXISTS (
    SELECT 1 FROM plan p WHERE p.task_id = time_entry.task_id
    AND p.built_on IS NOT NULL AND time_entry.start >= p.built_on)"""

# {counted}: _COUNTED, or _MANUAL when none of the tasks has gone live (the per-row plan
# lookup is a third of the time of this scan over a large log)
_GROUPS_SQL = """
SELECT task_id, step_id, count(*), min(start), max(start) FROM time_entry
WHERE {counted} {where} GROUP BY task_id, step_id
"""

# The middle one or two durations of a group, read in order from the covering index
# time_entry_measure (task_id, step_id, kind, duration_s, start): no sort of the whole log.
_MIDDLE_SQL = f"""
SELECT duration_s FROM time_entry
WHERE task_id = ? AND step_id IS ? AND {_COUNTED}
ORDER BY duration_s LIMIT ? OFFSET ?
"""
# The same for a task that has not gone live: the index alone answers it.
_MIDDLE_MANUAL_SQL = f"""
SELECT duration_s FROM time_entry
WHERE task_id = ? AND step_id IS ? AND {_MANUAL}
ORDER BY duration_s LIMIT ? OFFSET ?
"""


def refresh_measurements(store: Store, task_ids: Iterable[int] | None = None) -> None:
    """Recompute the measurement rows of these tasks (all tasks when None).

    Entries with a step measure that step; entries without one measure the whole task.
    Zero-length entries (ActivityWatch emits many) are not occurrences and are left out,
    and so is time logged after the task's automation went live.
    """
    ids = None if task_ids is None else sorted(set(task_ids))
    with store.transaction() as conn:
        if ids is None:
            conn.execute("DELETE FROM measurement")
            where = ""
        else:
            if not ids:
                return
            conn.execute("CREATE TEMP TABLE IF NOT EXISTS _measure_ids (id INTEGER PRIMARY KEY)")
            conn.execute("DELETE FROM _measure_ids")
            conn.executemany("INSERT INTO _measure_ids VALUES (?)", [(i,) for i in ids])
            conn.execute("DELETE FROM measurement WHERE task_id IN (SELECT id FROM _measure_ids)")
            where = "AND task_id IN (SELECT id FROM _measure_ids)"
        live = {r[0] for r in conn.execute("SELECT task_id FROM plan WHERE built_on IS NOT NULL")}
        rows = []
        any_live = bool(live) if ids is None else not live.isdisjoint(ids)
        groups_sql = _GROUPS_SQL.format(counted=_COUNTED if any_live else _MANUAL, where=where)
        for task_id, step_id, n, first, last in conn.execute(groups_sql).fetchall():
            sql = _MIDDLE_SQL if task_id in live else _MIDDLE_MANUAL_SQL
            middle = [r[0] for r in conn.execute(sql, [task_id, step_id, 2 - n % 2, (n - 1) // 2])]
            rows.append((task_id, step_id, n, sum(middle) / len(middle) / 60.0, first, last))
        conn.executemany(
            "INSERT INTO measurement (task_id, step_id, samples, median_minutes, first_start,"
            " last_start) VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def measurements(store: Store) -> dict[tuple[int, int | None], Measurement]:
    """(task id, step id or None) -> Measurement, for every measured task and step."""
    result = {}
    for row in store.conn.execute(
        "SELECT task_id, step_id, samples, median_minutes, first_start, last_start FROM measurement"
    ):
        result[(row[0], row[1])] = Measurement(row[2], row[3], parse_iso(row[4]), parse_iso(row[5]))
    return result


def format_duration(seconds: float) -> str:
    seconds = max(0, int(math.floor(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
