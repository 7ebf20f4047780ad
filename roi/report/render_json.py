"""The JSON report: the `roi rank --json` object of DESIGN.md (same keys, same task
objects) plus the report's assumptions, data sources and totals, with a schema_version."""

from __future__ import annotations

from typing import Any

from roi.inventory import ranking_json
from roi.report.model import SCHEMA_VERSION, Report
from roi.textsafe import json_text


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report_json(report: Report) -> dict[str, Any]:
    data = ranking_json(report.shown, horizon_weeks=report.horizon_weeks, generated=report.generated,
                        hourly_value=report.hourly_value, templates=report.templates)
    s = report.settings
    t = report.totals
    data = {"schema_version": SCHEMA_VERSION, **data}
    data["report"] = {
        "date": report.today.isoformat(),
        "database": report.database,
        "ranked_by": report.by,
        "top": report.top,
        "tasks_total": len(report.ranked),
        "tasks_shown": len(report.shown),
    }
    data["assumptions"] = {
        "horizon_weeks": report.horizon_weeks,
        "overrun_factor": report.overrun_factor,
        "automate_within": s.automate_within,
        "maybe_within": s.maybe_within,
        "automate_within_weeks": round(s.automate_within * report.horizon_weeks, 4),
        "maybe_within_weeks": round(s.maybe_within * report.horizon_weeks, 4),
        "automate_probability": s.automate_probability,
        "min_samples": s.min_samples,
        "hourly_value": report.hourly_value,
        "currency": s.currency if report.hourly_value else None,
        "timezone": s.timezone,
    }
    data["sources"] = [
        {
            "label": src.label,
            "kind": src.kind,
            "format": src.format,
            "entries": src.entries,
            "tasks": src.tasks,
            "first": src.first.isoformat() if src.first else None,
            "last": src.last.isoformat() if src.last else None,
        }
        for src in report.sources
    ]
    data["totals"] = {
        "tasks": t.tasks,
        "automate": t.automate,
        "maybe": t.maybe,
        "skip": t.skip,
        "flagged": t.flagged,
        "needs_estimate": t.needs_estimate,
        "automate_build_hours": _round(t.build_hours),
        "automate_build_cost_hours": _round(t.build_cost_hours),
        "automate_weekly_hours_saved": _round(t.weekly_hours_saved),
        "automate_upkeep_hours_per_week": _round(t.upkeep_hours_per_week),
        "automate_net_weekly_gain": _round(t.net_weekly_gain),
        "automate_net_hours": _round(t.net_hours),
        "automate_break_even": t.break_even.isoformat() if t.break_even else None,
        "automate_weekly_value": _round(t.weekly_value),
        "automate_net_value": _round(t.net_value),
    }
    if report.spent is not None:
        from roi.spent import spent_json

        # the `roi spent --json` object of the top rows, and the total hours of each week
        data["where_the_time_goes"] = spent_json(report.spent, top=report.spent_top) | {
            "weekly_hours": list(report.spent.weekly)}
    if report.agents is not None:
        from roi.report import agents

        data["agents"] = agents.json(report.agents)
    if report.roadmap is not None:
        from roi.roadmap import roadmap_json

        data["roadmap"] = roadmap_json(report.roadmap)
    return data


def render(report: Report) -> str:
    return json_text(report_json(report), indent=2) + "\n"
