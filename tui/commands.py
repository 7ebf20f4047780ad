"""Command palette: find a task by name, or an action of the app (with its key).

Every entry is a `Content` built from plain text, never a markup string: a task named
`[bold]x[/bold]` is listed as those characters, and one named `Broken [/b]` can be
found like any other (textual's `Matcher.highlight` would parse the name as markup).
The fuzzy match runs on the same plain text that is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape

from tui.display import one_line
from tui.host import host

#: A task's name is shown (and matched) up to this many cells in the palette.
NAME_CELLS = 60


@dataclass(frozen=True)
class Action:
    title: str
    action: str  # the app's action_<name>, or a method of the app
    help: str
    #: The binding whose key the palette shows (the inventory's or the app's), if any.
    binding: str | None = None


ACTIONS = (
    Action("Add a task", "add_task", "create a task, then its steps and plan", "inventory.add"),
    Action("Import a time log", "import", "Toggl, Clockify, Harvest, Timewarrior, Watson, ActivityWatch, CSV",
           "inventory.import"),
    Action("Export the report", "report", "text, Markdown, HTML, CSV or JSON", "inventory.report"),
    Action("Payback chart of the top five", "chart", "cumulative net hours, break-even marked"),
    Action("Where the time goes", "spent", "hours a week per task from every source; e on a row estimates it",
           "app.spent"),
    Action("Roadmap", "roadmap", "build the worthwhile automations one after another within a weekly budget",
           "inventory.roadmap"),
    Action("Agent sessions", "agents", "Claude Code and Codex sessions: your hours, tokens and cost", "app.agents"),
    Action("Settings", "settings", "horizon, overrun factor, thresholds, time zone, hourly value",
           "inventory.settings"),
    Action("Sort by payback / net hours", "toggle_sort", "switch the ranking order", "inventory.sort"),
    Action("Stop the stopwatch", "stop_timer", "save the running timer as a time entry", "inventory.timer"),
    Action("Cancel the stopwatch", "cancel_timer", "discard the running timer"),
    Action("Read the database again", "refresh",
           "show what the CLI or another roi changed (it also shows within a second by itself)", "app.refresh"),
    Action("Help", "help", "the method and every key", "app.help"),
)


@dataclass(frozen=True)
class Entry:
    title: str  # plain text: what is shown and matched
    key: str  # the key shown after the title, or ""
    run: Callable[[], Any]
    help: str  # markup (the palette parses it): escaped


def key_of(app: Any, binding_id: str) -> str:
    """The key that runs the binding `binding_id` on the inventory (a keymap moves it), as
    the footer shows it; "" when there is none."""
    from tui.screens.inventory import InventoryScreen

    screens = [s for s in app.screen_stack if isinstance(s, InventoryScreen)]
    if screens:
        for _key, active in screens[0].active_bindings.items():
            if active.binding.id == binding_id:
                return str(app.get_key_display(active.binding))
    for binding in (*app.BINDINGS, *InventoryScreen.BINDINGS):  # not open yet: the defaults
        if getattr(binding, "id", None) == binding_id:
            return str(app.get_key_display(binding))
    return ""


def prompt(title: str, key: str, matcher: Matcher | None = None) -> Content:
    """The palette line of an entry: its title literally (matched letters highlighted),
    then its key, dim."""
    content = Content(title)
    if matcher is not None:
        score, offsets = matcher.fuzzy_search.match(matcher.query, title)
        if score:
            for offset in offsets:
                if not title[offset].isspace():
                    content = content.stylize(matcher.match_style, offset, offset + 1)
    if key:
        content = Content.assemble(content, ("  " + key, "dim"))
    return content


class RoiCommands(Provider):
    """Tasks ("Open: NAME") and the app's actions."""

    def _actions(self) -> list[Entry]:
        app = host(self)
        found = []
        for a in ACTIONS:
            method = getattr(app, f"action_{a.action}", None) or getattr(app, a.action)
            key = key_of(app, a.binding) if a.binding else ""
            found.append(Entry(a.title, key, method, escape(a.help)))
        return found

    def _tasks(self) -> list[Entry]:
        app = host(self)
        return [
            Entry(
                f"Open: {one_line(r.name, NAME_CELLS)}",
                "",
                partial(app.action_open_task, r.id),
                escape(f"#{r.rank} · {r.verdict} · {r.task.category}"),
            )
            for r in app.state.ranked
        ]

    async def discover(self) -> Hits:
        for entry in self._actions():
            yield DiscoveryHit(prompt(entry.title, entry.key), entry.run, text=entry.title, help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in (*self._actions(), *self._tasks()):
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, prompt(entry.title, entry.key, matcher), entry.run, text=entry.title,
                          help=entry.help)
