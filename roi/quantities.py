"""Quantities with units: the one parser behind every number a person types.

Pure functions, no click and no Textual: the CLI options and the terminal app's forms
both call them, so `5m`, `90s`, `1h30m`, `2d`, `30m/week`, `5/day` and `80%` mean the
same thing everywhere, and a mistake is reported in the same sentence.

Conventions (docs/METHOD.md says the same):

- A duration is effort, your working time: `s`, `m` (or `min`), `h`, `d` = a working day
  of 8 hours, `w` = a working week of 5 such days (40 hours). Parts combine from the
  largest down: `1h30m`, `2m30s`, `1d4h`.
- A frequency is calendar time: `/day` is every day, 7 a week (as xkcd 1205 counts
  "daily"); `/workday` is 5 a week; `/week`; `/month` is 12 a year and `/year` 1 a year,
  with 365 / 7 weeks in a year (the basis of roi.payback).
- A bare number is in the option's own unit: minutes for step times, hours for build
  hours, hours a week for upkeep, times a week for frequency.
- A share is `0.8` or `80%`; a bare number above 1 (`80`) is refused with "did you mean
  80%?", because it is almost always a percentage without its sign.
- A three-point estimate is `LOW:LIKELY:HIGH`, each part with a unit or none of them:
  `3m:5m:12m` or `3:5:12`, never `3:5:12m` (which would read as 3 min to 12 hours).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from roi.errors import RoiError
from roi.models import Range, Settings
from roi.payback import WEEKS_PER_YEAR

__all__ = [
    "BUILD_HOURS",
    "CURRENCIES",
    "HOURS_PER_WEEK",
    "MINUTES",
    "PER_WEEK",
    "THEMES",
    "WORKDAY_HOURS",
    "WORKWEEK_DAYS",
    "Kind",
    "format_minutes",
    "parse",
    "parse_range",
    "parse_setting",
    "parse_share",
    "with_unit",
]

WORKDAY_HOURS = 8.0
WORKWEEK_DAYS = 5.0

# Duration units, in minutes. A day and a week are working ones: durations are effort.
_DURATION_UNITS: dict[str, float] = {
    "s": 1 / 60, "sec": 1 / 60, "secs": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
    "m": 1.0, "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "h": 60.0, "hr": 60.0, "hrs": 60.0, "hour": 60.0, "hours": 60.0,
    "d": 60.0 * WORKDAY_HOURS, "day": 60.0 * WORKDAY_HOURS, "days": 60.0 * WORKDAY_HOURS,
    "w": 60.0 * WORKDAY_HOURS * WORKWEEK_DAYS, "wk": 60.0 * WORKDAY_HOURS * WORKWEEK_DAYS,
    "week": 60.0 * WORKDAY_HOURS * WORKWEEK_DAYS, "weeks": 60.0 * WORKDAY_HOURS * WORKWEEK_DAYS,
}

# Frequency units: how many of them in a week. Calendar time: a day is every day.
_PER_UNITS: dict[str, float] = {
    "d": 7.0, "day": 7.0,
    "wd": WORKWEEK_DAYS, "workday": WORKWEEK_DAYS, "weekday": WORKWEEK_DAYS,
    "w": 1.0, "wk": 1.0, "week": 1.0,
    "mo": 12.0 / WEEKS_PER_YEAR, "month": 12.0 / WEEKS_PER_YEAR,
    "y": 1.0 / WEEKS_PER_YEAR, "yr": 1.0 / WEEKS_PER_YEAR, "year": 1.0 / WEEKS_PER_YEAR,
}

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_BARE = re.compile(rf"^[+-]?{_NUMBER}$")
_TOKEN = re.compile(rf"\s*({_NUMBER})\s*([a-zA-Z]+)\s*")


@dataclass(frozen=True)
class Kind:
    """What an option measures: its unit, what a bare number means, how it is written."""

    name: str
    what: str  # "a number of minutes"
    examples: str  # "5, 90s, 1h30m or 3m:5m:12m"
    unit: str  # the suffix `with_unit` writes: "m", "h", "/week", "h/week"
    duration_minutes: float | None  # a duration: minutes in one bare unit
    rate: bool  # a frequency ("/day") or a duration a week ("30m/week")


MINUTES = Kind("minutes", "a number of minutes", "5, 90s, 1h30m or 3m:5m:12m", "m", 1.0, False)
BUILD_HOURS = Kind(
    "hours", "a number of hours", "3, 3h, 90m or 2d (a working day of 8 h), or 2h:3h:1d", "h", 60.0, False,
)
HOURS_PER_WEEK = Kind(
    "hours a week", "hours a week", "0.5, 30m/week, 2h/month or 10m/day (7 days a week)",
    "h/week", 60.0, True,
)
PER_WEEK = Kind(
    "times a week", "a number of times a week",
    "10, 10/week, 5/day (7 days a week), 5/workday (5 a week), 2/month (12 a year) or 3:5:8",
    "/week", None, True,
)


class QuantityError(RoiError):
    """A typed value that is not a quantity of the wanted kind (one sentence)."""


def _problem(option: str, kind: Kind, text: str, *, ranges: bool) -> QuantityError:
    what = f"{kind.what} or LOW:LIKELY:HIGH" if ranges else kind.what
    return QuantityError(f"{option} must be {what} (got {text!r}); for example {kind.examples}")


def _duration(text: str, base: float) -> float | None:
    """`1h30m` in units of `base` minutes (90.0 for base 1, 1.5 for base 60); None when
    it is not a duration with units. A part in the base unit is not converted at all, so
    `5m` is exactly 5 minutes and `3h` exactly 3 hours."""
    pos, total, last = 0, 0.0, math.inf
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if match is None:
            return None
        size = _DURATION_UNITS.get(match[2].lower())
        if size is None or size >= last:  # unknown, repeated or out of order (30m1h)
            return None
        total += float(match[1]) * (size / base)
        last, pos = size, match.end()
    return total if pos else None


def _one(text: str, kind: Kind, option: str, *, ranges: bool) -> float:
    """One value of `kind` in its bare unit (minutes, hours, times or hours a week)."""
    raw = text.strip()
    body = raw.lstrip("+")
    negative = body.startswith("-")
    body = body.lstrip("-").strip()
    value: float | None = None
    base = kind.duration_minutes
    if _BARE.match(body):
        value = float(body)
    elif kind.rate:
        amount, sep, per = body.partition("/")
        if not sep:
            amount, sep, per = body.partition(" per ")
        if not sep and base is not None:
            amount, per = body, "week"
        per_week = _PER_UNITS.get(per.strip().lower())
        amount = amount.strip()
        if per_week is not None and amount:
            if _BARE.match(amount):
                count: float | None = float(amount)
            else:
                count = None if base is None else _duration(amount, base)
            value = None if count is None else count * per_week
    elif base is not None:
        value = _duration(body, base)
    if value is None:
        raise _problem(option, kind, raw, ranges=ranges)
    if not math.isfinite(value):
        raise QuantityError(f"{option} must be a finite number (got {raw!r})")
    if negative and value != 0:
        raise QuantityError(f"{option} must not be negative (got {raw!r})")
    return value


def parse(text: str | float | int, kind: Kind, option: str) -> float:
    """One value (no range) in the kind's bare unit, or QuantityError naming option and unit."""
    if isinstance(text, int | float):
        text = repr(float(text))
    return _one(str(text), kind, option, ranges=False)


