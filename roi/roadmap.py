"""Turn the ranking into a plan with dates: build the worthwhile automations one after
another within a weekly budget of hours, and see when each pays back.

Every boundary is an offset in weeks from the roadmap's start; dates are those offsets
rounded to whole days, so one build's finish is exactly the next one's start and no two
builds overlap.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from roi.models import RoiError
from roi.ranking import MISSING_WORDS, RankedTask

_BUDGET = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>h|hours?|m|min|minutes?)?\s*"
    r"(?:/\s*(?P<per>w|wk|week|d|day))?\s*$",
    re.IGNORECASE,
)


def parse_budget(text: str) -> float:
    """'4h/week', '4', '90m/week' or '1h/day' (7 days a week) -> hours a week."""
    match = _BUDGET.match(text or "")
    if not match:
        raise RoiError(f"--budget must look like 4h/week or 90m/week (got {text!r})")
    amount = float(match["amount"])
    unit = (match["unit"] or "h").lower()
    if unit.startswith("m"):
        amount /= 60.0
    if (match["per"] or "w").lower().startswith("d"):
        amount *= 7.0
    if amount <= 0:
        raise RoiError(f"--budget must be more than 0 hours a week (got {text!r})")
    return amount


def on_day(start: date, weeks: float) -> date:
    return start + timedelta(days=round(weeks * 7.0))


@dataclass(frozen=True)
class RoadmapItem:
    task: RankedTask
    build_hours: float  # with the overrun factor
    start_week: float
    finish_week: float
    start: date
    finish: date
    break_even_week: float | None
    break_even: date | None
    hours_back_by_horizon: float  # net: gain after going live minus the build

    @property
    def duration_weeks(self) -> float:
        return self.finish_week - self.start_week


@dataclass(frozen=True)
class Roadmap:
    start: date
    budget_hours_per_week: float
    horizon_weeks: float
    items: list[RoadmapItem]
    left_out: list[RankedTask] = field(default_factory=list)  # need an estimate first: not scheduled
    live: list[RankedTask] = field(default_factory=list)  # already automated (Task.live): nothing to build

    @property
    def horizon_end(self) -> date:
        return on_day(self.start, self.horizon_weeks)

    @property
    def total_build_hours(self) -> float:
        return math.fsum(i.build_hours for i in self.items)

    @property
    def hours_back_by_horizon(self) -> float:
        return math.fsum(i.hours_back_by_horizon for i in self.items)

    def cumulative(self, points: int = 53) -> tuple[list[float], list[float]]:
        """Weeks and cumulative net hours of the whole plan (builds paid from the budget)."""
        step = self.horizon_weeks / max(points - 1, 1)
        weeks = [i * step for i in range(points)]
        totals = []
        for t in weeks:
            total = 0.0
            for item in self.items:
                spent = min(max(t - item.start_week, 0.0), item.duration_weeks) * self.budget_hours_per_week
                live = max(t - item.finish_week, 0.0)
                total += item.task.outcome.net_weekly_gain * live - spent
            totals.append(total)
        return weeks, totals


def worth_building(r: RankedTask) -> bool:
    return r.verdict in ("automate", "maybe") and not r.task.live and r.task.status != "dropped"


def build_roadmap(
    ranked: list[RankedTask], budget_hours_per_week: float, start: date, horizon_weeks: float | None = None
) -> Roadmap:
    """Schedule the tasks worth building, in rank order, one after another."""
    if budget_hours_per_week <= 0:
        raise RoiError("the weekly build budget must be more than 0 hours")
    horizon = horizon_weeks or (ranked[0].horizon_weeks if ranked else 52.0)
    items = []
    cursor = 0.0
    for r in sorted((r for r in ranked if worth_building(r)), key=lambda r: r.rank):
        cost = r.outcome.build_cost
        duration = cost / budget_hours_per_week
        begin, end = cursor, cursor + duration
        gain = r.outcome.net_weekly_gain
        payback = r.outcome.payback_weeks
        even = None if payback is None else end + payback
        back = gain * max(horizon - end, 0.0) - cost
        items.append(
            RoadmapItem(
                task=r, build_hours=cost, start_week=begin, finish_week=end,
                start=on_day(start, begin), finish=on_day(start, end),
                break_even_week=even, break_even=None if even is None else on_day(start, even),
                hours_back_by_horizon=back,
            )
        )
        cursor = end
    left_out = [r for r in ranked if r.missing and not r.task.live and r.task.status != "dropped"]
    live = [r for r in ranked if r.task.live]
    return Roadmap(start=start, budget_hours_per_week=budget_hours_per_week, horizon_weeks=horizon, items=items,
                   left_out=sorted(left_out, key=lambda r: r.rank), live=sorted(live, key=lambda r: r.rank))


def left_out_sentence(roadmap: Roadmap) -> str:
    """'' or the sentence that says which tasks the roadmap could not schedule, and why."""
    n = len(roadmap.left_out)
    if not n:
        return ""
    names = "; ".join(f"{r.name} ({', '.join(MISSING_WORDS[m] for m in r.missing)})" for r in roadmap.left_out)
    return (f"{n} task{'s' if n != 1 else ''} left out: {'they need' if n != 1 else 'it needs'} an estimate "
            f"first (`roi rank --explain` says how): {names}.")


def live_sentence(roadmap: Roadmap) -> str:
    """'' or the sentence that names the tasks not scheduled because they are live, the
    same tasks `roi rank` marks (live)."""
    n = len(roadmap.live)
    if not n:
        return ""
    return (f"{n} task{'s are' if n != 1 else ' is'} live already (status automated), so not scheduled: "
            f"{'; '.join(r.name for r in roadmap.live)}.")


def roadmap_json(roadmap: Roadmap) -> dict:
    return {
        "start": roadmap.start.isoformat(),
        "budget_hours_per_week": roadmap.budget_hours_per_week,
        "horizon_weeks": roadmap.horizon_weeks,
        "horizon_end": roadmap.horizon_end.isoformat(),
        "total_build_hours": round(roadmap.total_build_hours, 4),
        "hours_back_by_horizon": round(roadmap.hours_back_by_horizon, 4),
        "left_out": [{"id": r.id, "name": r.name, "verdict": r.verdict, "missing": list(r.missing)}
                     for r in roadmap.left_out],
        "live": [{"id": r.id, "name": r.name} for r in roadmap.live],
        "items": [
            {
                "id": i.task.id,
                "name": i.task.name,
                "rank": i.task.rank,
                "verdict": i.task.verdict,
                "build_hours": round(i.build_hours, 4),
                "duration_weeks": round(i.duration_weeks, 4),
                "start": i.start.isoformat(),
                "finish": i.finish.isoformat(),
                "start_week": round(i.start_week, 4),
                "finish_week": round(i.finish_week, 4),
                "payback_weeks": None if i.task.payback_weeks is None else round(i.task.payback_weeks, 4),
                "break_even": None if i.break_even is None else i.break_even.isoformat(),
                "break_even_week": None if i.break_even_week is None else round(i.break_even_week, 4),
                "hours_back_by_horizon": round(i.hours_back_by_horizon, 4),
            }
            for i in roadmap.items
        ],
    }
