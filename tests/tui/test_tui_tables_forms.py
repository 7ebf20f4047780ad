"""Tables that read (layout from measured widths, fixed decimals, sort mark, counts,
summary) and forms that show the result (preview, words not field names, help, Select)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, Select, Static

from roi import payback
from roi.db.store import Store
from roi.models import Plan, Step, Task
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.form import FormScreen
from tui.widgets.ranked_table import RankedTable

LONG = "Quarterly compliance evidence collection"  # 40 characters


def make_app(store: Store) -> RoiApp:
    return create_app(store, today=TODAY)


def _long_named(store: Store) -> None:
    assert len(LONG) == 40
    store.add_task(Task(name=LONG, category="admin", per_week=0.2,
                        steps=[Step(name="Gather", minutes=90, automation=0.7)], plan=Plan(build_hours=6)))


def _table(app: RoiApp) -> RankedTable:
    return app.screen.query_one("#inventory", RankedTable)


async def _select(pilot, name: str) -> int:  # noqa: ANN001
    app = pilot.app
    task_id = next(r.id for r in app.ranked if r.name == name)
    table = _table(app)
    table.move_cursor(table.row_index(task_id))
    await pilot.pause()
    return task_id


@pilot_test
async def test_the_wide_layout_is_chosen_from_measured_widths(demo_store: Store) -> None:
    _long_named(demo_store)
    for width in (110, 116, 125):
        app = make_app(demo_store)
        async with app.run_test(size=(width, 30)) as pilot:
            await pilot.pause()
            table = _table(app)
            keys = [c.key for c in table.columns]
            text = screen_text(app)
            # whatever the layout, verdicts and flags are never cut
            assert "⚑calendar" in text and "⚑email" in text, width
            assert "autom…" not in text and "⚑emai…" not in text, width
            assert table.needed_width(table.columns) <= width - 2
            if "category" in keys:  # all columns: they fit as measured, names shrink first
                assert "break_even" in keys and "net" in keys
    app = make_app(demo_store)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        assert [c.key for c in _table(app).columns][2] == "category"
        assert LONG in screen_text(app)  # room for the whole 40-character name


@pilot_test
async def test_numbers_have_fixed_decimals_and_payback_its_unit(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        table = _table(app)
        keys = [c.key for c in table.columns]
        for index in range(table.row_count):
            row = dict(zip(keys, table.row_texts(index), strict=True))
            r = app.ranked[index]
            assert row["saved"] == f"{r.outcome.net_weekly_gain:.2f}".replace("-0.00", "0.00")
            assert row["build"] == f"{r.build_hours:.1f}"
            assert row["net"] == f"{r.net_hours:.1f}"
            assert row["payback"] == ("never" if r.payback_weeks is None else f"{r.payback_weeks:.1f} wk")
        assert all(c.right for c in table.columns if c.key in ("saved", "build", "payback", "net"))


@pilot_test
async def test_the_sorted_column_is_marked_and_always_shown(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = screen_text(app).splitlines()[3]
        assert "Payback ▲" in header
        await pilot.press("s")
        assert await until(pilot, lambda: app.rank_by == "net")
        await pilot.pause()
        table = _table(app)
        assert "net" in [c.key for c in table.columns]  # the 80-column layout shows Net h now
        header = screen_text(app).splitlines()[3]
        assert "Net h ▼" in header and "Payback ▲" not in header


@pilot_test
async def test_filtered_count_empty_state_and_portfolio_summary(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        counts = {v: sum(1 for r in app.ranked if r.verdict == v) for v in ("automate", "maybe", "skip")}
        back = sum(r.outcome.net_weekly_gain for r in app.ranked if r.verdict == "automate")
        summary = str(app.screen.query_one("#portfolio").render())
        assert f"{counts['automate']} automate · {counts['maybe']} maybe · {counts['skip']} skip" in summary
        assert f"{back:.2f} h/wk" in summary and "52" in summary and "overrun" in summary
        total = len(app.ranked)
        await pilot.press("slash", *"writing")
        await pilot.pause()
        shown = _table(app).row_count
        assert 0 < shown < total
        assert f"{shown} of {total} tasks" in screen_text(app)
        await pilot.press(*" zzz")
        await pilot.pause()
        text = screen_text(app)
        assert f"0 of {total} tasks" in text
        assert f"None of the {total} tasks matches writing zzz" in text and "esc" in text


@pilot_test
async def test_task_form_chooses_category_and_status_and_pins_the_frequency(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 34)) as pilot:
        task_id = await _select(pilot, "Grant proposal")
        await pilot.press("enter", "n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        category = form.query_one("#f-category", Select)
        assert category.value == "writing"
        category.value = "research"
        form.query_one("#f-status", Select).value = "planned"
        form.query_one("#f-per_week_pinned", Checkbox).value = True
        form.query_one("#f-learning_note", Input).value = "how to template a proposal"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        task = demo_store.get_task(task_id)
        assert (task.category, task.status, task.per_week_pinned) == ("research", "planned", True)
        assert task.learning_note == "how to template a proposal"


@pilot_test
async def test_step_form_previews_the_effect_with_the_core_arithmetic(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 34)) as pilot:
        task_id = await _select(pilot, "Video trimming")
        await pilot.press("enter", "e")
        await pilot.pause()
        form = app.screen
        r = app.by_id[task_id]
        form.query_one("#f-minutes", Input).value = "20"
        form.query_one("#f-automation", Input).value = "50%"
        form.query_one("#f-overhead", Input).value = "2"
        form.query_one("#f-failure_rate", Input).value = "0"
        await pilot.pause()
        saved = payback.saved_minutes(20, 0.5, 2, 0)
        weekly = payback.weekly_saving_hours(r.per_week, [saved])
        weeks = payback.payback_weeks(payback.build_cost(r.build_hours, r.overrun_factor), weekly)
        preview = str(form.query_one("#form-preview", Static).render())
        assert f"Saves {saved:g} min per occurrence" in preview
        assert f"{round(weekly, 2):g} h a week" in preview
        assert weeks is not None and "pays back in" in preview
        form.query_one("#f-overhead", Input).value = "30"  # now it loses time
        await pilot.pause()
        preview = str(form.query_one("#form-preview", Static).render())
        assert "Saves -20 min" in preview and "never pays back" in preview
        form.query_one("#f-failure_rate", Input).value = "1.5"
        await pilot.pause()
        error = str(form.query_one("#err-failure_rate", Static).render())
        assert "failure rate" in error and "failure_rate" not in error


@pilot_test
async def test_plan_form_previews_and_says_what_each_field_means(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 34)) as pilot:
        task_id = await _select(pilot, "Grant proposal")
        await pilot.press("enter", "p")
        await pilot.pause()
        form = app.screen
        assert "overrun is added on top" in screen_text(app)  # help stays while typing
        form.query_one("#f-build_hours", Input).value = "12"
        await pilot.pause()
        r = app.by_id[task_id]
        weeks = payback.payback_weeks(payback.build_cost(12, r.overrun_factor), r.outcome.net_weekly_gain)
        preview = str(form.query_one("#form-preview", Static).render())
        assert "Costs 12 h to build" in preview and weeks is not None
        assert f"pays back in {weeks:.1f} weeks" in preview
        form.query_one("#f-start_date", Input).value = "soon"
        await pilot.pause()
        error = str(form.query_one("#err-start_date", Static).render())
        assert "the start date" in error and "start_date" not in error


@pilot_test
async def test_settings_say_what_they_mean_next_to_the_value(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        text = screen_text(app)
        assert "weeks over which net hours and ROI are counted" in text
        assert "how much longer builds take than estimated" in text