def parse_range(text: str | float | int, kind: Kind, option: str) -> Range:
    """`8`, `8h`, `4:8:30` or `4h:1d:30h` -> a Range in the kind's bare unit."""
    if isinstance(text, int | float):
        text = repr(float(text))
    raw = str(text)
    parts = raw.split(":")
    if len(parts) not in (1, 3):
        raise _problem(option, kind, raw, ranges=True)
    try:
        values = [_one(p, kind, option, ranges=True) for p in parts]
    except QuantityError as exc:
        if len(parts) == 1:
            raise
        if "negative" in str(exc):
            raise QuantityError(f"{option} must not be negative (got {raw!r})") from None
        raise _problem(option, kind, raw, ranges=True) from None
    bare = [bool(_BARE.match(p.strip().lstrip("+-").strip())) for p in parts]
    if any(bare) and not all(bare):
        raise QuantityError(
            f"{option}: give every part of LOW:LIKELY:HIGH a unit, or none of them (got {raw!r})"
        )
    low, likely, high = (values * 3)[:3] if len(values) == 1 else values
    if not (low <= likely <= high):
        raise QuantityError(
            f"{option}: a range must be ordered LOW <= LIKELY <= HIGH (got {raw!r})"
        )
    return Range(low=low, likely=likely, high=high)


def parse_share(text: str | float, option: str, *, upto: float = 1.0) -> float:
    """`0.8` or `80%` -> 0.8. A bare number above `upto` that reads as a percentage
    (`80`) is refused with "did you mean 80%?"."""
    raw = str(text).strip()
    bounds = f"between 0 and {upto:g} (or 0% to {upto * 100:g}%)"
    percent = raw.endswith("%")
    body = raw[:-1].strip() if percent else raw
    if not _BARE.match(body):
        raise QuantityError(f"{option} must be a share such as 0.8 or 80% (got {raw!r})")
    value = float(body) / 100.0 if percent else float(body)
    if not percent and upto < value <= 100.0 * upto:
        raise QuantityError(f"{option} must be {bounds}: did you mean {body}%? (got {raw!r})")
    if not (0.0 <= value <= upto) or not math.isfinite(value):
        raise QuantityError(f"{option} must be {bounds} (got {raw!r})")
    return value


def with_unit(value: float, kind: Kind) -> str:
    """A value written with its unit (`5m`, `3h`, `10/week`, `0.5h/week`): it parses back
    to the same float."""
    return f"{value!r}{kind.unit}"


