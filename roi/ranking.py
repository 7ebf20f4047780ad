"""Rank tasks by what automating them gives back, with verdicts and explanations.

This module settles the inputs (measured beats estimated, flag defaults) and hands them
to `payback`; it does no arithmetic of its own beyond choosing which numbers to use.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from roi import payback
from roi.db.timelog import Measurement
from roi.flags import FlagRule, load_rules, matching_rules
from roi.models import Flag, Settings, Task

RankBy = Literal["payback", "net", "confidence"]
Source = Literal["measured", "estimated", "pinned", "scaled", "default", "given", "flag default"]


@dataclass
class StepView:
    id: int | None
    name: str
    manual: float
    manual_source: Source
    estimated_minutes: float
    measured_minutes: float | None
    samples: int
    automation: float
    overhead: float
    overhead_source: Source
    failure_rate: float
    running_cost: float
    saved: float


@dataclass
class Uncertainty:
    """Monte Carlo figures for a task (see roi.uncertainty)."""

    payback_probability: float
    payback_weeks_p50: float | None
    payback_weeks_p90: float | None
    expected_net_hours: float
    overrun_source: str
    samples: int

    @property
    def informative(self) -> bool:
        """True when the Monte Carlo says more than the single-value figures (a range was
        sampled, or the overrun comes from recorded builds); a point estimate's 100% is noise."""
        return (
            0.0 < self.payback_probability < 1.0
            or self.payback_weeks_p50 != self.payback_weeks_p90
            or self.overrun_source != "setting"
        )


@dataclass
class RankedTask:
    task: Task
    per_week: float
    per_week_source: Source
    per_week_measured: float | None
    steps: list[StepView]
    outcome: payback.Outcome
    build_hours: float
    upkeep_hours_per_week: float
    start_date: date
    break_even: date | None
    flags: list[Flag]
    horizon_weeks: float
    overrun_factor: float
    verdict: str = "skip"
    verdict_reason: str = ""
    rank: int = 0
    explanation: str = ""
    uncertainty: Uncertainty | None = None
    measured_samples: int = 0
    measured_minutes: float | None = None
    hourly_value: float | None = None
    currency: str = "$"

    def money_sentence(self) -> str:
        """The figures in money, when the person set an hourly value; else ''."""
        if not self.hourly_value:
            return ""
        v, c, o = self.hourly_value, self.currency, self.outcome
        text = (
            f"At {c}{fmt(v, 2)} an hour: worth {c}{o.net_weekly_gain * v:,.0f} a week, "
            f"{c}{o.build_cost * v:,.0f} to build, {c}{o.net_hours * v:,.0f} net over "
            f"{fmt(self.horizon_weeks)} weeks"
        )
        running = self.per_week * sum(s.running_cost for s in self.steps)
        if running:
            text += f" (after {c}{running:,.2f} a week of running costs)"
        return text + "."

    @property
    def id(self) -> int:
        return int(self.task.id or 0)

    @property
    def name(self) -> str:
        return self.task.name

    @property
    def payback_weeks(self) -> float | None:
        return self.outcome.payback_weeks

    @property
    def net_hours(self) -> float:
        return self.outcome.net_hours

    @property
    def active_flags(self) -> list[Flag]:
        return [f for f in self.flags if not f.dismissed]

    def payback_curve(self, points: int = 53) -> tuple[list[float], list[float]]:
        """Weeks and cumulative net hours from 0 to the horizon."""
        step = self.horizon_weeks / max(points - 1, 1)
        weeks = [i * step for i in range(points)]
        return weeks, payback.cumulative_net_hours(
            self.outcome.net_weekly_gain, self.outcome.build_cost, weeks
        )


