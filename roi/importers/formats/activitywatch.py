"""ActivityWatch: bucket export JSON and the web UI's CSV of a bucket's events.

JSON: ``{"buckets": {id: {"type": "currentwindow", ..., "events": [...]}}}`` (native),
the split wrapper ``{"buckets": {id: meta}, "events": {id: [...]}}``, or a bare list of
events. Events are newest first, with ``timestamp`` (UTC offset), ``duration`` (float
seconds) and ``data`` (window: app, title). Only window events become entries (other
buckets, such as AFK or web, are skipped and counted); zero-length events are skipped.
The task is the app; the window title is the description.

A window stays focused while its person is away, so a window event also covers time
away from the keyboard. When the export holds an AFK bucket (aw-watcher-afk) of the
same host, window events are cut to its "not-afk" periods, as ActivityWatch's own
"active time" query does: an event wholly away is skipped, one partly away keeps its
active part, and one with an absence inside becomes one entry per active stretch.
Without an AFK bucket, window events count whole (and the note says so).

CSV: ``timestamp,duration,app,title`` (columns from the first event's data).
"""

from __future__ import annotations

import bisect
from typing import Any

from roi.importers.api import FormatInfo, Options, Problem, RowError, register
from roi.importers.csvlog import Layout, csv_open
from roi.importers.jsontext import JsonReading, choose, lines_of, text
from roi.importers.timeparse import LocalClock, aware_iso

NAME = "activitywatch"
TITLE = "ActivityWatch bucket export JSON"
CSV_TITLE = "ActivityWatch events CSV"
KNOWN = {"app": ["app"], "title": ["title"], "url": ["url"], "status": ["status"]}
FIELDS = ["app", "title", "url", "bucket", "status"]


def sniff(source: Any) -> int:
    if source.kind == "csv":
        f = set(source.fields)
        return 90 if {"timestamp", "duration"} <= f and {"app", "title", "url", "status"} & f else 0
    data = source.json
    if isinstance(data, dict) and isinstance(data.get("buckets"), dict):
        return 95
    if isinstance(data, list) and data and isinstance(data[0], dict) and {"timestamp", "duration"} <= set(data[0]):
        return 80
    return 0


def layout(source: Any) -> Layout:
    f = source.fields
    return Layout(
        roles={"start": f["timestamp"], "duration": f["duration"]},
        duration_unit="seconds",
        task_from=["app", "title", "url", "status"],
        description="title" if "title" in f else None,
        skip_zero=True,
    )


_csv_open = csv_open(CSV_TITLE, layout, KNOWN)


def _is(kind: str, word: str, bucket_id: str, meta: Any) -> bool:
    """A bucket of this type (by its metadata, else by a word of its id)."""
    got = meta.get("type") if isinstance(meta, dict) else None
    return got == kind or (got is None and word in bucket_id)


def _host(bucket_id: str, meta: Any) -> str:
    """The machine a bucket records: its hostname, else what follows the last '_' of its
    id (watchers name buckets 'aw-watcher-window_HOST')."""
    host = meta.get("hostname") if isinstance(meta, dict) else None
    if isinstance(host, str) and host:
        return host
    return bucket_id.rpartition("_")[2] if "_" in bucket_id else ""


def not_afk_spans(events: list[Any]) -> list[tuple[float, float]]:
    """The 'not-afk' periods among an AFK bucket's events (events that are not such a
    period, or not readable, add nothing)."""
    spans = []
    for ev in events:
        data = ev.get("data") if isinstance(ev, dict) else None
        if not isinstance(data, dict) or data.get("status") != "not-afk":
            continue
        dur = ev.get("duration")
        if isinstance(dur, bool) or not isinstance(dur, int | float) or not 0 < dur < float("inf"):
            continue
        try:
            start = aware_iso(ev.get("timestamp"), "timestamp")
        except RowError:
            continue
        spans.append((start, start + float(dur)))
    return spans


