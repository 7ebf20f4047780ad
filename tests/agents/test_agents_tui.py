"""The terminal app's agent sessions screen (Pilot): opened by its key and from the
palette, grouped by project, task, model or week, text from the logs shown literally."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from roi.agentlogs.load import import_agent_logs
from roi.db.store import Store
from roi.models import Task
from tests.agents.logs import claude_session
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, until
from tui.app import create_app
from tui.screens.agents import AgentsScreen
from tui.screens.inventory import InventoryScreen

HOSTILE = "/w/[bold red]boom[/]"


def cells(table: DataTable) -> list[list[str]]:
    return [[str(getattr(c, "plain", c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


@pilot_test
async def test_the_agents_screen_by_key_and_palette(store: Store, tmp_path: Path) -> None:
    store.add_task(Task(name="Bot [b]x[/b]"))
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+g")  # nothing imported yet: it says how
        assert await until(pilot, lambda: isinstance(app.screen, AgentsScreen))
        assert "roi import ~/.claude/projects" in str(app.screen.query_one("#agents-summary", Static).render())
        assert app.screen.query_one(DataTable).row_count == 0
        await pilot.press("escape")
        assert await until(pilot, lambda: isinstance(app.screen, InventoryScreen))
        folder = tmp_path / "projects" / "-w"
        claude_session(folder, "s1", [0, 2, 4], cwd=HOSTILE, tokens=(1_000_000, 0, 0, 0))
        claude_session(folder, "s2", [0, 1], cwd=HOSTILE, model="mystery-9")
        import_agent_logs(store, folder, build="Bot [b]x[/b]")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"agent")
        await pilot.pause(0.3)
        await pilot.press("enter")
        assert await until(pilot, lambda: isinstance(app.screen, AgentsScreen))
        table = app.screen.query_one(DataTable)
        rows = cells(table)
        assert rows[0][0] == HOSTILE and rows[0][1] == "2" and rows[-1][0] == "total"
        assert rows[-1][-1] == "$6.00 +?"  # sonnet 4.5: 2 replies of 1M input at $3; mystery-9 unpriced
        summary = str(app.screen.query_one("#agents-summary", Static).render())
        assert "no price for model mystery-9" in summary
        await pilot.press("b")  # by task
        await pilot.pause()
        assert cells(table)[0][0] == "Bot [b]x[/b] (build)"


def test_the_help_lists_the_agents_keys() -> None:
    from textual.binding import Binding

    from tui.app import RoiApp
    from tui.screens.help import KEYS

    listed = {where: {k.strip() for key, _ in keys for k in key.replace(" / ", ",").split(",")}
              for where, keys in KEYS}
    for binding in AgentsScreen.BINDINGS:
        assert isinstance(binding, Binding)
        for key in binding.key.split(","):
            assert {"escape": "esc"}.get(key, key) in listed["Agent sessions"], key
    (agents,) = [b for b in RoiApp.BINDINGS if isinstance(b, Binding) and b.id == "app.agents"]
    assert agents.key in listed["Everywhere"]
