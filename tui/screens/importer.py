"""Import a time log: pick a file, see the detected format and the first rows as they
will be read, choose the task mapping and the time zone, run it with a progress bar in a
worker thread, and finish with the summary and the rejected rows. An import can be undone
from here (or, when the file was imported before, that earlier import), to import the
file again with other options."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    DirectoryTree,
    Header,
    Input,
    Label,
    ProgressBar,
    Static,
)

from roi.db.store import Store
from roi.fmt import fmt
from roi.textsafe import visible
from tui.display import name_text, safe_text
from tui.screens.import_results import ImportResults
from tui.state import RankingState
from tui.widgets.data_table import WidthKeyedTable
from tui.widgets.footer import Footer
from tui.widgets.log_tree import LogTree
from tui.widgets.path_input import PathSuggester
from tui.widgets.text_input import TextInput

#: Rows shown in the preview, and how far the preview counts the file's rows.
PREVIEW_ROWS = 10
COUNT_ROWS = 2000

FORMAT_CHOICES = ("auto", "toggl", "clockify", "harvest", "timewarrior", "watson", "activitywatch", "generic")

WARNINGS_SHOWN = 5  # the summary's first warnings; --json has them all


class ImportStopped(Exception):
    """Raised in the import's thread at its next progress report once the app has been
    quit: the import's one transaction is rolled back, and the process can end."""


