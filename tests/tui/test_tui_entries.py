"""Time entries on the task screen: listed per task and step with their source (the
stopwatch or which import), edited and deleted (after asking) through roi.db.timelog,
and the outlier warning beside a measured median far from its estimate."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import DataTable, Input

from roi.db.store import Store
from roi.db.timelog import add_entry, entries
from roi.importers.load import run_import
from roi.models import Plan, Step, Task
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text
from tui.app import create_app
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.entry import EntryForm
from tui.screens.task import TaskScreen


def _task(store: Store, tmp_path: Path) -> int:
    task_id = store.add_task(
        Task(name="Invoices", per_week=2, steps=[Step(name="Collect", minutes=5), Step(name="Send", minutes=3)],
             plan=Plan(build_hours=2))
    )
    collect = store.get_task(task_id).steps[0].id
    for day, minutes in ((20, 40), (21, 45), (22, 50)):  # a median of 45 against an estimate of 5
        start = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
        add_entry(store, task_id, start, start + timedelta(minutes=minutes), step_id=collect, source="stopwatch")
    log = tmp_path / "hours.csv"
    log.write_text("date,task,minutes\n2026-11-02,Invoices,30\n")
    run_import(store, log)
    return int(task_id)


async def _open(pilot, task_id: int) -> TaskScreen:  # noqa: ANN001
    pilot.app.action_open_task(task_id)
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, TaskScreen)
    return screen


@pilot_test
async def test_entries_are_listed_with_their_source_and_the_outlier_warning(store: Store, tmp_path: Path) -> None:
    task_id = _task(store, tmp_path)
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await _open(pilot, task_id)
        table = screen.query_one("#entries", DataTable)
        rows = [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert len(rows) == 4
        assert rows[0][1] == "50.0" and rows[0][2] == "Collect" and rows[0][3] == "stopwatch"
        imported = rows[-1]
        assert imported[2] == "whole task" and "import" in imported[3] and "hours.csv" in imported[3]
        steps = screen.query_one("#steps", DataTable)
        measured = str(getattr(steps.get_row_at(0)[3], "plain", ""))
        assert measured.startswith("⚠") and "45.0" in measured
        assert "Time entries 4" in screen_text(app)


@pilot_test
async def test_delete_an_entry_asks_first_and_the_measurement_follows(store: Store, tmp_path: Path) -> None:
    task_id = _task(store, tmp_path)
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await _open(pilot, task_id)
        table = screen.query_one("#entries", DataTable)
        table.focus()
        await pilot.pause()
        newest = screen.selected_entry()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: nothing deleted
        await pilot.pause()
        assert len(entries(store, task_id=task_id)) == 4
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        left = entries(store, task_id=task_id)
        assert len(left) == 3 and newest not in {e.id for e in left}
        assert table.row_count == 3
        assert len(store.get_task(task_id).steps) == 2  # d on the entries never deletes a step


@pilot_test
async def test_edit_an_entry_through_the_core(store: Store, tmp_path: Path) -> None:
    task_id = _task(store, tmp_path)
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await _open(pilot, task_id)
        table = screen.query_one("#entries", DataTable)
        table.focus()
        await pilot.pause()
        entry_id = screen.selected_entry()
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EntryForm)
        form.query_one("#f-minutes", Input).value = "0"
        await pilot.pause()
        assert "more than 0" in screen_text(app)
        form.query_one("#f-minutes", Input).value = "1h"
        await pilot.pause()
        assert "50 min → 60 min" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        edited = next(e for e in entries(store, task_id=task_id) if e.id == entry_id)
        assert edited.minutes == 60
        assert app.screen is screen
        assert str(getattr(table.get_row_at(0)[1], "plain", "")) == "60.0"
