"""The method in a few lines, and the keys."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown

HELP = """\
# roi: which chores are worth automating

**The method** (a factory engineer's, applied to your own week):

1. **Time each step** of a recurring chore (stopwatch: `t`), waiting included.
2. For each step, say how much of it an agent would do (**automation**), what it would
   still cost you to prompt and check the result (**overhead**) and how often it fails.
3. Multiply the minutes saved per occurrence by **how often** you do it: hours a week.
4. Estimate the **build** (and weekly upkeep). Payback = build hours / weekly gain.
   If it never pays back within the horizon, keep doing it by hand.
5. **Overhead counts against the gain**: email and calendar invites carry a low-ROI
   flag for that reason. Dismiss a flag (`f`) when your numbers say otherwise.

Measured minutes (3 timed entries by default) replace your estimates.

## Keys

| Where | Key | Does |
|---|---|---|
| everywhere | `ctrl+p` | command palette: find a task or an action |
| everywhere | `?` / `F1` | this help |
| everywhere | `ctrl+q` | quit (a running stopwatch keeps running) |
| inventory | `/` | filter by typing (name, category, tag, verdict) |
| inventory | `enter` | open the task |
| inventory | `a` / `d` | add / delete a task |
| inventory | `s` | sort by payback or by net hours |
| inventory, task | `t` | start or stop the stopwatch (the selected step; in the inventory the task, or its only step) |
| task | `b` | time building the automation (becomes the plan's actual build hours) |
| inventory, task | `f` / `c` | flags / payback chart |
| inventory | `i` / `r` / `,` | import a time log / export the report / settings |
| inventory | `m` | roadmap: the builds in rank order within your weekly budget |
| roadmap | `+` / `-` | one hour a week more / less of building |
| task | `a` / `e` / `d` | add / edit / delete a step |
| task | `shift+up` / `shift+down` | move the step up / down (also `K` / `J`) |
| task | `n` / `p` | edit the task's fields / its plan |
| forms | `ctrl+s` / `enter` | save (only when every field is valid) |
| forms | `escape` | leave without saving (what you typed is kept as a draft) |
| forms | `ctrl+r` | revert the draft to the saved values |
| chart | `n` | the selected task or the top five |

The mouse works too: click a row, a column, a button.
"""


class HelpScreen(Screen[None]):
    BINDINGS = [Binding("escape,q", "app.pop_screen", "Back", id="help.back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Markdown(HELP, id="help")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "help"
        self.query_one(Markdown).focus()
