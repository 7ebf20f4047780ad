"""Measurements: what the time log says about each task and step (median minutes per
occurrence, sample count, first and last start), kept in the `measurement` table.

After any change to a task's entries its measurement rows are recomputed in SQL, so
ranking never scans the raw log.

Occurrences are what a person does, not what a tracker records; each measurement names
its rule (`rule`):
- "entries": each entry is one occurrence (a Toggl or stopwatch entry).
- "sessions": the entries are fragments of work (ActivityWatch window events, or any
  log whose median entry is under a minute): entries of the same task and step less
  than `session_gap` minutes apart (a setting, default 5) are one session; the samples
  are the sessions and the minutes their median length (the time logged in each).
- "counted": occurrences without a duration (a message received or sent, an invite
  sent: zero-length entries tagged "occurrence") count for the frequency only; their
  minutes stay the estimate (unknown is not zero). A task with both keeps the timed
  samples for its minutes and counts the occurrences for its frequency.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from roi.db.connection import Connection, parse_iso
from roi.models import Measurement

__all__ = [
    "FRAGMENT_SOURCES", "MEASUREMENT_COLUMNS", "OCCURRENCE_TAG", "Measurement", "compute_measurements",
    "measurements", "refresh_measurements",
]

MEASUREMENT_COLUMNS = (
    "task_id", "step_id", "samples", "median_minutes", "first_start", "last_start",
    "rule", "entries", "counted", "sources", "gap_minutes",
)
FRAGMENT_SOURCES = ("activitywatch",)  # formats whose entries are fragments whatever their length
FRAGMENT_MEDIAN_S = 60.0  # a log whose median entry is shorter than this is fragments
DEFAULT_GAP_MINUTES = 5.0
OCCURRENCE_TAG = "occurrence"  # a zero-length entry with this tag is an occurrence without a duration

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


# Occurrences without durations: zero-length work entries tagged "occurrence"
_OCCURRENCES_SQL = f"""
SELECT task_id, step_id, count(*), min(start), max(start), group_concat(DISTINCT source) FROM time_entry
WHERE kind = 'work' AND duration_s = 0 AND tags LIKE '%"{OCCURRENCE_TAG}"%' {{where}} GROUP BY task_id, step_id
"""
# A fragment group's entries in time order, as epoch seconds
_PIECES_SQL = """
SELECT CAST(strftime('%s', start) AS REAL), duration_s FROM time_entry
WHERE task_id = ? AND step_id IS ? AND {counted} ORDER BY start
"""


def refresh_measurements(store: Connection, task_ids: Iterable[int] | None = None) -> None:
    """Recompute the measurement rows of these tasks (all tasks when None).

    Entries with a step measure that step; entries without one measure the whole task.
    Zero-length entries (ActivityWatch emits many) are not timed occurrences and are left
    out of the minutes (those tagged "occurrence" count for the frequency), and so is time
    logged after the task's automation went live."""
    ids = None if task_ids is None else sorted(set(task_ids))
    if ids is not None and not ids:
        return
    with store.transaction() as conn:
        compute_measurements(conn, ids)


def session_gap(conn: sqlite3.Connection) -> float:
    """The `session_gap` setting in minutes (the default when unset or unreadable)."""
    row = conn.execute("SELECT value FROM setting WHERE key = 'session_gap'").fetchone()
    try:
        gap = float(json.loads(row[0])) if row else DEFAULT_GAP_MINUTES
    except (ValueError, TypeError):
        return DEFAULT_GAP_MINUTES
    return gap if 0 <= gap < float("inf") else DEFAULT_GAP_MINUTES


