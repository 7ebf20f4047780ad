"""A generic CSV / TSV / semicolon task log, with column mapping.

Common header names are recognised on their own (date, start, end, duration, minutes,
hours, task, description, project, in English and German); ``--map role=Column`` names
the others (``--map date=Datum --map task=Aufgabe --map minutes=Min``).
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open, find, norm

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
KNOWN = {"task": list(TASK), "description": list(DESCRIPTION), "project": list(PROJECT),
         "tags": list(TAGS), "client": list(CLIENT)}


def _roles(f: dict[str, int]) -> tuple[dict[str, int], str]:
    roles: dict[str, int] = {}
    unit = "clock"
    columns: tuple[tuple[str, tuple[str, ...]], ...] = (("date", DATE), ("start", START), ("end", END))
    for role, names in columns:
        idx = find(f, *names)
        if idx is not None:
            roles[role] = idx
    units: tuple[tuple[str, tuple[str, ...]], ...] = (
        ("minutes", MINUTES), ("hours", HOURS), ("seconds", SECONDS), ("clock", DURATION))
    for u, names in units:
        idx = find(f, *names)
        if idx is not None:
            roles["duration"], unit = idx, u
            break
    return roles, unit


def sniff(source: Any) -> int:
    if source.kind != "csv":
        return 0
    roles, _ = _roles(source.fields)
    has_when = "date" in roles or "start" in roles
    has_length = "duration" in roles or "end" in roles
    if has_when and has_length:
        return 10
    if source.mapping:
        return 5
    return 0


def layout(source: Any) -> Layout:
    f = source.fields
    roles, unit = _roles(f)
    lay = Layout(roles=roles, duration_unit=unit, date_default="mdy",
                 tag_fields=["project", "client"], tag_lists=["tags"])
    for key, names in KNOWN.items():
        idx = find(f, *names)
        if idx is not None:
            lay.fields[key] = idx
    lay.task_from = ["task", "description", "project"]
    lay.description = "description" if "description" in lay.fields else None
    if "date" in roles and "start" in roles and "end" not in roles and "duration" not in roles:
        pass
    found = ", ".join(f"{role}={norm(next(h for h, i in f.items() if i == idx))}" for role, idx in roles.items())
    if found:
        lay.notes.append(f"columns recognised: {found}")
    if unit == "clock" and "duration" in roles and "end" not in roles:
        lay.notes.append("a bare number in the duration column is read as hours")
    return lay


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
