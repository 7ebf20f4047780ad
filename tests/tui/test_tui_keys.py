"""Keys a person can find: the help scrolls (keys and wheel) to its last line at 80x24 and
lists every key of every screen, one line each; dialogs show their own keys at the
bottom, not the inventory's; the palette shows each action's key; the flags dialog
does not use `d` (delete everywhere else)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.binding import Binding
from textual.command import CommandList

from roi.db.store import Store
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.flags import FlagsScreen
from tui.dialogs.form import FormScreen
from tui.dialogs.report import ReportScreen
from tui.screens.chart import ChartScreen
from tui.screens.help import KEY_CELLS, KEYS, HelpScreen, HelpView
from tui.screens.importer import ImportScreen
from tui.screens.inventory import InventoryScreen
from tui.screens.roadmap import RoadmapScreen
from tui.screens.spent import SpentScreen
from tui.screens.task import TaskScreen
from tui.widgets.ranked_table import RankedTable

LAST_LINE = "the top / the end"  # the help's last key


def make_app(store: Store) -> RoiApp:
    return create_app(store, today=TODAY)


@pilot_test
async def test_help_scrolls_by_keys_and_by_the_wheel_to_its_last_key_at_80x24(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        view = app.screen.query_one(HelpView)
        assert view.has_focus
        assert LAST_LINE not in screen_text(app)
        await pilot.press("end")
        assert await until(pilot, lambda: LAST_LINE in screen_text(app))
        await pilot.press("home")
        assert await until(pilot, lambda: view.scroll_y == 0)
        await pilot.press("j", "j", "pagedown")
        assert await until(pilot, lambda: view.scroll_y > 2)
        await pilot.press("home")
        assert await until(pilot, lambda: view.scroll_y == 0)
        for _ in range(80):  # the mouse wheel, over the help
            view.post_message(events.MouseScrollDown(view, 10, 5, 0, 1, 0, False, False, False))
        assert await until(pilot, lambda: LAST_LINE in screen_text(app))


# Where each class's keys are listed in the help.
HEADINGS: dict[type, str] = {
    RoiApp: "Everywhere",
    InventoryScreen: "Inventory",
    RankedTable: "Inventory",
    TaskScreen: "Task",
    FormScreen: "Forms and settings",
    ConfirmScreen: "Questions",
    FlagsScreen: "Flags dialog",
    ReportScreen: "Report dialog",
    ChartScreen: "Chart",
    RoadmapScreen: "Roadmap",
    SpentScreen: "Where the time goes",
    ImportScreen: "Import",
    HelpScreen: "Help",
    HelpView: "Help",
}
SHOWN = {
    "question_mark": "?", "comma": ",", "slash": "/", "escape": "esc", "plus": "+", "minus": "-",
    "equals_sign": "=", "pageup": "page up", "pagedown": "page down", "f1": "F1", "f2": "F2",
    "f5": "F5", "f12": "F12",
}


def listed(heading: str) -> set[str]:
    """The keys the help lists under a heading: `ctrl+s / enter` is two of them."""
    found: set[str] = set()
    for where, keys in KEYS:
        if where == heading:
            for key, _does in keys:
                for part in key.replace(", ", " / ").split(" / "):
                    found.add(part.strip())
    return found


def test_the_help_lists_every_key_of_every_screen_under_its_heading() -> None:
    assert "F1" in dict(KEYS[0][1])["?"]  # `?` and F1 share a line
    for _where, keys in KEYS:  # each line fits the help at 80 columns (indent, key, text, scrollbar)
        for key, does in keys:
            assert len(key) < KEY_CELLS and 2 + KEY_CELLS + len(does) <= 74, key
    missing = []
    for cls, heading in HEADINGS.items():
        keys = listed(heading)
        assert keys, heading
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding)
            for key in binding.key.split(","):
                if key == "f1":
                    continue
                if SHOWN.get(key, key) not in keys:
                    missing.append(f"{heading}: {key} ({binding.id})")
    # the scrolling keys of the help view come from textual's VerticalScroll
    assert {"up", "down", "home", "end", "page up", "page down"} <= listed("Help")
    assert not missing, missing


def test_the_flags_dialog_does_not_use_d() -> None:
    keys = {k for b in FlagsScreen.BINDINGS if isinstance(b, Binding) for k in b.key.split(",")}
    assert "d" not in keys and "x" in keys
    assert "x" in listed("Flags dialog") and "d" not in listed("Flags dialog")


def bottom_line(app: Any) -> str:  # noqa: ANN401
    return screen_text(app).rstrip("\n").splitlines()[-1]


@pilot_test
async def test_dialogs_show_their_own_keys_at_the_bottom_not_the_inventorys(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert await until(pilot, lambda: "i Import" in bottom_line(app))  # the inventory's footer
        table = app.screen.query_one("#inventory", RankedTable)
        email = next(r.id for r in app.ranked if r.name == "Email triage")
        table.move_cursor(table.row_index(email) or 0)
        await pilot.pause()
        for key, dialog, keys in (
            ("a", FormScreen, ("^s Save", "esc Back", "^r Revert")),
            ("comma", FormScreen, ("^s Save", "esc Back", "^r Revert")),
            ("d", ConfirmScreen, ("y Yes", "n No")),
            ("f", FlagsScreen, ("esc Close", "x Dismiss/restore")),
            ("r", ReportScreen, ("esc Close", "^s Export")),
        ):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, dialog)
            await until(pilot, lambda k=keys: k[0] in bottom_line(app))  # type: ignore[misc]
            line = bottom_line(app)
            for shown in keys:
                assert shown in line, (key, line)
            assert "Import" not in line and "Sort" not in line, (key, line)
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, InventoryScreen)


@pilot_test
async def test_the_palette_shows_each_actions_key_and_follows_a_keymap(demo_store: Store) -> None:
    app = make_app(demo_store)
    async with app.run_test(size=(80, 40)) as pilot:
        app.set_keymap({"inventory.add": "plus"})
        await pilot.press("ctrl+p")
        wanted = ("Add a task  +", "Import a time log  i", "Export the report  r", "Roadmap  m", "Settings  ,",
                  "Sort by payback / net hours  s", "Read the database again  ^l", "Help  ?")
        found: set[str] = set()

        def listed_keys() -> bool:  # every entry of the palette's list, shown or scrolled away
            lists = app.screen.query(CommandList)
            if lists:
                commands = lists.first()
                for index in range(commands.option_count):
                    prompt = str(commands.get_option_at_index(index).prompt)
                    found.update(shown for shown in wanted if prompt.startswith(shown))
            return found == set(wanted)

        assert await until(pilot, listed_keys), set(wanted) - found
        await pilot.press(*"rea")
        assert await until(pilot, lambda: "Read the database again  ^l" in screen_text(app))
