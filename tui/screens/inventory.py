"""Home screen: the ranked inventory, a filter, and the selected task's explanation."""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from roi.ranking import RankedTask
from tui.display import name_text
from tui.display import table_columns as columns_for
from tui.host import host
from tui.state import RankingBusy, RankingChanged, RankingState
from tui.widgets.detail import TaskDetail
from tui.widgets.ranked_table import RankedTable
from tui.widgets.stopwatch import Stopwatch
from tui.widgets.text_input import TextInput


def matches(r: RankedTask, needle: str) -> bool:
    if not needle:
        return True
    hay = " ".join([r.name, r.task.category, r.verdict, *r.task.tags, *(f.code for f in r.flags)])
    return all(word in hay.casefold() for word in needle.casefold().split())


#: Terminal width from which every column fits.
WIDE = 110


class InventoryScreen(Screen[None]):
    """The ranked table of tasks; everything else is one key away."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=False, id="inventory.open"),
        Binding("a", "app.add_task", "Add", id="inventory.add"),
        Binding("d,delete", "delete", "Delete", show=False, id="inventory.delete"),
        Binding("t", "timer", "Time", id="inventory.timer"),
        Binding("s", "app.toggle_sort", "Sort", id="inventory.sort"),
        Binding("f", "flags", "Flags", id="inventory.flags"),
        Binding("c", "chart", "Chart", id="inventory.chart"),
        Binding("i", "app.import", "Import", id="inventory.import"),
        Binding("r", "app.report", "Report", id="inventory.report"),
        Binding("m", "app.roadmap", "Roadmap", show=False, id="inventory.roadmap"),
        Binding("comma", "app.settings", "Settings", id="inventory.settings"),
        Binding("slash", "filter", "Filter", show=False, id="inventory.filter"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="inventory.clear_filter"),
        Binding("q", "app.quit", "Quit", show=False, id="inventory.quit"),
    ]

    def __init__(self, state: RankingState) -> None:
        super().__init__()
        self.state = state
        self.selected_id: int | None = None
        self.shown: Sequence[RankedTask] = []
        self.wide: bool | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="filter-bar"):
            yield TextInput(
                placeholder="/ filter by name, category, tag, verdict…", id="filter", compact=True
            )
            yield Label(id="sort-label")
        yield RankedTable(columns_for(False), id="inventory")
        yield TaskDetail(id="detail")
        yield Stopwatch()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._set_columns(self.app.size.width)
        self.refresh_table(full=True)
        self.query_one(RankedTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self._set_columns(event.size.width):
            self.refresh_table(full=True)

    def _set_columns(self, width: int) -> bool:
        """Narrow terminals drop category, net hours and break-even (the panel has them)."""
        wide = width >= WIDE
        if wide == self.wide:
            return False
        self.wide = wide
        self.query_one(RankedTable).columns = columns_for(wide)
        return True

    # --- data --------------------------------------------------------------------------

    @property
    def needle(self) -> str:
        return self.query_one("#filter", Input).value.strip()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        changed = message.task_ids
        self.refresh_table(full=changed is None, changed=changed)

    def on_ranking_busy(self, message: RankingBusy) -> None:
        self._sort_label()

    def refresh_table(self, *, full: bool, changed: AbstractSet[int] | None = None) -> None:
        """Show the ranking (filtered), rebuilding only the changed rows' cells."""
        ranked = self.state.ranked
        self._sort_label()
        needle = self.needle
        self.shown = [r for r in ranked if matches(r, needle)] if needle else ranked
        by_id = self.state.by_id

        def locate(task_id: int) -> int | None:
            r = by_id.get(task_id)
            return r.rank - 1 if r is not None else None

        self.query_one(RankedTable).set_rows(
            self.shown, changed=changed, full=full, locate=None if needle else locate
        )
        self._show_detail()

    def _sort_label(self) -> None:
        state = self.state
        by = "net hours" if state.rank_by == "net" else "payback"
        text = Text(f"by {by} · {len(state.ranked)} tasks")
        if state.busy:
            text.append(" · re-ranking…", style="italic")
        self.query_one("#sort-label", Label).update(text)

    def _show_detail(self) -> None:
        task_id = self.query_one(RankedTable).selected_id
        current = self.state.by_id.get(task_id) if task_id is not None else None
        self.selected_id = current.id if current else None
        self.query_one(TaskDetail).show(current)

    # --- events ------------------------------------------------------------------------

    @on(RankedTable.Highlighted, "#inventory")
    def _highlighted(self, event: RankedTable.Highlighted) -> None:
        if not isinstance(event, RankedTable.Selected):
            self._show_detail()

    @on(RankedTable.Selected, "#inventory")
    def _selected(self, event: RankedTable.Selected) -> None:
        self._show_detail()
        self.action_open()

    @on(RankedTable.HeaderClicked, "#inventory")
    def _header_clicked(self, event: RankedTable.HeaderClicked) -> None:
        wanted = {"payback": "payback", "break_even": "payback", "net": "net", "saved": "net"}
        by = wanted.get(event.key)
        if by is None:
            self.notify("The inventory sorts by payback or net hours: click Payback or Net h.")
        elif by != self.state.rank_by:
            host(self).action_toggle_sort()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refresh_table(full=False)

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self.query_one(RankedTable).focus()

    def on_key(self, event: events.Key) -> None:
        # Down from the filter goes to the table, like in a browser's find bar.
        if event.key == "down" and self.query_one("#filter", Input).has_focus:
            self.query_one(RankedTable).focus()
            event.stop()

    # --- actions -----------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        if box.value:
            box.value = ""
        self.query_one(RankedTable).focus()

    def _need_task(self) -> int | None:
        if self.selected_id is None:
            self.notify("No task selected.", severity="warning")
        return self.selected_id

    def action_open(self) -> None:
        if (task_id := self._need_task()) is not None:
            host(self).action_open_task(task_id)

    def action_timer(self) -> None:
        """Time the task's only step, or the whole task when it has several (task-level
        time rescales the step estimates); open the task to time one step of many."""
        step_id = None
        r = self.state.by_id.get(self.selected_id) if self.selected_id is not None else None
        if r is not None and len(r.steps) == 1:
            step_id = r.steps[0].id
        host(self).toggle_timer(self.selected_id, step_id)

    def action_flags(self) -> None:
        if (task_id := self._need_task()) is not None:
            host(self).action_flags(task_id)

    def action_chart(self) -> None:
        ids = [self.selected_id] if self.selected_id is not None else None
        host(self).action_chart(ids)

    def action_delete(self) -> None:
        from tui.dialogs.confirm import ConfirmScreen

        task_id = self._need_task()
        if task_id is None:
            return
        r = self.state.by_id[task_id]
        question = Text("Delete task ")
        question.append_text(name_text(r.name, 50, style="bold"))
        question.append(f" with its {len(r.steps)} step(s), plan and time entries?")

        def done(yes: bool | None) -> None:
            if yes:
                if self.state.write(lambda store: store.remove_task(task_id), changed=[task_id]):
                    self.notify("Task deleted.")

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), done)
