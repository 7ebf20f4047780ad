"""Import a time log (placeholder until roi.importers lands)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ImportScreen(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "dismiss(False)", "Close")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text("Import is not available yet."))
