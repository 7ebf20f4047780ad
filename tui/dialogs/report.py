"""Export the ranking report in any format, and say where it was written."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from tui.display import name_text, safe_text
from tui.state import RankingState
from tui.widgets.footer import Footer
from tui.widgets.text_input import TextInput

FORMATS = (("text", "txt"), ("md", "md"), ("html", "html"), ("csv", "csv"), ("json", "json"))


class ReportScreen(ModalScreen[Path | None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="report.close"),
        Binding("ctrl+s", "export", "Export", id="report.export"),
    ]

    def __init__(self, state: RankingState, directory: Path | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.state = state
        self.directory = directory or Path.cwd()
        self.format = "md"
        self.written: Path | None = None
        self._auto_path = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog report"):
            yield Static(Text("Export the report", style="bold"), classes="title")
            with Horizontal(classes="field-row"):
                yield Label("Format", classes="field-label")
                with RadioSet(id="format", compact=True):
                    for name, _ext in FORMATS:
                        yield RadioButton(name, value=name == self.format, name=name, id=f"fmt-{name}")
            with Horizontal(classes="field-row"):
                yield Label("File", classes="field-label")
                yield TextInput(id="path", compact=True)
            with Horizontal(classes="field-row"):
                yield Label("Top N", classes="field-label")
                yield TextInput(id="top", placeholder="all tasks", compact=True, type="integer")
            yield Static(id="report-result")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
                yield Button("Export", id="export", variant="primary")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._set_default_path()
        self.query_one("#report-result", Static).display = False
        self.query_one("#format", RadioSet).focus()

    def _set_default_path(self) -> None:
        ext = dict(FORMATS)[self.format]
        today = self.state.today.isoformat()
        path = str(self.directory / f"roi-report-{today}.{ext}")
        box = self.query_one("#path", TextInput)
        if not box.value or box.text == self._auto_path:
            box.value = path
        self._auto_path = path

    @on(RadioSet.Changed, "#format")
    def _format(self, event: RadioSet.Changed) -> None:
        self.format = str(event.pressed.name)
        self._set_default_path()

    @on(Button.Pressed, "#export")
    @on(Input.Submitted)
    def action_export(self) -> None:
        result = self.query_one("#report-result", Static)
        result.display = True
        try:
            from roi.report import write_report
        except ImportError:
            result.update(Text("The report module is not available in this version.", style="bold red"))
            return
        target = Path(self.query_one("#path", TextInput).text.strip()).expanduser()
        top_text = self.query_one("#top", Input).value.strip()
        state = self.state
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            written = write_report(
                state.store,
                target,
                self.format,
                today=state.today,
                by=state.rank_by,
                top=int(top_text) if top_text else None,
            )
        except Exception as exc:  # RoiError or an OS error: shown, never a traceback
            result.update(safe_text(f"Not written: {exc}", style="bold red"))
            return
        self.written = Path(written)
        text = Text("Written to ")
        text.append_text(name_text(str(self.written.resolve()), style="bold", limit=1000))
        result.update(text)
        self.notify(f"Report written to {self.written}", title="Report", markup=False)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(self.written)
