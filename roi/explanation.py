"""The words of the ranking: each task's arithmetic written out so it adds up by hand,
what a task still needs before it can be ranked (and the command that gives it), the
Monte Carlo's figures said apart from the point value, and warnings about measurements
far from their estimates. Pure functions of a settled task; roi.ranking calls `explain`
once per task, and the front ends call the others."""

from __future__ import annotations

import math
import shlex

from roi.agentlogs.runs import runs_sentence
from roi.fmt import fmt, fmt_weeks
from roi.models import Measurement, Task
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
    what is missing and how to give it. A flagged task says why in its own numbers, and a
    measured frequency says which rule made its occurrences."""
    text = _needs_estimate(r) if r.missing else _arithmetic(r, _ranged(uncertainty)) + _uncertainty_sentence(r, uncertainty)
    measured = any(s.overhead_source == "measured" for s in r.steps)
    extra = [s for s in (flag_sentence(r), occurrence_sentence(r), runs_sentence(r.agent_runs, measured, r.per_week)) if s]
    return " ".join([text, *(s[0].upper() + s[1:] for s in extra)])


# What a measured entry is called, by the format it came from
_UNITS = {"activitywatch": "window events", "mailbox": "messages", "ics": "invites"}


def _unit(m: Measurement) -> str:
    names = [_UNITS.get(s, "") for s in m.sources.split(",") if s]
    return names[0] if len(set(names)) == 1 and names[0] else "entries"


def occurrence_sentence(r: Settled) -> str:
    """Which rule made the occurrences of a measured frequency, with its figures:
    'measured: 38 sessions a week of 12 min, from 1,635 window events (...)'; '' when
    the frequency is not measured."""
    m = r.measurement
    if m is None or r.per_week_measured is None:
        return ""
    per_week = fmt(r.per_week_measured, 2)
    unit = _unit(m)
    used = "" if r.per_week_source == "measured" else f" (not used: the frequency is {r.per_week_source})"
    if m.rule == "sessions":
        gap = fmt(m.gap_minutes if m.gap_minutes is not None else 5.0)
        return (f"measured: {per_week} sessions a week of {minutes_text(m.median_minutes)} min, from "
                f"{m.entries:,} {unit} (entries of the task less than {gap} min apart are one session, "
                f"setting session_gap){used}.")
    if m.rule == "counted":
        timed = (f"; minutes from {m.samples:,} timed entries" if m.samples else
                 f"; {unit} carry no time, so the minutes per occurrence stay estimated")
        return f"measured: {per_week} {unit} a week, from {m.counted:,} {unit} counted{timed}{used}."
    times = f"{per_week} time{'s' if per_week != '1' else ''}"
    return (f"measured: {times} a week of {minutes_text(m.median_minutes)} min, from {m.entries:,} "
            f"{unit} (one occurrence each){used}.")


# The low-ROI flags in the person's numbers: what one occurrence is called, the method's
# minutes by hand (None: the method gives none), where a measurement comes from, and why
# an agent saves little.
FLAG_WORDS: dict[str, tuple[str, float | None, str, str]] = {
    "low-roi:email": (
        "emails", 1.5, "your mailbox",
        "an agent still needs about as long for you to check its drafts",
    ),
    "low-roi:calendar": (
        "invites", None, "your calendar",
        "telling an agent your meeting preferences takes about as long as creating the invite",
    ),
}


def flag_sentence(r: Settled) -> str:
    """A flagged task's reason in its own numbers: '212 emails a week (measured from
    your mailbox) at about 1.5 min each = 5.3 h a week; an agent still needs about as
    long ..., so automating saves little (flag low-roi:email, dismiss to rank on the
    numbers)'. Minutes are the task's own (its steps, else its log), else the method's
    figure; a figure nobody has is said to be missing, not taken as zero."""
    flag = next((f for f in r.flags if not f.dismissed and f.code in FLAG_WORDS), None)
    if flag is None:
        return ""
    unit, method_minutes, place, why = FLAG_WORDS[flag.code]
    if r.per_week_source == "default":
        often = f"how many {unit} a week is not known yet"
    else:
        where = {"measured": f"measured from {place}" if r.measurement and _unit(r.measurement) != "entries"
                 else "measured from your log", "pinned": "pinned", "estimated": "your estimate"}.get(
                     r.per_week_source, r.per_week_source)
        often = f"{fmt(r.per_week, 2)} {unit} a week ({where})"
    if r.steps:
        minutes, whose = math.fsum(s.manual for s in r.steps), ""
    elif r.measured_minutes is not None:
        minutes, whose = r.measured_minutes, " (measured)"
    elif method_minutes is not None:
        minutes, whose = method_minutes, " (the method's estimate)"
    else:
        minutes, whose = None, ""
    if minutes is None:
        figures = f"{often}; the minutes each are not estimated yet"
    elif r.per_week_source == "default":
        figures = f"{often}, at about {minutes_text(minutes)} min each{whose}"
    else:
        figures = (f"{often} at about {minutes_text(minutes)} min each{whose} = "
                   f"{fmt(r.per_week * minutes / 60.0, 2)} h a week")
    return f"{figures}; {why}, so automating saves little (flag {flag.code}, dismiss to rank on the numbers)."


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
