"""What screens, dialogs and widgets may ask of the app itself: the stopwatch, the
drafts, and the navigation the footer and the command palette share. The ranking and the
store are not here: they come in a `RankingState`, handed to each screen.

`host(node)` is the typed `node.app`. `tui.app` checks that `RoiApp` fulfils this
protocol, so nothing here imports the app (no arrow points up from a screen).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol, cast

from textual.app import App

from roi.db.timelog import RunningTimer
from tui.drafts import Drafts
from tui.state import RankingState

Clock = Callable[[], datetime]


class RoiHost(Protocol):
    @property
    def state(self) -> RankingState: ...

    @property
    def drafts(self) -> Drafts:
        """Unsaved form contents, by form key."""
        ...

    @property
    def timer(self) -> RunningTimer | None:
        """The running stopwatch (an open time entry in the database), or None."""
        ...

    @property
    def clock(self) -> Clock: ...

    def toggle_timer(self, task_id: int | None, step_id: int | None = None, kind: str = "work") -> None: ...

    def action_open_task(self, task_id: int) -> None: ...

    def action_flags(self, task_id: int) -> None: ...

    def action_chart(self, task_ids: list[int] | None = None) -> None: ...

    def action_toggle_sort(self) -> None: ...


class _InApp(Protocol):
    @property
    def app(self) -> App[object]: ...


def host(node: _InApp) -> RoiHost:
    """The app running `node` (a widget, a screen, a command provider), typed as what
    the TUI's parts may ask of it."""
    return cast(RoiHost, node.app)
