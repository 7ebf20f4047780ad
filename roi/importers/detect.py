"""Which format a file is in, from its content (header names, JSON shape), never its name."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable

from roi.importers.api import (
    Entry,
    Format,
    NotATaskLog,
    Options,
    Problem,
    RowError,
    all_formats,
    clipped,
)
from roi.importers.source import Source


def _why_not(source: Source) -> str:
    if source.kind == "json":
        from roi.importers.jsontext import not_known

        return not_known(source)
    head = source.head.lstrip()  # what a text no format took is (the formats had their say first)
    lines = [line.strip() for line in head.splitlines()[:20] if line.strip()]
    if head.startswith("BEGIN:VCALENDAR"):
        return f"{source.path} is an iCalendar file (calendar events), not a task log this version reads"
    if re.match(r"inc \d{8}T\d{6}Z", head):
        return (f"{source.path} is a raw Timewarrior data file (~/.timewarrior/data/YYYY-MM.data);"
                " import what `timew export` prints instead")
    if len(source.header) == 1 and all(len(x) > 1 and x[0] == x[-1] == '"' for x in lines) and any(
            d in lines[0] for d in ",;\t"):
        return (f"{source.path}: every line is one quoted field ({clipped(lines[0], 60)}): was it re-saved by a"
                " spreadsheet? Import the original export, or split the column before saving as CSV")
    cols = ", ".join(repr(h) for h in source.header[:12] if h) or "none"
    return (f"{source.path} has no recognisable task-log columns (found: {cols}); name them with"
            " --map, e.g. --map date=Datum --map task=Aufgabe --map minutes=Min")


def open_format(source: Source, wanted: str, options: Options) -> tuple[Format, Iterable[Entry | Problem]]:
    """The format asked for, or else the best-scoring one, of an inspected source, and its
    rows; NotATaskLog when it has none."""
    known = all_formats()
    if wanted == "auto":
        score, name = max(((fmt.sniff(source), name) for name, fmt in known.items()), default=(0, ""))
        if score <= 0:
            raise NotATaskLog(_why_not(source))
    elif wanted not in known:
        raise NotATaskLog(f"unknown format {wanted!r} (choose from: auto, {', '.join(known)})")
    else:
        score, name = known[wanted].sniff(source), wanted
    fmt = known[name]
    try:
        if score <= 0 and not (fmt.name == "generic" and source.kind == "csv"):  # asked for by name
            raise NotATaskLog(f"{source.path} does not look like a {fmt.title} file")
        return fmt, fmt.open(source, options)
    except RowError as exc:
        raise NotATaskLog(f"{source.path}: {exc}") from None
    except (KeyError, TypeError, IndexError, csv.Error) as exc:
        raise NotATaskLog(f"{source.path} does not fit the {fmt.title} layout ({exc})") from None
