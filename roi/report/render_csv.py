"""The CSV report: one row per task, a header row, ISO dates, plain numbers.

Text cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or
carriage return, also after leading spaces) get a leading apostrophe. Numbers the report
writes itself are real numbers and stay as they are, so `-12.9` is still a number.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from roi.ranking import RankedTask
from roi.report import common
from roi.report.model import Report
from roi.textsafe import visible

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def neutralise(text: str) -> str:
    """A text cell a spreadsheet shows as text, never evaluates."""
    stripped = text.lstrip(" ")
    if stripped.startswith(_FORMULA_START) and not _NUMBER.match(stripped):
        return "'" + text
    return text


def _number(value: float | None, digits: int = 4) -> str:
    if value is None:
        return ""
    text = f"{round(value, digits):.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _text(value: str) -> str:
    return neutralise(visible(value))


def _source(r: RankedTask) -> str:
    sources = sorted({s.manual_source for s in r.steps})
    return "+".join(sources)


def render(report: Report) -> str:
    money = report.hourly_value
    chance = report.has_uncertainty
    header = [
        "rank", "id", "task", "category", "verdict", "weekly_hours_saved", "net_weekly_gain",
        "build_hours", "build_cost_hours", "upkeep_hours_per_week", "payback_weeks",
        "break_even", "net_hours", "roi", "per_week", "per_week_source", "minutes_source",
        "flags", "verdict_reason", "explanation", "missing",
        "logged_hours", "logged_hours_per_week", "logged_share", "from_template",
    ]
    if money:
        header += ["weekly_value", "net_value"]
    if chance:
        header += ["payback_probability", "payback_weeks_p50", "payback_weeks_p90", "expected_net_hours"]
    logged = {r.task_id: r for r in (report.spent.rows if report.spent else ()) if r.task_id is not None}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for r in report.shown:
        o = r.outcome
        row: list[Any] = [
            r.rank, r.id, _text(r.name), r.task.category, r.verdict,
            _number(o.weekly_hours_saved), _number(o.net_weekly_gain), _number(r.build_hours),
            _number(o.build_cost), _number(r.upkeep_hours_per_week), _number(o.payback_weeks),
            r.break_even.isoformat() if r.break_even else "", _number(o.net_hours),
            _number(o.roi), _number(r.per_week), r.per_week_source, _source(r),
            _text(";".join(common.flag_label(f.code, f.dismissed) for f in r.flags)),
            _text(r.verdict_reason), _text(r.explanation), ";".join(r.missing),
        ]
        spent = logged.get(r.id)  # no time logged: empty cells (unknown, not 0)
        row += [_number(spent.hours), _number(spent.hours_per_week), _number(spent.share)] if spent else ["", "", ""]
        marks = report.templates.get(r.id, {})
        row.append(_text(";".join(f"{field}={name}" for field, name in sorted(marks.items()))))
        if money:
            row += [_number(o.net_weekly_gain * money, 2), _number(o.net_hours * money, 2)]
        if chance:
            u = r.uncertainty
            row += ["", "", "", ""] if u is None else [
                _number(u.payback_probability), _number(u.payback_weeks_p50),
                _number(u.payback_weeks_p90), _number(u.expected_net_hours)]
        writer.writerow(row)
    return buffer.getvalue()
