"""Timewarrior ``timew export`` JSON, and its raw data files (see timewarrior_data).

``[{"id":2,"start":"20231001T103000Z","end":"...","tags":[...],"annotation":"..."}]``:
basic ISO UTC times; ``end`` is missing for the running interval (skipped); ``tags`` and
``annotation`` may be missing. Anything printed before the first ``[`` (a shell banner)
is passed over. The task is the tags (joined by a space), else the annotation.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, Problem, RowError, register
from roi.importers.formats import timewarrior_data as data_files
from roi.importers.jsontext import (
    JsonReading,
    canonical,
    choose,
    head_of,
    records_of,
    tag_fields,
    text,
)
from roi.importers.timeparse import LocalClock, basic_iso

NAME = "timewarrior"
TITLE = "Timewarrior export JSON"
FIELDS = ["tags", "annotation", "first tag"]


def _is_basic(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 15 and value[8:9] == "T" and value[:8].isdigit()


def _identity(r: Any) -> str:
    """An interval without its id: ids are renumbered by every later interval."""
    if isinstance(r, dict):
        r = {k: v for k, v in r.items() if k != "id"}
    return canonical(r)


def sniff(source: Any) -> int:
    if source.kind != "json":
        return data_files.sniff(source)
    head = head_of(source)
    if head.kind != "array":
        return 0
    if not head.items:
        return 5 if head.whole else 0  # `timew export` of nothing is "[\n]"
    first = next((r for r in head.items if isinstance(r, dict)), None)
    return 95 if first is not None and _is_basic(first.get("start")) else 0


def open_(source: Any, options: Any) -> JsonReading:
    def convert(r: Any, clock: LocalClock) -> Any:
        if not isinstance(r, dict):
            raise RowError(f"not an interval object (got {text(r)[:60]!r})")
        if "start" not in r:
            raise RowError("interval has no start")
        start = basic_iso(str(r["start"]), "start", clock)
        fields, tags = tag_fields(r.get("tags"))
        fields["annotation"] = text(r.get("annotation"))
        task = choose(fields, ["tags", "annotation"], options.task_from)
        if r.get("end") in (None, ""):
            return Problem(0, f"still running (no end): {task or '(untagged)'!r} since {clock.iso(start)}", "", True)
        end = basic_iso(str(r["end"]), "end", clock)
        return start, end, task, fields, fields["annotation"], tags

    if source.kind == "json":
        note = f"{source.json_prefix} characters before the JSON passed over" if source.json_prefix else ""
        return JsonReading(TITLE, records_of(source.json), convert, options,
                           note, fields=FIELDS, identity=_identity)

    def convert_line(rec: Any, clock: LocalClock) -> Any:
        name, line = rec
        try:
            r = data_files.interval(line)
            got = Problem(0, "an exclusion (exc), not an interval", "", True) if r is None else convert(r, clock)
        except RowError as exc:
            raise RowError(f"{name}: {exc}" if name else str(exc)) from None
        return Problem(0, f"{got.reason} (in {name})", "", True) if name and isinstance(got, Problem) else got

    rows, note = data_files.records(source)
    title = data_files.FOLDER_TITLE if isinstance(source, data_files.DataFolder) else data_files.TITLE
    return JsonReading(title, rows, convert_line, options, note, fields=FIELDS, total=source.lines,
                       identity=lambda rec: _identity(data_files.interval(rec[1])), raw=lambda rec: rec[1])


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
