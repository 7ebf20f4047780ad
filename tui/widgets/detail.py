"""The inventory's detail panel: the selected task's explanation, verdict and flags."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from roi.ranking import RankedTask
from tui.display import detail_text


class TaskDetail(VerticalScroll, can_focus=False):
    """Shows one ranked task; `show(None)` shows a hint."""

    def compose(self) -> ComposeResult:
        yield Static(id="detail-body")

    def show(self, ranked: RankedTask | None) -> None:
        body = self.query_one("#detail-body", Static)
        if ranked is None:
            body.update(Text("No task selected. Press a to add one, i to import a time log.", style="dim"))
        else:
            body.update(detail_text(ranked))
