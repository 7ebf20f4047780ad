"""The TUI's structure: the ranking is a value screens hear about, every key binding has
an id (so a keymap can move it), and no screen, dialog or widget imports the app."""

from __future__ import annotations

import ast
import asyncio
import importlib
import inspect
import pkgutil
from pathlib import Path

from textual.binding import Binding
from textual.dom import DOMNode
from textual.message import Message

import tui
from roi.db.store import Store
from roi.models import Step, Task
from roi.textsafe import visible
from tests.conftest import TODAY
from tui.app import RoiApp, create_app
from tui.screens.inventory import InventoryScreen
from tui.state import RankingChanged
from tui.widgets.ranked_table import RankedTable

TUI = Path(tui.__file__).parent


def tui_modules() -> list[str]:
    return [m.name for m in pkgutil.walk_packages([str(TUI)], prefix="tui.")]


def test_every_binding_has_an_id_unique_in_its_class() -> None:
    classes = {RoiApp}
    for name in tui_modules():
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == name and issubclass(cls, DOMNode):
                classes.add(cls)
    assert len(classes) > 15
    for cls in classes:
        bindings = [b for b in cls.__dict__.get("BINDINGS", []) if isinstance(b, Binding)]
        ids = [b.id for b in bindings]
        assert all(ids), f"{cls.__name__}: a binding without an id"
        assert len(set(ids)) == len(ids), f"{cls.__name__}: the same id twice"


def test_no_part_of_the_tui_imports_the_app() -> None:
    for folder in ("screens", "dialogs", "widgets"):
        for path in (TUI / folder).glob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                if isinstance(node, ast.ImportFrom):
                    assert node.module != "tui.app", f"{path.name} imports tui.app"


def test_a_patch_publishes_new_values_and_tells_the_screens(store: Store) -> None:
    for i in range(6):
        store.add_task(Task(name=f"T{i}", per_week=1 + i, steps=[Step(name="s", minutes=5 + i)]))
        store.set_plan(f"T{i}", build_hours=1)  # every task decided: a needs-estimate one ranks last
    app = create_app(store, today=TODAY)
    heard: list[frozenset[int] | None] = []

    async def run() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            screen = app.screen
            assert isinstance(screen, InventoryScreen)
            post = screen.post_message

            def listen(message: Message) -> bool:
                if isinstance(message, RankingChanged):
                    heard.append(message.task_ids)
                return post(message)

            screen.post_message = listen  # type: ignore[method-assign]
            before = app.state.ranked
            ranks_before = [(r.id, r.rank) for r in before]
            last = before[-1]
            store.update_step(int(last.task.steps[0].id or 0), minutes=600)
            app.state.patch([last.id])
            await pilot.pause()
            assert [(r.id, r.rank) for r in before] == ranks_before  # the old ranking is untouched
            assert app.state.ranked is not before and app.state.ranked[0].id == last.id
            assert heard == [frozenset({last.id})]
            table = screen.query_one("#inventory", RankedTable)
            assert table.row_texts(0)[1] == last.name

    asyncio.run(run())


def test_a_keymap_moves_a_key_by_its_binding_id(demo_store: Store) -> None:
    from tui.dialogs.form import FormScreen

    app = create_app(demo_store, today=TODAY)

    async def run() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            app.set_keymap({"inventory.add": "plus"})
            await pilot.press("a")
            await pilot.pause()
            assert isinstance(app.screen, InventoryScreen)
            await pilot.press("plus")
            await pilot.pause()
            assert isinstance(app.screen, FormScreen)

    asyncio.run(run())


def test_with_rank_is_replace_without_the_cost(demo_store: Store) -> None:
    from dataclasses import replace

    from roi.inventory import rank_store
    from tui.state import with_rank

    for r in rank_store(demo_store, today=TODAY):
        moved = with_rank(r, r.rank + 7)
        assert moved == replace(r, rank=r.rank + 7) and moved is not r
        assert r.rank != moved.rank  # the original is untouched
        assert with_rank(r, r.rank) is r


def test_every_toast_shows_its_text_literally(tmp_path: Path) -> None:
    """A name with an unbalanced tag, from the app, a screen or a dialog: no crash, no markup."""
    store = Store.open(tmp_path / "t.db")
    hostile = "Broken [/b] markup [bold]x[/bold] \x1b[31m"

    async def run() -> list[tuple[str, bool]]:
        app = create_app(store, today=TODAY)
        async with app.run_test() as pilot:
            await pilot.pause()
            app.notify(hostile)
            app.screen.notify(hostile, title="From a screen")  # Widget.notify passes markup=True
            await pilot.pause()
            assert app.is_running
            return [(str(n.message), n.markup) for n in app._notifications]

    shown = asyncio.run(run())
    store.close()
    literal = visible(hostile)  # markup as characters, the escape shown escaped
    assert shown == [(literal, False), (literal, False)]
