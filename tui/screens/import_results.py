"""The import screen's results beyond the summary: the list of past imports (as `roi
imports list`, each one undoable) and the new tasks an import created, offered for an
estimate ("2 new tasks need an estimate: open them?")."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.coordinate import Coordinate
from textual.widgets import Button, DataTable, Static

from roi.textsafe import visible
from tui.display import name_text

if TYPE_CHECKING:
    from textual.screen import Screen

    from tui.state import RankingState

    _Base = Screen[bool]
else:
    _Base = object


class ImportResults(_Base):
    """Mixed into ImportScreen (which has the widgets, `state` and `_offer_undo`)."""

    state: RankingState
    open_queue: list[int]
    summary_text: Text
    _opening: bool

    def show_history(self) -> None:
        """The past imports (as `roi imports list`), newest first: select one, ctrl+z undoes it."""
        from roi.importers import list_batches

        table = self.query_one("#import-history", DataTable)
        table.clear()
        batches = list(reversed(list_batches(self.state.store)))
        for b in batches:
            table.add_row(
                Text(str(b.id), justify="right"), (b.finished or b.started)[:16].replace("T", " "),
                name_text(Path(b.file).name, 28), visible(b.format),
                Text(str(b.entries), justify="right"), Text(f"{b.hours:.2f}", justify="right"),
                key=str(b.id),
            )
        title = Text("Past imports", style="bold")
        title.append(
            f" ({len(batches)}; select one, ctrl+z undoes it)" if batches else ": none yet", style="dim"
        )
        self.query_one("#import-history-title", Static).update(title)
        table.display = bool(batches)

    def selected_history(self) -> int | None:
        table = self.query_one("#import-history", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key else None

    def _offer_estimates(self, created: list[str]) -> None:
        """New tasks come without steps or a plan: the summary asks to open them (o, or
        the button), one after another."""
        ids = [self.state.store.find_task(name) for name in created]
        self.open_queue = [
            i for i in ids if i is not None and self.state.by_id.get(i) is not None and self.state.by_id[i].missing
        ]
        button = self.query_one("#import-open", Button)
        n = len(self.open_queue)
        button.display = bool(n)
        self.refresh_bindings()
        if n:
            box = self.query_one("#import-summary", Static)
            text = self.summary_text.copy()
            question = f"\n{n} new task{'s' if n != 1 else ''} need{'s' if n == 1 else ''} an estimate: open "
            text.append(question + ("it? " if n == 1 else "them? "), style="bold")
            text.append("(o, or Open new tasks; they are not ranked until they have steps and a plan)", style="dim")
            box.update(text)

    def _open_next(self) -> None:
        from tui.screens.task import TaskScreen

        if self.open_queue:
            task_id = self.open_queue.pop(0)
            self._opening = True
            self.app.push_screen(TaskScreen(self.state, task_id))
        else:
            self._opening = False
            self._offer_estimates([])

    def on_screen_resume(self) -> None:
        """Back from a new task opened after the import: the next one, if any."""
        if self._opening:
            self._open_next()

