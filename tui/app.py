"""The roi terminal app: the whole method (inventory, tasks, stopwatch, flags, chart,
import, report, settings) without leaving the terminal.

`create_app(store, today=..., clock=...)` is the factory the CLI and the tests use: the
app never opens a database or reads the wall clock on its own.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from datetime import date, datetime

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.theme import Theme

from roi.db.store import Store, utc_now
from roi.db.timelog import RunningTimer, running_timer
from roi.inventory import evaluate_store, rank_store
from roi.models import RoiError
from roi.ranking import RankBy, RankedTask, order, sort_key
from tui.commands import RoiCommands
from tui.drafts import Drafts

Clock = Callable[[], datetime]

# Above this many changed tasks a full re-rank is cheaper than patching the ranking.
INCREMENTAL_LIMIT = 50
# From this many tasks a full re-rank (about 0.2 s a thousand tasks) runs in a thread.
BACKGROUND_FROM = 2000


class RoiApp(App[None]):
    """Ranked inventory of recurring work, and everything needed to fill it in."""

    TITLE = "roi"
    SUB_TITLE = "which chores are worth automating"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {RoiCommands}
    COMMAND_PALETTE_BINDING = "ctrl+p"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help", show=False),
        Binding("question_mark", "help", "Help"),
    ]

    #: Bumped after every change of the ranking; screens watch it to redraw.
    revision: reactive[int] = reactive(0, init=False)
    #: The running stopwatch (an open time entry in the database), or None.
    timer: reactive[RunningTimer | None] = reactive(None, init=False)
    #: Ranking order of the inventory.
    rank_by: reactive[str] = reactive("payback", init=False)
    #: True while a full re-rank runs in a thread (large inventories).
    ranking: reactive[bool] = reactive(False, init=False)

    def __init__(self, store: Store, *, today: date, clock: Clock | None = None) -> None:
        super().__init__()
        self.store = store
        self.today = today
        self.clock: Clock = clock or utc_now
        self.ranked: list[RankedTask] = []
        self.by_id: dict[int, RankedTask] = {}
        #: Task ids changed by the last re-rank (None: everything may have changed).
        self.last_changed: set[int] | None = None
        #: Unsaved form contents kept when a form is left with Escape, by form key.
        self.drafts = Drafts(store.path)
        #: From this many tasks a full re-rank (settings, import) runs in a thread.
        self.background_from = BACKGROUND_FROM
        self._generation = 0
        self._patched_meanwhile: set[int] = set()

    # --- lifecycle -----------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.inventory import InventoryScreen

        saved = self.store.settings().theme
        if saved in self.available_themes:
            self.theme = saved  # type: ignore[assignment]
        # a theme chosen in the command palette is kept for the next start
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.rerank()
        self.sync_timer()
        # The CLI (`roi time start/stop`) may change the stopwatch while the app runs.
        self.set_interval(5.0, self.sync_timer)
        self.push_screen(InventoryScreen())

    def _remember_theme(self, theme: Theme) -> None:
        if theme.name != self.store.settings().theme:
            try:
                self.store.set_setting("theme", theme.name)
            except Exception as exc:  # a busy database: the theme still applies now
                self.notify(f"The theme was not saved: {exc}", severity="warning")

    def sync_timer(self) -> None:
        current = running_timer(self.store)
        if current != self.timer:
            self.timer = current

    # --- ranking -------------------------------------------------------------------------

    def rerank(self, changed: Iterable[int] | None = None) -> None:
        """Re-rank after a change. With the ids of the changed tasks only those are
        re-evaluated (and removed when gone); otherwise everything is ranked again, in a
        thread when the inventory is large, so the screen stays responsive meanwhile."""
        ids = None if changed is None else set(changed)
        if ids is None or not self.ranked or len(ids) > INCREMENTAL_LIMIT:
            if self.ranked and len(self.ranked) >= self.background_from and self._can_background():
                self._rank_in_background()
                return
            self.ranked = rank_store(self.store, today=self.today, by=self._by())
            self.by_id = {r.id: r for r in self.ranked}
            self.last_changed = None
        else:
            self._patch(ids)
            self.last_changed = ids
            if self.ranking:
                self._patched_meanwhile |= ids
        self.revision += 1

    def _can_background(self) -> bool:
        return self.store.path not in (None, ":memory:") and self.is_running

    def _rank_in_background(self) -> None:
        self._generation += 1
        self._patched_meanwhile = set()
        self.ranking = True
        self._full_rank(self._generation, self._by())

    @work(thread=True, group="rank")
    def _full_rank(self, generation: int, by: RankBy) -> None:
        store = Store.open(self.store.path)  # its own connection: the app's stays free
        try:
            ranked = rank_store(store, today=self.today, by=by)
        finally:
            store.close()
        self.call_from_thread(self._apply_full_rank, generation, ranked)

    def _apply_full_rank(self, generation: int, ranked: list[RankedTask]) -> None:
        if generation != self._generation:
            return  # a newer full re-rank is on its way
        self.ranking = False
        self.ranked = ranked
        self.by_id = {r.id: r for r in ranked}
        if self._patched_meanwhile:  # edits made while it ran are newer than its reads
            self._patch(self._patched_meanwhile)
        self.ranked = order(self.ranked, self._by())
        self.last_changed = None
        self.revision += 1

    def _by(self) -> RankBy:
        return "net" if self.rank_by == "net" else "payback"

    def _patch(self, ids: set[int]) -> None:
        """Re-evaluate the changed tasks and move each to its place by bisection: the
        ranking stays sorted by `roi.ranking.sort_key`, so nothing else is re-sorted."""
        fresh = evaluate_store(self.store, today=self.today, ids=sorted(ids))
        by = self._by()
        ranked = self.ranked

        def key(r: RankedTask) -> tuple[float, ...]:
            return sort_key(r, by)

        low = len(ranked)
        for task_id in ids:
            old = self.by_id.pop(task_id, None)
            if old is None:
                continue
            index = bisect_left(ranked, key(old), key=key)
            if index < len(ranked) and ranked[index] is old:
                ranked.pop(index)
            else:  # not where its key says (should not happen): search
                index = next(i for i, r in enumerate(ranked) if r is old)
                ranked.pop(index)
            low = min(low, index)
        for r in fresh:
            index = bisect_left(ranked, key(r), key=key)
            ranked.insert(index, r)
            self.by_id[r.id] = r
            low = min(low, index)
        for position in range(low, len(ranked)):  # ranks above `low` did not move
            r = ranked[position]
            if r.rank != position + 1:
                r.rank = position + 1

    def watch_rank_by(self) -> None:
        self.ranked = order(self.ranked, self._by())
        self.last_changed = None
        self.revision += 1

    def write(self, change: Callable[[Store], object], *, changed: Iterable[int] | None) -> bool:
        """Run one store write; a RoiError (say, the CLI deleted that step meanwhile) is
        shown as a notification, never a traceback. Re-ranks what changed either way."""
        try:
            change(self.store)
        except RoiError as exc:
            self.notify(str(exc), severity="error")
            self.rerank(changed)
            return False
        self.rerank(changed)
        return True

    # --- stopwatch -----------------------------------------------------------------------

    def start_timer(self, task_id: int, step_id: int | None = None, kind: str = "work") -> None:
        from roi.db.timelog import start_timer

        try:
            self.timer = start_timer(self.store, task_id, step_id, kind=kind, now=self.clock())
        except RoiError as exc:
            self.notify(str(exc), severity="error")

    def stop_timer(self) -> None:
        from roi.db.timelog import format_duration, stop_timer

        try:
            timer, seconds = stop_timer(self.store, now=self.clock())
        except RoiError as exc:
            self.notify(str(exc), severity="error")
            self.sync_timer()
            return
        self.timer = None
        what = timer.task_name + (f" / {timer.step_name}" if timer.step_name else "")
        self.notify(f"Saved {format_duration(seconds)} on {what}", title="Stopwatch")
        self.rerank([timer.task_id])

    def cancel_timer(self) -> None:
        from roi.db.timelog import cancel_timer

        try:
            cancel_timer(self.store)
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
        from tui.screens.form import FormScreen

        for screen in self.screen_stack:
            if isinstance(screen, FormScreen):
                screen.keep_draft()
        self.exit()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        from tui.screens.settings import SettingsScreen

        self.push_screen(SettingsScreen(), self._after_settings)

    def _after_settings(self, saved: bool | None) -> None:
        if saved:
            self.rerank()

    def action_open_task(self, task_id: int) -> None:
        from tui.screens.task import TaskScreen

        self.push_screen(TaskScreen(task_id))

    def action_add_task(self) -> None:
        from tui.screens.forms import TaskForm

        self.push_screen(TaskForm(None), self._after_add_task)

    def _after_add_task(self, task_id: int | None) -> None:
        if task_id:
            self.rerank([task_id])
            self.action_open_task(task_id)

    def action_chart(self, task_ids: list[int] | None = None) -> None:
        from tui.screens.chart import ChartScreen

        self.push_screen(ChartScreen(task_ids))

    def action_roadmap(self) -> None:
        from tui.screens.roadmap import RoadmapScreen

        self.push_screen(RoadmapScreen())

    def action_report(self) -> None:
        from tui.screens.report import ReportScreen

        self.push_screen(ReportScreen())

    def action_import(self) -> None:
        from tui.screens.importer import ImportScreen

        self.push_screen(ImportScreen())  # it re-ranks when something was imported

    def action_flags(self, task_id: int) -> None:
        from tui.screens.flags import FlagsScreen

        self.push_screen(FlagsScreen(task_id))

    def action_toggle_sort(self) -> None:
        self.rank_by = "net" if self.rank_by == "payback" else "payback"
        self.notify(f"Ranked by {'net hours' if self.rank_by == 'net' else 'payback'}")


def create_app(store: Store, *, today: date, clock: Clock | None = None) -> RoiApp:
    """The app on this store, with this date as today and this clock for the stopwatch."""
    return RoiApp(store, today=today, clock=clock)


def run_app(store: Store, *, today: date) -> None:
    create_app(store, today=today).run()
