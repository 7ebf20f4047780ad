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
from textual.widgets import Header, Input, Label

from roi.ranking import RankedTask
from tui.display import SORTED_COLUMN, VERDICT_STYLE, name_text
from tui.display import table_columns as columns_for
from tui.host import host
from tui.state import RankingBusy, RankingChanged, RankingState
from tui.widgets.detail import TaskDetail
from tui.widgets.footer import Footer
from tui.widgets.ranked_table import RankedTable
from tui.widgets.stopwatch import Stopwatch
from tui.widgets.text_input import TextInput


def matches(r: RankedTask, needle: str) -> bool:
    if not needle:
        return True
    hay = " ".join([r.name, r.task.category, r.verdict, *r.task.tags, *(f.code for f in r.flags)])
    return all(word in hay.casefold() for word in needle.casefold().split())


def portfolio_text(ranked: Sequence[RankedTask], horizon: float, overrun: float, width: int = 200) -> Text:
    """One line: how many tasks each verdict has, what the tasks marked automate give back
    a week and cost to build (with the overrun), over which horizon; in fewer words when
    the long form does not fit in `width` cells."""
    counts = {"automate": 0, "maybe": 0, "skip": 0, "needs-estimate": 0}
    back = build = cost = 0.0
    for r in ranked:
        counts[r.verdict] = counts.get(r.verdict, 0) + 1
        if r.verdict == "automate":
            back += r.outcome.net_weekly_gain
            build += r.build_hours
            cost += r.outcome.build_cost
    for short in (False, True):
        text = Text()
        for verdict, style in VERDICT_STYLE.items():
            if counts.get(verdict) or verdict != "needs-estimate":
                if text:
                    text.append(" · ")
                text.append(f"{counts.get(verdict, 0)} ", style="bold")
                text.append(verdict.replace("-", " "), style=style.replace("bold ", ""))
        if counts["automate"]:
            built = f"{cost:.1f} h" if overrun == 1 else f"{cost:.1f} h ({build:.1f} est.)"
            text.append(
                f" │ +{back:.2f} h/wk, {built} to build" if short
                else f"  │ automate gives back {back:.2f} h/wk for {built} of building"
            )
        over = "no overrun" if overrun == 1 else f"×{overrun:g} overrun"
        text.append(
            f" │ {horizon:g} wk, {over}" if short else f"  │ horizon {horizon:g} weeks · {over}",
            style="dim",
        )
        if text.cell_len <= width:
            break
    return text


def empty_text(total: int, needle: str) -> Text:
    """What an empty table says: nothing yet, or nothing that matches the filter."""
    if total == 0:
        return Text("No tasks yet. Press a to add one, or i to import a time log.", style="dim")
    text = Text("None of the ", style="dim")
    text.append(f"{total} tasks matches ")
    text.append_text(name_text(needle, 40, style="bold"))
    text.append(" (name, category, tag, verdict or flag). Press esc to clear the filter.")
    return text


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
        yield Label(id="portfolio")
        yield RankedTable(columns_for(False), id="inventory")
        yield Label(id="inventory-empty")
        yield TaskDetail(id="detail")
        yield Stopwatch()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.refresh_table(full=True)
        self.query_one(RankedTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._set_columns(event.size.width)
        self.refresh_table(full=False, changed=frozenset())

    def _set_columns(self, width: int) -> bool:
        """All columns when they fit in `width` as measured (the task names give up room
        first, down to 20 cells); otherwise category, break-even and net hours (or build
        hours, when ranked by net hours) move to the detail panel. The column the ranking
        is sorted by is always shown, with a mark."""
        table = self.query_one(RankedTable)
        by = self.state.rank_by
        key, mark = SORTED_COLUMN.get(by, ("payback", "▲"))
        table.sort_key, table.sort_mark = key, mark
        room = width - 2  # the scrollbar's gutter
        wide = table.needed_width(columns_for(True, by)) <= room
        columns = columns_for(wide, by)
        if not wide and table.needed_width(columns) > room:  # very narrow: flags before build hours
            columns = [c for c in columns if c.key != "build"]
        if wide == self.wide and [c.key for c in columns] == [c.key for c in table.columns]:
            table.set_sort(key, mark)
            return False
        self.wide = wide
        table.set_columns(columns)
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
        needle = self.needle
        self.shown = [r for r in ranked if matches(r, needle)] if needle else ranked
        by_id = self.state.by_id

        def locate(task_id: int) -> int | None:
            r = by_id.get(task_id)
            return r.rank - 1 if r is not None else None

        table = self.query_one(RankedTable)
        table.set_rows(self.shown, changed=changed, full=full, locate=None if needle else locate)
        self._set_columns(self.app.size.width)
        self._sort_label()
        empty = self.query_one("#inventory-empty", Label)
        empty.display = not self.shown
        if not self.shown:
            empty.update(empty_text(len(ranked), needle))
        if full or changed is not None:
            if ranked:
                horizon, overrun = ranked[0].horizon_weeks, ranked[0].overrun_factor
            else:
                settings = self.state.store.settings()
                horizon, overrun = settings.horizon_weeks, settings.overrun_factor
            self.query_one("#portfolio", Label).update(
                portfolio_text(list(ranked.unranked()), horizon, overrun, self.app.size.width - 2)
            )
        self._show_detail()

    def _sort_label(self) -> None:
        state = self.state
        by = "net hours" if state.rank_by == "net" else "payback"
        total = len(state.ranked)
        count = f"{len(self.shown)} of {total} tasks" if self.needle else f"{total} tasks"
        text = Text(f"by {by} · {count}")
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
