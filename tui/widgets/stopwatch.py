"""The running stopwatch, docked on the main screens: it reads the app's timer (an open
time entry in the database) and the app's clock, so it survives leaving a screen,
quitting the app, and is the same timer `roi time status` shows."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from roi.db.timelog import RunningTimer, format_duration
from tui.display import name_text
from tui.host import host


class Stopwatch(Static):
    """One line: ⏱ 0:12:03  Task / Step  (t stops)."""

    DEFAULT_CLASSES = "-idle"

    def on_mount(self) -> None:
        self.watch(self.app, "timer", self._timer_changed)
        self.set_interval(1.0, self._tick)

    def _timer_changed(self, timer: RunningTimer | None) -> None:
        self.set_class(timer is None, "-idle")
        self._tick()

    def _tick(self) -> None:
        app = host(self)
        timer = app.timer
        if timer is None:
            self.update("")
            return
        seconds = timer.elapsed_seconds(app.clock())
        text = Text()
        text.append(" ⏱ ", style="bold")
        text.append(format_duration(seconds), style="bold")
        text.append("  ")
        text.append_text(name_text(timer.task_name, 40))
        if timer.step_name:
            text.append(" / ")
            text.append_text(name_text(timer.step_name, 30))
        if timer.kind == "build":
            text.append("  (build)")
        text.append("   t stops · ctrl+p › Cancel stopwatch", style="dim")
        self.update(text)
