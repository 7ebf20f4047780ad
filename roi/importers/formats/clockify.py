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
_START_DATE = ("start date", "startdatum")
_START_TIME = ("start time", "startzeit")
_END_DATE = ("end date", "enddatum")
_END_TIME = ("end time", "endzeit")
_DUR_H = ("duration (h)", "dauer (h)")
_DUR_DEC = ("duration (decimal)", "dauer (dezimal)", "dauer (dezimalzahl)")


def sniff(source: Any) -> int:
    if source.kind != "csv":
        return 0
    f = source.fields
    if find(f, *_START_DATE) is not None and find(f, *_START_TIME) is not None and (
        find(f, *_DUR_H) is not None or find(f, *_DUR_DEC) is not None
    ):
        return 95
    if "date" in f and ("time (h)" in f or "time (decimal)" in f):
        return 85
    return 0


def layout(source: Any) -> Layout:
    f = source.fields
    lay = Layout(
        task_from=["description", "task", "project"],
        description="description",
        tag_fields=["project", "client", "task"],
        tag_lists=["tags"],
    )
    sd = find(f, *_START_DATE)
    if sd is not None:
        roles = {"start_date": sd, "start_time": find(f, *_START_TIME),
                 "end_date": find(f, *_END_DATE), "end_time": find(f, *_END_TIME),
                 "duration": find(f, *_DUR_H)}
        if roles["duration"] is None:
            roles["duration"] = find(f, *_DUR_DEC)
            lay.duration_unit = "hours"
        lay.roles = {k: v for k, v in roles.items() if v is not None}
        if "type" in f:
            lay.skip_values.append(("type", frozenset({"break", "pause"}), "a break, not work"))
        if "startdatum" in f:
            lay.notes.append("German headers")
            lay.date_default = "dmy"  # a German account writes day first
    else:  # shared report
        lay.roles = {"date": f["date"]}
        if "time (h)" in f:
            lay.roles["duration"] = f["time (h)"]
        else:
            lay.roles["duration"] = f["time (decimal)"]
            lay.duration_unit = "hours"
        lay.task_from = ["description", "project"]
        lay.notes.append("shared report: dates and durations only, no times of day")
    return lay


def _open(source: Any, options: Any) -> Any:
    title = TITLE if find(source.fields, *_START_DATE) is not None else SHARED_TITLE
    return csv_open(title, layout, KNOWN)(source, options)


INFO = register(FormatInfo(NAME, TITLE, sniff, _open))
