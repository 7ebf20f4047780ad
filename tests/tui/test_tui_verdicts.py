"""The terminal app shows needs-estimate and what is missing, like the CLI."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roi.db.store import Store
from roi.models import Step, Task
from tests.tui.test_tui import inventory_rows, make_app, pilot_test, select_task
from tui.screens.task import TaskScreen


@pilot_test
async def test_a_task_without_a_build_estimate_shows_needs_estimate_and_what_is_missing(demo_store: Store) -> None:
    demo_store.add_task(Task(name="No build", per_week=5))
    demo_store.add_step("No build", Step(name="work", minutes=10, automation=0.8))
    app = make_app(demo_store)
    async with app.run_test(size=(100, 30)) as pilot:
        rows = inventory_rows(app)
        last = rows[-1]
        assert last[1] == "No build"
        assert "needs-estimate" in last and "?" in last and "0 d" not in last
        await select_task(pilot, "No build")
        body = app.screen.query_one("#detail-body", Static).render()
        shown = body.plain if isinstance(body, Text) else str(body)
        assert "missing: build_hours" in shown and "roi plan 'No build' --build-hours H" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen)
        verdict = app.screen.query_one("#task-verdict", Static).render()
        text = verdict.plain if isinstance(verdict, Text) else str(verdict)
        assert "needs-estimate" in text and "missing: build_hours" in text and "p: the plan" in text
