"""Rank tasks by what automating them gives back, with verdicts and explanations.

Evaluating a task happens in one direction, and every result is a frozen value:

1. `settle_task` settles the inputs (measured beats estimated, flag defaults) and hands
   them to `payback`: a `Settled` task with its `Outcome`. This module does no
   arithmetic of its own beyond choosing which numbers to use.
2. optionally, `roi.uncertainty.simulate` returns Monte Carlo figures (`Uncertainty`)
   for the settled tasks; it reads them and changes nothing.
3. `conclude` decides the verdict (`decide_verdict`, the one verdict rule) and writes
   the explanation (`explain`, worded in roi.explanation) once, from the settled task
   and its figures: a `RankedTask`. A task missing an input (`Settled.missing`) is
   `needs-estimate`: unknown is not zero.
4. `order` puts them in rank order, as new values with their `rank`: the verdict groups
   first (`VERDICTS`), then the chosen key (`sort_key`, which the TUI uses as well).

`evaluate_tasks` and `rank_tasks` run those steps for a list of tasks. Nothing mutates a
`RankedTask`: a changed task is a new value (`dataclasses.replace`, or evaluate it again).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import fields, replace
from datetime import date

from roi import payback
from roi import uncertainty as monte_carlo
from roi.agentlogs.runs import AgentRuns, share
from roi.explanation import (  # the words of the ranking (re-exported)
    FAR_OFF,
    MISSING_WORDS,
    and_list,
    explain,
    far_off_measurements,
    missing_hint,
)
from roi.flags import FlagRule, load_rules, rule_matches
from roi.fmt import fmt, fmt_weeks
from roi.models import Flag, Measurement, Settings, Step, Task
from roi.settled import (
    VERDICTS,
    Missing,
    RankBy,
    RankedTask,
    Settled,
    Source,
    StepView,
    Verdict,
    frequency_measurement,
)
from roi.uncertainty import Overrun, Uncertainty

__all__ = [
    "FAR_OFF", "MISSING_WORDS", "VERDICTS", "Missing", "RankBy", "RankedTask", "Settled", "Source", "StepView",
    "Uncertainty", "Verdict", "conclude", "far_off_measurements", "missing_hint",
    "decide_verdict", "evaluate_task", "evaluate_tasks", "explain", "fmt", "fmt_weeks", "order",
    "rank_tasks", "safe_float", "settle_task", "sort_key",
]

def _settle_steps(
    task: Task,
    measured: dict[tuple[int, int | None], Measurement],
    min_samples: int,
    overhead_rules: list[FlagRule],
    step_rules: list[FlagRule] | None = None,
) -> tuple[tuple[StepView, ...], Measurement | None]:
    """overhead_rules: the active task-level flags' rules (their assumption goes on every
    step); step_rules: active rules raised only by step names (on the steps they name)."""
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
        elif (step_ratio := ratio if ratio is not None else _step_ratio(step, step_rules)) is not None:
            overhead, overhead_source = step_ratio * manual, "flag default"
        else:
            overhead, overhead_source = 0.0, "default"
        inputs = payback.StepInputs(manual, step.automation, overhead, step.failure_rate, step.running_cost)
        views.append(
            StepView(
                id=step.id, name=step.name, manual=manual, manual_source=source,  # type: ignore[arg-type]
                estimated_minutes=step.minutes,
                measured_minutes=m.median_minutes if m else None,
                samples=logged.samples if (logged := measured.get((task_id, step.id))) else 0,
                automation=step.automation, overhead=overhead,
                overhead_source=overhead_source,  # type: ignore[arg-type]
                failure_rate=step.failure_rate, running_cost=step.running_cost, saved=inputs.saved,
            )
        )
    return tuple(views), whole


def _measured_overhead(steps: tuple[StepView, ...], runs: AgentRuns) -> tuple[StepView, ...]:
    """The overhead the task's agent runs measured (median active minutes per run) in
    place of the estimates, spread over the steps by the share of the work each automates."""
    parts = share(runs.overhead_minutes, [s.automation * s.manual for s in steps])
    return tuple(
        replace(s, overhead=o, overhead_source="measured",
                saved=payback.StepInputs(s.manual, s.automation, o, s.failure_rate, s.running_cost).saved)
        for s, o in zip(steps, parts, strict=True)
    )


def _step_ratio(step: Step, rules: list[FlagRule] | None) -> float | None:
    return next((r.default_overhead_ratio for r in rules or () if r.default_overhead_ratio is not None
                 and r.matches_step(step)), None)


def _frequency(
    task: Task, measured: dict[tuple[int, int | None], Measurement], min_samples: int
) -> tuple[float, Source, float | None, int]:
    task_id = int(task.id or 0)
    mine = [m for (t, _s), m in measured.items() if t == task_id]
    occurrences = max((m.occurrences for m in mine), default=0)
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


def settle_task(
    task: Task,
    settings: Settings,
    *,
    today: date,
    measured: dict[tuple[int, int | None], Measurement] | None = None,
    dismissed: set[tuple[int, str]] | None = None,
    rules: tuple[FlagRule, ...] | None = None,
    horizon_weeks: float | None = None,
    overrun_factor: float | None = None,
    runs: dict[int, AgentRuns] | None = None,
) -> Settled:
    """Settle one task's inputs and compute its outcome and flags. `runs`: by task id, what
    its agent sessions attached as runs measured (overhead replaces the estimate from
    `min_samples` sessions on)."""
    measured = measured or {}
    dismissed = dismissed or set()
    rules = load_rules() if rules is None else rules
    horizon = horizon_weeks or settings.horizon_weeks
    overrun = overrun_factor or settings.overrun_factor
    hits = rule_matches(task, rules)
    flags = tuple(
        Flag(code=r.code, reason=r.reason, dismissed=(task.id, r.code) in dismissed, matched=m) for r, m in hits
    )
    active = [(r, m) for r, m in hits if (task.id, r.code) not in dismissed]
    steps, whole = _settle_steps(
        task, measured, settings.min_samples,
        [r for r, m in active if m.field != "step"], [r for r, m in active if m.field == "step"],
    )
    agent = (runs or {}).get(int(task.id or 0))
    if agent is not None and agent.used(settings.min_samples) and steps:
        steps = _measured_overhead(steps, agent)
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
    return Settled(
        task=task, per_week=per_week, per_week_source=per_week_source,
        per_week_measured=per_week_measured, steps=steps, outcome=outcome,
        build_hours=build, upkeep_hours_per_week=upkeep, start_date=start,
        break_even=payback.break_even(start, outcome.payback_weeks), flags=flags,
        horizon_weeks=horizon, overrun_factor=overrun, measured_samples=occurrences,
        measured_minutes=whole.median_minutes if whole else None,
        hourly_value=settings.hourly_value, currency=settings.currency,
        measurement=frequency_measurement(int(task.id or 0), measured), agent_runs=agent,
    )


def conclude(settled: Settled, settings: Settings, uncertainty: Uncertainty | None = None) -> RankedTask:
    """The settled task with its verdict and explanation, decided once (rank 0 until
    `order` places it)."""
    verdict, reason = decide_verdict(settled, settings, uncertainty)
    return RankedTask(
        **{f.name: getattr(settled, f.name) for f in fields(Settled)},
        verdict=verdict,
        verdict_reason=reason,
        explanation=explain(settled, uncertainty),
        uncertainty=uncertainty,
    )


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
    """Settle one task's inputs and conclude it, without the Monte Carlo."""
    settled = settle_task(
        task, settings, today=today, measured=measured, dismissed=dismissed, rules=rules,
        horizon_weeks=horizon_weeks, overrun_factor=overrun_factor,
    )
    return conclude(settled, settings)


