"""One task: its fields, its steps (add, edit, reorder, delete, time) and its plan."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from roi.db.timelog import measurements
from roi.fmt import fmt, fmt_weeks
from roi.ranking import RankedTask, far_off_measurements
from roi.textsafe import visible
from tui.display import flags_text, missing_text, name_text, one_line, verdict_text
from tui.host import host
from tui.state import RankingChanged, RankingState
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
        with Horizontal(id="task-bottom"):
            yield Static(id="plan")
        yield Stopwatch()
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one("#steps", DataTable)
        for label, key in STEP_COLUMNS:
            table.add_column(label, key=key)
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
        table.clear()
        for index, s in enumerate(r.steps, start=1):
            m = measured.get((self.task_id, s.id))
            if m is None:
                shown = Text("—", style="dim")
            else:
                shown = Text(f"{fmt(m.median_minutes)} ({m.samples}×)")
                if m.samples < need:  # too few to be used: say so, not only in grey
                    shown = Text(f"{fmt(m.median_minutes)} ({m.samples} of {need})", style="dim")
            used = Text(fmt(s.manual))
            used.append(f" {SOURCE_SHORT.get(s.manual_source, s.manual_source)}", style="dim")
            table.add_row(
                str(index),
                name_text(s.name, 24),
                fmt(s.estimated_minutes),
                shown,
                used,
                f"{fmt(s.automation * 100, 0)}%",
                fmt(s.overhead),
                f"{fmt(s.failure_rate * 100, 0)}%",
                Text(fmt(s.saved), style="red" if s.saved < 0 else ""),
                key=str(s.id),
            )
        if selected is not None and str(selected) in table.rows:
            table.move_cursor(row=table.get_row_index(str(selected)), animate=False)

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
