"""The values a ranking is made of: a task with its inputs settled (`Settled`, one
`StepView` a step) and, concluded, a `RankedTask`. Frozen: roi.ranking makes them,
everything else reads them (roi.explanation words them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from roi import payback
from roi.agentlogs.runs import AgentRuns
from roi.fmt import fmt
from roi.models import Flag, Measurement, Range, Task
from roi.uncertainty import StepSpread, TaskSpread, Uncertainty

RankBy = Literal["payback", "net", "confidence"]
Source = Literal["measured", "estimated", "pinned", "scaled", "default", "given", "flag default"]
Verdict = Literal["automate", "maybe", "skip", "needs-estimate"]
Missing = Literal["steps", "per_week", "build_hours"]
VERDICTS: tuple[Verdict, ...] = ("automate", "maybe", "skip", "needs-estimate")  # the rank groups, in order


@dataclass(frozen=True)
class StepView:
    """One step with its inputs settled: the numbers the arithmetic used, and where each
    came from."""

    id: int | None
    name: str
    manual: float
    manual_source: Source
    estimated_minutes: float
    measured_minutes: float | None  # the log's median, when it has enough samples to be used
    samples: int  # logged occurrences of the step, also when too few to be used
    automation: float
    overhead: float
    overhead_source: Source
    failure_rate: float
    running_cost: float
    saved: float


@dataclass(frozen=True, kw_only=True)
class Settled:
    """A task with its inputs settled and its outcome computed: everything but the verdict."""

    task: Task
    per_week: float
    per_week_source: Source
    per_week_measured: float | None
    steps: tuple[StepView, ...]
    outcome: payback.Outcome
    build_hours: float
    upkeep_hours_per_week: float
    start_date: date
    break_even: date | None
    flags: tuple[Flag, ...]
    horizon_weeks: float
    overrun_factor: float
    measured_samples: int = 0
    measured_minutes: float | None = None
    hourly_value: float | None = None
    currency: str = "$"
    agent_runs: AgentRuns | None = None  # what the task's `--runs` agent sessions measured, if any
    measurement: Measurement | None = None  # what the frequency was measured from (its rule), if logged

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
    def missing(self) -> tuple[Missing, ...]:
        """The inputs the arithmetic needs and nobody gave: no steps, no frequency (stated
        or measured), no build estimate. An explicit build of 0 hours is given, not missing."""
        gaps: list[Missing] = []
        if not self.task.steps:
            gaps.append("steps")
        if self.per_week_source == "default":
            gaps.append("per_week")
        if self.task.plan is None or not self.task.plan.build_given:
            gaps.append("build_hours")
        return tuple(gaps)

    @property
    def net_hours(self) -> float:
        return self.outcome.net_hours

    @property
    def active_flags(self) -> list[Flag]:
        """The flags that decide the verdict: raised by the task's name, category or tags
        and not dismissed. A flag raised only by a step name is in `step_flags`."""
        return [f for f in self.flags if not f.dismissed and f.scope == "task"]

    @property
    def step_flags(self) -> list[Flag]:
        """Undismissed flags raised only by step names: they put their overhead
        assumption on those steps and leave the verdict to the numbers."""
        return [f for f in self.flags if not f.dismissed and f.scope == "step"]

    def payback_curve(self, points: int = 53) -> tuple[list[float], list[float]]:
        """Weeks and cumulative net hours from 0 to the horizon."""
        step = self.horizon_weeks / max(points - 1, 1)
        weeks = [i * step for i in range(points)]
        return weeks, payback.cumulative_net_hours(
            self.outcome.net_weekly_gain, self.outcome.build_cost, weeks
        )

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

    def spread(self) -> TaskSpread:
        """The inputs as the Monte Carlo sees them: a Range where the person gave one and
        the input is still an estimate, the settled value otherwise."""
        task = self.task
        steps = []
        for step, view in zip(task.steps, self.steps, strict=True):
            manual = step.minutes_range if view.manual_source == "estimated" else Range.single(view.manual)
            # a flag's default overhead scales with the sampled manual minutes
            flagged = view.overhead_source == "flag default" and view.manual
            steps.append(StepSpread(
                manual=manual,
                overhead=Range.single(view.overhead) if view.overhead_source == "measured" else step.overhead_range,
                overhead_ratio=view.overhead / view.manual if flagged else 0.0,
                automation=step.automation, failure_rate=step.failure_rate, saved=view.saved,
            ))
        return TaskSpread(
            id=self.id,
            steps=tuple(steps),
            per_week=task.per_week_range if self.per_week_source == "estimated" else Range.single(self.per_week),
            build_hours=task.plan.build_range if task.plan else Range.single(0.0),
            upkeep_hours_per_week=self.upkeep_hours_per_week,
            running_cost=sum(s.running_cost for s in self.steps),
            horizon_weeks=self.horizon_weeks,
            payback_weeks=self.outcome.payback_weeks,
            net_hours=self.outcome.net_hours,
        )


@dataclass(frozen=True, kw_only=True)
class RankedTask(Settled):
    """A settled task with its conclusion, decided once: verdict, explanation, the Monte
    Carlo figures it was decided with, and its place in the ranking."""

    verdict: Verdict = "skip"
    verdict_reason: str = ""
    explanation: str = ""
    uncertainty: Uncertainty | None = None
    rank: int = 0


def frequency_measurement(task_id: int, measured: dict[tuple[int, int | None], Measurement]) -> Measurement | None:
    """The measurement a task's frequency comes from: the one with the most occurrences
    (the whole task's on a tie), or None when nothing of the task is logged."""
    mine = [(m.occurrences, step_id is None, m) for (t, step_id), m in measured.items() if t == task_id]
    return max(mine, key=lambda x: (x[0], x[1]))[2] if mine else None
