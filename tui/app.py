"""The roi terminal app: the whole method (inventory, tasks, stopwatch, flags, chart,
import, report, settings) without leaving the terminal.

`create_app(store, today=..., clock=...)` is the factory the CLI and the tests use: the
app never opens a database or reads the wall clock on its own.

Where things are: the ranking, the store and today in `tui.state` (handed to every
screen); full screens in `tui.screens`, modal dialogs in `tui.dialogs`, widgets in
`tui.widgets`; what a screen may ask of this app in `tui.host`.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.reactive import reactive
from textual.theme import Theme

from roi.db.store import Store, utc_now
from roi.db.timelog import RunningTimer, running_timer
from roi.models import RoiError
from roi.ranking import RankBy, RankedTask
from roi.textsafe import visible
from tui.commands import RoiCommands
from tui.display import one_line
from tui.drafts import PRIVATE_MODE, Drafts
from tui.host import Clock, RoiHost
from tui.state import RankingState

#: How often the app asks SQLite whether another connection changed the database.
WATCH_SECONDS = 0.5
#: A toast is cut to this many characters.
TOAST_CELLS = 400
#: At most this many toasts show at once (the newest), so they stay above the detail panel.
MAX_TOASTS = 2


def crash_log_path() -> Path:
    """Where a failure of the app itself is described: beside the drafts, in roi's data
    folder (the traceback holds names from the inventory, so the file is private)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False)) / "tui-crash.log"


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
        Binding("ctrl+l", "refresh", "Refresh", show=False, id="app.refresh"),
        Binding("f12", "screenshot", "Screenshot", show=False, id="app.screenshot"),
        Binding("w", "spent", "Where the time goes", show=False, id="app.spent"),
        Binding("ctrl+g", "agents", "Agents", show=False, id="app.agents"),
    ]

    #: The running stopwatch (an open time entry in the database), or None.
    timer: reactive[RunningTimer | None] = reactive(None, init=False)

    def __init__(
        self, store: Store, *, today: date, clock: Clock | None = None, crash_log: Path | None = None
    ) -> None:
        super().__init__()
        self._state = RankingState(self, store, today=today)
        self._clock: Clock = clock or utc_now
        #: Unsaved form contents kept when a form is left with Escape, by form key.
        self._drafts = Drafts(store.path)
        #: Where the traceback of a failure of the app itself is written.
        self.crash_log = crash_log or crash_log_path()
        #: The exception that stopped the app, once one did (see `run_app`).
        self.failure: BaseException | None = None
        #: True once the traceback is in `crash_log` (then it is not printed as well).
        self.failure_logged = False
        self._quit_question: object | None = None
        #: The toasts showing, by (text, title, severity), with how often each was raised.
        self._toasts: dict[tuple[str, str, str], tuple[Any, int]] = {}
        self._superseded: set[str] = set()

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
        otherwise be read as markup (and crash the app). Control characters are shown
        escaped (a name's ESC or OSC 52 never reaches the terminal) and a toast is cut to
        TOAST_CELLS (a 10,000-character name does not cover the screen).

        The same toast again while it shows replaces it, counted ("… (×3)"), instead of
        stacking copies; toasts show at the top right, never over the detail panel."""
        from textual.notifications import Notification, Notify

        shown = visible(message, keep_newlines=True)
        if len(shown) > TOAST_CELLS:
            shown = shown[: TOAST_CELLS - 1] + "…"
        key = (shown, one_line(title), severity)
        before = self._toasts.get(key)
        count = 1
        if before is not None and before[0].time_left > 0:
            count = before[1] + 1
            self._drop_toast(before[0])
        text = shown if count == 1 else f"{shown} (×{count})"
        notification = Notification(
            text, key[1], severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=False
        )
        self._toasts = {k: v for k, v in self._toasts.items() if v[0].time_left > 0 and k != key}
        while len(self._toasts) >= MAX_TOASTS:  # the oldest go: toasts never reach the panel
            oldest = min(self._toasts, key=lambda k: self._toasts[k][0].raised_at)
            self._drop_toast(self._toasts.pop(oldest)[0])
        self._toasts[key] = (notification, count)
        self.post_message(Notify(notification))

    def _drop_toast(self, notification: Any) -> None:  # noqa: ANN401
        """Take a toast away, shown already or still on its way."""
        self._superseded.add(notification.identity)
        if notification in self._notifications:
            self._unnotify(notification, refresh=False)
            self._superseded.discard(notification.identity)

    def _on_notify(self, event: Any) -> None:  # noqa: ANN401
        """A toast replaced by a repeat before it was shown is not shown (App's own
        handler, which shows it, runs after this one unless prevented)."""
        if event.notification.identity in self._superseded:
            self._superseded.discard(event.notification.identity)
            event.prevent_default()

    def on_mount(self) -> None:
        from tui.screens.inventory import InventoryScreen

        saved = self._state.store.settings().theme
        if saved is not None and saved in self.available_themes:
            self.theme = saved
        # a theme chosen in the command palette is kept for the next start
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._state.rerank()
        self.sync_timer()
        # The CLI, a second app or an import worker may change the database (tasks, steps,
        # plans, time entries, the stopwatch) while the app runs: look twice a second.
        self.set_interval(WATCH_SECONDS, self.watch_database)
        self.push_screen(InventoryScreen(self._state))

    def watch_database(self) -> bool:
        """Re-rank (and re-read the stopwatch) when another connection changed the
        database since the last full ranking; True if it had."""
        if not self._state.changed_elsewhere():
            return False
        self._state.rank_all()
        self.sync_timer()
        return True

    def action_refresh(self) -> None:
        """Read everything again (also the flag rules file, which is not in the database)."""
        self._state.rank_all()
        self.sync_timer()
        self.notify(f"Read the database again: {len(self._state.ranked)} tasks.", markup=False)

    # --- screenshots ---------------------------------------------------------------------

    def screenshot_folder(self) -> Path:
        """Where screenshots go: beside the database when that folder is writable, else
        the current folder (never ~/Downloads, which many machines do not have)."""
        path = self._state.store.path
        if path not in (None, ":memory:"):
            folder = Path(str(path)).resolve().parent
            if folder.is_dir() and os.access(folder, os.W_OK):
                return folder
        return Path.cwd()

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        self.deliver_screenshot(filename, path)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """Save an SVG of the screen (F12, or Screenshot in the palette) and say where."""
        folder = Path(path) if path else self.screenshot_folder()
        try:
            saved = self.save_screenshot(filename, str(folder), time_format)
        except OSError as exc:
            problem = f"The screenshot was not saved in {folder}: {exc.strerror or exc}"
            self.notify(problem, title="Screenshot", severity="error", markup=False)
            return None
        self.notify(f"Saved {saved} (an SVG: open it in a browser).", title="Screenshot", markup=False)
        return saved

    # --- a failure of the app itself --------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual's handler for an exception nothing caught (it ends the app): keep the
        exception for `run_app` and write the traceback to `crash_log`, with the data in
        it made visible, instead of printing it over the terminal."""
        if self.failure is None:
            self.failure = error
            self.failure_logged = self._write_crash_log(error)
        super()._handle_exception(error)

    def _write_crash_log(self, error: BaseException) -> bool:
        from importlib.metadata import PackageNotFoundError, version

        try:
            roi_version = version("roi")
        except PackageNotFoundError:
            roi_version = "unknown"
        lines = [
            f"roi {roi_version}, textual {version('textual')}: the terminal app stopped at "
            f"{utc_now().isoformat(timespec='seconds')} on {self._state.store.path}",
            "",
            *traceback.format_exception(error),
        ]
        text = visible("\n".join(line.rstrip("\n") for line in lines), keep_newlines=True) + "\n"
        try:
            self.crash_log.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.crash_log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(text)
        except OSError:
            return False
        return True

    def _print_error_renderables(self) -> None:
        """After the app ended: the traceback is in the log, and `run_app` says so in one
        line; printed only when the log could not be written (or with textual --dev)."""
        if self.failure_logged and "debug" not in self.features:
            self._exit_renderables.clear()
            return
        super()._print_error_renderables()

    def _remember_theme(self, theme: Theme) -> None:
        store = self._state.store
        if theme.name != store.settings().theme:
            try:
                store.set_setting("theme", theme.name)
            except Exception as exc:  # a busy database: the theme still applies now
                self.notify(f"The theme was not saved: {exc}", severity="warning", markup=False)

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
        self.notify(f"Saved {format_duration(seconds)} on {what}", title="Stopwatch", markup=False)
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
        running: it is an open entry in the database). While an import runs, ask first
        (ctrl+q again, or y, quits)."""
        from rich.text import Text

        from tui.dialogs.confirm import ConfirmScreen
        from tui.screens.importer import ImportScreen

        importing = any(isinstance(s, ImportScreen) and s.running for s in self.screen_stack)
        if not importing or self.screen is self._quit_question:
            self._quit_now()
            return
        question = Text("An import is still running.", style="bold")
        question.append(
            " Quit anyway? The import stops and nothing of it is kept (an import is one"
            " transaction), so the file can be imported again later. Or stay to see its summary."
        )

        def answered(yes: bool | None) -> None:
            self._quit_question = None
            if yes:
                self._quit_now()

        self._quit_question = ConfirmScreen(question, yes="Quit", no="Stay")
        self.push_screen(self._quit_question, answered)

    def _quit_now(self) -> None:
        from tui.dialogs.form import FormScreen

        for screen in self.screen_stack:
            if isinstance(screen, FormScreen):
                screen.keep_draft()
        self.exit()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "help":  # not offered on the help itself
            from tui.screens.help import HelpScreen

            return not isinstance(self.screen, HelpScreen)
        return True

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

    def action_agents(self) -> None:
        from tui.screens.agents import AgentsScreen

        if not isinstance(self.screen, AgentsScreen):
            self.push_screen(AgentsScreen(self._state))

    def action_spent(self) -> None:
        from tui.screens.spent import SpentScreen

        if not isinstance(self.screen, SpentScreen):
            self.push_screen(SpentScreen(self._state))

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
        self.notify(f"Ranked by {'net hours' if self._state.rank_by == 'net' else 'payback'}", markup=False)


def _fulfils_the_host_protocol(app: RoiApp) -> RoiHost:
    return app  # mypy checks that RoiApp is what screens may ask for (tui.host)


def create_app(
    store: Store, *, today: date, clock: Clock | None = None, crash_log: Path | None = None
) -> RoiApp:
    """The app on this store, with this date as today and this clock for the stopwatch."""
    return RoiApp(store, today=today, clock=clock, crash_log=crash_log)


class AppFailed(RoiError):
    """The terminal app itself failed (a bug): `roi` says so in one line, naming the log
    with the traceback, and exits 70 like any internal error."""

    exit_code = 70


def run_app(store: Store, *, today: date, headless: bool = False, crash_log: Path | None = None) -> None:
    """Run the app until it is quit. If it stops on an exception, raise AppFailed (one
    line: what failed and where the traceback is), so that `roi` exits non-zero."""
    app = create_app(store, today=today, crash_log=crash_log)
    app.run(headless=headless)
    if app.failure is not None:
        error = app.failure
        where = (
            f"the traceback is in {app.crash_log}" if app.failure_logged
            else "the traceback is above (it could not be written to a log)"
        )
        raise AppFailed(
            f"the terminal app stopped on an internal error ({type(error).__name__}: "
            f"{one_line(str(error), 200)}); {where}"
        ) from None
