"""The payback chart of the selected task, or of the top five."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from roi.ranking import RankedTask
from tui.state import RankingChanged, RankingState
from tui.widgets.chart import PaybackChart

TOP_N = 5


class ChartScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="chart.back"),
        Binding("n", "toggle_top", "Selected / top 5", id="chart.toggle_top"),
    ]

    def __init__(self, state: RankingState, task_ids: list[int] | None = None) -> None:
        super().__init__()
        self.state = state
        self.task_ids = task_ids
        self.top = not task_ids

    def compose(self) -> ComposeResult:
        yield Header()
        yield PaybackChart(id="chart")
        yield Static(id="legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._draw()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._draw()

    def tasks(self) -> list[RankedTask]:
        if self.top or not self.task_ids:
            return list(self.state.ranked[:TOP_N])
        by_id = self.state.by_id
        return [by_id[i] for i in self.task_ids if i in by_id]

    def _draw(self) -> None:
        tasks = self.tasks()
        self.sub_title = f"payback, top {TOP_N}" if self.top or not self.task_ids else "payback"
        chart = self.query_one(PaybackChart)
        chart.show(tasks)
        legend = PaybackChart.legend(tasks) if tasks else Text("No tasks to chart.", style="dim")
        self.query_one("#legend", Static).update(legend)

    def action_toggle_top(self) -> None:
        if not self.task_ids:
            self.notify("Open the chart from a task to compare it with the top five.")
            return
        self.top = not self.top
        self._draw()
