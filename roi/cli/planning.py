"""CLI commands that plan ahead: `roi calibrate` and `roi roadmap`."""

from __future__ import annotations

from datetime import date
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from roi.cli.console import console
from roi.clock import today
from roi.fmt import fmt, fmt_weeks
from roi.models import RoiError
from roi.textsafe import json_text, visible


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the calibration as JSON.")
@click.pass_context
def calibrate(ctx: click.Context, as_json: bool) -> None:
    """How your build estimates err, and what automations really save.

    The overrun factor is the median of actual / estimated build hours over your
    finished builds; from 3 builds on, the ranking and the Monte Carlo use it instead
    of the overrun_factor setting."""
    from roi import calibration
    from roi.inventory import rank_store

    store = ctx.obj.store()
    settings = store.settings()
    builds = calibration.recorded_builds(store)
    overrun = calibration.overrun(store, settings.overrun_factor)
    ranked = {r.id: r for r in rank_store(store, today=today())}
    realised = calibration.realised_savings(store)
    from roi.agents import build_source

    sources = {b.task_id: build_source(store, b.task_id, b.actual_hours) for b in builds}
    data: dict[str, Any] = {
        "builds": [
            {"id": b.task_id, "name": b.task_name, "estimated_hours": b.estimated_hours,
             "actual_hours": b.actual_hours, "ratio": round(b.ratio, 4), "actual_source": sources[b.task_id]}
            for b in builds
        ],
        "measured_builds": sum(1 for v in sources.values() if v.startswith("measured")),
        "build_count": len(builds),
        "overrun_factor": round(overrun.factor, 4) if builds else None,
        "in_use": overrun.calibrated,
        "used_overrun_factor": round(overrun.factor, 4),
        "overrun_source": overrun.source,
        "minimum_builds": calibration.MIN_BUILDS,
        "savings": [
            {
                "id": s.task_id, "name": s.task_name, "built_on": s.built_on.isoformat(),
                "minutes_before": round(s.minutes_before, 4), "minutes_after": round(s.minutes_after, 4),
                "realised_saved_minutes": round(s.saved_minutes, 4),
                "predicted_saved_minutes": round(ranked[s.task_id].outcome.saved_minutes_per_occurrence, 4)
                if s.task_id in ranked else None,
                "samples_after": s.samples_after,
            }
            for s in realised
        ],
    }
    if builds:
        import statistics

        data["overrun_factor"] = round(statistics.median(b.ratio for b in builds), 4)
    if as_json:
        click.echo(json_text(data, indent=2))
        return
    out = console()
    if not builds:
        out.print("No finished builds recorded yet. Record one with "
                  "`roi plan TASK --actual-build-hours H` or time it with `roi time start TASK --build`.")
    else:
        table = Table(box=None, header_style="bold")
        for column in ("Task", "Estimated h", "Actual h", "Actual / estimate", "Actual from"):
            table.add_column(column, justify="right" if column.endswith(("h", "estimate")) else "left")
        for b in builds:
            table.add_row(Text(visible(b.task_name)), fmt(b.estimated_hours), fmt(b.actual_hours), f"x{fmt(b.ratio, 2)}",
                          sources[b.task_id])
        out.print(table)
        if data["measured_builds"]:
            n = data["measured_builds"]
            out.print(f"{n} of the {len(builds)} builds are measured (agent sessions imported with --build), not typed.")
        out.print(f"Your overrun factor: x{fmt(data['overrun_factor'], 2)} over {len(builds)} build{'s' if len(builds) != 1 else ''}.")
        if overrun.calibrated:
            out.print("The ranking now uses it instead of the overrun_factor setting.")
        else:
            need = calibration.MIN_BUILDS - len(builds)
            out.print(f"The ranking still uses the setting (x{fmt(settings.overrun_factor, 2)}): "
                      f"{need} more build{'s' if need != 1 else ''} needed.")
    for s in data["savings"]:
        predicted = s["predicted_saved_minutes"]
        out.print(Text(
            f"{visible(s['name'])}: {fmt(s['minutes_before'])} min by hand, {fmt(s['minutes_after'])} min since "
            f"{s['built_on']} -> saves {fmt(s['realised_saved_minutes'])} min per occurrence"
            + (f" (predicted {fmt(predicted)})" if predicted is not None else "")
        ))


@click.command()
@click.option("--budget", metavar="HOURS",
              help="Weekly build budget, e.g. 4h/week or 90m/week (default: the build_budget_hours_per_week setting).")
@click.option("--start", metavar="DATE", help="First day of the plan (default today).")
@click.option("--horizon", type=click.FloatRange(min=0, min_open=True), metavar="WEEKS",
              help="Horizon in weeks (default: the horizon_weeks setting).")
@click.option("--json", "as_json", is_flag=True, help="Print the roadmap as JSON.")
@click.pass_context
def roadmap(ctx: click.Context, budget: str | None, start: str | None, horizon: float | None, as_json: bool) -> None:
    """Schedule the automations worth building, in rank order, within a weekly budget."""
    from roi.inventory import rank_store
    from roi.roadmap import (
        build_roadmap,
        left_out_sentence,
        live_sentence,
        parse_budget,
        roadmap_json,
    )

    store = ctx.obj.store()
    hours = parse_budget(budget) if budget else store.settings().build_budget_hours_per_week
    try:
        first_day = date.fromisoformat(start) if start else today()
    except ValueError:
        raise RoiError(f"--start must be a date YYYY-MM-DD (got {start!r})") from None
    ranked = rank_store(store, today=first_day, horizon_weeks=horizon)
    plan = build_roadmap(ranked, hours, first_day, horizon)
    if as_json:
        click.echo(json_text(roadmap_json(plan), indent=2))
        return
    out = console()
    left_out = left_out_sentence(plan)
    live = live_sentence(plan)
    if not plan.items:
        out.print("Nothing to build: the tasks worth building are live already, and no other has verdict "
                  "automate or maybe." if plan.live else
                  "Nothing is worth building yet (no task has verdict automate or maybe).")
        for sentence in (left_out, live):
            if sentence:
                out.print(Text(visible(sentence)))
        return
    table = Table(box=None, header_style="bold")
    for column in ("#", "Task", "Build h", "Start", "Finish", "Break-even", "Net h by horizon"):
        table.add_column(column, justify="left" if column in ("Task", "Start", "Finish", "Break-even") else "right",
                         overflow="fold")
    for i in plan.items:
        table.add_row(str(i.task.rank), Text(visible(i.task.name)), fmt(i.build_hours),
                      i.start.isoformat(), i.finish.isoformat(),
                      i.break_even.isoformat() if i.break_even else "never", fmt(i.hours_back_by_horizon))
    out.print(Text(f"{fmt(hours)} h a week of building from {first_day.isoformat()}, horizon "
                   f"{fmt(plan.horizon_weeks)} weeks (to {plan.horizon_end.isoformat()})", style="dim"))
    out.print(table)
    out.print(Text(
        f"{len(plan.items)} build{'s' if len(plan.items) != 1 else ''}, {fmt(plan.total_build_hours)} h in all; by "
        f"{plan.horizon_end.isoformat()} they give back {fmt(plan.hours_back_by_horizon)} h net."
    ))
    for sentence in (left_out, live):
        if sentence:
            out.print(Text(visible(sentence)))
    late = [i for i in plan.items if i.finish_week > plan.horizon_weeks]
    if late:
        out.print(Text(f"{len(late)} build(s) finish after the horizon at this budget "
                       f"(the last on {late[-1].finish.isoformat()}, {fmt_weeks(late[-1].finish_week)} in).", style="yellow"))
