"""Calibration from actuals: how the person's build estimates err, and what automations
really save once they are in use.

A finished build is a plan with actual build hours (recorded with `roi plan TASK
--actual-build-hours H`, or timed with `roi time start TASK --build`). The estimate it is
compared with is the build estimate as it stood when the actual was first recorded.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date

from roi.db.store import Store
from roi.uncertainty import Overrun

MIN_BUILDS = 3


@dataclass(frozen=True)
class Build:
    task_id: int
    task_name: str
    estimated_hours: float
    actual_hours: float

    @property
    def ratio(self) -> float:
        return self.actual_hours / self.estimated_hours


@dataclass(frozen=True)
class Realised:
    """What an automated task really saves, from the time logged after it went live."""

    task_id: int
    task_name: str
    built_on: date
    minutes_before: float
    minutes_after: float
    samples_after: int

    @property
    def saved_minutes(self) -> float:
        return self.minutes_before - self.minutes_after


def recorded_builds(store: Store) -> list[Build]:
    rows = store.conn.execute(
        "SELECT p.task_id, t.name, coalesce(p.estimated_build_hours, p.build_hours), p.actual_build_hours"
        " FROM plan p JOIN task t ON t.id = p.task_id WHERE p.actual_build_hours IS NOT NULL"
        " ORDER BY p.task_id"
    )
    return [Build(r[0], r[1], float(r[2]), float(r[3])) for r in rows if r[2] and r[2] > 0]


def overrun(store: Store, fallback: float) -> Overrun:
    """The person's own overrun once there are enough finished builds, else the setting."""
    builds = recorded_builds(store)
    if len(builds) >= MIN_BUILDS:
        ratios = tuple(b.ratio for b in builds)
        return Overrun(statistics.median(ratios), ratios, source=f"calibrated ({len(builds)} builds)")
    return Overrun(fallback, (), source="setting")


def realised_savings(store: Store, min_samples: int = 1) -> list[Realised]:
    """Median minutes per logged occurrence before and after each automated task went live."""
    rows = store.conn.execute(
        """
        SELECT t.id, t.name, p.built_on, e.duration_s, e.start >= p.built_on AS after
        FROM task t JOIN plan p ON p.task_id = t.id JOIN time_entry e ON e.task_id = t.id
        WHERE p.built_on IS NOT NULL AND e.kind = 'work' AND e."end" IS NOT NULL AND e.duration_s > 0
        ORDER BY t.id
        """
    ).fetchall()
    grouped: dict[int, tuple[str, str, list[float], list[float]]] = {}
    for task_id, name, built_on, seconds, after in rows:
        entry = grouped.setdefault(task_id, (name, built_on, [], []))
        (entry[3] if after else entry[2]).append(seconds / 60.0)
    result = []
    for task_id, (name, built_on, before, after) in grouped.items():
        if len(after) >= min_samples and before:
            result.append(
                Realised(task_id, name, date.fromisoformat(built_on), statistics.median(before),
                         statistics.median(after), len(after))
            )
    return result
