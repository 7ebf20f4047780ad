"""Anyone's text, through every screen and dialog: names holding markup, unbalanced tags,
terminal escapes (CSI, OSC 52, OSC 8), an RTL override, 10,000 characters or newlines
never crash the app, never style anything, and are shown literally (control characters
escaped, as `roi.textsafe.visible` writes them). And when the app itself fails, `roi`
says so in one line, naming the log, and exits non-zero."""

from __future__ import annotations

import re
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.widgets import Input

from roi.db.store import Store
from roi.models import Step, Task
from roi.textsafe import UNSAFE, visible
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import RoiApp, create_app
from tui.dialogs.confirm import ConfirmScreen
from tui.dialogs.estimate import EstimateForm
from tui.dialogs.flags import FlagsScreen
from tui.dialogs.forms import PlanForm, StepForm, TaskForm
from tui.dialogs.report import ReportScreen
from tui.dialogs.settings import SettingsScreen
from tui.screens.chart import ChartScreen
from tui.screens.help import HelpScreen
from tui.screens.importer import ImportScreen
from tui.screens.inventory import InventoryScreen
from tui.screens.spent import SpentScreen
from tui.screens.task import TaskScreen
from tui.widgets.ranked_table import RankedTable

# Each starts with a word of its own, which the palette search types.
HOSTILE = (
    "Alpha [bold]x[/bold] markup",
    "Bravo Broken [/b] markup",
    "Charlie open [ bracket [link=https://evil.example]",
    "Delta red \x1b[31mred\x1b[0m",
    "Echo clip \x1b]52;c;aGk=\x07 board",
    "Foxtrot \x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\ link",
    "Golf rtl \u202eevil.exe txt",
    "Hotel " + "y" * 10_000,
    "India two\nlines\r\nand more",
)
#: For the dialogs: the same kinds of text, several in one name, each shown within
#: the first DIALOG_CELLS cells (dialog titles are cut at 50).
COMBINED = (
    "Kilo [bold]x[/bold] \x1b[31m \u202eevil\nline",
    "Lima [/b] [ \x1b]52;c;aGk=\x07 \x1b]8;;u\x1b\\l",
    HOSTILE[7],
)
DIALOG_CELLS = 36
#: The stopwatch walk: the issue's own crash, the two names that hold every other kind,
#: and the 10,000 characters (the palette still takes all of HOSTILE).
WALK = (HOSTILE[1], COMBINED[0], COMBINED[1], HOSTILE[7])


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def hostile_inventory(store: Store, names: tuple[str, ...] = HOSTILE) -> dict[str, int]:
    """One task per hostile name (its step, tag and notes hostile too), an email task so
    that it carries a flag; written as the database may hold them (an import or sqlite3
    can store what the forms would refuse, such as a 10,000-character name)."""
    ids = {}
    for name in names:
        task_id = store.add_task(
            Task.model_construct(name=name, category="email", tags=[name], notes=name, per_week=3.0)
        )
        store.add_step(task_id, Step.model_construct(
            name="step " + name, minutes=5.0, automation=1.0, overhead=None, failure_rate=0.0,
            running_cost=0.0,
        ))
        store.set_plan(task_id, build_hours=2)
        ids[name] = task_id
    return ids


def literal(name: str, cells: int = 16) -> str:
    """How the start of a name is shown: as characters, control characters escaped."""
    return visible(name)[:cells]


def assert_literal(app: App[Any], name: str, where: str, cells: int = 16) -> None:
    """The app is alive, nothing on screen would act on the terminal, and the name is
    shown as its characters (markup brackets and all, escapes escaped)."""
    assert app.is_running, f"{where}: the app stopped"
    text = screen_text(app)
    leaked = set(UNSAFE.findall(text.replace("\n", "")))
    assert not leaked, f"{where}: {leaked!r} reached the terminal"
    assert literal(name, cells) in text, f"{where}: {literal(name, cells)!r} is not shown"


def last_toast(app: RoiApp) -> str:
    return str(list(app._notifications)[-1].message)  # noqa: SLF001


