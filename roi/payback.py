"""The arithmetic of METHOD.md, and nothing else: pure functions, no I/O.

Units: minutes per occurrence for steps, occurrences per week for frequency, hours for
build and upkeep, weeks for time spans. Negative savings are kept, never clipped: they
are the point of the email case.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# Calendar basis of xkcd 1205: 24 h days, 365-day years, 52 weeks, 12 months a year.
DAYS_PER_YEAR = 365.0
WEEKS_PER_YEAR = DAYS_PER_YEAR / 7.0


def saved_minutes(manual: float, automation: float, overhead: float, failure_rate: float) -> float:
    """Minutes saved per occurrence of one step: a * m * (1 - p) - o. May be negative."""
    return automation * manual * (1.0 - failure_rate) - overhead


def weekly_saving_hours(per_week: float, saved_per_occurrence: Iterable[float]) -> float:
    """S = f * sum(saved(s)) / 60, in hours a week."""
    return per_week * math.fsum(saved_per_occurrence) / 60.0


def net_weekly_gain(weekly_saving: float, upkeep_per_week: float) -> float:
    """G = S - U, hours a week."""
    return weekly_saving - upkeep_per_week


def build_cost(build_hours: float, overrun_factor: float) -> float:
    """C = k * B, hours."""
    return overrun_factor * build_hours


def payback_weeks(cost: float, gain: float) -> float | None:
    """C / G weeks when G > 0; None when it never pays back."""
    if gain <= 0:
        return None
    return cost / gain


def net_hours(gain: float, horizon_weeks: float, cost: float) -> float:
    """G * H - C: the hours given back (or lost) over the horizon."""
    return gain * horizon_weeks - cost


def roi(gain: float, horizon_weeks: float, cost: float) -> float | None:
    """(G * H - C) / C; None when nothing is spent (the ratio is unbounded)."""
    if cost <= 0:
        return None
    return net_hours(gain, horizon_weeks, cost) / cost


def break_even(start: date, weeks: float | None) -> date | None:
    """Start date plus the payback, rounded up to the day it has paid back by."""
    if weeks is None:
        return None
    days = math.ceil(weeks * 7.0 - 1e-9)
    return start + timedelta(days=days)


def cumulative_net_hours(gain: float, cost: float, weeks: Sequence[float]) -> list[float]:
    """Cumulative net hours G * t - C at each t in weeks: the payback curve."""
    return [gain * t - cost for t in weeks]


@dataclass(frozen=True)
class StepInputs:
    """One step as the arithmetic sees it (after measured-vs-estimated is settled)."""

    manual: float
    automation: float
    overhead: float
    failure_rate: float
    running_cost: float = 0.0

    @property
    def saved(self) -> float:
        return saved_minutes(self.manual, self.automation, self.overhead, self.failure_rate)


@dataclass(frozen=True)
class Outcome:
    """The numbers one task's inputs produce."""

    saved_minutes_per_occurrence: float
    weekly_hours_saved: float
    net_weekly_gain: float
    build_cost: float
    payback_weeks: float | None
    net_hours: float
    roi: float | None


def evaluate(
    steps: Sequence[StepInputs],
    per_week: float,
    build_hours: float,
    upkeep_per_week: float,
    overrun_factor: float,
    horizon_weeks: float,
    hourly_value: float | None = None,
) -> Outcome:
    """All of METHOD.md for one task. A running cost per occurrence (money) counts as time
    through the hourly value, so an agent that costs more than it saves shows it."""
    saved = math.fsum(s.saved for s in steps)
    weekly = weekly_saving_hours(per_week, (s.saved for s in steps))
    if hourly_value:
        running = per_week * math.fsum(s.running_cost for s in steps) / hourly_value
        weekly -= running
    gain = net_weekly_gain(weekly, upkeep_per_week)
    cost = build_cost(build_hours, overrun_factor)
    return Outcome(
        saved_minutes_per_occurrence=saved,
        weekly_hours_saved=weekly,
        net_weekly_gain=gain,
        build_cost=cost,
        payback_weeks=payback_weeks(cost, gain),
        net_hours=net_hours(gain, horizon_weeks, cost),
        roi=roi(gain, horizon_weeks, cost),
    )


# --- xkcd 1205 -----------------------------------------------------------------------

XKCD_HORIZON_WEEKS = 5 * WEEKS_PER_YEAR

