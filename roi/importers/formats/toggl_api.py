"""Toggl Track API JSON: what `GET /api/v9/me/time_entries` returns, saved by a script.

A list of entries: ``{"id", "workspace_id", "project_id", "task_id", "start", "stop",
"duration", "description", "tags", "tag_ids", "billable", "at", "server_deleted_at",
...}`` (API v8 writes ``wid``/``pid``; ``?meta=true`` adds ``project_name`` and
``client_name``). Times are ISO 8601 with an offset; ``duration`` is seconds, negative
while the entry runs (then ``stop`` is null): such an entry is skipped as still running,
and so is one deleted in Toggl. The task is the description (as in Toggl's CSV), else the
project's name, else its id; but when the descriptions differ from entry to entry (free
notes), the project names the task and the description is its note. Tags are kept, with
the project and client as tags.
"""

from __future__ import annotations

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

NAME = "toggl-api"
TITLE = "Toggl Track API JSON (time entries)"
FIELDS = ["description", "project", "client", "tags", "first tag"]
_STABLE = ("id", "workspace_id", "wid", "start", "stop", "duration", "description", "project_id", "pid", "tags")


def sniff(source: Any) -> int:
    if source.kind != "json":
        return 0
    first = head_of(source).first
    if not isinstance(first, dict) or not {"start", "duration"} <= first.keys() or "timeInterval" in first:
        return 0
    return 90 if {"stop", "workspace_id", "wid", "at"} & first.keys() else 0


def _identity(r: Any) -> str:
    """An entry by what does not change when it is fetched again (with or without
    ?meta=true, after `at` moved on)."""
    return canonical({k: r.get(k) for k in _STABLE} if isinstance(r, dict) else r)


def _name(r: dict[str, Any], what: str) -> str:
    """The project's (or client's) name: `?meta=true`'s field, or a hydrated object."""
    value = r.get(f"{what}_name")
    nested = r.get(what)
    if not value and isinstance(nested, dict):
        value = nested.get("name")
    return text(value) if value else ""


def open_(source: Any, options: Any) -> JsonReading:
    data = source.json
    records = records_of(data) if isinstance(data, list) else []
    rows = [r for _, r in records if isinstance(r, dict)]
    note = "Toggl API time entries (times with their offset)"
    chain = ["description", "project"]
    if free_text([text(r.get("description")).strip() for r in rows]) and any(_name(r, "project") for r in rows):
        chain = ["project", "description"]
        note += "; descriptions differ from entry to entry: tasks named by project, descriptions kept as notes"

    def convert(r: Any, clock: LocalClock) -> Any:
        if not isinstance(r, dict):
            raise RowError(f"not a time entry object (got {text(r)[:60]!r})")
        fields, tags = tag_fields(r.get("tags"))
        project_id = r.get("project_id", r.get("pid"))
        fields["project"] = _name(r, "project") or (f"project {project_id}" if project_id is not None else "")
        fields["client"] = _name(r, "client")
        fields["description"] = text(r.get("description")).strip()
        task = choose(fields, chain, options.task_from)
        if r.get("server_deleted_at"):
            return Problem(0, f"deleted in Toggl ({task!r}, {r.get('server_deleted_at')})", "", True)
        start = aware_iso(r.get("start"), "start")
        dur = r.get("duration")
        if r.get("stop") in (None, "") and (not isinstance(dur, int | float) or isinstance(dur, bool) or dur < 0):
            return Problem(0, f"still running (no stop, duration {dur!r}): {task!r} since {clock.iso(start)}", "", True)
        end = aware_iso(r["stop"], "stop") if r.get("stop") not in (None, "") else start + float(dur)  # type: ignore[arg-type]
        tags += [f"{k}:{fields[k]}" for k in ("project", "client") if fields[k] and _name(r, k)]
        return start, end, task, fields, fields["description"], tags

    return JsonReading(TITLE, records, convert, options, note, fields=FIELDS, identity=_identity)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
