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

from roi.db.golive import GoLiveEntry, go_live_entries
from roi.db.store import FinishedBuild, Store
from roi.uncertainty import Overrun

MIN_BUILDS = 3


Build = FinishedBuild  # a finished build: task, estimated and actual hours, their ratio


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
    return store.finished_builds()


def overrun(store: Store, fallback: float) -> Overrun:
    """The person's own overrun once there are enough finished builds, else the setting."""
    builds = recorded_builds(store)
    if len(builds) >= MIN_BUILDS:
        ratios = tuple(b.ratio for b in builds)
        return Overrun(statistics.median(ratios), ratios, source=f"calibrated ({len(builds)} builds)")
    return Overrun(fallback, (), source="setting")


def realised_savings(store: Store, min_samples: int = 1) -> list[Realised]:
    """Median minutes per logged occurrence before and after each automated task went live."""
    tasks: dict[int, GoLiveEntry] = {}  # by task id, in task order
    minutes: dict[tuple[int, bool], list[float]] = {}  # (task id, after going live)
    for e in go_live_entries(store):
        tasks.setdefault(e.task_id, e)
        minutes.setdefault((e.task_id, e.after), []).append(e.minutes)
    result = []
    for task_id, e in tasks.items():
        before, after = minutes.get((task_id, False), []), minutes.get((task_id, True), [])
        if len(after) >= min_samples and before:
            result.append(
                Realised(task_id, e.task_name, e.built_on, statistics.median(before),
                         statistics.median(after), len(after))
            )
    return result