async def open_dialog(pilot: Any, key: str, dialog: type, name: str, where: str) -> None:  # noqa: ANN401
    """Open a dialog (or screen) of the task screen with `key`, check it, and leave it."""
    app = pilot.app
    await pilot.press(key)
    await pilot.pause()
    assert isinstance(app.screen, dialog), f"{key}: {app.screen}"
    assert_literal(app, name, f"{dialog.__name__}, {where!r}", DIALOG_CELLS)
    form = app.screen
    if isinstance(form, StepForm):  # the field shows the name escaped, and saving keeps it as it is
        assert form.query_one("#f-name", Input).value == visible("step " + name)
        assert form.values()["name"] == "step " + name
    if dialog is FlagsScreen:
        await pilot.press("x")  # dismiss, with a toast about the flag
        await pilot.pause()
        assert_literal(app, name, f"flag dismissed, {where!r}", DIALOG_CELLS)
    await pilot.press("n" if dialog is ConfirmScreen else "escape")
    await pilot.pause()
    assert isinstance(app.screen, TaskScreen), f"after {dialog.__name__}: {app.screen}"


async def to_task(pilot: Any, task_id: int, name: str, where: str) -> None:  # noqa: ANN401
    app = pilot.app
    table = app.screen.query_one("#inventory", RankedTable)
    table.move_cursor(table.row_index(task_id) or 0)
    await pilot.pause()
    assert_literal(app, name, f"inventory, {where!r}")
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, TaskScreen)
    assert_literal(app, name, f"task screen, {where!r}")
    title = str(app.screen.sub_title)
    assert title.startswith(literal(name)) and len(title) <= 60 and not UNSAFE.search(title)


@pilot_test
async def test_hostile_names_through_the_inventory_task_screen_stopwatch_and_delete(
    store: Store,
) -> None:
    ids = hostile_inventory(store, WALK)
    clock = Clock()
    app = create_app(store, today=TODAY, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        for name in WALK:
            where = name[:20]
            await to_task(pilot, ids[name], name, where)
            # the stopwatch on the task's step: running, then stopped with a toast
            await pilot.press("t")
            await pilot.pause()
            assert app.timer is not None and app.timer.task_id == ids[name]
            assert_literal(app, name, f"stopwatch running, {where!r}")
            clock.now += timedelta(minutes=2)
            await pilot.press("t")
            await pilot.pause()
            assert app.timer is None
            assert last_toast(app).startswith(f"Saved 0:02:00 on {literal(name, 30)}")
            assert_literal(app, name, f"stopwatch stopped, {where!r}")
            await pilot.press("escape")
            await pilot.pause()
            await pilot.press("d")  # delete the task? no
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            assert_literal(app, name, f"delete question, {where!r}")
            await pilot.press("n")
            await pilot.pause()
            app.clear_notifications()
        assert app.is_running and isinstance(app.screen, InventoryScreen)
    assert {t.name for t in store.list_tasks()} == set(WALK)  # nothing renamed on the way


@pilot_test
async def test_hostile_names_through_the_other_dialogs_and_screens(store: Store, tmp_path: Path) -> None:
    """Markup, unbalanced tags, CSI, OSC 52, OSC 8, an RTL override, a newline and
    10,000 characters through the step, plan and task forms, the flags dialog, the chart
    and the step's delete question; then hostile text typed into the report, settings and
    import dialogs, and the help."""
    ids = hostile_inventory(store, COMBINED)
    app = create_app(store, today=TODAY, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        dialogs = (("e", StepForm), ("p", PlanForm), ("n", TaskForm), ("f", FlagsScreen),
                   ("c", ChartScreen), ("d", ConfirmScreen))
        # the first name through every dialog, the second through those that show it
        # in a form field and a title (the 10,000 characters went through the walk above)
        for name, through in ((COMBINED[0], dialogs), (COMBINED[1], dialogs[:1] + dialogs[3:4])):
            where = name[:20]
            await to_task(pilot, ids[name], name, where)
            for key, dialog in through:
                await open_dialog(pilot, key, dialog, name, where)
            await pilot.press("escape")
            await pilot.pause()

        # the report, to a folder whose name is hostile too
        folder = tmp_path / "out [/b] \x1b[31m"
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReportScreen)
        app.screen.query_one("#path", Input).value = str(folder / "report [/b].md")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert (folder / "report [/b].md").is_file()
        assert_literal(app, "report [/b].md", "report written")
        assert "out [/b] \\x1b[31m" in last_toast(app)
        await pilot.press("escape")
        await pilot.pause()

        # settings: a hostile time zone is refused, in words that show it literally
        await pilot.press("comma")
        await pilot.pause()
        assert isinstance(app.screen, SettingsScreen)
        app.screen.query_one("#f-timezone", Input).value = "Mars/[/b]\x1b[31m"
        await pilot.pause()
        assert_literal(app, "Mars/[/b]\x1b[31m", "settings with a hostile time zone")
        await pilot.press("escape")
        await pilot.pause()

        # the import screen, with a hostile path typed in
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path", Input).value = "/no/such [/b] \x1b]52;c;aGk=\x07.csv"
        await pilot.press("f5")
        await pilot.pause()
        assert_literal(app, "/no/such [/b] \x1b]52;c;aGk=\x07", "import preview")
        await pilot.press("escape")
        await pilot.pause()

        # where the time goes, and the estimate form of a row
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SpentScreen)
        for name in COMBINED[:2]:
            assert_literal(app, name, "where the time goes")
        table = app.screen.query_one("#spent-table")
        table.move_cursor(row=next(i for i, r in enumerate(app.screen.spent.rows) if r.task_id == ids[COMBINED[0]]))
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EstimateForm)
        assert_literal(app, COMBINED[0], "estimate form", DIALOG_CELLS)
        await pilot.press("escape", "escape")
        await pilot.pause()

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, InventoryScreen)


