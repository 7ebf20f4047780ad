"""Charts at 80x24: round ticks with zero labelled, every break-even mark and legend line
of the top five visible, a zoom, a readable empty state; the roadmap explains its
marks, keeps the budget set with +/-, opens a task with enter and names what it left out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from roi.db.store import Store
from roi.models import Task
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import create_app
from tui.screens.chart import ChartScreen
from tui.screens.task import TaskScreen
from tui.widgets.chart import nice_step, nice_ticks


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6), st.integers(2, 10))
def test_ticks_are_round_cover_the_range_and_hold_zero(a: float, b: float, count: int) -> None:
    low, high = min(a, b), max(a, b)
    ticks = nice_ticks(low, high, count)
    assert 0.0 in ticks
    slack = 1e-6 * max(1.0, high - low)  # a millionth of the span: below what a plot can show
    assert ticks[0] <= min(low, 0.0) + slack and ticks[-1] >= max(high, 0.0) - slack
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** __import__("math").floor(__import__("math").log10(step))
    assert round(mantissa, 6) in (1.0, 2.0, 5.0, 10.0)
    assert nice_step(high - low or 1.0, count) > 0


@pilot_test
async def test_the_top_five_chart_reads_at_80x24(demo_store: Store) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChartScreen)
        if not screen.top:
            await pilot.press("n")
            await pilot.pause()
        tasks = screen.tasks()
        assert len(tasks) == 5 and all(not r.missing for r in tasks)
        lines = screen_text(app).splitlines()
        legend_at = next(i for i, line in enumerate(lines) if "━━" in line)
        plot = "\n".join(lines[:legend_at])
        legend = "\n".join(lines[legend_at:])
        assert plot.count("◆") == sum(1 for r in tasks if r.payback_weeks is not None)
        for r in tasks:
            assert r.name[:20] in legend
        assert "◆ break-even" in legend and "horizon" in legend
        assert any(line.strip().startswith("0┤") or line.strip().startswith("0├") for line in lines)
        await pilot.press("z")
        await pilot.pause()
        assert screen.zoom and "z: whole horizon" in screen_text(app)
        x_axis = next(line for line in screen_text(app).splitlines() if line.strip().startswith("0 "))
        assert max(int(n) for n in x_axis.split()) < 52  # the zoom shows the break-even weeks


@pilot_test
async def test_an_empty_chart_says_what_is_missing(store: Store) -> None:
    store.add_task(Task(name="Only an idea"))
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert "Nothing to chart yet" in screen_text(app)
        assert "steps" in screen_text(app)


@pilot_test
async def test_the_roadmap_keeps_its_budget_opens_tasks_and_names_what_it_left_out(demo_store: Store) -> None:
    demo_store.add_task(Task(name="Undecided chore", per_week=2))
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 34)) as pilot:
        before = demo_store.settings().build_budget_hours_per_week
        await pilot.press("m")
        await pilot.pause()
        text = " ".join(screen_text(app).split())  # wrapped lines joined
        assert "▲ a build finished" in text and "kept in settings" in text
        assert "left out" in text and "Undecided chore" in text
        await pilot.press("plus")
        await pilot.pause()
        assert demo_store.settings().build_budget_hours_per_week == before + 1
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        assert app.screen.ranked is not None and app.screen.ranked.rank == 1
