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

Jira's own issue export (Export > CSV, all fields) has one issue a row and its worklogs
in repeated ``Log Work`` columns, each ``comment;started;author;seconds``
(``Fixed it;20/Jan/23 6:25 PM;5b10a28;5400``): each worklog is an entry of that row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from roi.importers.api import Entry, FormatInfo, Options, Problem, Reading, RowError, register
from roi.importers.csvlog import Layout, csv_open, find
from roi.importers.source import Source, header_fields, norm, raw_row
from roi.importers.timeparse import DateOrder, LocalClock

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
    if source.kind == "csv" and find(f, *KEY) is not None and "log work" in f:
        return 90  # the issue export, worklogs in Log Work columns
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


class LogWork(Reading):
    """The worklogs of Jira's issue export: one entry per filled Log Work cell."""

    def __init__(self, source: Source, options: Options) -> None:
        self.source, self.options = source, options
        self.title = "Jira issue export CSV (Log Work columns)"
        self.cells = [i for i, h in enumerate(source.header) if norm(h) == "log work"]
        f = header_fields(source.header)
        chosen = norm(options.task_from) if options.task_from else None
        if chosen is not None and chosen not in f:
            raise RowError(f"--task-from {options.task_from!r} is not a column of this file")
        self.task_col = f[chosen] if chosen else find(f, "summary", *SUMMARY)
        self.key_col = find(f, *KEY)
        self.clock = LocalClock(options.tz, DateOrder(None, "dmy"))  # Jira writes 20/Jan/23
        self.total = max(source.lines - 1, 0)
        self.note = f"worklogs of {len(self.cells)} Log Work columns; times read in {options.tz_name}"
        self.warnings: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[Entry | Problem]:
        rows = self.source.rows()
        next(rows, None)
        for line, row in rows:
            yield from self.worklogs(line, row)

    def worklogs(self, line: int, row: list[str]) -> Iterator[Entry | Problem]:
        def cell(col: int | None) -> str:
            return row[col].strip() if col is not None and col < len(row) else ""

        key, logs = cell(self.key_col), [cell(c) for c in self.cells if cell(c)]
        if not logs:
            yield Problem(line, "no work logged on this issue", raw_row(row, ","), skipped=True)
            return
        task = " ".join((cell(self.task_col) or key).split())
        for n, text in enumerate(logs):
            parts = text.rsplit(";", 3)
            try:
                if len(parts) != 4 or not parts[3].strip().isdecimal():
                    raise RowError(f"Log Work {text!r} is not comment;started;author;seconds")
                start = self.clock.moment(parts[1], "Log Work started")
            except RowError as exc:
                yield Problem(line, str(exc), raw_row(row, ","))
                continue
            yield Entry(line, start, start + int(parts[3]), task, None, parts[0], (f"issue:{key}",) if key else (),
                        f"{key}\x1f{text}", piece=n > 0)


def _open(source: Source, options: Options) -> Any:
    if "log work" in source.fields:
        return LogWork(source, options)
    return _csv_open(source, options)


_csv_open = csv_open(TITLE, layout, KNOWN)
INFO = register(FormatInfo(NAME, TITLE, sniff, _open))
