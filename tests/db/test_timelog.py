"""The time log's named functions: entries, remove_entries, edit_entry, a dropped
stopwatch mis-press; measurements and build totals follow every change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from roi.db.store import Store
from roi.db.timelog import (
    MIN_STOPWATCH_SECONDS,
    add_entry,
    edit_entry,
    entries,
    measurements,
    remove_entries,
    running_timer,
    start_timer,
    stop_timer,
)
from roi.models import RoiError, Step, Task

T0 = datetime(2026, 11, 2, 9, tzinfo=UTC)


@pytest.fixture
def task_id(store: Store) -> int:
    task_id = store.add_task(Task(name="Invoice", per_week=1))
    store.add_step(task_id, Step(name="fill", minutes=5))
    return task_id


def log(store: Store, task_id: int, *minutes: float, kind: str = "work") -> list[int]:
    return [
        add_entry(store, task_id, T0 + timedelta(days=7 * i), T0 + timedelta(days=7 * i, minutes=m), kind=kind)
        for i, m in enumerate(minutes)
    ]


def test_entries_are_rows_by_name_oldest_first_without_the_running_timer(store: Store, task_id: int) -> None:
    ids = log(store, task_id, 5, 6)
    start_timer(store, task_id, now=T0 + timedelta(days=30))
    found = entries(store)
    assert [e.id for e in found] == ids
    assert (found[0].task, found[0].step, found[0].minutes, found[0].source) == ("Invoice", None, 5.0, "manual")
    assert [e.id for e in entries(store, since=T0 + timedelta(days=1))] == ids[1:]
    assert entries(store, task_id=task_id + 1) == []


def test_remove_entries_is_one_transaction_and_refreshes_measurements(store: Store, task_id: int) -> None:
    ids = log(store, task_id, 5, 6, 40)
    assert measurements(store)[(task_id, None)].samples == 3
    with pytest.raises(RoiError, match="no time entry 999"):
        remove_entries(store, [ids[0], 999])
    assert len(entries(store)) == 3  # nothing removed
    removed = remove_entries(store, [ids[2], ids[2]])
    assert [e.minutes for e in removed] == [40.0]
    assert measurements(store)[(task_id, None)].samples == 2
    assert measurements(store)[(task_id, None)].median_minutes == pytest.approx(5.5)


def test_the_running_stopwatch_is_not_an_entry_to_remove(store: Store, task_id: int) -> None:
    timer = start_timer(store, task_id, now=T0)
    with pytest.raises(RoiError, match="running stopwatch"):
        remove_entries(store, [timer.entry_id])
    assert running_timer(store) is not None


def test_edit_entry_refreshes_measurements(store: Store, task_id: int) -> None:
    ids = log(store, task_id, 5, 6, 40)
    before, after = edit_entry(store, ids[2], minutes=7)
    assert (before.minutes, after.minutes, after.start) == (40.0, 7.0, before.start)
    assert measurements(store)[(task_id, None)].median_minutes == pytest.approx(6.0)
    _, moved = edit_entry(store, ids[2], start=before.start - timedelta(minutes=3))
    assert moved.minutes == pytest.approx(10.0) and moved.end == after.end
    with pytest.raises(RoiError, match="cannot end"):
        edit_entry(store, ids[2], end=before.start - timedelta(hours=1))


def test_removing_timed_builds_takes_back_the_actual_build_hours(store: Store, task_id: int) -> None:
    (build,) = log(store, task_id, 90, kind="build")
    assert store.get_task(task_id).plan.actual_build_hours == pytest.approx(1.5)
    remove_entries(store, [build])
    assert store.get_task(task_id).plan.actual_build_hours is None


def test_a_stopwatch_run_under_the_minimum_is_not_stored(store: Store, task_id: int) -> None:
    start_timer(store, task_id, now=T0)
    stopped = stop_timer(store, now=T0 + timedelta(seconds=MIN_STOPWATCH_SECONDS - 1))
    assert not stopped.kept and stopped.seconds == MIN_STOPWATCH_SECONDS - 1
    assert entries(store) == [] and running_timer(store) is None
    start_timer(store, task_id, now=T0)
    assert stop_timer(store, now=T0 + timedelta(seconds=3), keep=True).kept
    assert [e.seconds for e in entries(store)] == [3.0]
