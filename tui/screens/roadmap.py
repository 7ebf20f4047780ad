"""The roadmap: the worthwhile builds one after another within a weekly budget, as a
table of dates and the cumulative net hours of the whole plan."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static
from textual_plotext import PlotextPlot

from roi.fmt import fmt
from roi.roadmap import Roadmap, build_roadmap, left_out_sentence
from tui.display import name_text
from tui.host import host
from tui.state import RankingChanged, RankingState
from tui.widgets.chart import nice_ticks, tick_count, tick_label
from tui.widgets.footer import Footer


class RoadmapScreen(Screen[None]):
    """Builds in rank order at the `build_budget_hours_per_week` setting."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="roadmap.back"),
        Binding("plus,equals_sign", "budget(1)", "+1 h/week", id="roadmap.budget_up"),
        Binding("minus", "budget(-1)", "-1 h/week", id="roadmap.budget_down"),
        Binding("enter", "open", "Open", show=False, id="roadmap.open"),
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
            summary.append(
                "\nThe curve: net hours of the whole plan (building costs hours, then each build gives"
                " back); ▲ a build finished. +/- changes the budget (kept in settings); enter opens a task.",
                style="dim",
            )
        left_out = left_out_sentence(plan)
        if left_out:
            summary.append("\n")
            summary.append_text(name_text(left_out, style="dim", limit=2000))
        self.query_one("#roadmap-summary", Static).update(summary)
        table = self.query_one(DataTable)
        table.clear()
        for item in plan.items:
            table.add_row(
                Text(str(item.task.rank), justify="right"),
                name_text(item.task.name, 26),
                Text(f"{item.build_hours:.1f}", justify="right"),
                item.start.isoformat(),
                item.finish.isoformat(),
                item.break_even.isoformat() if item.break_even else "never",
                Text(f"{item.hours_back_by_horizon:.1f}", style="red" if item.hours_back_by_horizon < 0 else "",
                     justify="right"),
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
            yticks = nice_ticks(min(totals), max(totals), tick_count(curve.size.height or 10))
            plt.yticks(yticks, [tick_label(t) for t in yticks])
            plt.ylim(yticks[0], yticks[-1])
            xticks = [t for t in nice_ticks(0.0, plan.horizon_weeks) if t <= plan.horizon_weeks]
            plt.xticks(xticks, [tick_label(t) for t in xticks])
            plt.plot(weeks, totals, color="cyan", marker="braille")
            plt.scatter([i.finish_week for i in plan.items if i.finish_week <= plan.horizon_weeks],
                        [0.0 for i in plan.items if i.finish_week <= plan.horizon_weeks],
                        color="orange", marker="▲")
        curve.refresh()

    def action_budget(self, step: int) -> None:
        """One hour a week more or less of building, kept in settings for next time
        (`roi config set build_budget_hours_per_week`)."""
        self.budget = max(1.0, (self.budget or 4.0) + step)
        try:
            self.state.store.set_setting("build_budget_hours_per_week", self.budget)
        except Exception as exc:  # a busy database: the budget still applies now
            self.notify(f"The budget applies now but was not kept: {exc}", severity="warning", markup=False)
        self._draw()

    def action_open(self) -> None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return
        from textual.coordinate import Coordinate

        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        if key:
            host(self).action_open_task(int(key))

    @on(DataTable.RowSelected, "#roadmap-table")
    def _selected(self) -> None:
        self.action_open()
