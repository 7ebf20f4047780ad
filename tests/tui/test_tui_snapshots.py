"""Snapshots of the main screens at 80x24 and 120x40: fixed sizes, frozen date and clock,
pinned Textual. Each is a whole app run, so there are few of them.

Update after an intended change with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.db.timelog import add_entry, start_timer
from roi.models import Plan, Step, Task
from tests.conftest import TODAY
from tui.app import RoiApp, create_app

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)
SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
LONG = "Quarterly compliance evidence collection"  # 40 characters


def make_app(store: Store) -> RoiApp:
    store.set_setting("timezone", "UTC")  # times shown the same on every machine
    return create_app(store, today=TODAY, clock=lambda: NOW)


def _steady(app: RoiApp) -> None:
    """No blinking cursor in a text box: a snapshot is taken at any moment of the blink."""
    from textual.widgets import Input

    for box in app.screen.query(Input):
        box.cursor_blink = False


async def _to_task(pilot, name: str) -> None:  # noqa: ANN001
    app = pilot.app
    task_id = next(r.id for r in app.ranked if r.name == name)
    table = app.screen.query_one("#inventory")
    table.move_cursor(table.row_index(task_id))
    await pilot.pause()


@SIZES
def test_inventory_with_a_40_character_name(demo_store: Store, snap_compare, size) -> None:  # noqa: ANN001
    demo_store.add_task(Task(name=LONG, category="admin", per_week=0.2,
                             steps=[Step(name="Gather", minutes=90, automation=0.7)], plan=Plan(build_hours=6)))
    assert snap_compare(make_app(demo_store), terminal_size=size)


@SIZES
def test_help_scrolled_to_the_keys(demo_store: Store, snap_compare, size) -> None:  # noqa: ANN001
    async def to_the_keys(pilot) -> None:  # noqa: ANN001
        from tests.tui.helpers import until
        from tui.screens.help import HelpView

        await pilot.press("question_mark")
        view = pilot.app.screen.query_one(HelpView)
        title = pilot.app.screen.query_one("#help-keys-title")
        assert await until(pilot, lambda: view.max_scroll_y > 0)
        view.scroll_to(y=title.virtual_region.y, animate=False)
        assert await until(pilot, lambda: view.scroll_y > 0)

    assert snap_compare(make_app(demo_store), terminal_size=size, run_before=to_the_keys)


@SIZES
def test_payback_chart_top_five(demo_store: Store, snap_compare, size) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=size, press=["c", "n"])


@SIZES
def test_step_form_with_its_preview(demo_store: Store, snap_compare, size) -> None:  # noqa: ANN001
    async def edit(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Grant proposal")
        await pilot.press("enter", "e")
        await pilot.pause()
        pilot.app.screen.query_one("#f-minutes").value = "300"
        pilot.app.screen.query_one("#f-overhead").value = "20"
        _steady(pilot.app)
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=size, run_before=edit)


@SIZES
def test_import_screen_after_rejected_rows(
    demo_store: Store, snap_compare, size, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    monkeypatch.chdir(tmp_path)  # the path typed in is relative: the same in every run
    lines = ["date,task,minutes"] + [
        f"2026-11-{1 + i % 27:02d},{'Invoices' if i % 2 else 'Backups'},{'oops' if i % 7 == 3 else 10 + i}"
        for i in range(52)
    ]
    Path("hours.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")

    async def run(pilot) -> None:  # noqa: ANN001
        from tests.tui.helpers import until

        await pilot.press("i")
        await pilot.pause()
        screen = pilot.app.screen
        screen.query_one("#import-path").value = "hours.csv"
        screen.action_preview()
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: not screen.running, within=10)
        # the import's own time stamp, frozen for the list of past imports
        demo_store.conn.execute("UPDATE import_batch SET started_at = ?, finished_at = ?",
                                ["2026-11-28T09:59:00Z", "2026-11-28T10:00:00Z"])
        screen.show_history()
        screen.query_one("#import-progress-row").display = False  # its ETA is wall-clock time
        _steady(pilot.app)
        await pilot.pause()
        results = screen.query_one("#import-results")
        summary = screen.query_one("#import-summary")
        results.scroll_to(y=summary.virtual_region.y, animate=False)  # where the screen scrolls to itself
        assert await until(pilot, lambda: results.scroll_y == min(summary.virtual_region.y, results.max_scroll_y))
        screen.query_one("#import-rejected").focus()  # not a button caught mid-fade
        await pilot.wait_for_scheduled_animations()

    assert snap_compare(make_app(demo_store), terminal_size=size, run_before=run)


@SIZES
def test_task_screen_with_time_entries(demo_store: Store, snap_compare, size) -> None:  # noqa: ANN001
    task = demo_store.get_task("Grant proposal")
    budget = task.steps[1].id
    for day, minutes in ((20, 40), (21, 55), (24, 48), (25, 240)):
        start = datetime(2026, 11, day, 9, 0, tzinfo=UTC)
        add_entry(demo_store, int(task.id or 0), start, start + timedelta(minutes=minutes), step_id=budget,
                  source="stopwatch")
    start_timer(demo_store, "Grant proposal", "Budget table", now=datetime(2026, 11, 28, 9, 47, 30, tzinfo=UTC))

    async def open_task(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Grant proposal")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=size, run_before=open_task)


def test_flags_dialog_after_dismissing(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    async def dismiss(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Email triage")
        await pilot.press("f", "x")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=(100, 30), run_before=dismiss)
