"""Pilot walks through every flow of the terminal app (App.run_test, no real terminal)."""

from __future__ import annotations

import asyncio
import functools
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, Input, Select, Static

from roi.db.store import Store
from roi.models import Step, Task
from tests.conftest import TODAY
from tests.tui.helpers import screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.flags import FlagsScreen
from tui.dialogs.form import FormScreen
from tui.dialogs.report import ReportScreen
from tui.dialogs.settings import SettingsScreen
from tui.screens.chart import ChartScreen
from tui.screens.help import HelpScreen
from tui.screens.inventory import InventoryScreen
from tui.screens.task import TaskScreen
from tui.widgets.ranked_table import RankedTable

SIZE = (100, 30)


def pilot_test(coro_fn):  # noqa: ANN001, ANN201
    """Run an async test without an async pytest plugin (fixtures still resolve)."""

    @functools.wraps(coro_fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(coro_fn(*args, **kwargs))

    return run


class FakeClock:
    """The stopwatch's clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def make_app(store: Store, clock: FakeClock | None = None) -> RoiApp:
    return create_app(store, today=TODAY, clock=clock or FakeClock())


def cell_texts(table: DataTable) -> list[list[str]]:
    rows = []
    for index in range(table.row_count):
        rows.append([str(getattr(c, "plain", c)) for c in table.get_row_at(index)])
    return rows


async def fill(pilot, values: dict[str, str], *, keys: bool = False) -> None:  # noqa: ANN001
    """Fill the form's fields: focus, clear, then the value as a paste would put it (one
    change), or with `keys` one key press per character, the way a person types (each key
    is a round trip through the app: slow, so only where the keys themselves matter)."""
    screen = pilot.app.screen
    for name, value in values.items():
        widget = screen.query_one(f"#f-{name}")
        if isinstance(widget, Select):  # category, status: chosen, not typed
            widget.value = value
            await pilot.pause()
            continue
        box = screen.query_one(f"#f-{name}", Input)
        box.focus()
        box.value = ""
        if keys and value:
            await pilot.press(*value)
        else:
            box.insert_text_at_cursor(value)
            await pilot.pause()
    await pilot.pause()


def inventory_rows(app: RoiApp) -> list[list[str]]:
    table = app.screen.query_one("#inventory", RankedTable)
    return [table.row_texts(i) for i in range(table.row_count)]


async def select_task(pilot, name: str) -> int:  # noqa: ANN001
    app: RoiApp = pilot.app
    task_id = next(r.id for r in app.ranked if r.name == name)
    table = app.screen.query_one("#inventory", RankedTable)
    table.move_cursor(table.row_index(task_id) or 0)
    await pilot.pause()
    return task_id


@pilot_test
async def test_add_task_with_two_steps_and_a_plan_and_see_it_ranked(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, InventoryScreen)
        await pilot.press("a")
        assert isinstance(app.screen, FormScreen)
        await fill(pilot, {"name": "Weekly invoices", "category": "admin", "per_week": "3"}, keys=True)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)

        for name, minutes, automation in (("Collect hours", "20", "0.9"), ("Send PDF", "10", "80%")):
            await pilot.press("a")
            await fill(pilot, {"name": name, "minutes": minutes, "automation": automation})
            assert not app.screen.query_one("#save", Button).disabled
            await pilot.press("ctrl+s")
            await pilot.pause()
        steps = app.screen.query_one("#steps", DataTable)
        assert [row[1] for row in cell_texts(steps)] == ["Collect hours", "Send PDF"]

        await pilot.press("p")
        await fill(pilot, {"build_hours": "2"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InventoryScreen)

        task = store.get_task("Weekly invoices")
        assert [s.name for s in task.steps] == ["Collect hours", "Send PDF"]
        assert task.plan is not None and task.plan.build_hours == 2
        ranked = app.by_id[int(task.id or 0)]
        assert ranked.rank == 1 and ranked.verdict == "automate"
        rows = inventory_rows(app)
        assert rows[0][1] == "Weekly invoices"
        assert rows[0][0] == "1"


@pilot_test
async def test_invalid_step_value_shows_the_message_and_saves_nothing(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Video trimming")
        await pilot.press("enter")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, {"minutes": "-3", "automation": "150%"})
        minutes_error = str(form.query_one("#err-minutes", Static).render())
        automation_error = str(form.query_one("#err-automation", Static).render())
        assert "must not be negative" in minutes_error
        assert "between 0 and 1" in automation_error
        assert form.query_one("#save", Button).disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form  # still open: nothing was saved
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        step = demo_store.get_task(task_id).steps[0]
        assert step.minutes == 45 and step.automation == 0.8
        # What was typed is not lost: the same form brings the draft back.
        await pilot.press("e")
        await pilot.pause()
        assert app.screen.query_one("#f-minutes", Input).value == "-3"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.query_one("#f-minutes", Input).value == "45"
        assert not app.screen.query_one("#save", Button).disabled


@pilot_test
async def test_time_a_step_and_see_the_measured_minutes(demo_store: Store) -> None:
    demo_store.set_setting("min_samples", 1)
    clock = FakeClock()
    app = make_app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Video trimming")
        await pilot.press("enter")
        await pilot.press("t")
        await pilot.pause()
        assert app.timer is not None and app.timer.step_name == "Trim recording"
        clock.advance(minutes=12)
        stopwatch = app.screen.query_one("Stopwatch", Static)
        stopwatch._tick()  # type: ignore[attr-defined]
        assert "0:12:00" in str(stopwatch.render())
        await pilot.press("t")
        await pilot.pause()
        assert app.timer is None
        row = cell_texts(app.screen.query_one("#steps", DataTable))[0]
        assert row[3] == "12.0 (1×)"
        assert row[4].startswith("12.0 meas")
        assert app.by_id[task_id].steps[0].manual_source == "measured"


@pilot_test
async def test_a_running_timer_survives_a_restart_and_is_the_cli_timer(demo_store: Store) -> None:
    from roi.db.timelog import running_timer, stop_timer

    clock = FakeClock()
    async with make_app(demo_store, clock).run_test(size=SIZE) as pilot:
        await select_task(pilot, "Grant proposal")
        await pilot.press("t")
        await pilot.pause()
    assert running_timer(demo_store) is not None  # an open entry, as `roi time status` sees it
    clock.advance(minutes=30)
    app = make_app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        assert app.timer is not None and app.timer.task_name == "Grant proposal"
        assert "0:30:00" in str(app.screen.query_one("Stopwatch", Static).render())
        stop_timer(demo_store, now=clock())  # the CLI stops it meanwhile
        app.sync_timer()
        await pilot.pause()
        assert app.timer is None
        assert not app.screen.query_one("Stopwatch").display


@pilot_test
async def test_dismiss_a_flag_and_see_the_verdict_change_then_undo(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Email triage")
        assert app.by_id[task_id].verdict == "skip"
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        reason = str(app.screen.query_one(".flag-reason", Static).render())
        assert "Email rarely pays back" in reason
        await pilot.press("x")
        await pilot.pause()
        changed = app.by_id[task_id].verdict
        assert changed != "skip"
        assert changed in str(app.screen.query_one("#flags-verdict", Static).render())
        assert (task_id, "low-roi:email") in demo_store.dismissals()
        await pilot.press("escape")
        await pilot.pause()
        row = inventory_rows(app)
        assert any(r[1] == "Email triage" and changed in r for r in row)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press("x")  # undo
        await pilot.pause()
        assert app.by_id[task_id].verdict == "skip"
        assert (task_id, "low-roi:email") not in demo_store.dismissals()


@pilot_test
async def test_export_a_report(demo_store: Store, tmp_path: Path) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        await pilot.click("#fmt-csv")
        target = tmp_path / "out" / "ranking.csv"
        screen.query_one("#path", Input).value = str(target)
        await pilot.click("#export")
        await pilot.pause()
        assert target.is_file()
        assert "Email triage" in target.read_text("utf-8")
        shown = str(screen.query_one("#report-result", Static).render())
        assert "Written to" in shown and "ranking.csv" in shown


@pilot_test
async def test_filter_by_typing_and_sort(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#inventory", RankedTable)
        assert table.row_count == 10
        await pilot.press("slash", *"writing")
        await pilot.pause()
        assert {r[1] for r in inventory_rows(app)} == {"Blog post pipeline", "Grant proposal"}
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 10 and table.has_focus
        await pilot.press("s")
        await pilot.pause()
        assert app.rank_by == "net"
        by_net = sorted(app.ranked, key=lambda r: -r.net_hours if r.payback_weeks is not None else 1e9)
        assert inventory_rows(app)[0][1] == by_net[0].name


@pilot_test
async def test_delete_asks_first(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await select_task(pilot, "Meta-review")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("n")  # no
        await pilot.pause()
        assert demo_store.find_task("Meta-review") is not None
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert demo_store.find_task("Meta-review") is None
        assert app.screen.query_one("#inventory", RankedTable).row_count == 9


@pilot_test
async def test_step_reorder_and_delete(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Email triage")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("shift+down")
        await pilot.pause()
        assert [s.name for s in demo_store.get_task(task_id).steps] == ["Reply", "Read", "Sort by subject"]
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [s.name for s in demo_store.get_task(task_id).steps] == ["Reply", "Sort by subject"]
        assert len(app.screen.query_one("#steps", DataTable).rows) == 2


@pilot_test
async def test_settings_validate_and_rerank(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        await fill(pilot, {"horizon_weeks": "0"})
        assert "greater than 0" in str(app.screen.query_one("#err-horizon_weeks", Static).render())
        assert app.screen.query_one("#save", Button).disabled
        await fill(pilot, {"horizon_weeks": "26", "timezone": "Mars/Olympus"})
        assert "time zone" in str(app.screen.query_one("#err-timezone", Static).render())
        await fill(pilot, {"build_budget_hours_per_week": "200"})
        assert "168" in str(app.screen.query_one("#err-build_budget_hours_per_week", Static).render())
        await fill(pilot, {"timezone": "Europe/Berlin", "automate_within": "0.9", "maybe_within": "0.95",
                           "build_budget_hours_per_week": "6"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InventoryScreen)
        settings = demo_store.settings()
        assert settings.horizon_weeks == 26 and settings.timezone == "Europe/Berlin"
        assert settings.automate_within == 0.9 and settings.maybe_within == 0.95
        assert settings.build_budget_hours_per_week == 6
        assert all(r.horizon_weeks == 26 for r in app.ranked)


@pilot_test
async def test_names_are_shown_literally(store: Store) -> None:
    nasty = "[bold red]boom[/] \x1b[31mred"
    store.add_task(Task(name=nasty, per_week=2, steps=[Step(name="[link=x]s[/link]", minutes=5)]))
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        row = inventory_rows(app)[0]
        assert row[1].startswith("[bold red]boom[/] \\x1b[31mred"[:20])
        detail = str(app.screen.query_one("#detail-body", Static).render())
        assert "[bold red]boom[/]" in detail and "\\x1b" in detail
        await pilot.press("enter")
        await pilot.pause()
        assert cell_texts(app.screen.query_one("#steps", DataTable))[0][1] == "[link=x]s[/link]"


@pilot_test
async def test_help_chart_and_palette(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChartScreen)
        assert "break-even" in str(app.screen.query_one("#legend", Static).render())
        await pilot.press("n")
        await pilot.pause()
        assert str(app.screen.query_one("#legend", Static).render()).count("━━") == 5
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"grant")
        assert await until(pilot, lambda: "Open: Grant proposal" in screen_text(app))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        assert app.screen.ranked is not None and app.screen.ranked.name == "Grant proposal"


@pytest.mark.parametrize("task_count", [30])
@pilot_test
async def test_incremental_rerank_matches_a_full_rank(store: Store, task_count: int) -> None:
    for i in range(task_count):
        store.add_task(Task(name=f"T{i}", per_week=1 + i % 5, steps=[Step(name="s", minutes=5 + i)]))
        store.set_plan(f"T{i}", build_hours=1)  # every task decided: a needs-estimate one ranks last
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        target = app.ranked[-1]
        step_id = target.task.steps[0].id
        store.update_step(step_id, minutes=500)
        app.rerank([target.id])
        await pilot.pause()
        patched = [(r.id, r.rank, r.verdict) for r in app.ranked]
        shown = [int(r[0]) for r in inventory_rows(app)]
        app.rerank()
        await pilot.pause()
        assert patched == [(r.id, r.rank, r.verdict) for r in app.ranked]
        assert shown == [r.rank for r in app.ranked]
        assert app.by_id[target.id].rank == 1


async def open_import(pilot: Any, log: Path) -> Any:
    """The import screen, opened with `i`, with this log typed in and previewed."""
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    screen.query_one("#import-path", Input).value = str(log)
    screen.action_preview()
    await pilot.pause()
    return screen


async def settle(pilot: Any, screen: Any) -> None:
    """Wait for the import screen's thread worker (an import or an undo) to finish."""
    for _ in range(200):
        if not screen.running:
            break
        await pilot.pause(0.05)
    await pilot.pause()


