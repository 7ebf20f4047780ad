"""The words of the ranking: each task's arithmetic written out so it adds up by hand,
what a task still needs before it can be ranked (and the command that gives it), the
Monte Carlo's figures said apart from the point value, and warnings about measurements
far from their estimates. Pure functions of a settled task; roi.ranking calls `explain`
once per task, and the front ends call the others."""

from __future__ import annotations

import math
import shlex

from roi.fmt import fmt, fmt_weeks
from roi.models import Task
from roi.settled import Missing, Settled
from roi.textsafe import visible
from roi.uncertainty import Uncertainty

FAR_OFF = 5.0  # a measured median more than this many times from the estimate (either way) is warned about


MISSING_WORDS: dict[str, str] = {
    "steps": "its steps", "per_week": "how often it happens", "build_hours": "a build estimate",
}


def and_list(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def missing_hint(task: Task, missing: Missing) -> str:
    """The command that supplies one missing input of the task."""
    ref = shlex.quote(visible(task.name))
    return {
        "steps": f"roi step add {ref} NAME --minutes M",
        "per_week": f"roi task edit {ref} --per-week F",
        "build_hours": f"roi plan {ref} --build-hours H",
    }[missing]


def _needs_estimate(r: Settled) -> str:
    """The explanation of a task that cannot be ranked yet: what is known, what is
    missing, and the command that gives each missing number."""
    missing = r.missing
    known = ""
    o = r.outcome
    if "steps" not in missing and "per_week" not in missing:
        times = f"{fmt(r.per_week, 2)} time{'s' if fmt(r.per_week, 2) != '1' else ''} a week"
        known = (f"{times} x {minutes_text(o.saved_minutes_per_occurrence)} min saved = "
                 f"{fmt(o.weekly_hours_saved, 2)} h/week; ")
    elif "steps" in missing and r.measured_minutes is not None:
        known = f"Logged {r.measured_samples} times (median {fmt(r.measured_minutes)} min); "
    text = (f"needs {and_list([MISSING_WORDS[m] for m in missing])} before it can be ranked: "
            + "; ".join(f"`{missing_hint(r.task, m)}`" for m in missing))
    if "build_hours" in missing:
        text += " (`--build-hours 0` for a build that costs nothing)"
    text = known + text if known else text[0].upper() + text[1:]
    return text + "."


def explain(r: Settled, uncertainty: Uncertainty | None = None) -> str:
    """One or two sentences that show the task's arithmetic, and a third with the chance
    of paying back when the Monte Carlo sampled a range; for a task with a missing input,
    what is missing and how to give it."""
    if r.missing:
        return _needs_estimate(r)
    return _arithmetic(r, _ranged(uncertainty)) + _uncertainty_sentence(r, uncertainty)


def _ranged(u: Uncertainty | None) -> bool:
    return u is not None and not (u.payback_weeks_p50 == u.payback_weeks_p90 and u.payback_probability in (0.0, 1.0))


def minutes_text(value: float) -> str:
    """Minutes per occurrence in prose, precise enough to multiply by hand: two decimals
    under 10 min (-0.25, not -0.2), one above."""
    return fmt(value, 2 if abs(value) < 10 else 1)


def _arithmetic(r: Settled, ranged: bool = False) -> str:
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
            f"{times} x {minutes_text(o.saved_minutes_per_occurrence)} min saved = "
            f"{fmt(o.weekly_hours_saved, 2)} h/week"
        )
        if r.upkeep_hours_per_week:
            first += (f", minus {fmt(r.upkeep_hours_per_week, 2)} h/week upkeep = "
                      f"{fmt(o.net_weekly_gain, 2)} h/week net")
        first += ";"
    build = f"{fmt(r.build_hours)} h to build"
    if r.overrun_factor != 1 and r.build_hours:
        build += f" (x{fmt(r.overrun_factor, 2)} overrun = {fmt(o.build_cost)} h)"
    likely = " at the likely values" if ranged else ""
    if o.payback_weeks is not None:
        second = f"{build} -> pays back in {fmt_weeks(o.payback_weeks)}{likely}."
    elif o.saved_minutes_per_occurrence < 0:
        second = (
            f"{build} -> never pays back: overhead exceeds the time saved, so each "
            f"occurrence costs {minutes_text(-o.saved_minutes_per_occurrence)} min more than by hand."
        )
    else:
        second = f"{build} -> never pays back{likely}."
    if not r.steps:
        return (first + " " + (f"{build}." if r.build_hours else "")).strip()
    return f"{first} {second}"


def _uncertainty_sentence(r: Settled, u: Uncertainty | None) -> str:
    """'' unless the figures are a spread (a deterministic answer says nothing more).
    The payback before it is at the likely values (what the verdict's thresholds use);
    this sentence says the figures of the draws are another thing."""
    if u is None or not _ranged(u):
        return ""
    return (
        f" Over {u.samples:,} draws of the ranges: {fmt(u.payback_probability * 100, 0)}% chance of "
        f"paying back within {fmt(r.horizon_weeks)} weeks; median payback "
        f"{fmt_weeks(u.payback_weeks_p50)}, P90 {fmt_weeks(u.payback_weeks_p90)}."
    )


def far_off_measurements(r: Settled) -> list[str]:
    """A warning for each measured median more than FAR_OFF times away from its estimate
    (either way), with the commands to look at the entries, drop a wrong one, or keep the
    estimate: a mis-pressed stopwatch or a mis-mapped import shows up here."""
    ref = shlex.quote(visible(r.task.name))
    drop = f"check the entries with `roi time list {ref}`, drop a wrong one with `roi time rm ID`"
    out = []
    for s in r.steps:
        if s.manual_source != "measured" or s.measured_minutes is None:
            continue
        if _far(s.measured_minutes, s.estimated_minutes):
            out.append(
                f"Step \"{visible(s.name)}\": the measured median {minutes_text(s.measured_minutes)} min ({s.samples} "
                f"entries) is {_times(s.measured_minutes, s.estimated_minutes)} the estimate of "
                f"{minutes_text(s.estimated_minutes)} min: {drop}, or keep the estimate with "
                f"`roi step edit {ref} {shlex.quote(visible(s.name))} --pin`."
            )
    estimated = math.fsum(s.estimated_minutes for s in r.steps)
    if r.measured_minutes is not None and any(s.manual_source == "scaled" for s in r.steps) \
            and _far(r.measured_minutes, estimated):
        out.append(
            f"The measured median of the whole task {minutes_text(r.measured_minutes)} min "
            f"({r.measured_samples} entries) is {_times(r.measured_minutes, estimated)} its steps' estimate "
            f"of {minutes_text(estimated)} min: {drop}, or keep the estimates with "
            f"`roi step edit {ref} STEP --pin`."
        )
    return out


def _far(measured: float, estimated: float) -> bool:
    if estimated <= 0 or measured <= 0:
        return measured != estimated and max(measured, estimated) > 0
    return max(measured / estimated, estimated / measured) > FAR_OFF


def _times(measured: float, estimated: float) -> str:
    if estimated <= 0:
        return "far from"
    if measured >= estimated:
        return f"{fmt(measured / estimated)}x"
    return f"1/{fmt(estimated / measured)} of"