def merged(spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Spans in order, overlapping and touching ones joined."""
    out: list[tuple[float, float]] = []
    for start, end in sorted(spans):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def active_parts(start: float, end: float, spans: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of [start, end) inside the merged spans, in order."""
    parts = []
    i = max(bisect.bisect_right(spans, (start, float("inf"))) - 1, 0)  # the last span starting at or before start
    while i < len(spans) and spans[i][0] < end:  # (no slice: a copy of the rest, for every event)
        lo, hi = max(spans[i][0], start), min(spans[i][1], end)
        if lo < hi:
            parts.append((lo, hi))
        i += 1
    return parts


class _Export:
    """An export's buckets: the window events to read (each with its bucket), the not-AFK
    periods of each host, and what the cut took out, for the note."""

    def __init__(self, data: Any, options: Options) -> None:
        self.options = options
        self.records: list[tuple[int, Any]] = []  # (line, (bucket, event)); bucket None: not read
        self.skipped_buckets: list[str] = []
        self.afk_buckets: list[str] = []
        self.active: dict[str, list[tuple[float, float]]] = {}  # host -> its not-afk periods
        self.spans_of: dict[str, list[tuple[float, float]]] = {}  # window bucket -> its host's, if known
        self.window_hosts: set[str] = set()
        self.cut = {"split": 0, "away": 0, "seconds": 0.0}  # what the AFK periods took out
        if isinstance(data, list):
            self.records = [(line, ("events", ev)) for line, ev in zip(lines_of(data), data, strict=False)]
        else:
            self._buckets(data)
        self.records.sort(key=lambda r: r[0])

    def _buckets(self, data: dict[str, Any]) -> None:
        buckets = data.get("buckets") or {}
        split = data.get("events") if isinstance(data.get("events"), dict) else None

        def events_of(bucket_id: str, meta: Any) -> list[Any]:
            events = split.get(bucket_id, []) if split is not None else (
                meta.get("events", []) if isinstance(meta, dict) else [])
            return events if isinstance(events, list) else []

        for bucket_id, meta in buckets.items():
            if _is("afkstatus", "afk", str(bucket_id), meta):
                self.afk_buckets.append(str(bucket_id))
                periods = self.active.setdefault(_host(str(bucket_id), meta), [])
                periods.extend(not_afk_spans(events_of(bucket_id, meta)))
        self.active = {host: merged(spans) for host, spans in self.active.items()}
        for bucket_id, meta in buckets.items():
            events = events_of(bucket_id, meta)
            window = _is("currentwindow", "window", bucket_id, meta)
            if window:
                host = _host(str(bucket_id), meta)
                self.window_hosts.add(host)
                if host in self.active:
                    self.spans_of[bucket_id] = self.active[host]
            else:
                self.skipped_buckets.append(str(bucket_id))
            # a record is (bucket, event): its JSON is the entry's identity, as before AFK cuts
            for line, ev in zip(lines_of(events), events, strict=False):
                self.records.append((line, (bucket_id, ev) if window else (None, bucket_id)))
        for bucket_id, events in (split or {}).items():
            if bucket_id not in buckets and isinstance(events, list):
                self.records.extend((line, (None, bucket_id)) for line in lines_of(events))

    def convert(self, rec: Any, clock: LocalClock) -> Any:
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
        task = choose(fields, ["app", "title", "url", "status"], self.options.task_from)
        step = choose(fields, [], self.options.step_from) or None
        tags = [f"bucket:{bucket}"] if bucket != "events" else []
        got = (start, start + float(dur), task, step, fields["title"], tags)
        spans = self.spans_of.get(bucket)
        return got if spans is None else self._cut(got, spans)

    def _cut(self, got: Any, spans: list[tuple[float, float]]) -> Any:
        """An event cut to the periods not AFK: whole, skipped, or in parts."""
        start, end = got[0], got[1]
        parts = active_parts(start, end, spans)
        self.cut["seconds"] += (end - start) - sum(e - s for s, e in parts)
        if not parts:
            self.cut["away"] += 1
            return Problem(0, "away from the keyboard (AFK) all through", "", True)
        if parts == [(start, end)]:
            return got
        self.cut["split"] += len(parts) > 1
        # each part's identity names it, so the content hash tells the parts apart
        return [((s, e, *got[2:]), f"\x1factive {s!r}-{e!r}") for s, e in parts]

    def note(self) -> str:
        """What is read and what is not (known before reading)."""
        note = "window events only"
        if self.afk_buckets:
            note += f", cut to the time not AFK ({', '.join(self.afk_buckets)})"
        else:
            note += "; no AFK bucket: window time counted whole, time away included"
        others = [b for b in self.skipped_buckets if b not in self.afk_buckets]
        if others:
            note += f"; events of {', '.join(others)} skipped"
        return note

    def afk_note(self) -> str:
        """What the cut took out (known once every event is read)."""
        if not self.afk_buckets:
            return ""
        hosts_without = sorted(self.window_hosts - self.active.keys())
        away, parted = int(self.cut["away"]), int(self.cut["split"])
        note = (f"{self.cut['seconds'] / 3600:,.2f} h away left out, {away} event{'s' * (away != 1)} wholly away,"
                f" {parted} split around an absence")
        if hosts_without:
            note += f"; no AFK data for {', '.join(hosts_without)}: its window time counted whole"
        return note


def open_(source: Any, options: Options) -> Any:
    if source.kind == "csv":
        return _csv_open(source, options)
    export = _Export(source.json, options)
    return JsonReading(TITLE, export.records, export.convert, options, export.note(), fields=FIELDS,
                       finish=export.afk_note)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
