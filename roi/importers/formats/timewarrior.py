"""Timewarrior ``timew export`` JSON.

``[{"id":2,"start":"20231001T103000Z","end":"...","tags":[...],"annotation":"..."}]``:
basic ISO UTC times; ``end`` is missing for the running interval (skipped); ``tags`` and
``annotation`` may be missing. Anything printed before the first ``[`` (a shell banner)
is passed over. The task is the tags (joined by a space), else the annotation.
"""

from __future__ import annotations

from typing import Any

from roi.importers.api import FormatInfo, Problem, RowError, register
from roi.importers.jsontext import JsonReading, canonical, choose, lines_of, tag_fields, text
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
    data = source.json
    if source.kind != "json" or not isinstance(data, list):
        return 0
    if not data:
        return 5  # `timew export` of nothing is "[\n]"
    first = next((r for r in data if isinstance(r, dict)), None)
    return 95 if first is not None and _is_basic(first.get("start")) else 0


def open_(source: Any, options: Any) -> JsonReading:
    data = source.json
    records = list(zip(lines_of(data), data, strict=False))

    def convert(r: Any, clock: LocalClock) -> Any:
        if not isinstance(r, dict):
            raise RowError(f"not an interval object (got {text(r)[:60]!r})")
        if "start" not in r:
            raise RowError("interval has no start")
        start = basic_iso(str(r["start"]), "start", clock)
        if r.get("end") in (None, ""):
            return Problem(0, "interval still running (no end)", "", True)
        end = basic_iso(str(r["end"]), "end", clock)
        fields, tags = tag_fields(r.get("tags"))
        fields["annotation"] = text(r.get("annotation"))
        task = choose(fields, ["tags", "annotation"], options.task_from)
        step = choose(fields, [], options.step_from) or None
        return start, end, task, step, fields["annotation"], tags

    note = f"{source.json_prefix} characters before the JSON passed over" if source.json_prefix else ""
    return JsonReading(TITLE, records, convert, options, note, fields=FIELDS, identity=_identity)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
