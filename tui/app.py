"""The roi terminal app: the ranked inventory first."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from roi.inventory import rank_store
from roi.ranking import RankedTask, fmt, fmt_weeks
from roi.store import Store
from roi.textsafe import visible

VERDICT_STYLE = {"automate": "bold green", "maybe": "yellow", "skip": "red"}


class RoiApp(App[None]):
    """Ranked inventory of recurring work."""

    TITLE = "roi"
    SUB_TITLE = "which chores are worth automating"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, store: Store, *, today: date) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.ranked: list[RankedTask] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="inventory", cursor_type="row", zebra_stripes=True)
        yield Static(id="explanation")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("#", "Task", "Saved h/wk", "Build h", "Payback", "Verdict", "Flags")
        self.refresh_ranking()

    def refresh_ranking(self) -> None:
        self.ranked = rank_store(self.store, today=self.today)
        table = self.query_one(DataTable)
        table.clear()
        for r in self.ranked:
            table.add_row(
                str(r.rank),
                Text(visible(r.name)),
                fmt(r.outcome.weekly_hours_saved, 2),
                fmt(r.build_hours),
                fmt_weeks(r.payback_weeks),
                Text(r.verdict, style=VERDICT_STYLE.get(r.verdict, "")),
                Text(", ".join(f.code for f in r.active_flags)),
                key=str(r.id),
            )

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        index = event.cursor_row
        if 0 <= index < len(self.ranked):
            r = self.ranked[index]
            self.query_one("#explanation", Static).update(Text(r.explanation))


def create_app(store: Store, *, today: date) -> RoiApp:
    return RoiApp(store, today=today)


def run_app(store: Store, *, today: date) -> None:
    create_app(store, today=today).run()
