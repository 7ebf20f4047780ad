"""Jira / Tempo worklog CSV, one worklog a row.

Tempo's worklog report (display export): ``Issue Key, Issue summary, Hours, Work date,
Username, Full name, ..., Work Description, ...``, decimal hours and a date (or a date
and time); the raw export: ``Issue Key, Issue Summary, Author, Started, Time Spent,
Comment`` whose Time Spent is seconds (as Jira stores it: decided from the values, as
any bare duration; ``--map duration_unit`` settles it) or Jira's display ``1h 30m``.
Jira's own dates are read (``20/Jan/23 6:25 PM``, ``2023-01-20T18:25:30.148+0100``).
The task is the issue's summary (the tickets of a recurring chore share it), else its
key; the work description is the entry's description; key, project, account and
activity are tags.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, register
from roi.importers.csvlog import Layout, csv_open, find

NAME = "jira"
TITLE = "Jira / Tempo worklog CSV"
KEY = ("issue key", "issue_key", "key")
SUMMARY = ("issue summary", "issue_summary", "summary")
STARTED = ("work date", "work_date", "started", "start date", "date", "started at")
HOURS = ("hours", "time spent (h)", "logged hours")
SPENT = ("time spent", "time spent (s)", "time spent (seconds)", "timespentseconds", "time_spent_seconds",
         "time spent seconds", "logged")
KNOWN = {
    "task": list(SUMMARY),
    "issue": list(KEY),
    "description": ["work description", "worklog comment", "comment", "description", "work_description"],
    "project": ["project name", "project key", "project"],
    "account": ["account name", "account"],
    "activity": ["activity name", "activity"],
    "user": ["full name", "author", "username", "user"],
}


def sniff(source: Any) -> int:
    f = source.fields
    if source.kind != "csv" or find(f, *KEY) is None or find(f, *STARTED) is None:
        return 0
    if find(f, *HOURS) is None and find(f, *SPENT) is None:
        return 0
    return 88 if find(f, *SUMMARY) is not None or "work description" in f or "worklog id" in f else 0


def layout(source: Any) -> Layout:
    f = source.fields
    started, hours, spent = find(f, *STARTED), find(f, *HOURS), find(f, *SPENT)
    raw = hours is None
    duration = spent if raw else hours
    assert started is not None and duration is not None  # sniff has seen them
    return Layout(
        roles={"start": started, "duration": duration},
        duration_unit="clock" if raw else "hours",
        task_from=["task", "issue"],
        description="description",
        tag_fields=["issue", "project", "account", "activity"],
        notes=["raw worklog export (Time Spent)" if raw else "worklog report (decimal Hours)"],
    )


INFO = register(FormatInfo(NAME, TITLE, sniff, csv_open(TITLE, layout, KNOWN)))
