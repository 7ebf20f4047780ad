"""The "where the time goes" screen (w, or the palette) and the estimate form it opens
on a row (e): Pilot walks and one snapshot at 80x24."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import Input

from roi.db.store import Store
from roi.importers.load import run_import
from tests.cli.test_spent import write_toggl
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.estimate import EstimateForm
from tui.screens.inventory import InventoryScreen
from tui.screens.spent import SpentScreen, sparkline
from tui.screens.task import TaskScreen

NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def make_app(store: Store) -> RoiApp:
    return create_app(store, today=TODAY, clock=lambda: NOW)


def logged(store: Store, tmp_path: Path) -> Store:
    run_import(store, write_toggl(tmp_path))
    return store


def fill(form: EstimateForm, **values: str) -> None:
    for name, value in values.items():
        form.query_one(f"#f-{name}").value = value


def test_sparkline_scales_to_the_row_and_leaves_empty_weeks_blank() -> None:
    assert sparkline((0.0, 1.0, 2.0, 0.0, 4.0)) == " ▃▅ █"
    assert sparkline(()) == "" and sparkline((0.0, 0.0)) == ""
    assert len(sparkline(tuple(float(i) for i in range(30)))) == 12


@pilot_test
async def test_the_screen_lists_hours_a_week_sorted_with_share_trend_and_state(store: Store, tmp_path: Path) -> None:
    logged(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SpentScreen)
        assert [r.name for r in screen.spent.rows] == ["Weekly report", "Code review", "Invoices"]
        text = screen_text(app)
        assert "Weekly report" in text and "needs-estimate" in text
        assert "%" in text and any(bar in text for bar in "▁▂▃▄▅▆▇█")
        await pilot.press("enter")  # the row's task
        assert await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        assert app.screen.task_id == store.get_task("Weekly report").id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SpentScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, InventoryScreen)


@pilot_test
async def test_the_palette_opens_it(store: Store, tmp_path: Path) -> None:
    logged(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        # pasted: one search, not one per key (the palette gathers each one's hits for 0.1-0.25 s)
        app.screen.query_one(Input).insert_text_at_cursor("where the time")
        assert await until(pilot, lambda: "Where the time goes" in screen_text(app))
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, SpentScreen))


@pilot_test
async def test_estimate_a_row_from_options_and_it_ranks_with_a_verdict(store: Store, tmp_path: Path) -> None:
    logged(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EstimateForm)
        fill(form, automation="60%", overhead="2m", build_hours="4")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, SpentScreen))
        task = store.get_task("Weekly report")
        assert [s.name for s in task.steps] == ["Weekly report"]
        assert task.steps[0].automation == 0.6 and task.steps[0].overhead == 2.0
        ranked = app._state.by_id[task.id]  # noqa: SLF001
        assert ranked.verdict in ("automate", "maybe", "skip") and not ranked.missing
        row = next(r for r in app.screen.spent.rows if r.task_id == task.id)
        assert row.state == ranked.verdict


@pilot_test
async def test_estimate_from_a_template_and_a_bad_value_is_refused_in_the_form(store: Store, tmp_path: Path) -> None:
    logged(store, tmp_path)
    app = make_app(store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        await pilot.press("down", "e")  # Code review
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EstimateForm)
        fill(form, automation="150%")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EstimateForm)  # not saved
        assert "automation" in screen_text(app).lower()
        assert store.get_task("Code review").steps == []
        fill(form, automation="", like="no-such-template")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EstimateForm)
        fill(form, like="coding")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert await until(pilot, lambda: isinstance(app.screen, SpentScreen))
        steps = store.get_task("Code review").steps
        assert len(steps) == 1 and steps[0].automation == 0.6  # the coding template's


def test_spent_screen_80x24(store: Store, tmp_path: Path, snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(make_app(logged(store, tmp_path)), terminal_size=(80, 24), press=["w"])


@pilot_test
async def test_the_task_screen_says_the_occurrence_rule_and_the_flag_in_numbers(store: Store, tmp_path: Path) -> None:
    from tests.db.test_sessions import aw_export
    from tests.importers.test_calendar_mail import ME, mails, write_mbox

    run_import(store, aw_export(tmp_path / "aw.json"))
    run_import(store, write_mbox(tmp_path / "all.mbox", mails()), me=ME)
    app = make_app(store)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("w")
        await pilot.pause()
        for name, words in (("thunderbird", "from 600 window events"),
                            ("Email triage", "emails a week (measured from your mailbox)")):
            rows = app.screen.spent.rows
            app.screen.query_one("#spent-table").move_cursor(row=next(i for i, r in enumerate(rows) if r.name == name))
            await pilot.press("enter")
            assert await until(pilot, lambda: isinstance(app.screen, TaskScreen))
            assert words in " ".join(screen_text(app).split()), name
            await pilot.press("escape")
            await pilot.pause()