def evaluate_tasks(
    tasks: Iterable[Task],
    settings: Settings,
    *,
    today: date,
    measured: dict[tuple[int, int | None], Measurement] | None = None,
    dismissed: set[tuple[int, str]] | None = None,
    rules: tuple[FlagRule, ...] | None = None,
    horizon_weeks: float | None = None,
    overrun_factor: float | None = None,
    simulate: bool = False,
    overrun: Overrun | None = None,
    samples: int | None = None,
    seed: int | None = None,
    runs: dict[int, AgentRuns] | None = None,
    simulator: Callable[..., list[Uncertainty]] | None = None,
) -> list[RankedTask]:
    """Settle every task and conclude it, in the given order (not ranked). With
    `simulate`, the Monte Carlo's figures (overrun: the history to draw the overrun
    factor from, default the setting) go into each verdict and explanation; `simulator`
    stands in for `roi.uncertainty.simulate` with its arguments (roi.inventory passes
    one that keeps the figures in the database)."""
    rules = load_rules() if rules is None else rules
    # Each task is settled with its own measurements only: looking a task's up in the
    # whole dict would make a ranking quadratic in the number of tasks.
    per_task: dict[int, dict[tuple[int, int | None], Measurement]] = {}
    for key, m in (measured or {}).items():
        per_task.setdefault(key[0], {})[key] = m
    settled = [
        settle_task(
            t, settings, today=today, measured=per_task.get(int(t.id or 0), {}),
            dismissed=dismissed, rules=rules, horizon_weeks=horizon_weeks,
            overrun_factor=overrun_factor, runs=runs,
        )
        for t in tasks
    ]
    figures: list[Uncertainty | None] = [None] * len(settled)
    # A task that still needs an estimate has nothing to sample: its figures stay None.
    decided = [i for i, s in enumerate(settled) if not s.missing]
    if simulate and decided:
        found = (simulator or monte_carlo.simulate)(
            [settled[i].spread() for i in decided], settings, overrun=overrun, samples=samples, seed=seed,
        )
        for i, u in zip(decided, found, strict=True):
            figures[i] = u
    return [conclude(s, settings, u) for s, u in zip(settled, figures, strict=True)]


