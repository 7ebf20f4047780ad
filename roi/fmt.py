"""Numbers and spans of weeks written for prose (explanations, tables, reports)."""

from __future__ import annotations


def fmt(value: float, digits: int = 1) -> str:
    """A number for prose: no trailing zeros, no '-0'."""
    text = f"{value:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def fmt_weeks(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks < 1:
        days = weeks * 7
        return f"{fmt(days)} day{'s' if fmt(days) != '1' else ''}"
    return f"{fmt(weeks)} week{'s' if fmt(weeks) != '1' else ''}"