@pilot_test
async def test_the_palette_finds_every_hostile_name_and_lists_it_as_characters(store: Store) -> None:
    """textual's own highlight parses the name as markup: bold text for `[bold]x[/bold]`,
    and a MarkupError (so no hit at all) for `[/b]`."""
    hostile_inventory(store)
    app = create_app(store, today=TODAY, clock=Clock())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen.query_one(Input)
        for index, name in enumerate(HOSTILE):
            word = name.split()[0].lower()
            palette.value = ""
            if index == 0:  # typed, a key at a time (each key a search of its own)
                await pilot.press(*word)
            else:  # pasted: one search (the palette gathers each search's hits for 0.1-0.25 s)
                palette.insert_text_at_cursor(word)
            shown = literal(f"Open: {visible(name)}", 30)
            assert await until(pilot, lambda s=shown: s in screen_text(app)), f"{name[:20]!r} not listed"  # type: ignore[misc]
            assert_literal(app, name, f"palette, {name[:20]!r}")
        await pilot.press("enter")  # opens the task found last
        await pilot.pause()
        assert isinstance(app.screen, TaskScreen) and app.screen.task_name == HOSTILE[-1]


@pilot_test
async def test_a_toast_is_literal_escaped_and_short(store: Store) -> None:
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        app.screen.notify("Hotel " + "y" * 10_000 + " [/b] \x1b]52;c;aGk=\x07", title="[b]T\x1b[31m")
        await pilot.pause()
        (toast,) = app._notifications  # noqa: SLF001
        assert toast.markup is False
        assert len(toast.message) <= 400 and toast.message.endswith("…")
        assert toast.title == "[b]T\\x1b[31m"
        assert not UNSAFE.search(screen_text(app).replace("\n", ""))


def test_when_the_app_fails_roi_exits_70_with_one_line_naming_the_log(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from roi.cli import main

    Store.open(db_path).close()
    boom = "a bug [/b] \x1b[31m"

    def failing_mount(self: InventoryScreen) -> None:
        raise RuntimeError(boom)

    def headless_run(self: App[Any], **kwargs: Any) -> Any:  # noqa: ANN401
        return App.run(self, headless=True, size=(80, 24))

    monkeypatch.setattr(InventoryScreen, "on_mount", failing_mount)
    monkeypatch.setattr(RoiApp, "run", headless_run)
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(db_path)])
    assert exit_info.value.code == 70
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err  # one line, no traceback
    log = tmp_path / "xdg-data" / "roi" / "tui-crash.log"
    assert re.fullmatch(
        rf"Error: the terminal app stopped on an internal error \(RuntimeError: a bug \[/b\] \\x1b\[31m\);"
        rf" the traceback is in {re.escape(str(log))}",
        lines[0],
    ), lines[0]
    assert "Traceback" not in captured.out
    written = log.read_text("utf-8")
    assert "RuntimeError: a bug [/b] \\x1b[31m" in written and "failing_mount" in written
    assert "\x1b" not in written  # the log shows data literally too
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