def format_minutes(minutes: float) -> str:
    """Minutes as a person writes them: 90 -> '1h30m', 0.5 -> '30s', 5 -> '5m'.
    Whole seconds are kept exactly; anything finer is written in plain minutes."""
    if minutes < 0 or not math.isfinite(minutes):
        return f"{minutes!r}m"
    seconds = minutes * 60.0
    if abs(seconds - round(seconds)) > 1e-9 * max(1.0, seconds):
        return f"{minutes!r}m"
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    mins, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{mins}m" if mins else "") + (f"{secs}s" if secs else "")
    return text or "0m"


# --- settings ------------------------------------------------------------------------------

# The built-in themes of the terminal app (textual.theme.BUILTIN_THEMES; a TUI test keeps
# this list in step without the core importing Textual).
THEMES = (
    "ansi-dark", "ansi-light", "atom-one-dark", "atom-one-light", "catppuccin-frappe",
    "catppuccin-latte", "catppuccin-macchiato", "catppuccin-mocha", "dracula", "flexoki",
    "gruvbox", "monokai", "nord", "rose-pine", "rose-pine-dawn", "rose-pine-moon",
    "solarized-dark", "solarized-light", "textual-dark", "textual-light", "tokyo-night",
)

# Currency symbols and ISO 4217 codes money figures may be written with.
CURRENCIES = (
    "$", "€", "£", "¥", "₹", "₩", "₽", "₺", "₪", "₫", "₱", "฿", "R$", "A$", "C$", "NZ$", "HK$", "S$",
    "kr", "zł", "Kč", "Fr", "CHF", "USD", "EUR", "GBP", "JPY", "CNY", "INR", "CAD", "AUD", "NZD",
    "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL", "MXN", "KRW", "SGD", "HKD", "ZAR", "TRY",
    "ILS",
)

_CLEARABLE = ("timezone", "hourly_value", "theme")
_WEEKS = {"w": 1.0, "wk": 1.0, "week": 1.0, "weeks": 1.0, "mo": WEEKS_PER_YEAR / 12,
          "month": WEEKS_PER_YEAR / 12, "months": WEEKS_PER_YEAR / 12, "y": WEEKS_PER_YEAR,
          "yr": WEEKS_PER_YEAR, "year": WEEKS_PER_YEAR, "years": WEEKS_PER_YEAR}


def _number(key: str, text: str, what: str) -> float:
    if not _BARE.match(text):
        raise QuantityError(f"{key} must be {what} (got {text!r})")
    return float(text)


def _whole(key: str, text: str) -> int:
    if not re.fullmatch(r"[+-]?\d+", text):
        raise QuantityError(f"{key} must be a whole number (got {text!r})")
    return int(text)


def _weeks(key: str, text: str) -> float:
    match = re.fullmatch(rf"([+-]?{_NUMBER})\s*([a-zA-Z]*)", text)
    size = _WEEKS.get(match[2].lower(), None) if match and match[2] else 1.0
    if match is None or size is None:
        raise QuantityError(f"{key} must be a number of weeks, such as 52, 26w or 1y (got {text!r})")
    value = float(match[1]) * size
    if value <= 0:
        raise QuantityError(f"{key} must be greater than 0 weeks (got {text!r})")
    return value


def parse_setting(key: str, text: str) -> Any:
    """A setting typed by a person (`roi config set KEY VALUE`, the settings form) as the
    value to store, or QuantityError naming the key, the unit and the value. Cross-field
    rules (automate_within <= maybe_within) are the model's, checked when it is stored."""
    if key not in Settings.model_fields:
        raise QuantityError(f"unknown setting {key!r}; known settings: {', '.join(Settings.model_fields)}")
    value = str(text).strip()
    if value.lower() in ("", "none") and key in _CLEARABLE:
        return None
    if key == "horizon_weeks":
        return _weeks(key, value)
    if key == "overrun_factor":
        factor = _number(key, value.removesuffix("x").removesuffix("×").strip(), "a factor such as 1.5 or 1.5x")
        if factor < 1.0:
            raise QuantityError(f"{key} must be at least 1 (builds take at least as long as estimated) (got {value!r})")
        return factor
    if key in ("automate_within", "automate_probability"):
        return parse_share(value, key)
    if key == "maybe_within":
        return parse_share(value, key, upto=10.0)
    if key == "hourly_value":
        amount = _number(key, value, "an amount of money for one hour, such as 60")
        if amount < 0:
            raise QuantityError(f"{key} must not be negative (got {value!r})")
        return amount
    if key == "build_budget_hours_per_week":
        return parse(value, HOURS_PER_WEEK, key)
    if key in ("min_samples", "monte_carlo_samples", "seed"):
        return _whole(key, value)
    if key == "currency":
        known = {c.lower(): c for c in CURRENCIES}
        if value.lower() not in known:
            raise QuantityError(f"{key} must be a known currency such as $, €, £, EUR or CHF (got {value!r})")
        return known[value.lower()]
    if key == "theme":
        if value not in THEMES:
            raise QuantityError(f"{key} must be one of the app's themes: {', '.join(THEMES)} (got {value!r})")
        return value
    return value  # timezone: the model knows the zone names