def decide_verdict(
    settled: Settled, settings: Settings, uncertainty: Uncertainty | None = None
) -> tuple[Verdict, str]:
    """The verdict rule: automate / maybe / skip, or needs-estimate while an input is
    missing (unknown is not zero), and the reason in a few words."""
    weeks = settled.payback_weeks
    horizon = settled.horizon_weeks
    active = settled.active_flags
    verdict: Verdict
    if settled.missing:
        return "needs-estimate", "needs " + and_list([MISSING_WORDS[m] for m in settled.missing])
    if active:
        verdict, reason = "skip", f"flagged {', '.join(f.code for f in active)} (dismiss the flag to rank it on its numbers)"
    elif not settled.steps:
        verdict, reason = "skip", "no steps yet, so nothing to automate"
    elif weeks is None:
        verdict, reason = "skip", "never pays back: it saves no time once overhead and upkeep are counted"
    elif weeks <= settings.automate_within * horizon:
        verdict, reason = "automate", f"pays back within {fmt(settings.automate_within * 100, 0)}% of the horizon"
    elif weeks <= settings.maybe_within * horizon:
        verdict, reason = "maybe", "pays back within the horizon, but slowly"
    else:
        verdict, reason = "skip", "does not pay back within the horizon"
    u = uncertainty
    if u is not None and verdict == "automate" and u.payback_probability < settings.automate_probability:
        verdict = "maybe"
        reason = (
            f"only a {fmt(u.payback_probability * 100, 0)}% chance of paying back within the horizon "
            f"(automate needs {fmt(settings.automate_probability * 100, 0)}%)"
        )
    if verdict == "skip" and settled.task.learning_value and not active:
        verdict, reason = "maybe", "kept for its learning value (the numbers alone say skip)"
    return verdict, reason


def sort_key(r: RankedTask, by: RankBy) -> tuple[float, ...]:
    """Rank order means "do these first": the verdict groups in the order of VERDICTS
    (automate, maybe, skip, needs-estimate); in a group a flagged task after the others,
    then the chosen key (payback: fastest first, never last with the smallest loss first;
    net: most net hours first; confidence: most expected net hours first)."""
    o = r.outcome
    group = float(VERDICTS.index(r.verdict))
    if r.verdict == "needs-estimate":
        return (group, 0.0, 0.0, 0.0, r.id)
    flagged = 1.0 if r.active_flags else 0.0
    if by == "net":
        return (group, flagged, -o.net_hours, 0.0, r.id)
    if by == "confidence" and r.uncertainty is not None:  # expected net hours
        return (group, flagged, -r.uncertainty.expected_net_hours, 0.0, r.id)
    if o.payback_weeks is None:
        # Never pays back: last in its group, the smallest loss first.
        return (group, flagged, math.inf, -o.net_hours, r.id)
    return (group, flagged, o.payback_weeks, -o.net_hours, r.id)


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
    simulate: bool = False,
    overrun: Overrun | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> list[RankedTask]:
    """Evaluate every task (see `evaluate_tasks`) and return them in rank order, ranks
    starting at 1."""
    ranked = evaluate_tasks(
        tasks, settings, today=today, measured=measured, dismissed=dismissed, rules=rules,
        horizon_weeks=horizon_weeks, overrun_factor=overrun_factor, simulate=simulate,
        overrun=overrun, samples=samples, seed=seed,
    )
    return order(ranked, by)


def order(ranked: Iterable[RankedTask], by: RankBy) -> list[RankedTask]:
    """The tasks in rank order with their ranks from 1: a new list; a task whose rank
    changes is a new value, the others are the same objects."""
    ordered = sorted(ranked, key=lambda r: sort_key(r, by))
    return [r if r.rank == position else replace(r, rank=position) for position, r in enumerate(ordered, start=1)]


def safe_float(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    return value
