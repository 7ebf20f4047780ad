"""Watson: ``watson log --csv``, ``watson log --json`` and the frames file.

CSV ``id,start,stop,project,tags`` with local times; JSON log with ISO times carrying
an offset; frames ``[start_epoch, stop_epoch, project, id, [tags], updated_at]`` in UTC.
The task is the project; tags are kept.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, RowError, register
from roi.importers.csvlog import Layout, csv_open
from roi.importers.jsontext import JsonReading, choose, head_of, records_of, tag_fields, text
from roi.importers.timeparse import LocalClock, aware_iso

NAME = "watson"
TITLE = "Watson log CSV"
JSON_TITLE = "Watson log JSON"
FRAMES_TITLE = "Watson frames file"
KNOWN = {"project": ["project"], "tags": ["tags"], "id": ["id"]}
FIELDS = ["project", "tags", "first tag"]


def _frame_like(r: Any) -> bool:
    return (isinstance(r, list) and len(r) >= 3 and all(isinstance(x, int | float) for x in r[:2])
            and isinstance(r[2], str))


def sniff(source: Any) -> int:
    if source.kind == "csv":
        f = source.fields
        return 95 if {"start", "stop", "project"} <= set(f) and ("id" in f or "tags" in f) else 0
    first = head_of(source).first if source.kind == "json" else None
    if isinstance(first, dict) and {"project", "start", "stop"} <= set(first) or _frame_like(first):
        return 95
    return 0


def layout(source: Any) -> Layout:
    f = source.fields
    return Layout(
        roles={"start": f["start"], "end": f["stop"]},
        task_from=["project"],
        tag_lists=["tags"],
    )


_csv_open = csv_open(TITLE, layout, KNOWN)


def open_(source: Any, options: Any) -> Any:
    if source.kind == "csv":
        return _csv_open(source, options)
    data = source.json
    frames = _frame_like(data[0])

    def convert(r: Any, clock: LocalClock) -> Any:
        if frames:
            if not _frame_like(r):
                raise RowError(f"not a Watson frame (got {text(r)[:60]!r})")
            start, end, project = float(r[0]), float(r[1]), r[2]
            listed = r[4] if len(r) > 4 else []
        else:
            if not isinstance(r, dict):
                raise RowError(f"not a Watson log entry (got {text(r)[:60]!r})")
            start, end = aware_iso(r.get("start"), "start"), aware_iso(r.get("stop"), "stop")
            project, listed = r.get("project"), r.get("tags")
        fields, tags = tag_fields(listed)
        fields["project"] = text(project)
        task = choose(fields, ["project"], options.task_from)
        return start, end, task, fields, "", tags

    return JsonReading(FRAMES_TITLE if frames else JSON_TITLE, records_of(data), convert, options,
                       "UTC epoch seconds" if frames else "", fields=FIELDS)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