@pilot_test
async def test_import_a_log_and_see_the_new_tasks(demo_store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text(
        "date,task,minutes\n"
        "2026-11-02,Invoices,30\n"
        "2026-11-09,Invoices,25\n"
        "2026-11-16,Invoices,oops\n"
        "2026-11-16,Backups,15\n",
        encoding="utf-8",
    )
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, log)
        assert "Generic" in str(screen.query_one("#import-detected", Static).render())
        preview = cell_texts(screen.query_one("#import-preview", DataTable))
        assert [row[3] for row in preview] == ["Invoices", "Invoices", "", "Backups"]
        assert preview[2][5].startswith("rejected")
        await pilot.press("ctrl+s")
        await settle(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Imported 3 entries" in summary and "1 rejected" in summary
        assert "times without an offset read in" in summary  # how the file was read
        rejected = cell_texts(screen.query_one("#import-rejected", DataTable))
        assert rejected[0][0] == "4" and "oops" in rejected[0][1]
        await pilot.press("escape")
        await pilot.pause()
        names = [row[1] for row in inventory_rows(app)]
        assert "Invoices" in names and "Backups" in names


@pilot_test
async def test_mouse_click_sorts_selects_and_opens(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#inventory", RankedTable)
        widths = table._widths  # noqa: SLF001
        saved_x = (widths[0] + 2) + (widths[1] + 2) + 1  # the third column: h/wk saved
        await pilot.click("#inventory", offset=(saved_x, 0))
        await pilot.pause()
        assert app.rank_by == "net"
        await pilot.click("#inventory", offset=(5, 4))  # fourth row
        await pilot.pause()
        assert table.cursor_row == 3
        third = app.ranked[3]
        assert str(app.screen.query_one("#detail-body", Static).render()).startswith(third.name)
        await pilot.click("#inventory", offset=(5, 4))  # again: open it
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen) and app.screen.task_id == third.id


@pilot_test
async def test_time_from_the_inventory_and_time_a_build(demo_store: Store) -> None:
    clock = FakeClock()
    app = make_app(demo_store, clock)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Video trimming")  # one step: that step is timed
        await pilot.press("t")
        await pilot.pause()
        assert app.timer is not None and app.timer.step_name == "Trim recording"
        clock.advance(minutes=40)
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter", "b")
        await pilot.pause()
        assert app.timer is not None and app.timer.kind == "build"
        clock.advance(minutes=90)
        await pilot.press("b")
        await pilot.pause()
        plan = demo_store.get_task(task_id).plan
        assert plan is not None and plan.actual_build_hours == 1.5
        assert "actually took 1.5 h" in str(app.screen.query_one("#plan", Static).render())


@pilot_test
async def test_a_draft_survives_quitting_with_the_form_open(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await fill(pilot, {"name": "Half-typed task", "per_week": "4"})
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert demo_store.find_task("Half-typed task") is None  # nothing saved...
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        assert app.screen.query_one("#f-name", Input).value == "Half-typed task"  # ...nothing lost
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert demo_store.find_task("Half-typed task") is not None
        assert "task:None" not in app.drafts


@pilot_test
async def test_a_change_made_elsewhere_meanwhile_is_a_message_not_a_crash(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Email triage")
        await pilot.press("enter")
        await pilot.pause()
        first = demo_store.get_task(task_id).steps[0]
        demo_store.remove_step(int(first.id or 0))  # e.g. `roi` in another terminal
        await pilot.press("shift+down")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        assert any("not found" in n.message for n in app._notifications)  # noqa: SLF001
        assert len(app.screen.query_one("#steps", DataTable).rows) == 2  # re-read from the store


@pilot_test
async def test_full_rerank_in_a_thread_keeps_edits_made_meanwhile(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        app.background_from = 0  # as with a large inventory
        demo_store.set_setting("horizon_weeks", 26)
        app.rerank()
        assert app.ranking
        video = next(r for r in app.ranked if r.name == "Video trimming")
        demo_store.update_task(video.id, per_week=0.01)  # an edit while it ranks
        app.rerank([video.id])
        for _ in range(200):
            if not app.ranking:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert not app.ranking
        assert all(r.horizon_weeks == 26 for r in app.ranked)
        assert app.by_id[video.id].per_week == 0.01
        assert [r.rank for r in app.ranked] == list(range(1, len(app.ranked) + 1))
        assert inventory_rows(app)[0][1] == app.ranked[0].name


@pilot_test
async def test_roadmap_screen_schedules_the_builds(demo_store: Store) -> None:
    from textual_plotext import PlotextPlot

    from tui.screens.roadmap import RoadmapScreen

    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("m")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RoadmapScreen)
        table = screen.query_one("#roadmap-table", DataTable)
        rows = cell_texts(table)
        assert rows[0][1] == "Video trimming" and rows[0][3] == "2026-11-28"
        for earlier, later in zip(rows, rows[1:], strict=False):
            assert earlier[4] == later[3]  # one build finishes the day the next starts
        summary = str(screen.query_one("#roadmap-summary", Static).render())
        assert "at 4 h a week" in summary
        assert screen.query_one(PlotextPlot) is not None
        await pilot.press("plus")
        await pilot.pause()
        assert "at 5 h a week" in str(screen.query_one("#roadmap-summary", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InventoryScreen)


@pilot_test
async def test_undo_an_import_to_redo_it_with_other_options(demo_store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log.csv"
    log.write_text("date,task,minutes\n2026-11-02,Invoices,30\n2026-11-09,Backups,15\n", encoding="utf-8")
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_import(pilot, log)
        undo = screen.query_one("#import-undo", Button)
        assert not undo.display
        await pilot.press("ctrl+s")
        await settle(pilot, screen)
        assert undo.display and str(undo.label) == "Undo import 1"
        screen.query_one("#import-tz", Input).value = "America/New_York"  # the zone it should have had
        screen.action_preview()  # type: ignore[attr-defined]
        await pilot.pause()
        await pilot.press("ctrl+s")  # nothing new, and the way out is offered
        await settle(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "imported before (import 1)" in summary and str(undo.label) == "Undo import 1"
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Import 1 undone: removed 2 entries" in summary and "Invoices" in summary
        assert not undo.display
        assert demo_store.find_task("Invoices") is None
        await pilot.press("ctrl+s")  # and it imports in full again, in the new zone
        await settle(pilot, screen)
        assert "Imported 2 entries" in str(screen.query_one("#import-summary", Static).render())
        starts = demo_store.conn.execute("SELECT min(start) FROM time_entry WHERE source = 'generic'").fetchone()
        assert starts == ("2026-11-02T05:00:00Z",)  # midnight in New York
        await pilot.press("escape")
        await pilot.pause()
        assert "Invoices" in [row[1] for row in inventory_rows(app)]


@pilot_test
async def test_a_chosen_theme_is_kept_for_the_next_start(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        assert demo_store.settings().theme is None  # nothing written until a theme is chosen
        app.theme = "nord"
        await pilot.pause()
        await pilot.pause()
    assert demo_store.settings().theme == "nord"
    again = make_app(demo_store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
    demo_store.set_setting("theme", "no-such-theme")  # say, from an older textual: the default stays
    third = make_app(demo_store)
    async with third.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert third.theme == "textual-dark"