def compute_measurements(conn: sqlite3.Connection, ids: list[int] | None) -> None:
    """refresh_measurements inside the caller's transaction (a migration uses it too)."""
    if ids is None:
        conn.execute("DELETE FROM measurement")
        where = ""
    else:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _measure_ids (id INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM _measure_ids")
        conn.executemany("INSERT INTO _measure_ids VALUES (?)", [(i,) for i in ids])
        conn.execute("DELETE FROM measurement WHERE task_id IN (SELECT id FROM _measure_ids)")
        where = "AND task_id IN (SELECT id FROM _measure_ids)"
    live = {r[0] for r in conn.execute("SELECT task_id FROM plan WHERE built_on IS NOT NULL")}
    any_live = bool(live) if ids is None else not live.isdisjoint(ids)
    counted_sql = _COUNTED if any_live else _MANUAL
    fragment_sources = _fragment_sources(conn)
    gap = session_gap(conn)
    found: dict[tuple[int, int | None], list[Any]] = {}
    for task_id, step_id, n, first, last in conn.execute(_GROUPS_SQL.format(counted=counted_sql, where=where)).fetchall():
        sql = _MIDDLE_SQL if task_id in live else _MIDDLE_MANUAL_SQL
        middle = [r[0] for r in conn.execute(sql, [task_id, step_id, 2 - n % 2, (n - 1) // 2])]
        median_s = sum(middle) / len(middle)
        source = ""
        if fragment_sources:
            shortest = conn.execute(_SHORTEST_SQL.format(counted=_COUNTED if task_id in live else _MANUAL),
                                    [task_id, step_id]).fetchone()
            source = shortest[0] if shortest and shortest[0] in FRAGMENT_SOURCES else ""
        rule, samples = "entries", n
        if source or median_s < FRAGMENT_MEDIAN_S:
            pieces_sql = _PIECES_SQL.format(counted=_COUNTED if task_id in live else _MANUAL)
            lengths = sessions(conn.execute(pieces_sql, [task_id, step_id]), gap * 60.0)
            rule, samples, median_s = "sessions", len(lengths), _median(lengths)
        found[(task_id, step_id)] = [task_id, step_id, samples, median_s / 60.0, first, last,
                                     rule, n, 0, source, gap if rule == "sessions" else None]
    for task_id, step_id, n, first, last, sources in conn.execute(_OCCURRENCES_SQL.format(where=where)).fetchall():
        row = found.get((task_id, step_id))
        if row is None:
            found[(task_id, step_id)] = [task_id, step_id, 0, 0.0, first, last, "counted", n, n, sources or "", None]
            continue
        row[4], row[5] = min(row[4], first), max(row[5], last)
        row[6], row[7], row[8] = "counted", row[7] + n, n
        row[9] = ",".join(dict.fromkeys(s for s in (row[9], sources or "") if s))
    conn.executemany(
        f"INSERT INTO measurement ({', '.join(MEASUREMENT_COLUMNS)})"
        f" VALUES ({', '.join('?' * len(MEASUREMENT_COLUMNS))})",
        [tuple(row) for row in found.values()],
    )


def _fragment_sources(conn: sqlite3.Connection) -> bool:
    """Whether a fragment source was ever imported (the import_batch table is small): a
    log of Toggl entries pays nothing for the check below."""
    marks = ", ".join("?" * len(FRAGMENT_SOURCES))
    return conn.execute(f"SELECT 1 FROM import_batch WHERE format IN ({marks}) LIMIT 1", FRAGMENT_SOURCES).fetchone() is not None


# The source of a group's shortest entry: one row, found through the measure index (a
# scan of the sources of every entry cost 2.3 s for 300,000 window events). Fragments
# are short, so a task with any window events has one as its shortest entry.
_SHORTEST_SQL = """
SELECT source FROM time_entry WHERE task_id = ? AND step_id IS ? AND {counted} ORDER BY duration_s LIMIT 1
"""


def sessions(pieces: Iterable[tuple[float, float]], gap_s: float) -> list[float]:
    """Seconds logged in each session: (start epoch seconds, duration) in start order; an
    entry that starts less than `gap_s` after the end of the session so far joins it."""
    lengths: list[float] = []
    end = float("-inf")
    for start, duration in pieces:
        if lengths and start - end < gap_s:
            lengths[-1] += duration
            end = max(end, start + duration)
        else:
            lengths.append(duration)
            end = start + duration
    return lengths


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return (ordered[(n - 1) // 2] + ordered[n // 2]) / 2.0 if n else 0.0


def measurements(store: Connection) -> dict[tuple[int, int | None], Measurement]:
    """(task id, step id or None) -> Measurement, for every measured task and step."""
    return {
        (row["task_id"], row["step_id"]): Measurement(
            row["samples"], row["median_minutes"], parse_iso(row["first_start"]), parse_iso(row["last_start"]),
            rule=row["rule"], entries=row["entries"], counted=row["counted"], sources=row["sources"],
            gap_minutes=row["gap_minutes"],
        )
        for row in store.rows(f"SELECT {', '.join(MEASUREMENT_COLUMNS)} FROM measurement")
    }
