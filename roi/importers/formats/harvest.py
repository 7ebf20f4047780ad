"""Harvest detailed time report CSV.

``Date, Client, Project, Project Code, Task, Notes, Hours, ...``: a date in the
account's format (ISO, ``26.01.2015``, US) and decimal hours (``0.94``, EU ``"7,5"``,
``"2.000,0"``); no times of day, so an entry starts at local midnight of its date. The
task is the Harvest Task (else the Project): the recurring unit; the Notes, free text
of each entry, are its description. Project and Client are kept as tags.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open

NAME = "harvest"
TITLE = "Harvest detailed time report CSV"
KNOWN = {"description": ["notes"], **{name: [name] for name in ("notes", "project", "client", "task")}}


def sniff(source: Any) -> int:
    f = source.fields
    if source.kind == "csv" and {"date", "hours", "notes"} <= f.keys() and ("project" in f or "client" in f):
        return 90 if "billable?" in f or "first name" in f else 85
    return 0


def layout(source: Any) -> Layout:
    f = source.fields
    return Layout(
        roles={"date": f["date"], "duration": f["hours"]},
        duration_unit="hours",
        task_from=["task", "project"],
        description="notes",
        tag_fields=["project", "client"],
        notes=["decimal hours per date, no times of day"],
    )


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
