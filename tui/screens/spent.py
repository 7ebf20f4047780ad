"""Where the time goes: the candidate list. Hours a week per task from every source
(stopwatch, imports), sorted, with the share of the total, a per-week sparkline and each
row's state (its verdict, needs-estimate, flagged or live), as `roi spent` prints it.
From a row, `e` opens the estimate form (the same core as `roi estimate`) and enter
opens the task. Opened with `w` or the palette's "Where the time goes"."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from roi.errors import RoiError
from roi.fmt import fmt
from roi.spent import Spent, SpentRow, where_time_goes
from tui.display import name_text
from tui.state import RankingChanged, RankingState
from tui.widgets.footer import Footer

BARS = "▁▂▃▄▅▆▇█"
TREND_WEEKS = 12  # the sparkline shows the last this many weeks
STATE_STYLES = {"automate": "green", "maybe": "yellow", "skip": "red", "needs-estimate": "magenta",
                "flagged": "red", "live": "cyan"}


def sparkline(weekly: tuple[float, ...], weeks: int = TREND_WEEKS) -> str:
    """The last `weeks` weekly hours as bars, scaled to the row's own highest week; a
    week with no time is a space (no time is not a short bar)."""
    shown = weekly[-weeks:]
    top = max(shown, default=0.0)
    if top <= 0:
        return ""
    return "".join(" " if w <= 0 else BARS[min(int(w / top * (len(BARS) - 1) + 0.5), len(BARS) - 1)] for w in shown)


class SpentScreen(Screen[None]):
    """Hours a week per task over the whole log, from every source."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="spent.back"),
        Binding("e", "estimate", "Estimate", id="spent.estimate"),
    ]

    DEFAULT_CSS = """
    SpentScreen #spent-summary { height: auto; padding: 0 1; }
    SpentScreen #spent-table { height: 1fr; }
    """

    def __init__(self, state: RankingState) -> None:
        super().__init__()
        self.state = state
        self.spent: Spent | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="spent-summary")
        yield DataTable(id="spent-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "where the time goes"
        table: DataTable[object] = self.query_one(DataTable)
        table.add_column("Task", key="task")
        table.add_column("h/week", key="hours")
        table.add_column("Share", key="share")
        table.add_column("Trend", key="trend")
        table.add_column("State", key="state")
        self._draw()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._draw()

    def _draw(self) -> None:
        summary = Text()
        try:
            spent = where_time_goes(self.state.store, today=self.state.today, ranked=list(self.state.ranked))
        except RoiError as exc:
            summary.append(str(exc), style="red")
            self.query_one("#spent-summary", Static).update(summary)
            return
        self.spent = spent
        if spent.total_hours is None or spent.since is None:
            summary.append("Nothing logged yet: time a step (t on the inventory) or import a log (i).", style="dim")
        else:
            weeks = fmt(spent.weeks, 1)
            summary.append(f"From {spent.since.isoformat()} to {spent.until.isoformat()} ({weeks} week"
                           f"{'s' if weeks != '1' else ''}): {fmt(spent.total_hours, 1)} h logged, "
                           f"{fmt(spent.total_hours_per_week or 0.0, 1)} h a week.")
            pending = sum(1 for r in spent.rows if r.state == "needs-estimate" and r.hours)
            if pending:
                summary.append(f"  {pending} need{'s' if pending == 1 else ''} an estimate: e on a row.", style="dim")
        self.query_one("#spent-summary", Static).update(summary)
        table = self.query_one(DataTable)
        at = table.cursor_row
        table.clear()
        for row in spent.rows:
            table.add_row(*self._cells(row), key=str(row.task_id if row.task_id is not None else row.id))
        if spent.rows:
            table.move_cursor(row=min(at, len(spent.rows) - 1))

    @staticmethod
    def _cells(row: SpentRow) -> tuple[Text, ...]:
        missing = Text("—", style="dim")
        state = row.state or ""
        return (
            name_text(row.name, 36),
            missing if row.hours_per_week is None else Text(fmt(row.hours_per_week, 1), justify="right"),
            missing if row.share is None else Text(f"{row.share * 100:.1f}%", justify="right"),
            Text(sparkline(row.weekly), style="cyan"),
            Text(state, style=STATE_STYLES.get(state, "")),
        )

    def _row_task(self) -> int | None:
        table = self.query_one(DataTable)
        if self.spent is None or not self.spent.rows or table.cursor_row < 0:
            return None
        row = self.spent.rows[min(table.cursor_row, len(self.spent.rows) - 1)]
        return row.task_id

    def action_estimate(self) -> None:
        task_id = self._row_task()
        if task_id is None:
            self.notify("No task on this row.", severity="warning")
            return
        from tui.dialogs.estimate import EstimateForm

        self.app.push_screen(EstimateForm(self.state, task_id), lambda done: self._draw() if done else None)

    @on(DataTable.RowSelected)
    async def _open(self) -> None:
        """Enter on a row opens its task."""
        task_id = self._row_task()
        if task_id is not None:
            await self.app.run_action(f"open_task({task_id})")
