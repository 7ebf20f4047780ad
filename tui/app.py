"""The roi terminal app: the whole method (inventory, tasks, stopwatch, flags, chart,
import, report, settings) without leaving the terminal.

`create_app(store, today=..., clock=...)` is the factory the CLI and the tests use: the
app never opens a database or reads the wall clock on its own.

Where things are: the ranking, the store and today in `tui.state` (handed to every
screen); full screens in `tui.screens`, modal dialogs in `tui.dialogs`, widgets in
`tui.widgets`; what a screen may ask of this app in `tui.host`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.theme import Theme

from roi.db.store import Store, utc_now
from roi.db.timelog import RunningTimer, running_timer
from roi.models import RoiError
from roi.ranking import RankBy, RankedTask
from tui.commands import RoiCommands
from tui.drafts import Drafts
from tui.host import Clock, RoiHost
from tui.state import RankingState


class RoiApp(App[None]):
    """Ranked inventory of recurring work, and everything needed to fill it in."""

    TITLE = "roi"
    SUB_TITLE = "which chores are worth automating"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {RoiCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit"),
        Binding("f1", "help", "Help", show=False, id="app.help_f1"),
        Binding("question_mark", "help", "Help", id="app.help"),
    ]

    #: The running stopwatch (an open time entry in the database), or None.
    timer: reactive[RunningTimer | None] = reactive(None, init=False)

    def __init__(self, store: Store, *, today: date, clock: Clock | None = None) -> None:
        super().__init__()
        self._state = RankingState(self, store, today=today)
        self._clock: Clock = clock or utc_now
        #: Unsaved form contents kept when a form is left with Escape, by form key.
        self._drafts = Drafts(store.path)

    @property
    def state(self) -> RankingState:
        return self._state

    @property
    def drafts(self) -> Drafts:
        return self._drafts

    @property
    def clock(self) -> Clock:
        return self._clock

    # --- the ranking, read through the state (the palette, tests) ------------------------

    @property
    def ranked(self) -> Sequence[RankedTask]:
        return self._state.ranked

    @property
    def by_id(self) -> Mapping[int, RankedTask]:
        return self._state.by_id

    @property
    def rank_by(self) -> RankBy:
        return self._state.rank_by

    @property
    def ranking(self) -> bool:
        """True while a full re-rank runs in a thread (large inventories)."""
        return self._state.busy

    @property
    def background_from(self) -> int:
        return self._state.background_from

    @background_from.setter
    def background_from(self, count: int) -> None:
        self._state.background_from = count

    def rerank(self, changed: Iterable[int] | None = None) -> None:
        self._state.rerank(changed)

    # --- lifecycle -----------------------------------------------------------------------

    def notify(
        self, message: str, *, title: str = "", severity: SeverityLevel = "information",
        timeout: float | None = None, markup: bool = False,
    ) -> None:
        """Every toast, from any screen or dialog (Widget.notify lands here), shows its text
        literally: names, paths and errors are data, and a name holding `[/b]` would
        otherwise be read as markup (and crash the app)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def on_mount(self) -> None:
        from tui.screens.inventory import InventoryScreen

        saved = self._state.store.settings().theme
        if saved is not None and saved in self.available_themes:
            self.theme = saved
        # a theme chosen in the command palette is kept for the next start
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._state.rerank()
        self.sync_timer()
        # The CLI (`roi time start/stop`) may change the stopwatch while the app runs.
        self.set_interval(5.0, self.sync_timer)
        self.push_screen(InventoryScreen(self._state))

    def _remember_theme(self, theme: Theme) -> None:
        store = self._state.store
        if theme.name != store.settings().theme:
            try:
                store.set_setting("theme", theme.name)
            except Exception as exc:  # a busy database: the theme still applies now
                self.notify(f"The theme was not saved: {exc}", severity="warning")

    # --- stopwatch -----------------------------------------------------------------------

    def sync_timer(self) -> None:
        current = running_timer(self._state.store)
        if current != self.timer:
            self.timer = current

    def start_timer(self, task_id: int, step_id: int | None = None, kind: str = "work") -> None:
        from roi.db.timelog import start_timer

        try:
            self.timer = start_timer(self._state.store, task_id, step_id, kind=kind, now=self._clock())
        except RoiError as exc:
            self.notify(str(exc), severity="error")

    def stop_timer(self) -> None:
        from roi.db.timelog import MIN_STOPWATCH_SECONDS, format_duration, stop_timer
        from roi.textsafe import visible

        try:
            stopped = stop_timer(self._state.store, now=self._clock())
        except RoiError as exc:
            self.notify(str(exc), severity="error")
            self.sync_timer()
            return
        self.timer = None
        timer, seconds = stopped.timer, stopped.seconds
        what = visible(timer.task_name + (f" / {timer.step_name}" if timer.step_name else ""))
        if not stopped.kept:
            self.notify(
                f"Dropped {format_duration(seconds)} on {what}: a run under {MIN_STOPWATCH_SECONDS:g} s "
                "is almost always a mis-press, so it was not saved. Log a short timing by hand with "
                "`roi time add TASK --minutes M`.",
                title="Stopwatch", severity="warning",
            )
            return
        self.notify(f"Saved {format_duration(seconds)} on {what}", title="Stopwatch")
        self._state.rerank([timer.task_id])

    def cancel_timer(self) -> None:
        from roi.db.timelog import cancel_timer

        try:
            cancel_timer(self._state.store)
        except RoiError as exc:
            self.notify(str(exc), severity="error")
        self.timer = None

    def toggle_timer(self, task_id: int | None, step_id: int | None = None, kind: str = "work") -> None:
        """One key: stop the running stopwatch, or start it on this task (and step)."""
        self.sync_timer()
        if self.timer is not None:
            self.stop_timer()
        elif task_id is not None:
            self.start_timer(task_id, step_id, kind)
        else:
            self.notify("Select a task to time first.", severity="warning")

    # --- actions shared by screens and the command palette -----------------------------

    async def action_quit(self) -> None:
        """Quit; a form left open keeps what was typed as a draft (the stopwatch keeps
        running: it is an open entry in the database)."""
        from tui.dialogs.form import FormScreen

        for screen in self.screen_stack:
            if isinstance(screen, FormScreen):
                screen.keep_draft()
        self.exit()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from tui.dialogs.settings import SettingsScreen

        self.push_screen(SettingsScreen(self._state), self._after_settings)

    def _after_settings(self, saved: bool | None) -> None:
        if saved:
            self._state.rerank()

    def action_open_task(self, task_id: int) -> None:
        from tui.screens.task import TaskScreen

        self.push_screen(TaskScreen(self._state, task_id))

    def action_add_task(self) -> None:
        from tui.dialogs.forms import TaskForm

        self.push_screen(TaskForm(self._state, None), self._after_add_task)

    def _after_add_task(self, task_id: int | None) -> None:
        if task_id:
            self._state.rerank([task_id])
            self.action_open_task(task_id)

    def action_chart(self, task_ids: list[int] | None = None) -> None:
        from tui.screens.chart import ChartScreen

        self.push_screen(ChartScreen(self._state, task_ids))

    def action_roadmap(self) -> None:
        from tui.screens.roadmap import RoadmapScreen

        self.push_screen(RoadmapScreen(self._state))

    def action_report(self) -> None:
        from tui.dialogs.report import ReportScreen

        self.push_screen(ReportScreen(self._state))

    def action_import(self) -> None:
        from tui.screens.importer import ImportScreen

        self.push_screen(ImportScreen(self._state))  # it re-ranks when something was imported

    def action_flags(self, task_id: int) -> None:
        from tui.dialogs.flags import FlagsScreen

        self.push_screen(FlagsScreen(self._state, task_id))

    def action_toggle_sort(self) -> None:
        self._state.set_order("net" if self._state.rank_by == "payback" else "payback")
        self.notify(f"Ranked by {'net hours' if self._state.rank_by == 'net' else 'payback'}")


def _fulfils_the_host_protocol(app: RoiApp) -> RoiHost:
    return app  # mypy checks that RoiApp is what screens may ask for (tui.host)


def create_app(store: Store, *, today: date, clock: Clock | None = None) -> RoiApp:
    """The app on this store, with this date as today and this clock for the stopwatch."""
    return RoiApp(store, today=today, clock=clock)


def run_app(store: Store, *, today: date) -> None:
    create_app(store, today=today).run()
