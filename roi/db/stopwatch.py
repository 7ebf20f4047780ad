"""The running stopwatch: its one query and its value, with nothing heavier than sqlite3
imported, so that `roi time status` can answer a status line fast (roi.status). The
stopwatch's writes are in roi.db.timelog."""

from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from roi.db.connection import SCHEMA_VERSION, parse_iso, utc_now

RUNNING_SQL = (
    "SELECT e.id AS entry_id, e.task_id, t.name AS task_name, e.step_id, s.name AS step_name,"
    " e.kind, e.start FROM time_entry e"
    " JOIN task t ON t.id = e.task_id LEFT JOIN step s ON s.id = e.step_id"
    ' WHERE e."end" IS NULL ORDER BY e.start DESC LIMIT 1'
)


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


def read_running(conn: sqlite3.Connection) -> RunningTimer | None:
    """The timer that runs now (the latest open entry), or None."""
    row = conn.execute(RUNNING_SQL).fetchone()
    if row is None:
        return None
    entry_id, task_id, task_name, step_id, step_name, kind, start = row
    return RunningTimer(entry_id, task_id, task_name, step_id, step_name, kind, parse_iso(start))


def running_if_current(path: Path) -> RunningTimer | None | bool:
    """The running timer of the database at `path`, read through a read-only connection;
    False when it must be opened the usual way instead (it does not exist, or its schema
    is not the one this version makes: opening would migrate it, or it is newer)."""
    if not path.is_file():
        return False
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            return False
        return read_running(conn)
    finally:
        conn.close()


def format_duration(seconds: float) -> str:
    seconds = max(0, int(math.floor(seconds)))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}"
