"""ActivityWatch: bucket export JSON and the web UI's CSV of a bucket's events.

JSON: ``{"buckets": {id: {"type": "currentwindow", ..., "events": [...]}}}`` (native),
the split wrapper ``{"buckets": {id: meta}, "events": {id: [...]}}``, or a bare list of
events. Events are newest first, with ``timestamp`` (UTC offset), ``duration`` (float
seconds) and ``data`` (window: app, title). Only window events become entries (other
buckets, such as AFK or web, are skipped and counted); zero-length events are skipped.
The task is the app; the window title is the description.
CSV: ``timestamp,duration,app,title`` (columns from the first event's data).
"""

from __future__ import annotations

from typing import Any

from roi.importers.base import FormatInfo, Problem, RowError, register
from roi.importers.csvplan import Layout, csv_open
from roi.importers.jsonbase import JsonParser, choose, text
from roi.importers.reader import lines_of
from roi.importers.timeparse import LocalClock, aware_iso

NAME = "activitywatch"
TITLE = "ActivityWatch bucket export JSON"
CSV_TITLE = "ActivityWatch events CSV"
KNOWN = {"app": ["app"], "title": ["title"], "url": ["url"], "status": ["status"]}
FIELDS = ["app", "title", "url", "bucket", "status"]


def sniff(sample: Any) -> int:
    if sample.kind == "csv":
        f = sample.fields
        if "timestamp" in f and "duration" in f and ({"app", "title", "url", "status"} & set(f)):
            return 90
        return 0
    data = sample.json
    if isinstance(data, dict) and isinstance(data.get("buckets"), dict):
        return 95
    if isinstance(data, list) and data and isinstance(data[0], dict) and {"timestamp", "duration"} <= set(data[0]):
        return 80
    return 0


def layout(sample: Any) -> Layout:
    f = sample.fields
    return Layout(
        roles={"start": f["timestamp"], "duration": f["duration"]},
        duration_unit="seconds",
        task_from=["app", "title", "url", "status"],
        description="title" if "title" in f else None,
        skip_zero=True,
    )


_csv_open = csv_open(NAME, CSV_TITLE, layout, KNOWN)


def _is_window(bucket_id: str, meta: Any) -> bool:
    kind = meta.get("type") if isinstance(meta, dict) else None
    return kind == "currentwindow" or (kind is None and "window" in bucket_id)


def open_(source: Any, sample: Any, options: Any) -> Any:
    if sample.kind == "csv":
        return _csv_open(source, sample, options)
    data = sample.json
    records: list[tuple[int, Any]] = []
    skipped_buckets: list[str] = []
    if isinstance(data, list):
        records = [(line, ("events", ev)) for line, ev in zip(lines_of(data), data, strict=False)]
    else:
        buckets = data.get("buckets") or {}
        split = data.get("events") if isinstance(data.get("events"), dict) else None
        for bucket_id, meta in buckets.items():
            events = split.get(bucket_id, []) if split is not None else (
                meta.get("events", []) if isinstance(meta, dict) else [])
            if not isinstance(events, list):
                continue
            window = _is_window(bucket_id, meta)
            if not window:
                skipped_buckets.append(str(bucket_id))
            for line, ev in zip(lines_of(events), events, strict=False):
                records.append((line, (bucket_id, ev) if window else (None, bucket_id)))
        if split is not None:
            for bucket_id, events in split.items():
                if bucket_id not in buckets and isinstance(events, list):
                    for line in lines_of(events):
                        records.append((line, (None, bucket_id)))
    records.sort(key=lambda r: r[0])

    def convert(rec: Any, clock: LocalClock) -> Any:
        bucket, ev = rec
        if bucket is None:
            return Problem(0, f"not window activity (bucket {text(ev)!r})", "", True)
        if not isinstance(ev, dict):
            raise RowError(f"not an event (got {text(ev)[:60]!r})")
        start = aware_iso(ev.get("timestamp"), "timestamp")
        dur = ev.get("duration")
        if isinstance(dur, bool) or not isinstance(dur, int | float):
            raise RowError(f"duration {dur!r} is not a number")
        if dur < 0:
            raise RowError(f"negative duration {dur!r} in duration")
        if dur != dur or dur in (float("inf"),):
            raise RowError(f"duration {dur!r} is not a finite number")
        if dur == 0:
            return Problem(0, "zero-length event", "", True)
        data = ev.get("data")
        d: dict[str, Any] = data if isinstance(data, dict) else {}
        fields = {k: text(d.get(k)) for k in ("app", "title", "url", "status")}
        fields["bucket"] = str(bucket)
        task = choose(fields, ["app", "title", "url", "status"], options.task_from, FIELDS, "--task-from")
        step = choose(fields, [], options.step_from, FIELDS, "--step-from") if options.step_from else None
        tags = [f"bucket:{bucket}"] if bucket != "events" else []
        return start, start + float(dur), task, step or None, fields.get("title", ""), tags

    note = "window events only"
    if skipped_buckets:
        note += f"; events of {', '.join(skipped_buckets)} skipped"
    return JsonParser(NAME, TITLE, source, records, convert, options, note, fields=FIELDS)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
