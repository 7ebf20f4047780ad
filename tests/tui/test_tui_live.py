"""Live data: what the CLI or a second app writes to the same database (tasks, steps,
plans, time entries, the stopwatch) shows in the running app within a second, through
`PRAGMA data_version`; ctrl+l reads everything again; quitting while an import runs
asks first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.db.timelog import start_timer, stop_timer
from roi.db.watch import data_version
from roi.models import Step, Task
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.confirm import ConfirmScreen
from tui.screens.importer import ImportScreen
from tui.screens.inventory import InventoryScreen
from tui.screens.task import TaskScreen
from tui.widgets.ranked_table import RankedTable

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def names(app: RoiApp) -> list[str]:
    table = app.screen.query_one("#inventory", RankedTable)
    return [table.row_texts(i)[1] for i in range(table.row_count)]


def test_data_version_moves_only_for_another_connections_commits(db_path: Path) -> None:
    mine, other = Store.open(db_path), Store.open(db_path)
    try:
        start = data_version(mine)
        assert start is not None
        mine.add_task(Task(name="Mine", per_week=1))
        assert data_version(mine) == start  # its own write: nothing to re-read
        other.add_task(Task(name="Theirs", per_week=1))
        assert data_version(mine) != start
    finally:
        mine.close()
        other.close()
    assert data_version(mine) is None  # closed: "cannot tell now", never an exception


@pilot_test
async def test_a_task_added_through_a_second_connection_is_ranked_within_a_second(
    demo_store: Store, db_path: Path,
) -> None:
    app = create_app(demo_store, today=TODAY, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Added elsewhere" not in names(app)
        other = Store.open(db_path)  # what `roi task add` or a second app does
        try:
            task_id = other.add_task(Task(name="Added elsewhere", per_week=40, steps=[Step(name="s", minutes=30)]))
            other.set_plan(task_id, build_hours=1)
        finally:
            other.close()
        assert await until(pilot, lambda: "Added elsewhere" in names(app), within=1.0)
        assert app.by_id[task_id].rank == 1  # ranked, not only listed
        assert names(app)[0] == "Added elsewhere"
        assert "11 tasks" in screen_text(app)


@pilot_test
async def test_steps_plans_time_entries_and_the_stopwatch_from_elsewhere_show_on_the_task_screen(
    demo_store: Store, db_path: Path,
) -> None:
    app = create_app(demo_store, today=TODAY, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        task_id = next(r.id for r in app.ranked if r.name == "Video trimming")
        table = app.screen.query_one("#inventory", RankedTable)
        table.move_cursor(table.row_index(task_id) or 0)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        other = Store.open(db_path)
        try:
            other.add_step(task_id, Step(name="Export elsewhere", minutes=7))
            assert await until(pilot, lambda: "Export elsewhere" in screen_text(app))
            other.set_plan(task_id, build_hours=9)
            assert await until(pilot, lambda: "build 9 h" in screen_text(app))
            start_timer(other, task_id, None, now=NOW - timedelta(minutes=3))  # `roi time start`
            assert await until(pilot, lambda: app.timer is not None and app.timer.task_id == task_id)
            stop_timer(other, now=NOW)  # `roi time stop`: a time entry
            assert await until(pilot, lambda: app.timer is None)
        finally:
            other.close()
        assert app.is_running


@pilot_test
async def test_ctrl_l_reads_again_what_is_not_in_the_database(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The flag rules file is not in the database (data_version cannot see it): ctrl+l."""
    rules = tmp_path / "no-user-flags.toml"  # the file $ROI_FLAGS names (conftest)
    app = create_app(demo_store, today=TODAY, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        task_id = next(r.id for r in app.ranked if r.name == "Video trimming")
        assert not app.by_id[task_id].flags
        rules.write_text(
            '[[rule]]\ncode = "low-roi:video"\ntitle = "Video"\nwords = ["video"]\n'
            'default_overhead_ratio = 1.0\nreason = "Cutting is judgement."\n', "utf-8",
        )
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert [f.code for f in app.by_id[task_id].flags] == ["low-roi:video"]
        assert "Read the database again: 10 tasks." in [n.message for n in app._notifications]  # noqa: SLF001
        rules.write_text("[[rule]\nbroken", "utf-8")  # edited into invalid TOML: said, not a crash
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert app.is_running and app.by_id[task_id].flags
        assert any("not updated" in n.message for n in app._notifications)  # noqa: SLF001


@pilot_test
async def test_quitting_while_an_import_runs_asks_first(demo_store: Store) -> None:
    app = create_app(demo_store, today=TODAY, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ImportScreen)
        screen.running = True  # as while its worker writes
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, ConfirmScreen)
        assert "An import is still running" in screen_text(app)
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.is_running and app.screen is screen
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")  # ctrl+q again on the question: quit
        await pilot.pause()
        assert not app.is_running


@pilot_test
async def test_quitting_without_an_import_does_not_ask(demo_store: Store) -> None:
    app = create_app(demo_store, today=TODAY, clock=lambda: NOW)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, InventoryScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running
