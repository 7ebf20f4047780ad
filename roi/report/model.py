"""The report model: one ranking plus everything needed to read it.

Every renderer (text, Markdown, HTML, CSV, JSON) is fed by the same `Report`, built once
from `roi.inventory.rank_store` and where the numbers came from (import batches and time
entries: `roi.db.timelog.log_sources` and `task_logs`). Renderers format; they never compute.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Literal

from roi import payback
from roi.agents import AgentSummary
from roi.db.store import Store, utc_now
from roi.db.timelog import LogSource, TaskLog, log_sources, task_logs
from roi.inventory import rank_store
from roi.models import RoiError, Settings
from roi.ranking import RankBy, RankedTask
from roi.report.agents import section as agent_section
from roi.roadmap import Roadmap, build_roadmap
from roi.spent import Spent, SpentRow, where_time_goes

Format = Literal["text", "md", "html", "csv", "json"]
FORMATS: tuple[str, ...] = ("text", "md", "html", "csv", "json")
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Totals:
    """The at-a-glance sums. The automate group is what the summary sentence is about."""

    tasks: int
    shown: int
    automate: int
    maybe: int
    skip: int
    flagged: int
    needs_estimate: int
    build_hours: float
    build_cost_hours: float
    weekly_hours_saved: float
    upkeep_hours_per_week: float
    net_weekly_gain: float
    net_hours: float
    break_even: date | None
    hourly_value: float | None

    @property
    def weekly_value(self) -> float | None:
        return None if self.hourly_value is None else self.net_weekly_gain * self.hourly_value

    @property
    def net_value(self) -> float | None:
        return None if self.hourly_value is None else self.net_hours * self.hourly_value


@dataclass
class Report:
    today: date
    generated: datetime
    database: str
    by: str
    horizon_weeks: float
    overrun_factor: float
    settings: Settings
    ranked: list[RankedTask]
    top: int | None
    sources: list[LogSource]
    task_logs: dict[int, list[TaskLog]]
    totals: Totals
    chart_tasks: int = 5
    roadmap: Roadmap | None = None
    extra: dict[str, object] = field(default_factory=dict)
    spent: Spent | None = None  # where the time goes: logged hours per task (roi.spent)
    spent_top: int = 10  # the rows of it the report lists
    templates: dict[int, dict[str, str]] = field(default_factory=dict)  # task id -> {field: template}
    agents: AgentSummary | None = None  # coding-agent sessions by project (roi.report.agents), if any

    @property
    def spent_rows(self) -> list[SpentRow]:
        """The logged tasks the "Where the time goes" section lists, most hours first."""
        return [] if self.spent is None else list(self.spent.logged[: self.spent_top])

    @property
    def shown(self) -> list[RankedTask]:
        """The tasks the report lists: all of them, or the first `top`."""
        return self.ranked if self.top is None else self.ranked[: self.top]

    @property
    def flagged(self) -> list[RankedTask]:
        return [r for r in self.shown if r.flags]

    @property
    def not_worth(self) -> list[RankedTask]:
        return [r for r in self.shown if r.verdict == "skip"]

    @property
    def needs_estimate(self) -> list[RankedTask]:
        return [r for r in self.shown if r.verdict == "needs-estimate"]

    @property
    def charted(self) -> list[RankedTask]:
        """The tasks drawn in the chart: the best-ranked ones that pay back at all (never
        one that still needs an estimate: its line would be a guess)."""
        decided = [r for r in self.shown if not r.missing]
        paying = [r for r in decided if r.payback_weeks is not None]
        return (paying or decided)[: self.chart_tasks]

    @property
    def hourly_value(self) -> float | None:
        return self.settings.hourly_value or None

    @property
    def currency(self) -> str:
        return self.settings.currency

    @property
    def has_uncertainty(self) -> bool:
        """Any Monte Carlo figures at all (CSV and JSON carry them whenever present)."""
        return any(r.uncertainty is not None for r in self.shown)

    @property
    def overrun_source(self) -> str | None:
        """'setting', or where a calibrated overrun came from (None before the Monte Carlo)."""
        return next((r.uncertainty.overrun_source for r in self.ranked if r.uncertainty), None)

    @property
    def measured_tasks(self) -> int:
        return sum(1 for r in self.ranked if uses_log(r))


def uses_log(r: RankedTask) -> bool:
    """True when any input of the task comes from logged time."""
    return r.per_week_source == "measured" or any(
        s.manual_source in ("measured", "scaled") for s in r.steps
    )


def portfolio_break_even(group: list[RankedTask], today: date) -> date | None:
    """When the group as a whole has paid back: the root of sum(G_i * (t - t_i) - C_i),
    with t_i each task's start (weeks from today); None when the group never gains."""
    gain = math.fsum(r.outcome.net_weekly_gain for r in group)
    if not group or gain <= 0:
        return None
    starts = [(r.start_date - today).days / 7.0 for r in group]
    cost = math.fsum(r.outcome.build_cost for r in group)
    weighted = math.fsum(r.outcome.net_weekly_gain * t for r, t in zip(group, starts, strict=True))
    weeks = max((cost + weighted) / gain, max(starts), 0.0)
    return payback.break_even(today, weeks)


