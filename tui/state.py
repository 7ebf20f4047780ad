"""The TUI's shared state: the ranking of the inventory, the store it is read from, and
today. Screens and dialogs receive it in their constructor, read it, and hear about
changes through the messages below; nothing else holds a copy of the ranking.

Rankings are values: a change never edits a `RankedTask` or the published ranking. A
patch or a full re-rank builds a new `Ranking` (and its index by id) and then tells every
screen on the stack which tasks changed. A value whose rank only moved is made when it is
first read (`with_rank`): when the last of 10,000 tasks moves to the top every rank
shifts, and making 10,000 values up front cost 40-50 ms (three frames) where the table
reads one screen of rows.

This is also the TUI's one door to the core's ranking functions (`evaluate_store`,
`rank_store`, `sort_key`): if they move, this file is where the TUI follows.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any, overload

from textual.app import App
from textual.message import Message

from roi.db.store import Store
from roi.db.watch import data_version
from roi.inventory import evaluate_store, rank_store
from roi.memory import gc_paused
from roi.models import RoiError
from roi.ranking import RankBy, RankedTask, sort_key

# Above this many changed tasks a full re-rank is cheaper than patching the ranking.
INCREMENTAL_LIMIT = 50
# From this many tasks a full re-rank (about 0.2 s a thousand tasks) runs in a thread.
BACKGROUND_FROM = 2000


class RankingChanged(Message, bubble=False):
    """The ranking changed. `task_ids`: the tasks re-evaluated (added, changed or gone);
    None when any task may have changed, or the order did."""

    def __init__(self, task_ids: frozenset[int] | None) -> None:
        super().__init__()
        self.task_ids = task_ids


class RankingBusy(Message, bubble=False):
    """A full re-rank started in a thread (busy True) or finished (busy False; a
    RankingChanged follows)."""

    def __init__(self, busy: bool) -> None:
        super().__init__()
        self.busy = busy


def with_rank(r: RankedTask, rank: int) -> RankedTask:
    """`dataclasses.replace(r, rank=rank)`, made without running `__init__` again: when
    the last of 10,000 tasks moves to the top every rank shifts, and replace() costs
    about 13 us a task (130 ms, several frames) where a copy of the fields costs 1.7."""
    if r.rank == rank:
        return r
    fields = getattr(r, "__dict__", None)
    if fields is None:  # a dataclass with slots: the ordinary way
        return replace(r, rank=rank)
    new = object.__new__(type(r))
    copied = dict(fields)
    copied["rank"] = rank  # on the new value, before anyone sees it
    object.__setattr__(new, "__dict__", copied)
    return new


class Ranking(Sequence[RankedTask]):
    """Tasks in rank order, each read with its rank equal to its place (from 1).

    Built from values in order whose `rank` may be stale (a task above moved); the value
    with the right rank is made on first read and kept. The ids and each id's place are
    kept beside the values, so a patch shifts plain ints, not values."""

    __slots__ = ("_items", "_ids", "_place")

    def __init__(self, items: list[RankedTask], ids: list[int] | None = None) -> None:
        self._items = items
        self._ids = ids if ids is not None else [r.id for r in items]
        self._place = {task_id: index for index, task_id in enumerate(self._ids)}

    @classmethod
    def _made(cls, items: list[RankedTask], ids: list[int], place: dict[int, int]) -> Ranking:
        new = cls.__new__(cls)
        new._items, new._ids, new._place = items, ids, place
        return new

    def __len__(self) -> int:
        return len(self._items)

    @overload
    def __getitem__(self, index: int) -> RankedTask: ...
    @overload
    def __getitem__(self, index: slice) -> list[RankedTask]: ...
    def __getitem__(self, index: int | slice) -> RankedTask | list[RankedTask]:
        if isinstance(index, slice):
            return [self._at(i) for i in range(*index.indices(len(self._items)))]
        if index < 0:
            index += len(self._items)
        if not 0 <= index < len(self._items):
            raise IndexError(index)
        return self._at(index)

    def _at(self, index: int) -> RankedTask:
        r = self._items[index]
        if r.rank != index + 1:
            r = with_rank(r, index + 1)
            self._items[index] = r  # the same task, now with its rank: a cache, not an edit
        return r

    def __iter__(self) -> Iterator[RankedTask]:
        for index in range(len(self._items)):
            yield self._at(index)

    def place(self, task_id: int) -> int | None:
        """The task's index in the ranking (its rank - 1), None when it is not ranked."""
        return self._place.get(task_id)

    def ids(self) -> Sequence[int]:
        return self._ids

    def unranked(self) -> Iterator[RankedTask]:
        """Every task in order with its rank possibly stale: for sums and counts, which do
        not need ranks (reading with ranks would make a value for every shifted one)."""
        return iter(self._items)

    def stored(self, index: int) -> RankedTask:
        """The value at `index` as stored (its rank may be stale): for re-sorting only."""
        return self._items[index]


