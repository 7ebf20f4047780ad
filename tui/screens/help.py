"""The method in a few lines, and every key: one line per key, in a scrolling view that
has the focus (up/down, page up/down, home/end, j/k and the mouse wheel scroll it)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Markdown, Static

from tui.widgets.footer import Footer

METHOD = """\
# roi: which chores are worth automating

**The method** (a factory engineer's, applied to your own week):

1. **Time each step** of a recurring chore (stopwatch: `t`), waiting included.
2. For each step, say how much of it an agent would do (**automation**), what it would
   still cost you to prompt and check the result (**overhead**) and how often it fails.
3. Multiply the minutes saved per occurrence by **how often** you do it: hours a week.
4. Estimate the **build** (and weekly upkeep). Payback = build hours / weekly gain.
   If it never pays back within the horizon, keep doing it by hand.
5. **Overhead counts against the gain**: email and calendar invites carry a low-ROI
   flag for that reason. Dismiss a flag (`x` in the flags dialog) when your numbers say
   otherwise.

Measured minutes (3 timed entries by default) replace your estimates. What the CLI or
another roi changes shows here within a second.
"""

#: (where, [(key, what it does)]): every key of the app, one line each. A test checks
#: that each screen's bindings are listed under its heading.
KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("Everywhere", (
        ("ctrl+p", "command palette: find a task or an action"),
        ("?", "this help (also F1)"),
        ("ctrl+l", "read the database again (changes also come alone)"),
        ("ctrl+g", "agent sessions: your hours, tokens and cost"),
        ("F12", "save a screenshot (SVG, beside the database)"),
        ("w", "where the time goes: hours a week per task"),
        ("ctrl+q", "quit (a running stopwatch keeps running)"),
    )),
    ("Inventory", (
        ("/", "filter by typing (name, category, tag, verdict)"),
        ("esc", "clear the filter"),
        ("up / down, k / j", "move the cursor"),
        ("page up / page down", "a screen up / down"),
        ("home / end", "the first / the last task"),
        ("enter", "open the task"),
        ("a", "add a task"),
        ("d / delete", "delete the task"),
        ("t", "start/stop the stopwatch (task, or its one step)"),
        ("s", "sort by payback or by net hours"),
        ("f", "the task's flags"),
        ("c", "payback chart of the task"),
        ("m", "roadmap: the builds in rank order, within budget"),
        ("i", "import a time log"),
        ("r", "export the report"),
        (",", "settings"),
        ("q", "quit"),
    )),
    ("Task", (
        ("a", "add a step"),
        ("e / enter", "edit the step"),
        ("d / delete", "delete the step"),
        ("shift+up / K", "move the step up"),
        ("shift+down / J", "move the step down"),
        ("t", "start or stop the stopwatch on the step"),
        ("b", "time building it (the plan's actual build hours)"),
        ("n", "edit the task's fields"),
        ("p", "edit the plan"),
        ("f", "the task's flags"),
        ("c", "payback chart of the task"),
        ("tab", "to the time entries (enter: edit one, d: delete it)"),
        ("esc", "back to the inventory"),
    )),
    ("Forms and settings", (
        ("ctrl+s / enter", "save (only when every field is valid)"),
        ("esc", "back, unsaved (what you typed is kept as a draft)"),
        ("ctrl+r", "revert the draft to the saved values"),
        ("tab / shift+tab", "next / previous field"),
    )),
    ("Questions", (
        ("y", "yes"),
        ("n / esc", "no"),
    )),
    ("Flags dialog", (
        ("x", "dismiss or restore the focused flag (or the first)"),
        ("esc / q", "close"),
    )),
    ("Report dialog", (
        ("ctrl+s / enter", "export"),
        ("esc", "close"),
    )),
    ("Chart", (
        ("n", "the selected task or the top five"),
        ("z", "zoom to the break-evens, or the whole horizon"),
        ("esc / q", "back"),
    )),
    ("Where the time goes", (
        ("e", "estimate the row's task in one step (or a template)"),
        ("enter", "open the task"),
        ("esc / q", "back"),
    )),
    ("Agent sessions", (
        ("b", "group by project, task, model or week"),
        ("esc / q", "back"),
    )),
    ("Roadmap", (
        ("+ / =", "one hour a week more of building (kept in settings)"),
        ("-", "one hour a week less"),
        ("enter", "open the task"),
        ("esc / q", "back"),
    )),
    ("Import", (
        ("ctrl+s", "import the file"),
        ("F2", "browse files"),
        ("F5", "preview again"),
        ("ctrl+z", "undo the import (or the past import selected)"),
        ("o", "open the new tasks the import made, one by one"),
        ("backspace", "in the file tree: the folder above"),
        ("esc", "back"),
    )),
    ("Help", (
        ("up / down, k / j", "scroll (also the mouse wheel)"),
        ("page up / page down", "a screen up / down"),
        ("home / end", "the top / the end"),
        ("esc / q", "back"),
    )),
)

#: The key column's width.
KEY_CELLS = 21


def keys_text() -> Text:
    """The key table: a heading per place, then one line per key (never wrapped: a line
    too long for the terminal is cut with an ellipsis)."""
    text = Text(no_wrap=True, overflow="ellipsis")
    for index, (where, keys) in enumerate(KEYS):
        if index:
            text.append("\n")
        text.append(where, style="bold underline")
        for key, does in keys:
            text.append("\n  ")
            text.append(key.ljust(KEY_CELLS), style="bold")
            text.append(does)
    return text


class HelpView(VerticalScroll, can_focus=True):
    """The help's scrolling body."""

    BINDINGS = [
        Binding("j", "scroll_down", "Down", show=False, id="help.down"),
        Binding("k", "scroll_up", "Up", show=False, id="help.up"),
    ]


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="help.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with HelpView(id="help"):
            yield Markdown(METHOD, id="help-method")
            yield Static(Text("Keys", style="bold"), id="help-keys-title")
            yield Static(keys_text(), id="help-keys")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "help"
        self.query_one(HelpView).focus()
