"""The TUI's ranking state without a screen: a patch that moves the last task to the top
shifts places (ints), not values; every value read has its rank equal to its place."""

from __future__ import annotations

from typing import Any

from roi.db.store import Store
from roi.models import Plan, Step, Task
from tests.conftest import TODAY
from tui.state import RankingState


class Host:
    """What the state needs of an app: a screen stack to announce to, and toasts."""

    screen_stack: list[Any] = []
    is_running = False

    def __init__(self) -> None:
        self.toasts: list[str] = []

    def notify(self, message: str, **_: Any) -> None:  # noqa: ANN401
        self.toasts.append(message)


def _state(store: Store, count: int) -> RankingState:
    for i in range(count):
        store.add_task(
            Task(name=f"T{i:03d}", per_week=1 + i % 5, steps=[Step(name="s", minutes=5 + i)], plan=Plan(build_hours=2))
        )
    state = RankingState(Host(), store, today=TODAY)  # type: ignore[arg-type]
    state.rank_all()
    return state


def test_a_move_to_the_top_makes_new_values_only_where_read(store: Store) -> None:
    state = _state(store, 120)
    last = state.ranked[-1]
    store.update_step(int(last.task.steps[0].id or 0), minutes=5000)
    state.patch([last.id])
    ranking = state.ranked
    # nothing read yet: the shifted tasks keep their old values (no 10,000 copies per edit)
    assert ranking.stored(60).rank == 60
    assert ranking[60].rank == 61 and ranking.stored(60).rank == 61
    assert state.by_id[last.id].rank == 1 and ranking[0].id == last.id
    assert [r.rank for r in ranking] == list(range(1, 121))
    assert [state.by_id[r.id].rank for r in ranking] == list(range(1, 121))


def test_a_patch_equals_a_full_rank(store: Store) -> None:
    state = _state(store, 60)
    moved = [state.ranked[-1].id, state.ranked[10].id, state.ranked[30].id]
    for task_id, minutes in zip(moved, (900, 1, 40), strict=True):
        store.update_step(int(state.by_id[task_id].task.steps[0].id or 0), minutes=minutes)
    gone = state.ranked[5].id
    store.remove_task(gone)
    state.patch([*moved, gone])
    patched = [(r.id, r.rank, r.verdict, r.payback_weeks) for r in state.ranked]
    assert gone not in state.by_id and len(state.by_id) == 59
    state.rank_all()
    assert patched == [(r.id, r.rank, r.verdict, r.payback_weeks) for r in state.ranked]
    assert state.ranked[-2:] == list(state.ranked)[-2:]
