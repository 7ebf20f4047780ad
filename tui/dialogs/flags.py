"""A task's low-ROI flags with their reasons; dismiss one for this task, or restore it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from roi.fmt import fmt
from roi.ranking import RankedTask
from roi.textsafe import visible
from tui.display import name_text, verdict_text
from tui.state import RankingChanged, RankingState
from tui.widgets.footer import Footer


def flag_change_note(before: RankedTask, after: RankedTask, code: str, *, restored: bool) -> str:
    """The toast after a dismissal or restore: what changed in the numbers, then the verdict."""
    assumed = sum(s.overhead for s in before.steps if s.overhead_source == "flag default")
    again = sum(s.overhead for s in after.steps if s.overhead_source == "flag default")
    if restored:
        overhead = f"assumed overhead {fmt(again, 2)} min back" if again else "no overhead assumed"
    else:
        overhead = f"assumed overhead of {fmt(assumed, 2)} min goes away" if assumed else "no overhead was assumed"
    return (
        f"{'Restored' if restored else 'Dismissed'} {code}: {overhead}; "
        f"saved {before.outcome.weekly_hours_saved:.2f} -> {after.outcome.weekly_hours_saved:.2f} h/week; "
        f"verdict {before.verdict} -> {after.verdict}"
    )


class FlagsScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q", "close", "Close", id="flags.close"),
        # not d: that deletes on the inventory and the task screen
        Binding("x", "toggle_focused", "Dismiss/restore", id="flags.toggle"),
    ]

    def __init__(self, state: RankingState, task_id: int) -> None:
        super().__init__(classes="dialog-screen")
        self.state = state
        self.task_id = task_id
        #: The flag code of each Dismiss/Restore button, by button id.
        self.codes: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog flags"):
            yield Static(id="flags-title", classes="title")
            yield Static(id="flags-verdict")
            yield VerticalScroll(id="flag-list")
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._refresh()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._refresh()

    def _refresh(self) -> None:
        r = self.state.by_id.get(self.task_id)
        if r is None:
            self.dismiss(None)
            return
        title = Text("Flags: ", style="bold")
        title.append_text(name_text(r.name, 50, style="bold"))
        self.query_one("#flags-title", Static).update(title)
        verdict = Text("Verdict: ")
        verdict.append_text(verdict_text(r.verdict))
        verdict.append(f" ({visible(r.verdict_reason)})", style="dim")
        self.query_one("#flags-verdict", Static).update(verdict)
        box = self.query_one("#flag-list", VerticalScroll)
        focused = self.focused.id if self.focused is not None else None
        box.remove_children()
        self.codes = {}
        if not r.flags:
            box.mount(Static(Text("No flags on this task.", style="dim")))
        for index, flag in enumerate(r.flags):
            reason = Text()
            reason.append(visible(flag.code), style="dim strike" if flag.dismissed else "bold magenta")
            reason.append(" (dismissed for this task)" if flag.dismissed else "")
            if flag.matched is not None:
                reason.append("\nmatched: ", style="dim")
                reason.append(visible(flag.matched.describe()))
                reason.append(
                    " · overhead assumed on that step" if flag.scope == "step"
                    else " · decides the verdict", style="dim",
                )
            reason.append("\n")
            reason.append(visible(flag.reason), style="dim" if flag.dismissed else "")
            label = "Restore" if flag.dismissed else "Dismiss"
            button = Button(label, id=f"flag-{index}", classes="flag-button", compact=True)
            self.codes[f"flag-{index}"] = flag.code
            box.mount(Vertical(Static(reason, classes="flag-reason"), button, classes="flag-item"))
        target = focused if focused and focused.startswith("flag-") else ("flag-0" if r.flags else "close")
        self.call_after_refresh(self._focus, target)

    def _focus(self, widget_id: str) -> None:
        found = self.query(f"#{widget_id}")
        if found:
            found.first().focus()

    @on(Button.Pressed, ".flag-button")
    def _toggle(self, event: Button.Pressed) -> None:
        code = self.codes.get(event.button.id or "")
        if code is not None:
            self.toggle(code)

    def toggle(self, code: str) -> None:
        r = self.state.by_id[self.task_id]
        flag = next(f for f in r.flags if f.code == code)
        ok = self.state.write(
            lambda store: store.dismiss_flag(self.task_id, code, dismissed=not flag.dismissed),
            changed=[self.task_id],
        )
        if not ok or self.task_id not in self.state.by_id:
            return
        now = self.state.by_id[self.task_id]
        self.notify(flag_change_note(r, now, code, restored=flag.dismissed))

    def action_toggle_focused(self) -> None:
        focused = self.focused
        code = self.codes.get(focused.id or "") if isinstance(focused, Button) else None
        if code is not None:
            self.toggle(code)
        else:
            r = self.state.by_id[self.task_id]
            if r.flags:
                self.toggle(r.flags[0].code)

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)
