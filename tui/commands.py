"""Command palette: find a task by name, or an action of the app."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider

from roi.textsafe import visible
from tui.host import host

ACTIONS = (
    ("Add a task", "add_task", "create a task, then its steps and plan"),
    ("Import a time log", "import", "Toggl, Clockify, Harvest, Timewarrior, Watson, ActivityWatch, CSV"),
    ("Export the report", "report", "text, Markdown, HTML, CSV or JSON"),
    ("Payback chart of the top five", "chart", "cumulative net hours, break-even marked"),
    ("Roadmap", "roadmap", "build the worthwhile automations one after another within a weekly budget"),
    ("Settings", "settings", "horizon, overrun factor, thresholds, time zone, hourly value"),
    ("Sort by payback / net hours", "toggle_sort", "switch the ranking order"),
    ("Stop the stopwatch", "stop_timer", "save the running timer as a time entry"),
    ("Cancel the stopwatch", "cancel_timer", "discard the running timer"),
    ("Help", "help", "the method and the keys"),
)


class RoiCommands(Provider):
    """Tasks ("Open: NAME") and the app's actions."""

    def _commands(self) -> list[tuple[str, Callable[[], Any], str]]:
        app = host(self)
        found: list[tuple[str, Callable[[], Any], str]] = []
        for title, action, help_text in ACTIONS:
            method = getattr(app, f"action_{action}", None) or getattr(app, action)
            found.append((title, method, help_text))
        for r in app.state.ranked:
            found.append(
                (
                    f"Open: {visible(r.name)}",
                    partial(app.action_open_task, r.id),
                    f"#{r.rank} · {r.verdict} · {r.task.category}",
                )
            )
        return found

    async def discover(self) -> Hits:
        for title, command, help_text in self._commands()[: len(ACTIONS)]:
            yield DiscoveryHit(title, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, command, help_text in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), command, text=title, help=help_text)
