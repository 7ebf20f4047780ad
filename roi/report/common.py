"""Wording and number formats shared by the human-readable renderers (text, md, html).

Everything here returns plain strings: each renderer escapes them for its own medium.
"""

from __future__ import annotations

from datetime import date, timedelta

from roi.ranking import RankedTask, StepView, far_off_measurements, fmt
from roi.report.model import Report, TaskLog, Totals
from roi.roadmap import left_out_sentence
from roi.spent import SpentRow

TITLE = "Automation ROI report"
NOT_WORTH = "Not worth automating (yet)"
NEEDS_ESTIMATE = "Needs an estimate (left out of every total)"
ROADMAP = "Roadmap"
SPENT = "Where the time goes"
VERDICT_WORDS = {"automate": "automate", "maybe": "maybe", "skip": "skip", "needs-estimate": "needs-estimate"}


def hours(value: float) -> str:
    """Hours for a table: one decimal, thousands separated, small values kept visible."""
    if value != 0 and abs(value) < 0.05:
        return f"{value:.2f}"
    text = f"{value:,.1f}"
    return "0.0" if text == "-0.0" else text


def payback_short(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks < 1:
        return f"{fmt(weeks * 7)} d"
    if weeks >= 1000:
        return f"{weeks:,.0f} wk"
    return f"{fmt(weeks)} wk"


def payback_long(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks < 1:
        days = fmt(weeks * 7)
        return f"{days} day{'' if days == '1' else 's'}"
    text = f"{weeks:,.0f}" if weeks >= 1000 else fmt(weeks)
    return f"{text} week{'' if text == '1' else 's'}"


def row_figures(r: RankedTask) -> dict[str, str]:
    """The ranking table's figures of a task as text: "?" where an input is missing,
    "-" for a figure that needs it (unknown is not zero)."""
    o = r.outcome
    figures = {
        "saved": hours(o.weekly_hours_saved), "build": hours(r.build_hours),
        "upkeep": hours(r.upkeep_hours_per_week), "payback_short": payback_short(o.payback_weeks),
        "payback_long": payback_long(o.payback_weeks), "break_even": date_text(r.break_even),
        "net": hours(o.net_hours), "roi": roi_text(o.roi),
    }
    if r.missing:
        figures.update({k: "-" for k in ("payback_short", "payback_long", "break_even", "net", "roi")})
        if "steps" in r.missing or "per_week" in r.missing:
            figures["saved"] = "?"
        if "build_hours" in r.missing:
            figures["build"] = figures["upkeep"] = "?"
    return figures


def roi_text(value: float | None) -> str:
    """ROI as a percentage; 'n/a' when nothing is spent on building (the ratio is unbounded)."""
    if value is None:
        return "n/a"
    text = f"{value * 100:,.0f}%"
    return "0%" if text == "-0%" else text


def date_text(day: date | None) -> str:
    return day.isoformat() if day else "never"


def money(value: float, currency: str) -> str:
    sign = "-" if value < 0 else ""
    return f"{sign}{currency}{abs(value):,.0f}"


def weeks_text(weeks: float) -> str:
    text = fmt(weeks)
    return f"{text} week{'' if text == '1' else 's'}"


def header_lines(report: Report) -> list[tuple[str, str]]:
    """(label, value) pairs of the report header."""
    s = report.settings
    h = report.horizon_weeks
    by = {"payback": "payback time (fastest first)", "net": "net hours over the horizon (most first)",
          "confidence": "expected net hours (Monte Carlo)"}.get(report.by, report.by)
    lines = [
        ("Date", report.today.isoformat()),
        ("Database", report.database),
        ("Ranked by", by),
        ("Horizon", f"{weeks_text(h)} (to {_plus_weeks(report.today, h)})"),
        ("Overrun factor", overrun_text(report.overrun_factor, report.overrun_source)),
        ("Thresholds", f"automate when it pays back within {weeks_text(s.automate_within * h)} "
                       f"({fmt(s.automate_within * 100, 0)}% of the horizon); maybe within "
                       f"{weeks_text(s.maybe_within * h)}; otherwise skip"),
        ("Numbers from", numbers_from(report)),
    ]
    if report.hourly_value:
        lines.append(("Hourly value", f"{money(report.hourly_value, report.currency)} an hour "
                                      "(money figures = hours x this)"))
    if report.top is not None and report.top < len(report.ranked):
        lines.append(("Shown", f"the top {report.top} of {len(report.ranked)} tasks "
                               "(totals count every task)"))
    return lines


def _plus_weeks(day: date, weeks: float) -> str:
    return (day + timedelta(days=round(weeks * 7))).isoformat()


def overrun_text(k: float, source: str | None = None) -> str:
    if source and source != "setting":
        return f"{fmt(k, 2)}, {source}: the median of your actual / estimated build hours"
    if k == 1:
        return "1 (build estimates are taken at face value)"
    return f"{fmt(k, 2)} (every build estimate is multiplied by {fmt(k, 2)})"


def numbers_from(report: Report) -> str:
    n = len(report.ranked)
    measured = report.measured_tasks
    estimated = n - measured
    logs = [s for s in report.sources if s.entries]
    if not n:
        return "no tasks yet"
    if not logs:
        return (f"estimates for all {n} task{'s' if n != 1 else ''} (no time logged or imported yet)")
    parts = []
    for s in logs:
        span = f"{s.first.isoformat()} to {s.last.isoformat()}" if s.first and s.last else "no dates"
        what = f"{s.format} file" if s.kind == "import" else "logged in roi"
        parts.append(f"{s.label} ({what}, {s.entries} entr{'ies' if s.entries != 1 else 'y'}, {span})")
    min_samples = report.settings.min_samples
    return (
        f"measured for {measured} task{'s' if measured != 1 else ''} from "
        + "; ".join(parts)
        + f"; estimates for the other {estimated} (a log counts from {min_samples} occurrences)"
    )


def _names(steps: list[StepView]) -> str:
    return ", ".join(s.name for s in steps)


def inputs_summary(r: RankedTask, logs: list[TaskLog] | None) -> str:
    """Which inputs were measured and which estimated, in one sentence."""
    measured: list[str] = []
    estimated: list[str] = []
    pinned: list[str] = []
    if r.per_week_source == "measured":
        measured.append(f"frequency ({fmt(r.per_week, 2)}/week)")
    elif r.per_week_source == "pinned":
        pinned.append("frequency")
    elif r.per_week_source == "estimated":
        estimated.append("frequency")
    by_source: dict[str, list[StepView]] = {}
    for s in r.steps:
        by_source.setdefault(s.manual_source, []).append(s)
    if by_source.get("measured"):
        measured.append(f"minutes of {_names(by_source['measured'])}")
    if by_source.get("scaled"):
        median = f" ({fmt(r.measured_minutes)} min median)" if r.measured_minutes is not None else ""
        measured.append(f"whole-task time{median}, split over {_names(by_source['scaled'])}")
    if by_source.get("estimated"):
        estimated.append(f"minutes of {_names(by_source['estimated'])}")
    if by_source.get("pinned"):
        pinned.append(f"minutes of {_names(by_source['pinned'])}")
    parts = []
    if measured:
        source = ""
        if logs:
            source = " from " + "; ".join(
                f"{log.label}, {log.entries} entr{'ies' if log.entries != 1 else 'y'} "
                f"{log.first.isoformat()} to {log.last.isoformat()}" for log in logs
            )
        parts.append("Measured: " + ", ".join(measured) + source + ".")
    if estimated:
        parts.append("Estimated: " + ", ".join(estimated) + ".")
    if pinned:
        parts.append("Pinned estimate: " + ", ".join(pinned) + ".")
    if r.per_week_source == "default":
        parts.append("No frequency given yet.")
    flag_default = [s for s in r.steps if s.overhead_source == "flag default"]
    no_overhead = [s for s in r.steps if s.overhead_source == "default"]
    if flag_default:
        parts.append(f"Overhead: the flag's default for {_names(flag_default)}.")
    if no_overhead:
        parts.append(f"No overhead given for {_names(no_overhead)} (counted as 0).")
    if not parts:
        return "No inputs yet."
    return " ".join(parts)


def informative(r: RankedTask) -> bool:
    """True when the Monte Carlo says more than the single-value figures (a range was
    sampled, or the overrun comes from recorded builds); a point estimate's 100% is noise."""
    return r.uncertainty is not None and r.uncertainty.informative


def chance_text(r: RankedTask) -> str:
    u = r.uncertainty
    return f"{fmt(u.payback_probability * 100, 0)}%" if u is not None and informative(r) else ""


def uncertainty_line(r: RankedTask) -> str | None:
    u = r.uncertainty
    if u is None or not informative(r):
        return None
    p50 = payback_long(u.payback_weeks_p50)
    p90 = payback_long(u.payback_weeks_p90)
    return (
        f"The payback above is at the likely values. Over {u.samples:,} draws of the ranges: "
        f"{fmt(u.payback_probability * 100, 0)}% chance of paying back within the horizon; median "
        f"payback {p50}, P90 {p90}; expected net {hours(u.expected_net_hours)} h."
    )


def start_line(r: RankedTask, report: Report) -> str | None:
    """Said only when the plan starts on another day than the report's."""
    if r.start_date == report.today:
        return None
    when = "Goes live on" if r.start_date > report.today else "Went live on"
    tail = f", so break-even is {r.break_even.isoformat()}" if r.break_even else ""
    return f"{when} {r.start_date.isoformat()} (the plan's start date){tail}."


def extra_lines(r: RankedTask, report: Report) -> list[str]:
    """The optional lines under a task's arithmetic: start date, Monte Carlo, money, the
    figures a template gave."""
    lines = (start_line(r, report), uncertainty_line(r), money_line(r, report), *far_off_measurements(r),
             template_line(r, report))
    return [line for line in lines if line]


def template_line(r: RankedTask, report: Report) -> str | None:
    from roi.template_marks import marks_note

    note = marks_note(report.templates.get(r.id))
    return None if note is None else f"{note[0].upper()}{note[1:]} (until you change them)."


def spent_intro(report: Report) -> str:
    """The first sentence of "Where the time goes"."""
    s = report.spent
    if s is None or s.total_hours is None or s.since is None:
        return ("No time logged yet: time a task with `roi time start TASK` or import a log with "
                "`roi import FILE`, and the hours each task takes show here.")
    shown = len(report.spent_rows)
    rest = len(s.logged) - shown
    text = (f"From {s.since.isoformat()} to {s.until.isoformat()} ({weeks_text(s.weeks)}): "
            f"{hours(s.total_hours)} h logged from every source, {hours(s.total_hours_per_week or 0.0)} h a week")
    text += f"; the top {shown} of {len(s.logged)} tasks with time logged" if rest else ""
    unlogged = len(s.rows) - len(s.logged)
    if unlogged:
        text += f". {unlogged} task{'s have' if unlogged != 1 else ' has'} no time logged"
    return text + "."


def spent_cells(row: SpentRow) -> tuple[str, str, str, str, str]:
    """(name, hours, h/week, share, state) of a row, as text (name unescaped)."""
    return (row.name, hours(row.hours or 0.0), hours(row.hours_per_week or 0.0),
            f"{(row.share or 0.0) * 100:.1f}%", row.state or "")


def money_line(r: RankedTask, report: Report) -> str | None:
    if not report.hourly_value or r.missing:
        return None
    value = report.hourly_value
    return (
        f"Worth {money(r.outcome.net_weekly_gain * value, report.currency)} a week, "
        f"{money(r.outcome.net_hours * value, report.currency)} over the horizon."
    )


def totals_sentence(t: Totals, currency: str, horizon_weeks: float) -> str:
    if t.tasks == 0:
        return "No tasks yet: add some with `roi task add`, or try `roi seed demo`."
    if t.automate == 0:
        return (f"None of the {t.tasks} task{'s' if t.tasks != 1 else ''} is marked automate: "
                "on these numbers nothing pays back fast enough to build now.")
    n = t.automate
    build = f"{hours(t.build_cost_hours)} hours to build"
    if abs(t.build_cost_hours - t.build_hours) > 1e-9:
        build += f" ({hours(t.build_hours)} estimated, with overrun)"
    text = (
        f"Automating the {n} task{'s' if n != 1 else ''} marked automate costs {build} and gives "
        f"back {hours(t.net_weekly_gain)} hours a week"
    )
    if t.upkeep_hours_per_week:
        text += f" after {hours(t.upkeep_hours_per_week)} h of upkeep"
    text += f"; break-even on {date_text(t.break_even)}."
    text += f" Over {weeks_text(horizon_weeks)} that is {hours(t.net_hours)} hours net"
    if t.net_value is not None and t.weekly_value is not None:
        text += (f", worth {money(t.net_value, currency)} "
                 f"({money(t.weekly_value, currency)} a week)")
    text += "."
    return text


def counts_sentence(t: Totals) -> str:
    if not t.tasks:
        return ""
    text = (f"{t.tasks} task{'s' if t.tasks != 1 else ''}: {t.automate} automate, "
            f"{t.maybe} maybe, {t.skip} skip ({t.flagged} flagged low-ROI)")
    if t.needs_estimate:
        text += (f"; {t.needs_estimate} need{'s' if t.needs_estimate == 1 else ''} an estimate and "
                 f"{'is' if t.needs_estimate == 1 else 'are'} left out of every total")
    return text + "."


def flag_label(code: str, dismissed: bool) -> str:
    return code + (" (dismissed)" if dismissed else "")


def roadmap_intro(report: Report) -> str:
    plan = report.roadmap
    assert plan is not None
    left_out = left_out_sentence(plan)
    if not plan.items:
        return "Nothing to schedule: no task is marked automate or maybe." + (" " + left_out if left_out else "")
    late = sum(1 for i in plan.items if i.finish_week > plan.horizon_weeks)
    text = (
        f"Building {len(plan.items)} automation{'s' if len(plan.items) != 1 else ''} one after another at "
        f"{hours(plan.budget_hours_per_week)} h a week from {plan.start.isoformat()}: "
        f"{hours(plan.total_build_hours)} h of building in all (with overrun); by the end of the horizon "
        f"({plan.horizon_end.isoformat()}) they give back {hours(plan.hours_back_by_horizon)} h net."
    )
    if late:
        text += f" {late} of them finish after the horizon at this budget."
    later = len(plan.items) - len(roadmap_listed(report))
    if later:
        text += f" The {later} that would start only after the horizon are not listed."
    if left_out:
        text += " " + left_out
    return text


def roadmap_listed(report: Report) -> list:  # type: ignore[type-arg]
    """The builds that start within the horizon: a reader plans a year, not a decade."""
    plan = report.roadmap
    if plan is None:
        return []
    return [i for i in plan.items if i.start_week < plan.horizon_weeks]


def roadmap_rows(report: Report) -> list[tuple[str, str, str, str, str, str, str]]:
    """(rank, task, build h, start, finish, break-even, net h by horizon) per listed build."""
    plan = report.roadmap
    if plan is None:
        return []
    return [
        (str(i.task.rank), i.task.name, hours(i.build_hours), i.start.isoformat(), i.finish.isoformat(),
         date_text(i.break_even), hours(i.hours_back_by_horizon))
        for i in roadmap_listed(report)
    ]