def fmt(value: float, digits: int = 1) -> str:
    """A number for prose: no trailing zeros, no '-0'."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_weeks(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks < 1:
        days = weeks * 7
        return f"{fmt(days)} day{'s' if fmt(days) != '1' else ''}"
    return f"{fmt(weeks)} week{'s' if fmt(weeks) != '1' else ''}"


def _settle_steps(
    task: Task,
    measured: dict[tuple[int, int | None], Measurement],
    min_samples: int,
    overhead_rules: list[FlagRule],
) -> tuple[list[StepView], Measurement | None]:
    task_id = int(task.id or 0)
    whole = measured.get((task_id, None))
    whole = whole if whole is not None and whole.samples >= min_samples else None
    own = {
        s.id: measured[(task_id, s.id)]
        for s in task.steps
        if (task_id, s.id) in measured and measured[(task_id, s.id)].samples >= min_samples
    }
    # Task-level time (imports usually log the whole task) rescales the step estimates
    # that have no time of their own, keeping their proportions.
    scale = None
    if whole is not None and not own:
        estimated_total = sum(s.minutes for s in task.steps if not s.pinned)
        pinned_total = sum(s.minutes for s in task.steps if s.pinned)
        if estimated_total > 0:
            scale = max(whole.median_minutes - pinned_total, 0.0) / estimated_total
    ratio = next((r.default_overhead_ratio for r in overhead_rules if r.default_overhead_ratio is not None), None)
    views = []
    for step in task.steps:
        m = own.get(step.id)
        if step.pinned:
            manual, source = step.minutes, "pinned"
        elif m is not None:
            manual, source = m.median_minutes, "measured"
        elif scale is not None:
            manual, source = step.minutes * scale, "scaled"
        else:
            manual, source = step.minutes, "estimated"
        if step.overhead is not None:
            overhead, overhead_source = step.overhead, "given"
        elif ratio is not None:
            overhead, overhead_source = ratio * manual, "flag default"
        else:
            overhead, overhead_source = 0.0, "default"
        inputs = payback.StepInputs(manual, step.automation, overhead, step.failure_rate, step.running_cost)
        views.append(
            StepView(
                id=step.id, name=step.name, manual=manual, manual_source=source,  # type: ignore[arg-type]
                estimated_minutes=step.minutes,
                measured_minutes=m.median_minutes if m else None, samples=m.samples if m else 0,
                automation=step.automation, overhead=overhead,
                overhead_source=overhead_source,  # type: ignore[arg-type]
                failure_rate=step.failure_rate, running_cost=step.running_cost, saved=inputs.saved,
            )
        )
    return views, whole


def _frequency(
    task: Task, measured: dict[tuple[int, int | None], Measurement], min_samples: int
) -> tuple[float, Source, float | None, int]:
    task_id = int(task.id or 0)
    mine = [m for (t, _s), m in measured.items() if t == task_id]
    occurrences = max((m.samples for m in mine), default=0)
    measured_per_week = None
    if occurrences >= min_samples:
        first = min(m.first_start for m in mine)
        last = max(m.last_start for m in mine)
        measured_per_week = Measurement(occurrences, 0.0, first, last).per_week()
    if task.per_week_pinned and task.per_week is not None:
        return task.per_week, "pinned", measured_per_week, occurrences
    if measured_per_week is not None:
        return measured_per_week, "measured", measured_per_week, occurrences
    if task.per_week is not None:
        return task.per_week, "estimated", None, occurrences
    return 0.0, "default", None, occurrences


def evaluate_task(
    task: Task,
    settings: Settings,
    *,
    today: date,
    measured: dict[tuple[int, int | None], Measurement] | None = None,
    dismissed: set[tuple[int, str]] | None = None,
    rules: tuple[FlagRule, ...] | None = None,
    horizon_weeks: float | None = None,
    overrun_factor: float | None = None,
) -> RankedTask:
    """Settle one task's inputs and compute its outcome, flags and verdict."""
    measured = measured or {}
    dismissed = dismissed or set()
    rules = load_rules() if rules is None else rules
    horizon = horizon_weeks or settings.horizon_weeks
    overrun = overrun_factor or settings.overrun_factor
    hits = matching_rules(task, rules)
    flags = [Flag(code=r.code, reason=r.reason, dismissed=(task.id, r.code) in dismissed) for r in hits]
    active_rules = [r for r in hits if (task.id, r.code) not in dismissed]
    steps, whole = _settle_steps(task, measured, settings.min_samples, active_rules)
    per_week, per_week_source, per_week_measured, occurrences = _frequency(
        task, measured, settings.min_samples
    )
    plan = task.plan
    build = plan.build_hours if plan else 0.0
    upkeep = plan.upkeep_hours_per_week if plan else 0.0
    outcome = payback.evaluate(
        [payback.StepInputs(s.manual, s.automation, s.overhead, s.failure_rate, s.running_cost) for s in steps],
        per_week, build, upkeep, overrun, horizon, settings.hourly_value,
    )
    start = plan.start_date if plan and plan.start_date else today
    ranked = RankedTask(
        task=task, per_week=per_week, per_week_source=per_week_source,
        per_week_measured=per_week_measured, steps=steps, outcome=outcome,
        build_hours=build, upkeep_hours_per_week=upkeep, start_date=start,
        break_even=payback.break_even(start, outcome.payback_weeks), flags=flags,
        horizon_weeks=horizon, overrun_factor=overrun, measured_samples=occurrences,
        measured_minutes=whole.median_minutes if whole else None,
        hourly_value=settings.hourly_value, currency=settings.currency,
    )
    decide_verdict(ranked, settings)
    ranked.explanation = explain(ranked)
    return ranked


