"""Clockify detailed report CSV (English or German headers) and the shared-report CSV.

Detailed: dates in the account's order (DD/MM/YYYY or MM/DD/YYYY, decided per file from
the values), 12 h or 24 h clock, seconds optional, ``h:mm`` or ``hh:mm:ss`` durations,
extra columns (Type, Kiosk, custom fields) ignored; rows of Type "Break" are skipped.
Shared report: ``Date, Project, Client, Description, Time (h), Time (decimal)``: a date
and a duration only.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open, find

NAME = "clockify"
TITLE = "Clockify detailed CSV"
SHARED_TITLE = "Clockify shared-report CSV"
KNOWN = {
    "description": ["description", "beschreibung"],
    "project": ["project", "projekt"],
    "client": ["client", "kunde"],
    "task": ["task", "activity", "aufgabe", "tätigkeit"],
    "tags": ["tags", "schlagwörter", "stichwörter"],
    "user": ["user", "benutzer"],
}
_SPLIT = {"start_date": ("start date", "startdatum"), "start_time": ("start time", "startzeit"),
          "end_date": ("end date", "enddatum"), "end_time": ("end time", "endzeit")}
_DUR_H = ("duration (h)", "dauer (h)")
_DUR_DEC = ("duration (decimal)", "dauer (dezimal)", "dauer (dezimalzahl)")


def _detailed(source: Any) -> bool:
    return find(source.fields, *_SPLIT["start_date"]) is not None


def sniff(source: Any) -> int:
    if source.kind != "csv":
        return 0
    f = source.fields
    if _detailed(source) and None not in (find(f, *_SPLIT["start_time"]), find(f, *_DUR_H, *_DUR_DEC)):
        return 95
    return 85 if "date" in f and ("time (h)" in f or "time (decimal)" in f) else 0


def layout(source: Any) -> Layout:
    f, detailed = source.fields, _detailed(source)
    if detailed:
        roles = {role: find(f, *names) for role, names in _SPLIT.items()}
        clock, decimal = find(f, *_DUR_H), find(f, *_DUR_DEC)
    else:
        roles, clock, decimal = {"date": f["date"]}, f.get("time (h)"), f.get("time (decimal)")
    roles["duration"] = decimal if clock is None else clock
    lay = Layout(
        roles={k: v for k, v in roles.items() if v is not None},
        duration_unit="hours" if clock is None else "clock",
        task_from=["description", "task", "project"] if detailed else ["description", "project"],
        description="description",
        tag_fields=["project", "client", "task"],
        tag_lists=["tags"],
        notes=[] if detailed else ["shared report: dates and durations only, no times of day"],
    )
    if detailed and "type" in f:
        lay.skip_values.append(("type", frozenset({"break", "pause"}), "a break, not work"))
    if "startdatum" in f:
        lay.notes.append("German headers")
        lay.date_default = "dmy"  # a German account writes day first
    return lay


def _open(source: Any, options: Any) -> Any:
    return csv_open(TITLE if _detailed(source) else SHARED_TITLE, layout, KNOWN)(source, options)


INFO = register(FormatInfo(NAME, TITLE, sniff, _open))
