"""The flags dialog names what matched and what a dismissal changes; the stopwatch drops
a mis-press (issue 14)."""

from __future__ import annotations

from textual.widgets import Static

from roi.db.store import Store
from roi.db.timelog import entries
from roi.models import Step, Task
from tests.tui.test_tui import SIZE, FakeClock, make_app, pilot_test, select_task
from tui.dialogs.flags import FlagsScreen


def invoice(store: Store) -> int:
    task_id = store.add_task(Task(name="Weekly [b]invoice[/b]", category="admin", per_week=1))
    store.add_step(task_id, Step(name="fill the form", minutes=20, automation=0.9))
    store.add_step(task_id, Step(name="send email", minutes=3))
    store.set_plan(task_id, build_hours=2)
    return task_id


@pilot_test
async def test_the_flags_dialog_shows_what_matched_and_the_toast_the_change_in_hours(store: Store) -> None:
    task_id = invoice(store)
    app = make_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await select_task(pilot, "Weekly [b]invoice[/b]")
        assert app.by_id[task_id].verdict == "automate"  # a step match does not force skip
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, FlagsScreen)
        title = str(app.screen.query_one("#flags-title", Static).render())
        assert "Weekly [b]invoice[/b]" in title
        reason = str(app.screen.query_one(".flag-reason", Static).render())
        assert 'step "send email" matched "email"' in reason
        assert "overhead assumed on that step" in reason
        await pilot.press("x")
        await pilot.pause()
        (note,) = [n.message for n in app._notifications]  # noqa: SLF001
        assert note == (
            "Dismissed low-roi:email: assumed overhead of 3 min goes away; "
            "saved 0.30 -> 0.35 h/week; verdict automate -> automate"
        )


@pilot_test
async def test_a_stopwatch_run_under_ten_seconds_is_dropped_and_the_toast_says_so(store: Store) -> None:
    task_id = invoice(store)
    clock = FakeClock()
    app = make_app(store, clock)
    async with app.run_test(size=SIZE) as pilot:
        await select_task(pilot, "Weekly [b]invoice[/b]")
        await pilot.press("t")
        await pilot.pause()
        assert app.timer is not None
        clock.advance(seconds=4)
        await pilot.press("t")
        await pilot.pause()
        assert app.timer is None
        assert entries(store, task_id=task_id) == []
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert any("Dropped 0:00:04" in m and "under 10 s" in m for m in messages), messages
        await pilot.press("t")
        await pilot.pause()
        clock.advance(seconds=40)
        await pilot.press("t")
        await pilot.pause()
        assert [e.minutes for e in entries(store, task_id=task_id)] == [40 / 60]