class ImportScreen(ImportResults, Screen[bool]):
    BINDINGS = [
        Binding("escape", "close", "Back", id="import.back"),
        Binding("ctrl+s", "run_import", "Import", id="import.run"),
        Binding("f2", "browse", "Browse files", id="import.browse"),
        Binding("f5", "preview", "Preview", id="import.preview"),
        Binding("ctrl+z", "undo_import", "Undo import", id="import.undo"),
        Binding("o", "open_new", "Open new tasks", id="import.open_new"),
    ]

    def __init__(self, state: RankingState, path: str | None = None) -> None:
        super().__init__()
        self.state = state
        self.initial_path = path or ""
        self.imported = False
        self.running = False
        self._last_progress = 0.0
        self._preview_timer: Any = None
        self.undo_target: int | None = None  # the import the Undo button removes
        self.open_queue: list[int] = []  # new tasks still to open, after "open them?"
        self.summary_text = Text()
        self._opening = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="import-body"):
            yield LogTree(Path.cwd(), id="import-tree")
            with Vertical(id="import-main"):
                with Horizontal(classes="field-row"):
                    yield Label("File", classes="field-label")
                    yield TextInput(
                        placeholder="path of a Toggl, Clockify, Harvest, … export (→ completes)",
                        id="import-path",
                        suggester=PathSuggester(),
                        compact=True,
                    )
                with Horizontal(classes="field-row"):
                    yield Label("Format", classes="field-label")
                    yield TextInput(
                        "auto",
                        id="import-format",
                        suggester=SuggestFromList(FORMAT_CHOICES),
                        compact=True,
                    )
                    yield Label("Time zone", classes="field-label")
                    yield TextInput(id="import-tz", compact=True)
                with Horizontal(classes="field-row"):
                    yield Label("Task from", classes="field-label")
                    yield TextInput(placeholder="default: description / project", id="import-task-from", compact=True)
                    yield Label("Step from", classes="field-label")
                    yield TextInput(placeholder="default: none", id="import-step-from", compact=True)
                with VerticalScroll(id="import-results"):
                    yield Static(id="import-detected")
                    preview: DataTable[object] = WidthKeyedTable(id="import-preview", cursor_type="row", zebra_stripes=True)
                    yield preview
                    with Horizontal(id="import-progress-row"):
                        yield ProgressBar(id="import-progress", show_eta=True)
                        yield Label(id="import-rows")
                    yield Static(id="import-summary")
                    rejected: DataTable[object] = WidthKeyedTable(id="import-rejected", cursor_type="row")
                    yield rejected
                    yield Static(id="import-history-title")
                    history: DataTable[object] = WidthKeyedTable(id="import-history", cursor_type="row")
                    yield history
                with Horizontal(classes="buttons", id="import-buttons"):
                    yield Checkbox("Dry run", id="import-dry-run", compact=True,
                                   tooltip="read and check every row, write nothing")
                    yield Button("Back", id="import-close")
                    yield Button("Undo import", id="import-undo", variant="warning")
                    yield Button("Open new tasks", id="import-open")
                    yield Button("Import", id="import-run", variant="primary", disabled=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = "import a time log"
        tz = self.state.store.settings().timezone
        self.query_one("#import-tz", Input).placeholder = tz or "system zone"
        self.query_one("#import-preview", DataTable).add_columns(
            "Line", "Start (UTC)", "Min", "Task", "Step", "Status"
        )
        self.query_one("#import-rejected", DataTable).add_columns("Line", "Rejected because")
        self.query_one("#import-history", DataTable).add_columns("Id", "When", "File", "Format", "Entries", "Hours")
        for hidden in ("#import-tree", "#import-progress-row", "#import-summary", "#import-rejected", "#import-undo",
                       "#import-open"):
            self.query_one(hidden).display = False
        self.show_history()
        box = self.query_one("#import-path", Input)
        box.value = self.initial_path
        box.focus()

    # --- options -----------------------------------------------------------------------

    def options(self) -> dict[str, Any]:
        def value(widget_id: str) -> str | None:
            return self.query_one(widget_id, TextInput).text.strip() or None

        return {
            "format": value("#import-format") or "auto",
            "tz": value("#import-tz"),
            "task_from": value("#import-task-from"),
            "step_from": value("#import-step-from"),
        }

    @property
    def path(self) -> Path | None:
        text = self.query_one("#import-path", TextInput).text.strip()
        return Path(text).expanduser() if text else None

    @on(Input.Changed)
    def _option_changed(self, event: Input.Changed) -> None:
        if event.control.id == "import-path" and not self.running:
            self.clear_result()  # the summary of another file is not this one's
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(0.25, self.action_preview)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_preview()

    @on(DirectoryTree.FileSelected)
    def _picked(self, event: DirectoryTree.FileSelected) -> None:
        self.query_one("#import-path", Input).value = str(event.path)
        self.query_one("#import-tree").display = False
        self.query_one("#import-path", Input).focus()

    def clear_result(self) -> None:
        """Hide the last import's progress, summary, rejected rows, undo and new tasks."""
        for hidden in ("#import-progress-row", "#import-summary", "#import-rejected", "#import-open"):
            self.query_one(hidden).display = False
        self.open_queue = []
        self.query_one("#import-rejected", DataTable).clear()
        self._offer_undo(None)

    def on_descendant_focus(self, event: Any) -> None:  # noqa: ANN401
        if getattr(event.widget, "id", None) == "import-history" and not self.running:
            self._offer_undo(self.selected_history())

    @on(DataTable.RowHighlighted, "#import-history")
    def _history_highlighted(self) -> None:
        if self.query_one("#import-history", DataTable).has_focus and not self.running:
            self._offer_undo(self.selected_history())

    def action_browse(self) -> None:
        tree = self.query_one("#import-tree", DirectoryTree)
        tree.display = not tree.display
        if tree.display:
            tree.focus()

    # --- preview -----------------------------------------------------------------------

    def action_preview(self) -> None:
        from roi.importers import detect_format, preview

        detected = self.query_one("#import-detected", Static)
        table = self.query_one("#import-preview", DataTable)
        run = self.query_one("#import-run", Button)
        table.clear()
        table.display = False  # no empty header: shown once there are rows
        run.disabled = True
        path = self.path
        if path is None:
            detected.update(Text("Type the path of a time log, or press F2 to browse.", style="dim"))
            return
        if not path.is_file():
            detected.update(name_text(f"No file at {path}", style="dim", limit=1000))
            return
        options = self.options()
        try:
            detection = detect_format(path, tz=options["tz"])
            rows = preview(
                path,
                options["format"],
                options["tz"],
                limit=COUNT_ROWS + 1,
                task_from=options["task_from"],
                step_from=options["step_from"],
                store=self.state.store,
            )
        except Exception as exc:  # NotATaskLog, RoiError, OSError: say it, do not crash
            detected.update(safe_text(f"Cannot import this file: {exc}", style="bold red"))
            return
        text = Text("Detected: ")
        text.append(visible(detection.title), style="bold")
        if detection.note:
            text.append(f" ({visible(detection.note)})", style="dim")
        if options["format"] != "auto":
            text.append(f" · reading as {options['format']}")
        counted = len(rows)
        rows = rows[:PREVIEW_ROWS]
        table.display = bool(rows)
        total = f"more than {COUNT_ROWS:,}" if counted > COUNT_ROWS else f"{counted:,}"
        text.append(f"\nPreview: {len(rows)} of {total} rows", style="bold")
        text.append(" as they will be read", style="dim")
        detected.update(text)
        for row in rows:
            if row.ok:
                status = Text("ok", style="green")
            elif row.error:
                status = name_text(f"rejected: {row.error}", 60, style="red")
            else:
                status = name_text(f"skipped: {row.skipped}", 60, style="dim")
            table.add_row(
                str(row.line),
                row.start.strftime("%Y-%m-%d %H:%M") if row.start else "",
                Text(f"{(row.duration_s or 0) / 60.0:.1f}" if row.duration_s is not None else "", justify="right"),
                name_text(row.task or "", 24),
                name_text(row.step or "", 16),
                status,
            )
        run.disabled = self.running

    # --- run ---------------------------------------------------------------------------

    def action_run_import(self) -> None:
        if self.running or self.query_one("#import-run", Button).disabled:
            return
        path = self.path
        if path is None:
            return
        self.running = True
        self.query_one("#import-run", Button).disabled = True
        bar = self.query_one("#import-progress", ProgressBar)
        self.query_one("#import-progress-row").display = True
        bar.update(total=None, progress=0)
        self.query_one("#import-rows", Label).update("reading…")
        self.query_one("#import-summary").display = False
        self.query_one("#import-rejected").display = False
        self._offer_undo(None)
        options = self.options()
        options["dry_run"] = self.query_one("#import-dry-run", Checkbox).value
        self._import(path, options)

    @on(Button.Pressed, "#import-run")
    def _run_pressed(self) -> None:
        self.action_run_import()

    def _in_worker(self, write: Callable[[Store], Any], done: Callable[[Any], None], failed: str) -> None:
        """Run `write` in this thread worker, then `done` with its result (or `_failed`)
        on the app's thread. The worker writes through its own connection, so the app's
        connection stays free for the screens (WAL lets them read while it writes)."""
        shared = self.state.store
        own = shared.path not in (None, ":memory:")
        store = Store.open(shared.path) if own else shared
        try:
            result = write(store)
        except Exception as exc:
            if self.app.is_running:
                self.app.call_from_thread(self._failed, exc, failed)
            return
        finally:
            if own:
                store.close()
        if self.app.is_running:
            self.app.call_from_thread(done, result)

    @work(thread=True, exclusive=True, group="import")
    def _import(self, path: Path, options: dict[str, Any]) -> None:
        from roi.importers import run_import

        self._in_worker(
            lambda store: run_import(store, path, progress=self._progress_from_thread, **options),
            self._finished,
            "Nothing imported",
        )

    def _progress_from_thread(self, done: int, total: int | None) -> None:
        if not self.app.is_running:  # quit while importing (the app asked first)
            raise ImportStopped("the app was quit before the import finished; nothing of it was kept")
        now = time.monotonic()
        if now - self._last_progress < 0.05 and done != total:
            return
        self._last_progress = now
        self.app.call_from_thread(self._progress, done, total)

    def _progress(self, done: int, total: int | None) -> None:
        self.query_one("#import-progress", ProgressBar).update(total=total, progress=done)
        rows = f"{done:,} of {total:,} rows" if total else f"{done:,} rows"
        self.query_one("#import-rows", Label).update(rows)

    def _failed(self, exc: Exception, what: str) -> None:
        self.running = False
        self.query_one("#import-progress-row").display = False
        self.query_one("#import-undo", Button).disabled = False
        summary = self.query_one("#import-summary", Static)
        summary.display = True
        summary.update(safe_text(f"{what}: {exc}", style="bold red"))
        self.query_one("#import-run", Button).disabled = False

    def _finished(self, summary: Any) -> None:
        self.running = False
        self.query_one("#import-run", Button).disabled = False  # again: a duplicate import adds nothing
        self.imported = self.imported or summary.imported > 0
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=max(summary.rows_read, 1), progress=max(summary.rows_read, 1))
        self.query_one("#import-rows", Label).update(f"{summary.rows_read:,} rows read")
        text = Text()
        if summary.dry_run:
            text.append("Dry run, nothing written: ", style="bold")
            text.append("would import " + f"{summary.imported} entr{'y' if summary.imported == 1 else 'ies'}")
        else:
            text.append(f"Imported {summary.imported} entr{'y' if summary.imported == 1 else 'ies'}", style="bold")
        text.append(f" ({fmt(summary.hours, 2)} h) from {summary.rows_read} rows as {summary.format}: ")
        text.append(f"{summary.duplicates} duplicates, {summary.skipped} skipped, ")
        text.append(f"{summary.rejected} rejected", style="bold red" if summary.rejected else "")
        text.append(".")
        if summary.warnings:  # imported, but worth a look (a forgotten timer: over 24 h)
            text.append(f"\n{len(summary.warnings)} imported with a warning:", style="yellow")
            for line, reason in summary.warnings[:WARNINGS_SHOWN]:
                text.append(f"\n! line {line}: ", style="yellow")
                text.append_text(name_text(reason, limit=200))
            if len(summary.warnings) > WARNINGS_SHOWN:
                text.append(f"\n… and {len(summary.warnings) - WARNINGS_SHOWN} more (roi import --json lists them)",
                            style="dim")
        if summary.note:  # how the file was read: time zone, date order, AFK cuts
            text.append("\n")
            text.append_text(name_text(summary.note, style="dim", limit=1000))
        created = getattr(summary, "tasks_created", [])
        if created:
            text.append(f"\nNew tasks ({len(created)}): ")
            text.append_text(name_text(_few(created), limit=1000))
        earlier = summary.earlier_batch if not summary.imported and summary.duplicates else None
        if earlier is not None:
            text.append(f"\nThis file was imported before (import {earlier}). To import it again with other"
                        " options, undo that import first (ctrl+z).")
        self._offer_undo(None if summary.dry_run else (summary.batch_id if summary.imported else earlier))
        box = self.query_one("#import-summary", Static)
        box.display = True
        box.update(text)
        self.summary_text = text
        rejected = self.query_one("#import-rejected", DataTable)
        rejected.clear()
        for line, reason in summary.errors:
            rejected.add_row(str(line), name_text(reason))
        rejected.display = bool(summary.errors)
        if self.imported:
            self.state.rerank()
        self.show_history()
        self.call_after_refresh(box.scroll_visible, top=True, animate=False)  # the result, in view
        if not self.is_current:  # on this screen the summary says it (a toast would cover it)
            self.notify(
                ("Dry run: would import" if summary.dry_run else "Imported")
                + f" {summary.imported}, rejected {summary.rejected}.",
                title="Import",
                severity="warning" if summary.rejected else "information",
            )
        self._offer_estimates([] if summary.dry_run else list(created))

    @on(Button.Pressed, "#import-open")
    def action_open_new(self) -> None:
        self._open_next()

    # --- undo --------------------------------------------------------------------------

    def _offer_undo(self, batch_id: int | None) -> None:
        self.undo_target = batch_id
        button = self.query_one("#import-undo", Button)
        button.display = batch_id is not None
        button.label = f"Undo import {batch_id}"
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "undo_import":
            return self.undo_target is not None and not self.running
        if action == "open_new":
            return bool(self.open_queue)  # a text box takes the letter first
        return True

    @on(Button.Pressed, "#import-undo")
    def action_undo_import(self) -> None:
        from tui.dialogs.confirm import ConfirmScreen

        batch_id = self.undo_target
        if batch_id is None or self.running:
            return
        question = Text(f"Undo import {batch_id}? ", style="bold")
        question.append(
            "Its entries and rejected rows are removed, and so are the tasks and steps it created,"
            " unless something else holds on to them (other entries, a plan, steps or your changes).",
            style="",
        )

        def done(yes: bool | None) -> None:
            if yes:
                self.running = True
                self.query_one("#import-undo", Button).disabled = True
                self._undo(batch_id)

        self.app.push_screen(ConfirmScreen(question, yes="Undo"), done)

    @work(thread=True, exclusive=True, group="import")
    def _undo(self, batch_id: int) -> None:
        from roi.importers import undo_batch

        self._in_worker(lambda store: undo_batch(store, batch_id), self._undone, f"Import {batch_id} was not undone")

    def _undone(self, undone: Any) -> None:
        self.running = False
        self.imported = True  # the inventory changed
        self.query_one("#import-undo", Button).disabled = False
        self._offer_undo(None)
        self.query_one("#import-rejected").display = False
        self.query_one("#import-progress-row").display = False  # it showed the import now undone
        self.show_history()
        text = Text(f"Import {undone.batch.id} undone", style="bold")
        text.append(f": removed {undone.entries} entr{'y' if undone.entries == 1 else 'ies'} ({fmt(undone.hours, 2)} h)")
        if undone.tasks_removed:
            text.append(f" and {len(undone.tasks_removed)} task{'s' if len(undone.tasks_removed) != 1 else ''}: ")
            text.append_text(name_text(_few(undone.tasks_removed), limit=1000))
        text.append(".")
        if undone.tasks_kept:
            text.append(f"\nKept {len(undone.tasks_kept)} it created that something else holds on to: ")
            text.append_text(name_text(_few(undone.tasks_kept), limit=1000))
        box = self.query_one("#import-summary", Static)
        box.display = True
        box.update(text)
        self.query_one("#import-run", Button).disabled = False
        self.state.rerank()
        self.notify(f"Import {undone.batch.id} undone.", title="Import", markup=False)

    @on(Button.Pressed, "#import-close")
    def action_close(self) -> None:
        if self.running:
            self.notify("The import is still running.", severity="warning")
            return
        self.dismiss(self.imported)


def _few(names: list[str], shown: int = 8) -> str:
    return ", ".join(names[:shown]) + (" …" if len(names) > shown else "")