XKCD_FREQUENCIES: list[tuple[str, float]] = [
    ("50/day", 50 * 7.0),
    ("5/day", 5 * 7.0),
    ("Daily", 7.0),
    ("Weekly", 52.0 / WEEKS_PER_YEAR),
    ("Monthly", 12.0 / WEEKS_PER_YEAR),
    ("Yearly", 1.0 / WEEKS_PER_YEAR),
]

XKCD_SHAVED: list[tuple[str, float]] = [
    ("1 second", 1 / 60),
    ("5 seconds", 5 / 60),
    ("30 seconds", 0.5),
    ("1 minute", 1.0),
    ("5 minutes", 5.0),
    ("30 minutes", 30.0),
    ("1 hour", 60.0),
    ("6 hours", 360.0),
    ("1 day", 1440.0),
]

# The chart's labels, row by row; None where the chart leaves the cell empty.
XKCD_LABELS: list[list[str | None]] = [
    ["1 day", "2 hours", "30 minutes", "4 minutes", "1 minute", "5 seconds"],
    ["5 days", "12 hours", "2 hours", "21 minutes", "5 minutes", "25 seconds"],
    ["4 weeks", "3 days", "12 hours", "2 hours", "30 minutes", "2 minutes"],
    ["8 weeks", "6 days", "1 day", "4 hours", "1 hour", "5 minutes"],
    ["9 months", "4 weeks", "6 days", "21 hours", "5 hours", "25 minutes"],
    [None, "6 months", "5 weeks", "5 days", "1 day", "2 hours"],
    [None, "10 months", "2 months", "10 days", "2 days", "5 hours"],
    [None, None, None, "2 months", "2 weeks", "1 day"],
    [None, None, None, None, "8 weeks", "5 days"],
]

_UNIT_HOURS = {
    "second": 1 / 3600,
    "minute": 1 / 60,
    "hour": 1.0,
    "day": 24.0,
    "week": 24.0 * 7,
    "month": 24.0 * DAYS_PER_YEAR / 12,
    "year": 24.0 * DAYS_PER_YEAR,
}


def label_hours(label: str) -> float:
    """'5 weeks' -> hours on the chart's calendar basis."""
    number, unit = label.split()
    return float(number) * _UNIT_HOURS[unit.rstrip("s")]


def worth_spending_hours(shaved_minutes: float, per_week: float, horizon_weeks: float) -> float:
    """The longest build that still breaks even within the horizon: the build hours B at
    which net_hours(G, H, k * B) = 0 with k = 1, no overhead, no failures, no upkeep."""
    per_occurrence = saved_minutes(shaved_minutes, 1.0, 0.0, 0.0)
    gain = net_weekly_gain(weekly_saving_hours(per_week, [per_occurrence]), 0.0)
    return net_hours(gain, horizon_weeks, build_cost(0.0, 1.0))


# The chart switches unit late: "10 days" before weeks, "8 weeks" before months.
_UNIT_FROM_HOURS = [
    ("year", 24.0 * DAYS_PER_YEAR),
    ("month", 24.0 * 7 * 10),
    ("week", 24.0 * 14),
    ("day", 24.0),
    ("hour", 1.0),
    ("minute", 1 / 60),
    ("second", 0.0),
]


def humanize_hours(hours: float) -> str:
    """Round down to a whole unit, the way the chart labels its cells."""
    for unit, threshold in _UNIT_FROM_HOURS:
        if hours >= threshold * (1 - 1e-9):
            count = int(hours / _UNIT_HOURS[unit] * (1 + 1e-9))
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return "0 seconds"


@dataclass(frozen=True)
class XkcdCell:
    shaved: str
    frequency: str
    hours: float
    label: str | None


def xkcd_table(horizon_weeks: float = XKCD_HORIZON_WEEKS) -> list[list[XkcdCell]]:
    """The "Is It Worth the Time?" chart, computed by the product's own functions."""
    rows = []
    for (shaved_label, shaved), labels in zip(XKCD_SHAVED, XKCD_LABELS, strict=True):
        row = []
        for (freq_label, per_week), label in zip(XKCD_FREQUENCIES, labels, strict=True):
            hours = worth_spending_hours(shaved, per_week, horizon_weeks)
            row.append(XkcdCell(shaved_label, freq_label, hours, label))
        rows.append(row)
    return rows
