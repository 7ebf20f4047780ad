"""Where the time goes: the candidate list. Logged work time from every source per task
(or step, source, category) over a period, hours a week, the share of the total, each
row's state in the ranking, and a per-week trend.

The rows' hours add up to the total exactly as printed: each row is rounded to
`DIGITS` decimals by the largest remainder, so that the rounded rows sum to the rounded
total. A task with no logged time in the period is a row with no hours (unknown is not
zero), listed after the others.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from roi.db.spent import SPENT_BY, SpentBy, SpentGroup, log_span, spent_groups, task_names
from roi.db.store import Store
from roi.errors import RoiError
from roi.ranking import RankedTask

__all__ = [
    "DIGITS", "SPENT_BY", "Spent", "SpentBy", "SpentRow", "apportion", "row_state", "spent_json",
    "where_time_goes", "zone_of",
]

DIGITS = 4  # hours in JSON: to 0.36 s


@dataclass(frozen=True)
class SpentRow:
    """One row of the candidate list. hours, hours_per_week and share are None for a task
    with no time logged in the period; state is None for a source or category row."""

    id: int | str | None
    name: str
    hours: float | None
    hours_per_week: float | None
    share: float | None
    state: str | None
    entries: int
    weekly: tuple[float, ...]  # hours in each week of the period, oldest first
    task_id: int | None = None


@dataclass(frozen=True)
class Spent:
    since: date | None  # None: nothing logged at all
    until: date
    by: SpentBy
    total_hours: float | None  # None: nothing logged in the period
    weeks: float  # the period's length in weeks (at least 1)
    rows: tuple[SpentRow, ...]
    weekly: tuple[float, ...]  # total hours in each week of the period

    @property
    def logged(self) -> tuple[SpentRow, ...]:
        return tuple(r for r in self.rows if r.hours is not None)

    @property
    def total_hours_per_week(self) -> float | None:
        return None if self.total_hours is None else self.total_hours / self.weeks


def apportion(values: list[float], digits: int = DIGITS) -> tuple[list[float], float]:
    """Round `values` to `digits` decimals so that they sum to their rounded total
    (largest remainder), and return them with that total."""
    scale = 10 ** digits
    total_units = round(math.fsum(values) * scale)
    floors = [math.floor(v * scale) for v in values]
    rest = total_units - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (-(values[i] * scale - floors[i]), i))
    for i in order[:max(rest, 0)]:
        floors[i] += 1
    return [f / scale for f in floors], total_units / scale


def zone_of(store: Store) -> Any:
    """The person's time zone: the timezone setting, else the system's."""
    import pendulum

    name = store.settings().timezone
    return pendulum.timezone(name) if name else pendulum.local_timezone()  # type: ignore[operator]


def _midnight(day: date, zone: Any) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


def row_state(r: RankedTask) -> str:
    """A task's state in the candidate list: live (its automation runs), flagged (a
    low-ROI flag decides it), needs-estimate, or its verdict."""
    if r.task.live or (r.task.plan is not None and r.task.plan.built_on is not None):
        return "live"
    if r.active_flags:
        return "flagged"
    if r.missing:
        return "needs-estimate"
    return r.verdict


def _row_name(g: SpentGroup, by: SpentBy) -> str:
    if g.step is not None:
        return f"{g.name} / {g.step}"
    return f"{g.name} (whole task)" if by == "step" else g.name


def where_time_goes(
    store: Store,
    *,
    today: date,
    since: date | None = None,
    until: date | None = None,
    by: SpentBy = "task",
    ranked: Iterable[RankedTask] | None = None,
) -> Spent:
    """The logged time of the period [since, until] (whole days in the person's time
    zone; default: from the first entry to today, or to the last entry when it is later),
    per `by`, sorted by hours, with each task's state from the ranking (`ranked`, default
    `rank_store`)."""
    if by not in SPENT_BY:
        raise RoiError(f"--by must be one of {', '.join(SPENT_BY)} (got {by!r})")
    zone = zone_of(store)
    span = log_span(store)
    if until is None:
        until = today
        if span.last is not None:
            until = max(until, span.last.astimezone(zone).date())
    if since is None:
        since = span.first.astimezone(zone).date() if span.first is not None else None
        if since is not None and since > until:
            since = until
    if since is not None and since > until:
        raise RoiError(f"--since ({since.isoformat()}) must not be after --until ({until.isoformat()})")
    days = (until - since).days + 1 if since is not None else 7
    weeks = max(days / 7.0, 1.0)
    n_weeks = max(math.ceil(days / 7), 1)
    groups = [] if since is None else spent_groups(
        store, _midnight(since, zone), _midnight(until + timedelta(days=1), zone), by
    )
    states: dict[int, str] = {}
    if by in ("task", "step"):
        if ranked is None:
            from roi.inventory import rank_store

            ranked = rank_store(store, today=today)
        states = {r.id: row_state(r) for r in ranked}
    merged: dict[tuple[Any, ...], list[SpentGroup]] = {}
    for g in groups:
        merged.setdefault((g.task_id, g.id, g.name), []).append(g)
    keys = list(merged)
    seconds = [math.fsum(g.seconds for g in merged[k]) for k in keys]
    hours, total = apportion([s / 3600.0 for s in seconds])
    week_totals = [0.0] * n_weeks
    rows = []
    for key, h, s in zip(keys, hours, seconds, strict=True):
        parts = merged[key]
        weekly = [0.0] * n_weeks
        for g in parts:
            if 0 <= g.week < n_weeks:
                weekly[g.week] += g.seconds / 3600.0
                week_totals[g.week] += g.seconds / 3600.0
        first = parts[0]
        rows.append((s, SpentRow(
            id=first.id, name=_row_name(first, by), hours=h, hours_per_week=round(h / weeks, DIGITS),
            share=round(s / math.fsum(seconds), DIGITS) if math.fsum(seconds) > 0 else 0.0,
            state=states.get(first.task_id) if first.task_id is not None else None,
            entries=sum(g.entries for g in parts), weekly=tuple(round(w, DIGITS) for w in weekly),
            task_id=first.task_id,
        )))
    rows.sort(key=lambda pair: (-pair[0], pair[1].name.casefold(), str(pair[1].id)))
    out = [r for _, r in rows]
    if by == "task":
        logged = {r.id for r in out}
        out += [SpentRow(id=t.id, name=t.name, hours=None, hours_per_week=None, share=None,
                         state=states.get(t.id), entries=0, weekly=(), task_id=t.id)
                for t in task_names(store) if t.id not in logged]
    return Spent(
        since=since, until=until, by=by, total_hours=total if groups else None, weeks=weeks,
        rows=tuple(out), weekly=tuple(round(w, DIGITS) for w in week_totals),
    )


def spent_json(spent: Spent, top: int | None = None) -> dict[str, Any]:
    """The `roi spent --json` object: {since, until, total_hours, rows: [{id, name, hours,
    hours_per_week, share, state}]} (the first `top` rows when given)."""
    rows = spent.rows if top is None else spent.rows[:top]
    return {
        "since": spent.since.isoformat() if spent.since else None,
        "until": spent.until.isoformat(),
        "total_hours": spent.total_hours,
        "rows": [
            {"id": r.id, "name": r.name, "hours": r.hours, "hours_per_week": r.hours_per_week,
             "share": r.share, "state": r.state}
            for r in rows
        ],
    }
