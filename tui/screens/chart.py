"""The payback chart of the selected task, or of the top five."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from roi.ranking import MISSING_WORDS, RankedTask
from tui.display import name_text
from tui.state import RankingChanged, RankingState
from tui.widgets.chart import PaybackChart
from tui.widgets.footer import Footer

TOP_N = 5


class ChartScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="chart.back"),
        Binding("n", "toggle_top", "Selected / top 5", id="chart.toggle_top"),
        Binding("z", "zoom", "Zoom", id="chart.zoom"),
    ]

    def __init__(self, state: RankingState, task_ids: list[int] | None = None) -> None:
        super().__init__()
        self.state = state
        self.task_ids = task_ids
        self.top = not task_ids
        #: Zoomed to the break-even region (z) instead of the whole horizon.
        self.zoom = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield PaybackChart(id="chart")
        yield Static(id="chart-empty")
        yield Static(id="legend")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._draw()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._draw()

    def tasks(self) -> list[RankedTask]:
        """The top five that can be drawn (a task still missing an input has no curve),
        or the tasks it was opened for."""
        if self.top or not self.task_ids:
            drawn: list[RankedTask] = []
            for r in self.state.ranked:
                if not r.missing:
                    drawn.append(r)
                    if len(drawn) == TOP_N:
                        break
            return drawn
        by_id = self.state.by_id
        return [by_id[i] for i in self.task_ids if i in by_id]

    def _draw(self) -> None:
        all_tasks = self.tasks()
        tasks = [r for r in all_tasks if not r.missing]
        self.sub_title = f"payback, top {TOP_N}" if self.top or not self.task_ids else "payback"
        chart = self.query_one(PaybackChart)
        empty = self.query_one("#chart-empty", Static)
        chart.display = bool(tasks)
        empty.display = not tasks
        legend = self.query_one("#legend", Static)
        legend.display = bool(tasks)
        if not tasks:
            message = Text("Nothing to chart yet. ", style="bold")
            if all_tasks:
                for r in all_tasks:
                    message.append("\n")
                    message.append_text(name_text(r.name, 60, style="bold"))
                    message.append(f" still needs {', '.join(MISSING_WORDS[m] for m in r.missing)}")
                message.append("\n(on its task screen: a adds a step, n sets the frequency, p the plan).")
            else:
                message.append("A payback curve needs a task with steps, a frequency and a build estimate: "
                               "press esc, then a to add a task or i to import a time log.")
            empty.update(message)
            return
        chart.show(tasks, zoom=self.zoom)
        legend.update(PaybackChart.legend(tasks, self.state.today, zoom=self.zoom))

    def action_zoom(self) -> None:
        """Zoom to the weeks around the break-evens, or back to the whole horizon."""
        self.zoom = not self.zoom
        self._draw()

    def action_toggle_top(self) -> None:
        if not self.task_ids:
            self.notify("Open the chart from a task to compare it with the top five.")
            return
        self.top = not self.top
        self._draw()
