"""Redmine "Spent time" CSV (the time entries list, exported as CSV).

``Project, Date, User, Activity, Issue, Comment, Hours`` (and the columns the query
adds: Tracker, Created, custom fields), in the language of the account (``Projekt;
Datum; Benutzer; Aktivität; Ticket; Kommentar; Stunden``, semicolons and decimal commas
``1,50``, dates ``20.01.2023``). Its subtotal and total rows (no date, the hours of the
rows above, a label like "Total time") are skipped, never added. The task is the issue
(``Bug #12: Login fails``), else the activity; the comment is the entry's description;
project and activity are tags.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open, find

NAME = "redmine"
TITLE = "Redmine spent time CSV"
PROJECT = ("project", "projekt", "projet", "proyecto")
DATE = ("date", "datum", "fecha")
ACTIVITY = ("activity", "aktivität", "activité", "actividad")
HOURS = ("hours", "stunden", "heures", "horas")
USER = ("user", "benutzer", "utilisateur", "usuario", "author", "autor")
KNOWN = {
    "issue": ["issue", "ticket", "demande", "petición"],
    "activity": list(ACTIVITY),
    "project": list(PROJECT),
    "description": ["comment", "kommentar", "commentaire", "comentario"],
    "user": list(USER),
}


def sniff(source: Any) -> int:
    f = source.fields
    if source.kind != "csv":
        return 0
    found = [find(f, *names) for names in (PROJECT, DATE, ACTIVITY, HOURS, USER)]
    return 88 if None not in found else 0


def layout(source: Any) -> Layout:
    f = source.fields
    return Layout(
        roles={"date": find(f, *DATE) or 0, "duration": find(f, *HOURS) or 0},
        duration_unit="hours",
        task_from=["issue", "activity", "project"],
        description="description",
        tag_fields=["project", "activity"],
        notes=["decimal hours per date; subtotal and total rows skipped"],
    )


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
