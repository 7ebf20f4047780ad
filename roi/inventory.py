"""Glue between the store and the ranking: load everything once, rank, serialise.

The CLI, the report and the TUI all rank through `rank_store`, so they can never
disagree; `ranking_json` is the `roi rank --json` contract of DESIGN.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from functools import partial
from typing import Any

from roi import calibration
from roi import uncertainty as monte_carlo
from roi.db.agents import has_runs
from roi.db.measurements import measurements
from roi.db.montecarlo import cached_figures, keep_figures
from roi.db.store import Store, iso, utc_now
from roi.flags import load_rules
from roi.models import Flag, Settings
from roi.ranking import RankBy, RankedTask, evaluate_tasks, far_off_measurements, order, safe_float


def evaluate_store(
    store: Store,
    *,
    today: date,
    ids: list[int] | None = None,
    horizon_weeks: float | None = None,
    settings: Settings | None = None,
    simulate: bool = True,
) -> list[RankedTask]:
    """Evaluate every task of the store (or those ids), in no particular order: measured
    inputs, flags, the overrun factor (the person's own once they have recorded enough
    builds) and, unless `simulate` is False, the Monte Carlo, which can move verdicts."""
    settings = settings or store.settings()
    overrun = calibration.overrun(store, settings.overrun_factor)
    runs = {}
    if has_runs(store):
        from roi.agents import agent_runs

        runs = agent_runs(store)
    # The Monte Carlo is cheap when every estimate is a single value: those tasks are not
    # sampled and numpy is not even imported. When some are, the figures of the same
    # inputs are read back from the database instead of drawn again.
    return evaluate_tasks(
        store.list_tasks(ids=ids), settings, today=today, measured=measurements(store),
        dismissed=store.dismissals(), rules=load_rules(), horizon_weeks=horizon_weeks,
        overrun_factor=overrun.factor, simulate=simulate, overrun=overrun, runs=runs,
        simulator=partial(kept_simulation, store),
    )


def kept_simulation(
    store: Store, tasks: Sequence[monte_carlo.TaskSpread], settings: Settings, **options: Any
) -> list[monte_carlo.Uncertainty]:
    """`roi.uncertainty.simulate`, with its figures kept in the database under a hash of
    its inputs (roi.db.montecarlo): the same inputs read them back, any change draws anew."""
    key = monte_carlo.simulation_key(tasks, settings, **options)
    if key is not None and (kept := cached_figures(store, key)) is not None and len(kept) == len(tasks):
        return [monte_carlo.Uncertainty(**figures) for figures in kept]
    found = monte_carlo.simulate(tasks, settings, **options)
    if key is not None:
        keep_figures(store, key, [asdict(u) for u in found])
    return found


def rank_store(
    store: Store,
    *,
    today: date,
    by: RankBy = "payback",
    horizon_weeks: float | None = None,
    settings: Settings | None = None,
    simulate: bool | None = None,
) -> list[RankedTask]:
    """Rank every task of the store, ranks from 1 (see `evaluate_store`)."""
    ranked = evaluate_store(
        store, today=today, horizon_weeks=horizon_weeks, settings=settings,
        simulate=simulate is None or simulate,
    )
    return order(ranked, by)


def flag_json(f: Flag) -> dict[str, Any]:
    """One flag of `rank --json`: code and reason (the contract), whether it is dismissed,
    its scope ("task": it decides the verdict; "step": only the steps it names carry its
    overhead) and what raised it, e.g. {"field": "step", "word": "email", "text": "send email"}."""
    data: dict[str, Any] = {"code": f.code, "reason": f.reason, "dismissed": f.dismissed, "scope": f.scope}
    if f.matched is not None:
        data["matched"] = f.matched.model_dump(mode="json")
    return data


def task_json(
    r: RankedTask, hourly_value: float | None = None, templates: dict[int, dict[str, str]] | None = None
) -> dict[str, Any]:
    """One task of `rank --json`. `from_template`: {field: template name} of the figures
    that still have the value a category template gave them (roi.template_marks),
    with `template_note` saying so in words (None when there are none)."""
    from roi.explanation import occurrence_sentence
    from roi.template_marks import marks_note

    o = r.outcome
    marks = (templates or {}).get(r.id, {})
    data: dict[str, Any] = {
        "id": r.id,
        "name": r.name,
        "category": r.task.category,
        "status": r.task.status,
        "live": r.task.live,
        "tags": r.task.tags,
        "rank": r.rank,
        "per_week": round(r.per_week, 4),
        "per_week_source": r.per_week_source,
        # how the log's entries became occurrences: entries, sessions or counted (None: not logged)
        "occurrence_rule": r.measurement.rule if r.measurement else None,
        "occurrence_note": occurrence_sentence(r) or None,
        "saved_minutes_per_occurrence": round(o.saved_minutes_per_occurrence, 4),
        "weekly_hours_saved": round(o.weekly_hours_saved, 4),
        "net_weekly_gain": round(o.net_weekly_gain, 4),
        "build_hours": r.build_hours,
        "build_cost_hours": round(o.build_cost, 4),
        "upkeep_hours_per_week": r.upkeep_hours_per_week,
        "payback_weeks": None if o.payback_weeks is None else round(o.payback_weeks, 4),
        "break_even": r.break_even.isoformat() if r.break_even else None,
        "net_hours": round(o.net_hours, 4),
        "roi": None if safe_float(o.roi) is None else round(o.roi or 0.0, 4),
        "verdict": r.verdict,
        "missing": list(r.missing),
        "verdict_reason": r.verdict_reason,
        "explanation": r.explanation,
        "flags": [flag_json(f) for f in r.flags],
        "measurement_warnings": far_off_measurements(r),
        "from_template": dict(marks),
        "template_note": marks_note(marks),
        "learning_value": r.task.learning_value,
        "learning_note": r.task.learning_note,
        "steps": [
            {
                "id": s.id,
                "name": s.name,
                "manual_minutes": round(s.manual, 4),
                "manual_source": s.manual_source,
                "estimated_minutes": s.estimated_minutes,
                "measured_minutes": None if s.measured_minutes is None else round(s.measured_minutes, 4),
                "samples": s.samples,
                "automation": s.automation,
                "overhead_minutes": round(s.overhead, 4),
                "overhead_source": s.overhead_source,
                "failure_rate": s.failure_rate,
                "saved_minutes": round(s.saved, 4),
            }
            for s in r.steps
        ],
    }
    data |= measured_runs_json(r)
    if hourly_value:
        data["money"] = {
            "hourly_value": hourly_value,
            "weekly_value": round(o.weekly_hours_saved * hourly_value, 2),
            "build_cost_value": round(o.build_cost * hourly_value, 2),
            "net_value": round(o.net_hours * hourly_value, 2),
            "running_cost_per_week": round(r.per_week * sum(s.running_cost for s in r.steps), 2),
        }
    u = r.uncertainty
    if u is not None:
        data.update(
            {
                "payback_probability": round(u.payback_probability, 4),
                "payback_weeks_p50": None if u.payback_weeks_p50 is None else round(u.payback_weeks_p50, 4),
                "payback_weeks_p90": None if u.payback_weeks_p90 is None else round(u.payback_weeks_p90, 4),
                "expected_net_hours": round(u.expected_net_hours, 4),
                "overrun_source": u.overrun_source,
            }
        )
    return data


def measured_runs_json(r: RankedTask) -> dict[str, Any]:
    """`overhead`: the task's overhead minutes per occurrence (all steps) and their source;
    `running_cost`: money per occurrence and a week with its source, or None when nobody
    gave one. Both are `measured` from the agent sessions attached as the task's runs
    (the overhead from `min_samples` sessions on; the cost from the first), with
    `agent_sessions` saying how many. Money stays money: no hours figure includes it."""
    runs = r.agent_runs
    sources = sorted({s.overhead_source for s in r.steps})
    data: dict[str, Any] = {"overhead": {
        "minutes_per_occurrence": round(sum(s.overhead for s in r.steps), 4) if r.steps else None,
        "source": sources[0] if len(sources) == 1 else ("mixed" if sources else None),
        "agent_sessions": runs.sessions if runs else 0,
    }}
    if runs is not None:
        cost = runs.cost_per_run
        data["running_cost"] = {
            "per_occurrence": None if cost is None else round(cost, 8),
            "per_week": None if cost is None else round(cost * r.per_week, 8),
            "currency": runs.currency, "source": "measured", "agent_sessions": runs.sessions,
            "priced_sessions": runs.priced_sessions, "unpriced_models": list(runs.unpriced_models),
        }
    else:
        given = sum(s.running_cost for s in r.steps)
        data["running_cost"] = None if not given else {
            "per_occurrence": round(given, 4), "per_week": round(given * r.per_week, 4),
            "currency": r.currency, "source": "given", "agent_sessions": 0,
            "priced_sessions": None, "unpriced_models": [],
        }
    return data


def ranking_json(
    ranked: list[RankedTask],
    *,
    horizon_weeks: float,
    generated: datetime | None = None,
    hourly_value: float | None = None,
    templates: dict[int, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """The `roi rank --json` object of DESIGN.md (money figures only with an hourly value;
    templates: see `task_json`)."""
    data: dict[str, Any] = {
        "generated": iso(generated or utc_now()),
        "horizon_weeks": horizon_weeks,
        "tasks": [task_json(r, hourly_value, templates) for r in ranked],
    }
    if ranked:
        data["overrun_factor"] = ranked[0].overrun_factor
        sources = {r.uncertainty.overrun_source for r in ranked if r.uncertainty}
        data["overrun_source"] = sorted(sources)[0] if sources else "setting"
    return data
