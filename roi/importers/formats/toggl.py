"""Toggl Track detailed report CSV.

Classic header (unquoted, ``Amount ()`` / ``Amount (EUR)`` last), the fully quoted newer
layout without Amount, with or without BOM; durations padded (``08:03:27``), unpadded
(``3:00:00``), ``18:25 min`` or decimal. Start and end are local times of the
exporter's profile zone. The task is the Description (else the Project); Project,
Client, Task and Tags are kept as tags.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open

NAME = "toggl"
TITLE = "Toggl Track detailed CSV"
KNOWN = {name: [name] for name in ("description", "project", "client", "task", "tags", "user")}


def sniff(source: Any) -> int:
    f = source.fields
    split = all(k in f for k in ("start date", "start time", "end date", "end time", "duration"))
    return 90 if source.kind == "csv" and split and ("user" in f or "email" in f or "description" in f) else 0


def layout(source: Any) -> Layout:
    f = source.fields
    amount = next((h for h in source.header if h.strip().lower().startswith("amount (")), None)
    return Layout(
        roles={
            "start_date": f["start date"], "start_time": f["start time"],
            "end_date": f["end date"], "end_time": f["end time"], "duration": f["duration"],
        },
        task_from=["description", "project"] if "description" in f else ["project"],
        description="description",
        tag_fields=["project", "client", "task"],
        tag_lists=["tags"],
        notes=[f"classic header with {amount.strip()}" if amount
               else "header without an Amount column"],
    )


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
