"""Clockify API JSON: time entries as `GET /v1/workspaces/{w}/user/{u}/time-entries`
returns them (or the detailed report API's ``{"timeentries": [...]}``), saved by a script.

An entry: ``{"id", "description", "projectId", "taskId", "tagIds", "type",
"timeInterval": {"start", "end", "duration": "PT1H30M"}, ...}``; with ``hydrated=true``
also ``project``, ``task`` and ``tags`` objects with names (the report API writes
``projectName``, ``taskName``, ``clientName`` and a duration in seconds). Times are ISO
8601 UTC (``...Z``) or with an offset; while an entry runs its ``end`` and ``duration``
are null: it is skipped as still running. Entries of type BREAK are skipped, as in the
CSV. The task is the entry's Clockify task (a project's recurring part), else its
description, else the project's name (else its id); when the descriptions differ from
entry to entry (free notes), the project names the task and the description is its note.
"""

from __future__ import annotations

import re
from typing import Any

from roi.importers.api import FormatInfo, Problem, RowError, register
from roi.importers.jsontext import (
    JsonReading,
    canonical,
    choose,
    free_text,
    head_of,
    records_of,
    tag_fields,
    text,
)
from roi.importers.timeparse import LocalClock, aware_iso

NAME = "clockify-api"
TITLE = "Clockify API JSON (time entries)"
FIELDS = ["description", "task", "project", "client", "tags", "first tag"]
_ISO_DURATION = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?")
_VOLATILE = ("project", "task", "tags", "user", "hourlyRate", "costRate", "isLocked", "approvalRequestId")


def sniff(source: Any) -> int:
    if source.kind != "json":
        return 0
    head = head_of(source)
    first = head.first
    if isinstance(first, dict) and isinstance(first.get("timeInterval"), dict):
        return 95
    return 90 if head.kind == "object" and head.opens.get("timeentries") == "[" else 0


def seconds(value: Any) -> float | None:
    """'PT1H30M' (or seconds, as the report API writes them) -> seconds; None: not given."""
    if value is None or value == "":
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    m = _ISO_DURATION.fullmatch(str(value).strip())
    if not m or not any(m.groups()):
        raise RowError(f"duration {value!r} is not an ISO 8601 duration (like PT1H30M)")
    d, h, mi, s = (float(g) if g else 0.0 for g in m.groups())
    return d * 86400 + h * 3600 + mi * 60 + s


def _identity(r: Any) -> str:
    """An entry without what fetching it hydrated (names, rates), which may differ."""
    return canonical({k: v for k, v in r.items() if k not in _VOLATILE} if isinstance(r, dict) else r)


def _name(r: dict[str, Any], what: str) -> str:
    nested = r.get(what)
    value = nested.get("name") if isinstance(nested, dict) else r.get(f"{what}Name")
    return text(value).strip() if value else ""


def open_(source: Any, options: Any) -> JsonReading:
    data = source.json
    if isinstance(data, dict):
        data = data.get("timeentries") or []
    records = records_of(data) if isinstance(data, list) else []
    rows = [r for _, r in records if isinstance(r, dict)]
    note = "Clockify API time entries (times with their offset)"
    chain = ["task", "description", "project"]
    if free_text([text(r.get("description")).strip() for r in rows]) and any(_name(r, "project") for r in rows):
        chain = ["task", "project", "description"]
        note += "; descriptions differ from entry to entry: tasks named by task or project, descriptions kept as notes"

    def convert(r: Any, clock: LocalClock) -> Any:
        if not isinstance(r, dict) or not isinstance(r.get("timeInterval"), dict):
            raise RowError(f"not a time entry with a timeInterval (got {text(r)[:60]!r})")
        listed = r.get("tags")
        fields, tags = tag_fields([t.get("name") if isinstance(t, dict) else t for t in listed]
                                  if isinstance(listed, list) else [])
        fields["description"] = text(r.get("description")).strip()
        fields["task"] = _name(r, "task")
        fields["project"] = _name(r, "project") or (f"project {r['projectId']}" if r.get("projectId") else "")
        project: dict[str, Any] = r["project"] if isinstance(r.get("project"), dict) else {}
        fields["client"] = _name(r, "client") or text(project.get("clientName")).strip()
        task = choose(fields, chain, options.task_from)
        if str(r.get("type", "")).upper() == "BREAK":
            return Problem(0, "a break, not work", "", True)
        interval = r["timeInterval"]
        start = aware_iso(interval.get("start"), "timeInterval.start")
        if interval.get("end") not in (None, ""):
            end = aware_iso(interval.get("end"), "timeInterval.end")
        elif (dur := seconds(interval.get("duration"))) is not None:
            end = start + dur
        else:
            return Problem(0, f"still running (no end): {task!r} since {clock.iso(start)}", "", True)
        tags += [f"{k}:{fields[k]}" for k in ("project", "client", "task") if fields[k] and _name(r, k)]
        return start, end, task, fields, fields["description"], tags

    return JsonReading(TITLE, records, convert, options, note, fields=FIELDS, identity=_identity)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
