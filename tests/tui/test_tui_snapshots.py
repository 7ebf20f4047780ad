"""Snapshots of the main screens: fixed sizes, frozen date and clock, pinned Textual.

Update after an intended change with `pytest tests/tui/test_tui_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from roi.db.store import Store
from roi.db.timelog import start_timer
from tests.conftest import TODAY
from tui.app import RoiApp, create_app

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def make_app(store: Store) -> RoiApp:
    return create_app(store, today=TODAY, clock=lambda: NOW)


async def _to_task(pilot, name: str) -> None:  # noqa: ANN001
    app = pilot.app
    task_id = next(r.id for r in app.ranked if r.name == name)
    table = app.screen.query_one("#inventory")
    table.move_cursor(table.row_index(task_id))
    await pilot.pause()


def test_inventory_80x24(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24))


def test_inventory_120x40_with_a_filter(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=(120, 40), press=["slash", *"admin", "enter"])


def test_task_screen_with_running_stopwatch(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    start_timer(demo_store, "Email triage", "Reply", now=datetime(2026, 11, 28, 9, 47, 30, tzinfo=UTC))

    async def open_task(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Email triage")
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), run_before=open_task)


def test_step_form_with_invalid_values(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    async def edit(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Video trimming")
        await pilot.press("enter", "e")
        await pilot.pause()
        pilot.app.screen.query_one("#f-minutes").value = "10:5:2"
        pilot.app.screen.query_one("#f-failure_rate").value = "1.5"
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), run_before=edit)


def test_flags_dialog_after_dismissing(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    async def dismiss(pilot) -> None:  # noqa: ANN001
        await _to_task(pilot, "Email triage")
        await pilot.press("f", "x")
        await pilot.pause()

    assert snap_compare(make_app(demo_store), terminal_size=(100, 30), run_before=dismiss)


def test_settings(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["comma"])


def test_help(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), press=["question_mark"])


def test_payback_chart_top_five(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(demo_store), terminal_size=(100, 30), press=["c", "n"])


def test_help_scrolled_to_the_keys(demo_store: Store, snap_compare) -> None:  # noqa: ANN001
    """The key table at 80x24, one line per key, after End (the help scrolls now)."""

    async def to_the_end(pilot) -> None:  # noqa: ANN001
        from tests.tui.helpers import until
        from tui.screens.help import HelpView

        await pilot.press("question_mark", "end")
        view = pilot.app.screen.query_one(HelpView)
        assert await until(pilot, lambda: view.max_scroll_y > 0 and view.scroll_y == view.max_scroll_y)

    assert snap_compare(make_app(demo_store), terminal_size=(80, 24), run_before=to_the_end)
