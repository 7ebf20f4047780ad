"""The terminal app's forms read quantities with the CLI's parser (roi.quantities):
the same units, the same "did you mean 80%?", the same words."""

from __future__ import annotations

from textual.widgets import Button, Input, Static

from roi.db.store import Store
from tests.tui.test_tui import SIZE, fill, make_app, pilot_test, select_task
from tui.dialogs.form import FormScreen
from tui.dialogs.settings import SettingsScreen


def error(screen, name: str) -> str:  # noqa: ANN001
    return str(screen.query_one(f"#err-{name}", Static).render())


@pilot_test
async def test_step_and_plan_forms_take_units(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        task_id = await select_task(pilot, "Video trimming")
        await pilot.press("enter", "e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, {"minutes": "5m", "automation": "80"})
        assert "did you mean 80%?" in error(form, "automation")
        assert error(form, "minutes") == ""
        assert form.query_one("#save", Button).disabled
        await fill(pilot, {"minutes": "1h30m", "overhead": "30s", "automation": "80%", "failure_rate": "10%"})
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
        step = demo_store.get_task(task_id).steps[0]
        assert (step.minutes, step.overhead, step.automation, step.failure_rate) == (90, 0.5, 0.8, 0.1)

        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        await fill(pilot, {"build_hours": "5 apples"})
        assert "must be a number of hours or LOW:LIKELY:HIGH (got '5 apples')" in error(form, "build_hours")
        await fill(pilot, {"build_hours": "1d:2d:1w", "upkeep_hours_per_week": "30m/week",
                           "actual_build_hours": ""})
        await pilot.press("ctrl+s")
        await pilot.pause()
        plan = demo_store.get_task(task_id).plan
        assert plan is not None
        assert (plan.build_low, plan.build_hours, plan.build_high) == (8, 16, 40)
        assert plan.upkeep_hours_per_week == 0.5


@pilot_test
async def test_settings_form_takes_percentages_and_known_values(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("comma")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SettingsScreen)
        await fill(pilot, {"currency": "doubloons", "automate_within": "25"})
        assert "currency must be a known currency" in error(screen, "currency")
        assert "did you mean 25%?" in error(screen, "automate_within")
        await fill(pilot, {"automate_within": "20%", "build_budget_hours_per_week": "1h/day"})
        screen.query_one("#f-currency", Input).value = "€"  # a key a test cannot press
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        settings = demo_store.settings()
        assert (settings.currency, settings.automate_within) == ("€", 0.2)
        assert settings.build_budget_hours_per_week == 7
