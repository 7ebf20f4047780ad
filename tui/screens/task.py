"""One task: its fields, its steps (add, edit, reorder, delete, time) and its plan."""

from __future__ import annotations

from pathlib import PurePath

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from roi.db.timelog import entries, entry_imports, measurements
from roi.fmt import fmt, fmt_weeks
from roi.ranking import RankedTask, far_off_measurements
from roi.textsafe import visible
from tui.display import flags_text, local_zone, missing_text, name_text, one_line, verdict_text
from tui.host import host
from tui.state import RankingChanged, RankingState
from tui.widgets.footer import Footer
from tui.widgets.stopwatch import Stopwatch

SOURCE_SHORT = {"measured": "meas", "estimated": "est", "pinned": "pin", "scaled": "scal"}

STEP_COLUMNS = (
    ("#", "pos"),
    ("Step", "name"),
    ("Est min", "est"),
    ("Measured", "measured"),
    ("Used", "used"),
    ("Auto", "auto"),
    ("Ovh", "overhead"),
    ("Fail", "fail"),
    ("Saved", "saved"),
)
ENTRY_COLUMNS = (("When", "when"), ("Min", "minutes"), ("Step", "step"), ("Source", "source"), ("Id", "id"))


def right(text: str | Text, style: str = "") -> Text:
    """A number for a table cell, right-aligned (so a column lines up on the point)."""
    cell = text if isinstance(text, Text) else Text(text, style=style)
    cell.justify = "right"
    return cell


def far_steps(r: RankedTask) -> set[str]:
    """Names of the steps whose measured median is far from the estimate (the warnings
    of roi.explanation.far_off_measurements, which name each such step)."""
    warnings = far_off_measurements(r)
    return {s.name for s in r.steps if any(w.startswith(f'Step "{visible(s.name)}"') for w in warnings)}


def entry_source(source: str, kind: str, batch: tuple[int, str] | None) -> Text:
    """'stopwatch', 'manual', or the import it came from: 'toggl: import 3 (week.csv)'."""
    text = Text(visible(source))
    if batch is not None:
        text.append(f": import {batch[0]} ({one_line(PurePath(batch[1]).name, 24)})", style="dim")
    if kind == "build":
        text.append(" (build)", style="dim")
    return text


class TaskScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="task.back"),
        Binding("a", "add_step", "Add", id="task.add_step"),
        Binding("e", "edit_step", "Edit", id="task.edit_step"),
        Binding("d,delete", "delete_step", "Del", id="task.delete_step"),
        Binding("shift+up,K", "move(-1)", "Up", show=False, id="task.step_up"),
        Binding("shift+down,J", "move(1)", "Down", show=False, id="task.step_down"),
        Binding("t", "timer", "Time", id="task.timer"),
        Binding("b", "build_timer", "Time build", show=False, id="task.build_timer"),
        Binding("n", "edit_task", "Task", id="task.edit_task"),
        Binding("p", "plan", "Plan", id="task.plan"),
        Binding("f", "flags", "Flags", id="task.flags"),
        Binding("c", "chart", "Chart", id="task.chart"),
    ]

    def __init__(self, state: RankingState, task_id: int) -> None:
        super().__init__()
        self.state = state
        self.task_id = task_id
        self.ranked: RankedTask | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="task-top"):
            yield Static(id="task-fields")
            yield Static(id="task-verdict")
        table: DataTable[object] = DataTable(id="steps", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static(id="entries-title")
        logged: DataTable[object] = DataTable(id="entries", cursor_type="row", zebra_stripes=True)
        yield logged
        with Horizontal(id="task-bottom"):
            yield Static(id="plan")
        yield Stopwatch()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        for label, key in STEP_COLUMNS:
            table.add_column(label, key=key)
        logged = self.query_one("#entries", DataTable)
        for label, key in ENTRY_COLUMNS:
            logged.add_column(label, key=key)
        self.refresh_task()
        table.focus()

    # --- data --------------------------------------------------------------------------

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self.refresh_task()  # another task's change can move this one's rank

    def refresh_task(self) -> None:
        r = self.state.by_id.get(self.task_id)
        if r is None:
            if self.is_current:
                self.app.pop_screen()
            return
        self.ranked = r
        t = r.task
        self.sub_title = one_line(t.name)
        fields = Text()
        fields.append_text(name_text(t.name, style="bold"))
        fields.append(f"  #{r.rank} · {t.category} · {t.status}", style="dim")
        fields.append("\n")
        if "per_week" in r.missing:
            fields.append("frequency not given yet (press n)")
        else:
            fields.append(f"{fmt(r.per_week, 2)} times a week ({r.per_week_source})")
        if t.tags:
            fields.append(" · tags: ")
            fields.append_text(name_text(", ".join(t.tags)))
        if t.learning_value:
            fields.append(" · learning value")
        if t.notes:
            fields.append("\n")
            fields.append_text(name_text(t.notes, style="italic", limit=300))
        self.query_one("#task-fields", Static).update(fields)

        verdict = Text()
        verdict.append_text(verdict_text(r.verdict))
        verdict.append(f" — {visible(r.verdict_reason)}", style="dim")
        if r.flags:
            verdict.append("  ")
            verdict.append_text(flags_text(r))
        verdict.append("\n")
        verdict.append(visible(r.explanation, keep_newlines=True))
        if r.missing:
            verdict.append("\n" + missing_text(r), style="bold")
        for warning in far_off_measurements(r):
            verdict.append("\n⚠ " + visible(warning), style="bold #d7901b")
        self.query_one("#task-verdict", Static).update(verdict)

        self._fill_steps(r)
        self._fill_entries()

        plan = Text()
        plan.append("Plan: ", style="bold")
        p = t.plan
        if p is None:
            plan.append("none yet (press p): without a build estimate the task is not ranked.")
        else:
            plan.append(f"build {fmt(r.build_hours)} h" if p.build_given else "build not estimated yet (press p)")
            if p.build_given and (p.build_low is not None or p.build_high is not None):
                plan.append(f" ({fmt(p.build_range.low)}–{fmt(p.build_range.high)})")
            plan.append(f" · upkeep {fmt(p.upkeep_hours_per_week, 2)} h/week")
            plan.append(f" · start {r.start_date.isoformat()}")
            if p.actual_build_hours is not None:
                plan.append(f" · actually took {fmt(p.actual_build_hours)} h")
        if r.missing:
            plan.append("\nPayback: not known until the missing inputs are given.")
        else:
            plan.append(f"\nPayback {fmt_weeks(r.payback_weeks)}")
            if r.break_even:
                plan.append(f", break-even {r.break_even.isoformat()}")
            plan.append(f"; net {fmt(r.net_hours)} h over {fmt(r.horizon_weeks)} weeks.")
        self.query_one("#plan", Static).update(plan)

    def _fill_steps(self, r: RankedTask) -> None:
        table = self.query_one("#steps", DataTable)
        selected = self.selected_step()
        measured = measurements(self.state.store)
        need = self.state.store.settings().min_samples
        far = far_steps(r)
        table.clear()
        for index, s in enumerate(r.steps, start=1):
            m = measured.get((self.task_id, s.id))
            if m is None:
                shown = Text("—", style="dim")
            else:
                shown = Text(f"{m.median_minutes:.1f} ({m.samples}×)")
                if m.samples < need:  # too few to be used: say so, not only in grey
                    shown = Text(f"{m.median_minutes:.1f} ({m.samples} of {need})", style="dim")
                if s.name in far:  # the outlier warning beside the median it is about
                    shown = Text("⚠ ", style="bold #d7901b") + shown
            used = Text(f"{s.manual:.1f}")
            used.append(f" {SOURCE_SHORT.get(s.manual_source, s.manual_source)}", style="dim")
            table.add_row(
                right(str(index)),
                name_text(s.name, 24),
                right(f"{s.estimated_minutes:.1f}"),
                right(shown),
                right(used),
                right(f"{s.automation * 100:.0f}%"),
                right(f"{s.overhead:.1f}"),
                right(f"{s.failure_rate * 100:.0f}%"),
                right(f"{s.saved:.1f}", style="red" if s.saved < 0 else ""),
                key=str(s.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)

    def _fill_entries(self) -> None:
        """The task's logged time, newest first: when, how long, which step, where from."""
        table = self.query_one("#entries", DataTable)
        selected = self.selected_entry()
        store = self.state.store
        found = list(reversed(entries(store, task_id=self.task_id)))
        batches = entry_imports(store, self.task_id) if found else {}
        zone = local_zone(store)
        table.clear()
        for e in found:
            start = e.start.astimezone(zone)
            table.add_row(
                f"{start:%Y-%m-%d %H:%M}",
                right(f"{e.minutes:.1f}"),
                name_text(e.step, 20) if e.step else Text("whole task", style="dim"),
                entry_source(e.source, e.kind, batches.get(e.id)),
                right(str(e.id), style="dim"),
                key=str(e.id),
            )
        total = sum(e.minutes for e in found)
        title = Text("Time entries ", style="bold")
        if found:
            title.append(f"{len(found)}, {total / 60:.2f} h", style="dim")
            title.append("  · tab here, then enter: edit, d: delete", style="dim")
        else:
            title.append("none yet: t times the selected step, i imports a log", style="dim")
        self.query_one("#entries-title", Static).update(title)
        table.display = bool(found)  # no empty header row: the title says there are none
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)

    def selected_entry(self) -> int | None:
        table = self.query_one("#entries", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key else None

    def selected_step(self) -> int | None:
        table = self.query_one("#steps", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return int(key) if key else None

    def _changed(self, result: object) -> None:
        if result:
            self.state.rerank([self.task_id])

    # --- events ------------------------------------------------------------------------

    @on(DataTable.RowSelected, "#steps")
    def _selected(self) -> None:
        self.action_edit_step()

    @on(DataTable.RowSelected, "#entries")
    def _entry_selected(self) -> None:
        self.action_edit_entry()

    def _on_entries(self) -> bool:
        return self.query_one("#entries", DataTable).has_focus

    def action_edit_entry(self) -> None:
        from tui.dialogs.entry import EntryForm

        entry_id = self.selected_entry()
        if entry_id is not None:
            self.app.push_screen(EntryForm(self.state, self.task_id, entry_id), self._entry_changed)

    def _entry_changed(self, result: object) -> None:
        if result:
            self.state.rerank([self.task_id])
            self.refresh_task()

    def action_delete_entry(self) -> None:
        from roi.db.timelog import remove_entries
        from tui.dialogs.confirm import ConfirmScreen

        entry_id = self.selected_entry()
        if entry_id is None:
            return
        row = self.query_one("#entries", DataTable).get_row(str(entry_id))
        question = Text(f"Delete the time entry of {row[0]} ({row[1].plain if isinstance(row[1], Text) else row[1]} min")
        question.append(", ")
        question.append_text(row[2] if isinstance(row[2], Text) else Text(str(row[2])))
        question.append(")? The measured minutes follow.")

        def done(yes: bool | None) -> None:
            if yes and self.state.write(lambda store: remove_entries(store, [entry_id]), changed=[self.task_id]):
                self.refresh_task()
                self.notify("Time entry deleted.")

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), done)

    # --- actions -----------------------------------------------------------------------

    @property
    def task_name(self) -> str:
        return self.ranked.name if self.ranked else ""

    def action_add_step(self) -> None:
        from tui.dialogs.forms import StepForm

        self.app.push_screen(StepForm(self.state, self.task_id, None, self.task_name), self._step_added)

    def _step_added(self, step_id: int | None) -> None:
        if step_id:
            self.state.rerank([self.task_id])
            self.refresh_task()  # now, to put the cursor on the new step
            table = self.query_one("#steps", DataTable)
            if str(step_id) in table.rows:
                table.move_cursor(row=table.get_row_index(str(step_id)), animate=False)

    def action_edit_step(self) -> None:
        from tui.dialogs.forms import StepForm

        step_id = self.selected_step()
        if step_id is None:
            self.notify("No steps yet: press a to add one.", severity="warning")
            return
        self.app.push_screen(StepForm(self.state, self.task_id, step_id, self.task_name), self._changed)

    def action_delete_step(self) -> None:
        from tui.dialogs.confirm import ConfirmScreen

        if self._on_entries():
            self.action_delete_entry()
            return
        step_id = self.selected_step()
        if step_id is None or self.ranked is None:
            return
        step = next(s for s in self.ranked.steps if s.id == step_id)
        question = Text("Delete step ")
        question.append_text(name_text(step.name, 50, style="bold"))
        question.append("? Its time entries stay with the task.")

        def done(yes: bool | None) -> None:
            if yes:
                self.state.write(lambda store: store.remove_step(step_id), changed=[self.task_id])

        self.app.push_screen(ConfirmScreen(question, yes="Delete"), done)

    def action_move(self, offset: int) -> None:
        step_id = self.selected_step()
        if step_id is None:
            return
        self.state.write(lambda store: store.move_step(step_id, offset), changed=[self.task_id])

    def action_timer(self) -> None:
        host(self).toggle_timer(self.task_id, self.selected_step())

    def action_build_timer(self) -> None:
        """Time building the automation: stopped, it becomes the plan's actual hours."""
        host(self).toggle_timer(self.task_id, None, "build")

    def action_edit_task(self) -> None:
        from tui.dialogs.forms import TaskForm

        self.app.push_screen(TaskForm(self.state, self.task_id, self.task_name), self._changed)

    def action_plan(self) -> None:
        from tui.dialogs.forms import PlanForm

        self.app.push_screen(PlanForm(self.state, self.task_id, self.task_name), self._changed)

    def action_flags(self) -> None:
        host(self).action_flags(self.task_id)

    def action_chart(self) -> None:
        host(self).action_chart([self.task_id])