def totals(ranked: list[RankedTask], shown: int, settings: Settings, today: date) -> Totals:
    group = [r for r in ranked if r.verdict == "automate"]
    return Totals(
        tasks=len(ranked),
        shown=shown,
        automate=len(group),
        maybe=sum(1 for r in ranked if r.verdict == "maybe"),
        skip=sum(1 for r in ranked if r.verdict == "skip"),
        needs_estimate=sum(1 for r in ranked if r.verdict == "needs-estimate"),
        flagged=sum(1 for r in ranked if r.active_flags),
        build_hours=math.fsum(r.build_hours for r in group),
        build_cost_hours=math.fsum(r.outcome.build_cost for r in group),
        weekly_hours_saved=math.fsum(r.outcome.weekly_hours_saved for r in group),
        upkeep_hours_per_week=math.fsum(r.upkeep_hours_per_week for r in group),
        net_weekly_gain=math.fsum(r.outcome.net_weekly_gain for r in group),
        net_hours=math.fsum(r.outcome.net_hours for r in group),
        break_even=portfolio_break_even(group, today),
        hourly_value=settings.hourly_value or None,
    )


def build_report(
    store: Store,
    *,
    today: date,
    by: RankBy | str = "payback",
    horizon_weeks: float | None = None,
    top: int | None = None,
    generated: datetime | None = None,
    budget_hours_per_week: float | None = None,
) -> Report:
    """Rank the store and gather the assumptions and data sources of the report; the
    roadmap schedules the worthwhile builds within the weekly budget (default: the
    build_budget_hours_per_week setting)."""
    if by not in ("payback", "net", "confidence"):
        raise RoiError(f"--by must be payback or net (got {by!r})")
    if top is not None and top < 1:
        raise RoiError(f"--top must be at least 1 (got {top})")
    if horizon_weeks is not None and not (math.isfinite(horizon_weeks) and horizon_weeks > 0):
        raise RoiError(f"--horizon must be a positive number of weeks (got {horizon_weeks!r})")
    from roi.template_marks import template_marks

    settings = store.settings()
    ranked = rank_store(store, today=today, by=by, horizon_weeks=horizon_weeks, settings=settings)  # type: ignore[arg-type]
    horizon = horizon_weeks or settings.horizon_weeks
    shown = len(ranked) if top is None else min(top, len(ranked))
    return Report(
        today=today,
        generated=generated or utc_now(),
        database=str(store.path) if store.path is not None else ":memory:",
        by=by,
        horizon_weeks=horizon,
        overrun_factor=ranked[0].overrun_factor if ranked else settings.overrun_factor,
        settings=settings,
        ranked=ranked,
        top=top,
        sources=log_sources(store),
        task_logs=task_logs(store),
        totals=totals(ranked, shown, settings, today),
        roadmap=build_roadmap(ranked, budget_hours_per_week or settings.build_budget_hours_per_week,
                              today, horizon),
        spent=where_time_goes(store, today=today, ranked=ranked),
        templates=template_marks(store, [r.task for r in ranked]),
        agents=agent_section(store, settings.timezone),
    )


def frozen_generated(today: date) -> datetime:
    """Midnight UTC of `today`: the `generated` stamp when the clock is frozen (ROI_TODAY)."""
    return datetime(today.year, today.month, today.day, tzinfo=UTC)
