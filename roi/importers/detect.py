"""Which format a file is in, from its content (header names, JSON shape), never its name."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from typing import Any

from roi.importers.base import REGISTRY, NotATaskLog, Options, Parser, RowError
from roi.importers.csvplan import header_fields
from roi.importers.reader import Source, json_start, load_json, read_header, sniff_delimiter

JSON_LIMIT = 512 * 1024 * 1024


@dataclass
class Sample:
    source: Source
    kind: str  # "csv" or "json"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)
    json: Any = None
    mapping: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)


def sample_of(source: Source, mapping: dict[str, str] | None = None) -> Sample:
    head = source.head
    stripped = head.lstrip()
    looks_json = stripped[:1] in ("[", "{")
    if not looks_json and _banner_then_json(head):
        looks_json = True  # something printed before `timew export`'s "["
    if looks_json:
        if source.size > JSON_LIMIT:
            raise NotATaskLog(f"{source.path}: JSON file too large ({source.size} bytes)")
        text = source.read_text().lstrip("\ufeff")
        start = json_start(text)
        if start is not None:
            try:
                data = load_json(text, start)
            except (ValueError, RecursionError) as exc:
                raise NotATaskLog(f"{source.path} is not valid JSON: {exc}") from None
            sample = Sample(source, "json", json=data, mapping=dict(mapping or {}))
            if text[:start].strip():
                sample.details["skipped_prefix"] = start
            return sample
        if stripped[:1] in ("[", "{"):
            raise NotATaskLog(f"{source.path} looks like JSON but does not parse as JSON")
    delimiter = sniff_delimiter(head)
    header = read_header(source, delimiter)
    return Sample(source, "csv", delimiter, header, header_fields(header), mapping=dict(mapping or {}))


def _banner_then_json(head: str) -> bool:
    """A few lines of text (a shell banner, `key: value` config lines) and then a line
    that starts a JSON array or object, as `timew export` piped through a chatty shell."""
    pos = head.find("\n[")
    if pos == -1 or pos > 4000 or "," in head.split("\n", 1)[0][:200]:
        return False
    after = head[pos + 2 : pos + 40].lstrip(" \t")
    return after[:1] in ("{", "[", "]", "\n", "\r", '"', "")


def choose_format(sample: Sample, wanted: str = "auto") -> tuple[str, int]:
    if wanted != "auto":
        if wanted not in REGISTRY:
            raise NotATaskLog(f"unknown format {wanted!r} (choose from: auto, {', '.join(REGISTRY)})")
        return wanted, REGISTRY[wanted].sniff(sample)
    scores = sorted(((info.sniff(sample), name) for name, info in REGISTRY.items()), reverse=True)
    best, name = scores[0] if scores else (0, "")
    if best <= 0:
        raise NotATaskLog(_why_not(sample))
    return name, best


def _why_not(sample: Sample) -> str:
    where = sample.source.path
    if sample.kind == "json":
        return (f"{where} is JSON but not a task log this version knows (Timewarrior export,"
                " Watson log or frames, ActivityWatch export)")
    cols = ", ".join(repr(h) for h in sample.header[:12] if h) or "none"
    return (f"{where} has no recognisable task-log columns (found: {cols}); name them with"
            " --map, e.g. --map date=Datum --map task=Aufgabe --map minutes=Min")


def open_parser(source: Source, wanted: str, options: Options) -> Parser:
    try:
        sample = sample_of(source, options.mapping)
    except csv.Error as exc:
        raise NotATaskLog(f"{source.path} is not readable as CSV ({exc})") from None
    name, score = choose_format(sample, wanted)
    info = REGISTRY[name]
    try:
        if wanted != "auto" and score <= 0 and not (name == "generic" and sample.kind == "csv"):
            raise NotATaskLog(f"{source.path} does not look like a {info.title} file")
        parser = info.open(source, sample, options)
    except RowError as exc:
        raise NotATaskLog(f"{source.path}: {exc}") from None
    except (KeyError, TypeError, IndexError, csv.Error) as exc:
        raise NotATaskLog(f"{source.path} does not fit the {info.title} layout ({exc})") from None
    return parser
