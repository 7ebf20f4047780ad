"""The import screen at 80x24: actions stay on screen after rejected rows, the preview
says how many rows it shows of how many, progress counts rows, the old summary goes
when the path changes, a file tree of logs with parent folders, a dry run, the new
tasks offered for an estimate, and past imports with undo."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Button, Checkbox, DataTable, Input, Static

from roi.db.store import Store
from roi.db.timelog import entries
from roi.importers import list_batches
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, screen_text, until
from tui.app import create_app
from tui.screens.importer import ImportScreen
from tui.screens.task import TaskScreen
from tui.widgets.log_tree import LogTree


def _log(folder: Path, rows: int = 52) -> Path:
    """A generic CSV export: two tasks, every seventh row's minutes unreadable."""
    lines = ["date,task,minutes"]
    for i in range(rows):
        minutes = "oops" if i % 7 == 3 else str(10 + i)
        lines.append(f"2026-11-{1 + i % 27:02d},{'Invoices' if i % 2 else 'Backups'},{minutes}")
    path = folder / "hours.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def _open(pilot, log: Path | None) -> ImportScreen:  # noqa: ANN001
    await pilot.press("i")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ImportScreen)
    if log is not None:
        screen.query_one("#import-path", Input).value = str(log)
        screen.action_preview()
        await pilot.pause()
    return screen


async def _run(pilot, screen: ImportScreen) -> None:  # noqa: ANN001
    await pilot.press("ctrl+s")
    assert await until(pilot, lambda: not screen.running, within=10)
    await pilot.pause()


def _on_screen(app, widget_id: str) -> bool:  # noqa: ANN001
    region = app.screen.query_one(widget_id).region
    return region.height > 0 and region.bottom <= app.size.height - 1 and region.y >= 0


@pilot_test
async def test_after_rejected_rows_the_actions_stay_on_screen_at_80x24(demo_store: Store, tmp_path: Path) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, _log(tmp_path))
        assert "Preview: 10 of 52 rows" in screen_text(app)
        await _run(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Imported 45 entries" in summary and "7 rejected" in summary
        assert screen.query_one("#import-rejected", DataTable).row_count == 7
        for button in ("#import-run", "#import-close", "#import-undo"):
            assert _on_screen(app, button), button
        assert "45 entries" in screen_text(app)  # the result is scrolled into view
        assert "52 rows read" in str(screen.query_one("#import-rows").render())


@pilot_test
async def test_the_old_summary_goes_when_the_path_changes(demo_store: Store, tmp_path: Path) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, _log(tmp_path))
        await _run(pilot, screen)
        assert screen.query_one("#import-summary").display
        screen.query_one("#import-path", Input).value = str(tmp_path / "other.csv")
        await pilot.pause()
        assert not screen.query_one("#import-summary").display
        assert not screen.query_one("#import-rejected").display
        assert not screen.query_one("#import-undo").display


@pilot_test
async def test_a_dry_run_writes_nothing_and_says_so(demo_store: Store, tmp_path: Path) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, _log(tmp_path))
        screen.query_one("#import-dry-run", Checkbox).value = True
        await _run(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Dry run, nothing written" in summary and "would import 45 entries" in summary
        assert demo_store.find_task("Invoices") is None and list_batches(demo_store) == []
        assert not screen.query_one("#import-undo").display


@pilot_test
async def test_new_tasks_are_offered_for_an_estimate(demo_store: Store, tmp_path: Path) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, _log(tmp_path))
        await _run(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "2 new tasks need an estimate: open them?" in summary
        assert screen.query_one("#import-open", Button).display
        screen.query_one("#import-open", Button).focus()  # o works when no text box has the focus
        await pilot.pause()
        await pilot.press("o")
        assert await until(pilot, lambda: isinstance(app.screen, TaskScreen))
        first = app.screen
        assert isinstance(first, TaskScreen) and first.ranked is not None
        assert first.ranked.name in ("Backups", "Invoices")
        await pilot.press("escape")
        assert await until(pilot, lambda: app.screen is not first and isinstance(app.screen, TaskScreen))
        second = app.screen
        assert isinstance(second, TaskScreen) and second.task_id != first.task_id
        await pilot.press("escape")
        assert await until(pilot, lambda: app.screen is screen)
        assert app.screen is screen and not screen.query_one("#import-open").display


@pilot_test
async def test_past_imports_are_listed_and_one_can_be_undone(demo_store: Store, tmp_path: Path) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, _log(tmp_path))
        await _run(pilot, screen)
        await pilot.press("escape")
        await pilot.pause()
        screen = await _open(pilot, None)  # opened again: no file, the list of past imports
        history = screen.query_one("#import-history", DataTable)
        assert history.row_count == 1 and "hours.csv" in str(history.get_row_at(0)[2])
        history.focus()
        await pilot.pause()
        assert screen.undo_target == list_batches(demo_store)[0].id
        await pilot.press("ctrl+z")
        await pilot.pause()
        await pilot.press("y")
        assert await until(pilot, lambda: not screen.running, within=10)
        await pilot.pause()
        assert "undone" in str(screen.query_one("#import-summary", Static).render())
        assert demo_store.find_task("Invoices") is None and not entries(demo_store)
        assert history.row_count == 0 or str(history.get_row_at(0)[4]) == "0"


@pilot_test
async def test_the_file_tree_shows_logs_and_goes_to_the_parent(demo_store: Store, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    inner = tmp_path / "exports"
    inner.mkdir()
    (inner / "toggl.csv").write_text("x\n")
    (inner / "notes.pdf").write_text("x\n")
    (inner / ".hidden.csv").write_text("x\n")
    monkeypatch.chdir(inner)
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open(pilot, None)
        await pilot.press("f2")
        tree = screen.query_one(LogTree)
        assert await until(pilot, lambda: len(tree.root.children) > 0)
        names = {node.data.path.name for node in tree.root.children}
        assert names == {"toggl.csv"}
        await pilot.press("backspace")
        assert await until(pilot, lambda: Path(tree.path).resolve() == tmp_path.resolve())
        assert await until(pilot, lambda: "exports" in {n.data.path.name for n in tree.root.children})


@pilot_test
async def test_an_entry_over_a_day_is_imported_and_its_warning_shown(store: Store, tmp_path: Path) -> None:
    """A forgotten timer (start and end 30 h apart) is imported, and the summary says so
    with its line, as the CLI and --json do (issue 16)."""
    log = tmp_path / "timer.csv"
    log.write_text("start,end,task\n2026-11-02T09:00:00+00:00,2026-11-02T10:00:00+00:00,Invoices\n"
                   "2026-11-03T09:00:00+00:00,2026-11-04T15:00:00+00:00,Invoices\n", encoding="utf-8")
    app = create_app(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, log)
        await _run(pilot, screen)
        summary = str(screen.query_one("#import-summary", Static).render())
        assert "Imported 2 entries" in summary
        assert "1 imported with a warning" in summary and "! line 3: " in summary
    assert len(entries(store)) == 2
