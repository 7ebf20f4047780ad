"""The payback chart of the selected task, or of the top five."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from roi.ranking import RankedTask
from tui.widgets.chart import PaybackChart

TOP_N = 5


class ChartScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("n", "toggle_top", "Selected / top 5"),
    ]

    def __init__(self, task_ids: list[int] | None = None) -> None:
        super().__init__()
        self.task_ids = task_ids
        self.top = not task_ids

    def compose(self) -> ComposeResult:
        yield Header()
        yield PaybackChart(id="chart")
        yield Static(id="legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "revision", self._draw, init=False)
        self._draw()

    def tasks(self) -> list[RankedTask]:
        ranked: list[RankedTask] = self.app.ranked  # type: ignore[attr-defined]
        if self.top or not self.task_ids:
            return ranked[:TOP_N]
        by_id = self.app.by_id  # type: ignore[attr-defined]
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
