"""Measurements: what the time log says about each task and step (median minutes per
occurrence, sample count, first and last start), kept in the `measurement` table.

After any change to a task's entries its measurement rows are recomputed in SQL, so
ranking never scans the raw log.
"""

from __future__ import annotations

from collections.abc import Iterable

from roi.db.connection import Connection, parse_iso
from roi.models import Measurement

__all__ = ["MEASUREMENT_COLUMNS", "Measurement", "measurements", "refresh_measurements"]

MEASUREMENT_COLUMNS = ("task_id", "step_id", "samples", "median_minutes", "first_start", "last_start")

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


def refresh_measurements(store: Connection, task_ids: Iterable[int] | None = None) -> None:
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
            f"INSERT INTO measurement ({', '.join(MEASUREMENT_COLUMNS)})"
            f" VALUES ({', '.join('?' * len(MEASUREMENT_COLUMNS))})",
            rows,
        )


def measurements(store: Connection) -> dict[tuple[int, int | None], Measurement]:
    """(task id, step id or None) -> Measurement, for every measured task and step."""
    return {
        (row["task_id"], row["step_id"]): Measurement(
            row["samples"], row["median_minutes"], parse_iso(row["first_start"]), parse_iso(row["last_start"])
        )
        for row in store.rows(f"SELECT {', '.join(MEASUREMENT_COLUMNS)} FROM measurement")
    }
