"""What the calibration reads from the log: the work entries of each task whose
automation went live, before and after that day (`roi calibrate` shows what going live
saved). Apart from roi.db.timelog (the stopwatch and the entries) so that `roi rank`,
which asks the calibration for the overrun factor, loads neither."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from roi.db.connection import Connection

__all__ = ["GoLiveEntry", "go_live_entries"]


@dataclass(frozen=True)
class GoLiveEntry:
    """One finished work entry of a task whose automation went live, and on which side."""

    task_id: int
    task_name: str
    built_on: date
    minutes: float
    after: bool  # logged on or after the day it went live


def go_live_entries(store: Connection) -> list[GoLiveEntry]:
    """The finished work entries (of some length) of every task that went live, by task."""
    return [
        GoLiveEntry(row["task_id"], row["task_name"], date.fromisoformat(row["built_on"]),
                    row["duration_s"] / 60.0, bool(row["after"]))
        for row in store.rows(
            "SELECT t.id AS task_id, t.name AS task_name, p.built_on, e.duration_s,"
            " e.start >= p.built_on AS after"
            " FROM task t JOIN plan p ON p.task_id = t.id JOIN time_entry e ON e.task_id = t.id"
            """ WHERE p.built_on IS NOT NULL AND e.kind = 'work' AND e."end" IS NOT NULL"""
            " AND e.duration_s > 0 ORDER BY t.id"
        )
    ]
