"""A generic CSV / TSV / semicolon task log, with column mapping.

Common header names are recognised on their own (date, start, end, duration, minutes,
hours, task, description, project, in English and German); ``--map role=Column`` names
the others (``--map date=Datum --map task=Aufgabe --map minutes=Min``).
"""

from __future__ import annotations

import re
from typing import Any

from roi.importers import columns
from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import ZONE, Layout, csv_open, find, norm

NAME = "generic"
TITLE = "Generic CSV task log"

DATE = ("date", "day", "datum", "tag", "start date", "startdatum", "work date")
START = ("start", "starttime", "start time", "started", "started at", "start time(iso)", "from", "von",
         "begin", "beginn", "timestamp", "startzeit")
END = ("end", "endtime", "end time", "stop", "stopped", "ended", "ended at", "finish", "finished",
       "to", "bis", "ende", "endzeit")
MINUTES = ("minutes", "mins", "min", "minuten", "duration (min)", "duration (minutes)", "duration(min)",
           "duration (mins)", "time (min)", "dauer (min)")
HOURS = ("hours", "hrs", "stunden", "duration (hours)", "duration (decimal)", "time (decimal)",
         "dauer (dezimal)", "hours spent")
SECONDS = ("seconds", "secs", "duration (s)", "duration(seconds)", "duration (seconds)",
           "time spent (seconds)")
DURATION = ("duration", "dauer", "time", "worked", "time spent", "elapsed", "duration (h)", "time (h)",
            "dauer (h)", "zeit")
TASK = ("task", "aufgabe", "activity", "activity type", "tätigkeit", "taetigkeit", "category", "title",
        "titles", "name", "summary", "job")
DESCRIPTION = ("description", "desc", "notes", "note", "comment", "comments", "beschreibung",
               "details", "bemerkung", "notiz")
PROJECT = ("project", "projekt", "projects")
TAGS = ("tags", "tag list", "labels", "schlagwörter")
CLIENT = ("client", "kunde", "customer")
_DURATION_WORD = re.compile(r"duration|dauer|time|zeit|elapsed|spent|logged|worked")
KNOWN = {"task": list(TASK), "description": list(DESCRIPTION), "project": list(PROJECT),
         "tags": list(TAGS), "client": list(CLIENT)}


def _roles(f: dict[str, int]) -> tuple[dict[str, int], str]:
    """The columns of the roles the header names, and the duration's unit (minutes,
    hours, seconds, else a clock duration: the first of those it has)."""
    found = {"date": find(f, *DATE), "start": find(f, *START), "end": find(f, *END), "zone": find(f, *ZONE)}
    roles = {role: idx for role, idx in found.items() if idx is not None}
    for unit, names in (("minutes", MINUTES), ("hours", HOURS), ("seconds", SECONDS), ("clock", DURATION)):
        if (idx := find(f, *names)) is not None:
            return {**roles, "duration": idx}, unit
    for name, col in f.items():  # "Dauer in min", "Elapsed seconds": a duration word and a unit
        if _DURATION_WORD.search(name) and (named := columns.unit_of_name(name)):
            return {**roles, "duration": col}, named
    return roles, "clock"


def sniff(source: Any) -> int:
    if source.kind != "csv":
        return 0
    roles, _ = _roles(source.fields)
    if ("date" in roles or "start" in roles) and ("duration" in roles or "end" in roles):
        return 10
    return 5 if source.mapping else 0


def layout(source: Any) -> Layout:
    f = source.fields
    roles, unit = _roles(f)
    lay = Layout(roles=roles, duration_unit=unit, task_from=["task", "description", "project"],
                 description="description", tag_fields=["project", "client"], tag_lists=["tags"])
    found = ", ".join(f"{role}={norm(next(h for h, i in f.items() if i == idx))}" for role, idx in roles.items())
    if found:
        lay.notes.append(f"columns recognised: {found}")
    parts = [find(f, *names) for names in (HOURS, MINUTES, SECONDS)]
    if sum(p is not None for p in parts) >= 2:  # Hours, Minutes (and Seconds) columns add up
        lay.parts = parts
        roles["duration"] = next(p for p in parts if p is not None)
        lay.duration_unit = "hours" if parts[0] is not None else "minutes"
    return lay


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