def decide_verdict(ranked: RankedTask, settings: Settings) -> None:
    """automate / maybe / skip, and the reason in a few words."""
    weeks = ranked.payback_weeks
    horizon = ranked.horizon_weeks
    active = ranked.active_flags
    if active:
        verdict, reason = "skip", f"flagged {', '.join(f.code for f in active)} (dismiss the flag to rank it on its numbers)"
    elif not ranked.steps:
        verdict, reason = "skip", "no steps yet, so nothing to automate"
    elif weeks is None:
        verdict, reason = "skip", "never pays back: it saves no time once overhead and upkeep are counted"
    elif weeks <= settings.automate_within * horizon:
        verdict, reason = "automate", f"pays back within {fmt(settings.automate_within * 100, 0)}% of the horizon"
    elif weeks <= settings.maybe_within * horizon:
        verdict, reason = "maybe", "pays back within the horizon, but slowly"
    else:
        verdict, reason = "skip", "does not pay back within the horizon"
    u = ranked.uncertainty
    if u is not None and verdict == "automate" and u.payback_probability < settings.automate_probability:
        verdict = "maybe"
        reason = (
            f"only a {fmt(u.payback_probability * 100, 0)}% chance of paying back within the horizon "
            f"(automate needs {fmt(settings.automate_probability * 100, 0)}%)"
        )
    if verdict == "skip" and ranked.task.learning_value and not active:
        verdict, reason = "maybe", "kept for its learning value (the numbers alone say skip)"
    ranked.verdict, ranked.verdict_reason = verdict, reason


def explain(r: RankedTask) -> str:
    """One or two sentences that show the task's arithmetic."""
    o = r.outcome
    if not r.steps:
        if r.measured_minutes is not None:
            first = (
                f"Logged {r.measured_samples} times (median {fmt(r.measured_minutes)} min, "
                f"{fmt(r.per_week, 2)} a week) but no steps yet: add steps with their degree of "
                "automation to see what automating it would save."
            )
        else:
            first = "No steps yet, so nothing to automate: add steps with their minutes."
    else:
        times = f"{fmt(r.per_week, 2)} time{'s' if fmt(r.per_week, 2) != '1' else ''} a week"
        first = (
            f"{times} x {fmt(o.saved_minutes_per_occurrence)} min saved = "
            f"{fmt(o.weekly_hours_saved, 2)} h/week"
        )
        if r.upkeep_hours_per_week:
            first += f", minus {fmt(r.upkeep_hours_per_week, 2)} h/week upkeep"
        first += ";"
    build = f"{fmt(r.build_hours)} h to build"
    if r.overrun_factor != 1 and r.build_hours:
        build += f" (x{fmt(r.overrun_factor, 2)} overrun = {fmt(o.build_cost)} h)"
    if o.payback_weeks is not None:
        second = f"{build} -> pays back in {fmt_weeks(o.payback_weeks)}."
    elif o.saved_minutes_per_occurrence < 0:
        second = (
            f"{build} -> never pays back: overhead exceeds the time saved, so each "
            f"occurrence costs {fmt(-o.saved_minutes_per_occurrence)} min more than by hand."
        )
    else:
        second = f"{build} -> never pays back."
    if not r.steps:
        return (first + " " + (f"{build}." if r.build_hours else "")).strip()
    return f"{first} {second}"


def sort_key(r: RankedTask, by: RankBy) -> tuple[float, ...]:
    o = r.outcome
    if o.payback_weeks is None:
        # Never pays back: last, the smallest loss first.
        return (1.0, -o.net_hours, r.id)
    if by == "net":
        return (0.0, -o.net_hours, r.id)
    if by == "confidence" and r.uncertainty is not None:  # expected net hours
        return (0.0, -r.uncertainty.expected_net_hours, r.id)
    return (0.0, o.payback_weeks, -o.net_hours, r.id)


def rank_tasks(
    tasks: Iterable[Task],
    settings: Settings,
    *,
    today: date,
    measured: dict[tuple[int, int | None], Measurement] | None = None,
    dismissed: set[tuple[int, str]] | None = None,
    rules: tuple[FlagRule, ...] | None = None,
    by: RankBy = "payback",
    horizon_weeks: float | None = None,
    overrun_factor: float | None = None,
) -> list[RankedTask]:
    """Evaluate every task and return them in rank order, ranks starting at 1."""
    rules = load_rules() if rules is None else rules
    ranked = [
        evaluate_task(
            t, settings, today=today, measured=measured, dismissed=dismissed, rules=rules,
            horizon_weeks=horizon_weeks, overrun_factor=overrun_factor,
        )
        for t in tasks
    ]
    return order(ranked, by)


def order(ranked: list[RankedTask], by: RankBy) -> list[RankedTask]:
    ranked.sort(key=lambda r: sort_key(r, by))
    for position, r in enumerate(ranked, start=1):
        r.rank = position
    return ranked


def safe_float(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value
