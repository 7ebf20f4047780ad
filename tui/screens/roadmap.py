"""The roadmap: the worthwhile builds one after another within a weekly budget, as a
table of dates and the cumulative net hours of the whole plan."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static
from textual_plotext import PlotextPlot

from roi.fmt import fmt
from roi.roadmap import Roadmap, build_roadmap, left_out_sentence
from tui.display import name_text
from tui.state import RankingChanged, RankingState


class RoadmapScreen(Screen[None]):
    """Builds in rank order at the `build_budget_hours_per_week` setting."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="roadmap.back"),
        Binding("plus,equals_sign", "budget(1)", "+1 h/week", id="roadmap.budget_up"),
        Binding("minus", "budget(-1)", "-1 h/week", id="roadmap.budget_down"),
    ]

    DEFAULT_CSS = """
    RoadmapScreen #roadmap-summary { height: auto; padding: 0 1; }
    RoadmapScreen #roadmap-table { height: auto; max-height: 45%; }
    RoadmapScreen #roadmap-curve { height: 1fr; min-height: 8; }
    """

    def __init__(self, state: RankingState) -> None:
        super().__init__()
        self.state = state
        self.budget: float | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="roadmap-summary")
        yield DataTable(id="roadmap-table", cursor_type="row", zebra_stripes=True)
        yield PlotextPlot(id="roadmap-curve")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "roadmap"
        table: DataTable[object] = self.query_one(DataTable)
        table.add_column("#", key="rank")
        table.add_column("Task", key="task")
        table.add_column("Build h", key="build")
        table.add_column("Start", key="start")
        table.add_column("Finish", key="finish")
        table.add_column("Break-even", key="even")
        table.add_column("Net h", key="net")
        self._draw()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._draw()

    def plan(self) -> Roadmap:
        state = self.state
        if self.budget is None:
            self.budget = state.store.settings().build_budget_hours_per_week
        return build_roadmap(list(state.ranked), self.budget, state.today)

    def _draw(self) -> None:
        plan = self.plan()
        summary = Text()
        if not plan.items:
            summary.append("Nothing is worth building yet: no task is marked automate or maybe.", style="dim")
        else:
            summary.append(
                f"{len(plan.items)} build{'s' if len(plan.items) != 1 else ''} at {fmt(plan.budget_hours_per_week)} h a week from "
                f"{plan.start.isoformat()}: {fmt(plan.total_build_hours)} h of building; by "
                f"{plan.horizon_end.isoformat()} they give back {fmt(plan.hours_back_by_horizon)} h net."
            )
            late = sum(1 for i in plan.items if i.finish_week > plan.horizon_weeks)
            if late:
                summary.append(f"  {late} finish after the horizon.", style="yellow")
        left_out = left_out_sentence(plan)
        if left_out:
            summary.append("\n")
            summary.append_text(name_text(left_out, style="dim", limit=2000))
        self.query_one("#roadmap-summary", Static).update(summary)
        table = self.query_one(DataTable)
        table.clear()
        for item in plan.items:
            table.add_row(
                str(item.task.rank),
                name_text(item.task.name, 36),
                fmt(item.build_hours),
                item.start.isoformat(),
                item.finish.isoformat(),
                item.break_even.isoformat() if item.break_even else "never",
                Text(fmt(item.hours_back_by_horizon), style="red" if item.hours_back_by_horizon < 0 else ""),
                key=str(item.task.id),
            )
        curve = self.query_one(PlotextPlot)
        plt = curve.plt
        plt.clear_figure()
        plt.xlabel("weeks from today")
        plt.ylabel("net hours, whole plan")
        plt.xlim(0, plan.horizon_weeks)
        plt.hline(0.0, "gray")
        if plan.items:
            weeks, totals = plan.cumulative(105)
            plt.plot(weeks, totals, color="cyan", marker="braille")
            plt.scatter([i.finish_week for i in plan.items if i.finish_week <= plan.horizon_weeks],
                        [0.0 for i in plan.items if i.finish_week <= plan.horizon_weeks],
                        color="orange", marker="▲")
        curve.refresh()

    def action_budget(self, step: int) -> None:
        self.budget = max(1.0, (self.budget or 4.0) + step)
        self._draw()