class ById(Mapping[int, RankedTask]):
    """The ranking's tasks by id, each with its current rank."""

    __slots__ = ("_ranking",)

    def __init__(self, ranking: Ranking) -> None:
        self._ranking = ranking

    def __getitem__(self, task_id: int) -> RankedTask:
        index = self._ranking.place(task_id)
        if index is None:
            raise KeyError(task_id)
        return self._ranking[index]

    def __contains__(self, task_id: object) -> bool:
        return isinstance(task_id, int) and self._ranking.place(task_id) is not None

    def __iter__(self) -> Iterator[int]:
        return iter(self._ranking.ids())

    def __len__(self) -> int:
        return len(self._ranking)


def in_order(ranked: Iterable[RankedTask], by: RankBy) -> Ranking:
    """A new ranking in rank order, ranks from 1 (`roi.ranking.order`; each value with
    its new rank is made when it is read, `with_rank`)."""
    return Ranking(sorted(ranked, key=lambda r: sort_key(r, by)))


class RankingState:
    """The ranking shown by every screen, kept up to date after each change.

    `patch(ids)` re-evaluates only those tasks and moves them into place; `rank_all()`
    ranks everything again (in a thread when the inventory is large, so the screen stays
    responsive); `rerank(ids or None)` picks one of the two. Each posts RankingChanged to
    the screens of `host` (RankingBusy around a threaded re-rank).
    """

    def __init__(self, host: App[Any], store: Store, *, today: date, rank_by: RankBy = "payback") -> None:
        self.host = host
        self.store = store
        self.today = today
        self._rank_by: RankBy = rank_by
        self._ranked = Ranking([])
        self._by_id = ById(self._ranked)
        #: From this many tasks a full re-rank runs in a thread.
        self.background_from = BACKGROUND_FROM
        self._busy = False
        self._generation = 0
        self._patched_meanwhile: set[int] = set()
        #: The database's data version when the last full ranking read it (roi.db.watch).
        self._seen: int | None = None

    # --- reading -------------------------------------------------------------------------

    @property
    def ranked(self) -> Ranking:
        """Every task in rank order (a new Ranking after each change, never edited)."""
        return self._ranked

    @property
    def by_id(self) -> Mapping[int, RankedTask]:
        return self._by_id

    @property
    def rank_by(self) -> RankBy:
        return self._rank_by

    @property
    def busy(self) -> bool:
        """True while a full re-rank runs in a thread."""
        return self._busy

    # --- changing ------------------------------------------------------------------------

    def rerank(self, changed: Iterable[int] | None = None) -> None:
        """Re-rank after a change: with the ids of the changed tasks only those are
        re-evaluated (and removed when gone), otherwise (or past INCREMENTAL_LIMIT ids)
        everything is ranked again."""
        ids = None if changed is None else set(changed)
        if ids is None or not self._ranked or len(ids) > INCREMENTAL_LIMIT:
            self.rank_all()
        else:
            self.patch(ids)

    def changed_elsewhere(self) -> bool:
        """Has another connection (the CLI, a second app, an import worker) changed the
        database since the last full ranking read it? Cheap: one PRAGMA, no table read."""
        version = data_version(self.store)
        return version is not None and version != self._seen

    def rank_all(self) -> None:
        self._seen = data_version(self.store)  # what this ranking reads includes it
        if self._ranked and len(self._ranked) >= self.background_from and self._can_background():
            self._rank_in_background()
            return
        try:
            ranked = rank_store(self.store, today=self.today, by=self._rank_by)
        except RoiError as exc:  # say, the flag rules file was edited into invalid TOML
            self._cannot_rank(exc)
            return
        self._publish(Ranking(ranked))
        self._announce(None)

    def patch(self, ids: Iterable[int]) -> None:
        changed = set(ids)
        try:
            with gc_paused():  # a shift of 10,000 ranks makes 10,000 values
                self._publish(self._patched(self._ranked, changed))
        except RoiError as exc:
            self._cannot_rank(exc)
            return
        if self._busy:
            self._patched_meanwhile |= changed
        self._announce(frozenset(changed))

    def set_order(self, by: RankBy) -> None:
        """Rank by payback or by net hours."""
        self._rank_by = by
        self._publish(in_order(self._ranked, by))
        self._announce(None)

    def write(self, change: Callable[[Store], object], *, changed: Iterable[int] | None) -> bool:
        """Run one store write; a RoiError (say, the CLI deleted that step meanwhile) is
        shown as a notification, never a traceback. Re-ranks what changed either way."""
        ids = None if changed is None else list(changed)
        try:
            change(self.store)
        except RoiError as exc:
            self.host.notify(str(exc), severity="error")
            self.rerank(ids)
            return False
        self.rerank(ids)
        return True

    # --- internals -----------------------------------------------------------------------

    def _cannot_rank(self, exc: RoiError) -> None:
        """The ranking could not be read again: the last one stays, and the reason shows."""
        self.host.notify(f"The ranking was not updated: {exc}", severity="error", markup=False)

    def _publish(self, ranked: Ranking) -> None:
        self._ranked = ranked
        self._by_id = ById(ranked)

    def _announce(self, task_ids: frozenset[int] | None) -> None:
        for screen in self.host.screen_stack:
            screen.post_message(RankingChanged(task_ids))

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for screen in self.host.screen_stack:
            screen.post_message(RankingBusy(busy))

    def _patched(self, ranked: Ranking, ids: set[int]) -> Ranking:
        """A new ranking with the changed tasks re-evaluated and each moved to its place by
        bisection: the ranking stays sorted by `sort_key`, so nothing else is re-sorted,
        and the tasks whose rank shifted get their new value only when read (Ranking)."""
        fresh = evaluate_store(self.store, today=self.today, ids=sorted(ids))
        by = self._rank_by
        items = list(ranked._items)  # noqa: SLF001
        order = list(ranked.ids())

        def key(r: RankedTask) -> tuple[float, ...]:
            return sort_key(r, by)

        low = len(items)
        for task_id in ids:
            index = ranked.place(task_id)
            if index is None:
                continue
            # the place moved by the pops before this one: find it by its key, then its id
            old = ranked.stored(index)
            index = bisect_left(items, key(old), key=key)
            if not (index < len(items) and order[index] == task_id):
                index = order.index(task_id)  # not where its key says (should not happen)
            items.pop(index)
            order.pop(index)
            low = min(low, index)
        for r in fresh:
            index = bisect_left(items, key(r), key=key)
            items.insert(index, r)
            order.insert(index, r.id)
            low = min(low, index)
        place = dict(ranked._place)  # noqa: SLF001
        for task_id in ids:
            place.pop(task_id, None)
        for index in range(low, len(order)):  # places above `low` did not move
            place[order[index]] = index
        return Ranking._made(items, order, place)  # noqa: SLF001

    def _can_background(self) -> bool:
        return self.store.path not in (None, ":memory:") and self.host.is_running

    def _rank_in_background(self) -> None:
        self._generation += 1
        self._patched_meanwhile = set()
        self._set_busy(True)
        generation, by = self._generation, self._rank_by
        self.host.run_worker(lambda: self._full_rank(generation, by), thread=True, group="rank")

    def _full_rank(self, generation: int, by: RankBy) -> None:
        """In the worker thread: rank through a connection of its own (the app's stays
        free), then hand the result to the app's thread."""
        store = Store.open(self.store.path)
        try:
            ranked = rank_store(store, today=self.today, by=by)
        except RoiError as exc:
            self.host.call_from_thread(self._full_rank_failed, generation, exc)
            return
        finally:
            store.close()
        self.host.call_from_thread(self._apply_full_rank, generation, ranked)

    def _full_rank_failed(self, generation: int, exc: RoiError) -> None:
        if generation == self._generation:
            self._set_busy(False)
            self._cannot_rank(exc)

    def _apply_full_rank(self, generation: int, ranked: list[RankedTask]) -> None:
        if generation != self._generation:
            return  # a newer full re-rank is on its way
        result = in_order(ranked, self._rank_by)
        if self._patched_meanwhile:  # edits made while it ran are newer than its reads
            result = self._patched(result, self._patched_meanwhile)
        self._publish(result)
        self._set_busy(False)
        self._announce(None)
