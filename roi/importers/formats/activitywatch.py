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
from collections.abc import Iterator
from typing import Any

from roi.importers.api import FormatInfo, NotATaskLog, Options, Problem, RowError, register
from roi.importers.csvlog import Layout, csv_open
from roi.importers.jsonstream import Stream
from roi.importers.jsontext import JsonReading, choose, head_of, text
from roi.importers.timeparse import LocalClock, aware_iso

NAME = "activitywatch"
TITLE = "ActivityWatch bucket export JSON"
CSV_TITLE = "ActivityWatch events CSV"
DATA = ["app", "title", "url", "status"]  # an event's data fields that may name its task, in that order
KNOWN = {name: [name] for name in DATA}
FIELDS = ["app", "title", "url", "bucket", "status"]


def sniff(source: Any) -> int:
    if source.kind == "csv":
        f = set(source.fields)
        return 90 if {"timestamp", "duration"} <= f and set(DATA) & f else 0
    head = head_of(source)
    if head.kind == "object" and head.opens.get("buckets") == "{":
        return 95
    return 80 if isinstance(head.first, dict) and {"timestamp", "duration"} <= set(head.first) else 0


def layout(source: Any) -> Layout:
    f = source.fields
    return Layout(
        roles={"start": f["timestamp"], "duration": f["duration"]},
        duration_unit="seconds",
        task_from=list(DATA),
        description="title" if "title" in f else None,
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


def _timed(ev: Any) -> tuple[float, float]:
    """An event's start and seconds; RowError if either is not readable."""
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
    return start, float(dur)


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
    """An export's buckets, read as a stream twice: first their metadata, how many events
    each has and the not-AFK periods of each host; then the events to import, one at a
    time (a year is a million events: never all in memory)."""

    def __init__(self, source: Any, options: Options) -> None:
        self.source, self.options = source, options
        self.meta: dict[str, Any] = {}  # bucket id -> its metadata (without its events)
        self.split = False  # events under a top-level "events" object, not in their buckets
        self.total = 0
        self.parted = self.away = 0  # events the AFK periods cut in parts, or took out whole
        self.seconds_away = 0.0
        spans: dict[tuple[str, str], list[tuple[float, float]]] = {}  # (where, bucket) -> its not-afk periods
        for where, bucket, _line, ev in self._walk():
            self.total += 1
            data = ev.get("data") if isinstance(ev, dict) else None
            if isinstance(data, dict) and data.get("status") == "not-afk":
                try:
                    start, dur = _timed(ev)
                except RowError:
                    continue  # not readable: adds nothing
                if dur > 0:
                    spans.setdefault((where, bucket), []).append((start, start + dur))
        where = "split" if self.split else "bucket"
        hosts = {b: _host(b, meta) for b, meta in self.meta.items()}
        self.window = {b: _is("currentwindow", "window", b, meta) for b, meta in self.meta.items()}
        self.afk_buckets = [b for b, meta in self.meta.items() if _is("afkstatus", "afk", b, meta)]
        active: dict[str, list[tuple[float, float]]] = {}  # host -> its not-afk periods
        for bucket in self.afk_buckets:
            active.setdefault(hosts[bucket], []).extend(spans.get((where, bucket), []))
        active = {host: merged(periods) for host, periods in active.items()}
        windows = [b for b, window in self.window.items() if window]
        # window bucket -> its host's not-afk periods, if known
        self.spans_of = {b: active[hosts[b]] for b in windows if hosts[b] in active}
        self.uncut = sorted({hosts[b] for b in windows} - active.keys())  # hosts with no AFK data

    def _walk(self) -> Iterator[tuple[str, str, int, Any]]:
        """(where, bucket, line, event) for every event, in file order: where is "bucket"
        (inside its bucket), "split" (the wrapper's "events" object) or "list" (a bare
        list of events). Bucket metadata is kept in self.meta as it goes by."""
        with self.source.open_text() as fh:
            fh.read(self.source.json_prefix)
            stream = Stream(fh)
            try:
                if stream.peek() == "[":
                    for line in stream.elements():
                        yield "list", "events", line, stream.value()
                else:
                    for key in stream.members():
                        if key == "buckets" and stream.peek() == "{":
                            for bucket in stream.members():
                                yield from self._bucket(stream, str(bucket))
                        elif key == "events" and stream.peek() == "{":
                            self.split = True
                            for bucket in stream.members():
                                if stream.peek() != "[":
                                    stream.value()  # not a list of events: passed over
                                    continue
                                for line in stream.elements():
                                    yield "split", str(bucket), line, stream.value()
                        else:
                            stream.value()
                stream.end()
            except ValueError as exc:
                raise NotATaskLog(f"{self.source.path} is not valid JSON: {exc}") from None

    def _bucket(self, stream: Stream, bucket: str) -> Iterator[tuple[str, str, int, Any]]:
        if stream.peek() != "{":
            self.meta[bucket] = stream.value()
            return
        meta = self.meta[bucket] = {}
        for key in stream.members():
            if key == "events" and stream.peek() == "[":
                for line in stream.elements():
                    yield "bucket", bucket, line, stream.value()
            else:
                meta[key] = stream.value()

    def records(self) -> Iterator[tuple[int, Any]]:
        """(line, (bucket, event)) of each event to read, (line, (None, bucket)) of one
        not read (another kind of bucket); a record's JSON is the entry's identity."""
        for where, bucket, line, ev in self._walk():
            if where == "list":
                yield line, ("events", ev)
            elif (where == "split") == self.split:
                yield line, ((bucket, ev) if self.window.get(bucket) else (None, bucket))

    def convert(self, rec: Any, clock: LocalClock) -> Any:
        bucket, ev = rec
        if bucket is None:
            return Problem(0, f"not window activity (bucket {text(ev)!r})", "", True)
        start, dur = _timed(ev)
        if dur == 0:
            return Problem(0, "zero-length event", "", True)
        data = ev.get("data")
        d: dict[str, Any] = data if isinstance(data, dict) else {}
        fields = {k: text(d.get(k)) for k in DATA}
        fields["bucket"] = str(bucket)
        task = choose(fields, DATA, self.options.task_from)
        tags = [f"bucket:{bucket}"] if bucket != "events" else []
        got = (start, start + dur, task, fields, fields["title"], tags)
        spans = self.spans_of.get(bucket)
        return got if spans is None else self._cut(got, spans)

    def _cut(self, got: Any, spans: list[tuple[float, float]]) -> Any:
        """An event cut to the periods not AFK: whole, skipped, or in parts."""
        start, end = got[0], got[1]
        parts = active_parts(start, end, spans)
        self.seconds_away += (end - start) - sum(e - s for s, e in parts)
        if not parts:
            self.away += 1
            return Problem(0, "away from the keyboard (AFK) all through", "", True)
        if parts == [(start, end)]:
            return got
        self.parted += len(parts) > 1
        # each part's identity names it, so the content hash tells the parts apart
        return [((s, e, *got[2:]), f"\x1factive {s!r}-{e!r}") for s, e in parts]

    def note(self) -> str:
        """What is read and what is not (known before reading)."""
        note = "window events only"
        if self.afk_buckets:
            note += f", cut to the time not AFK ({', '.join(self.afk_buckets)})"
        else:
            note += "; no AFK bucket: window time counted whole, time away included"
        others = [b for b, window in self.window.items() if not window and b not in self.afk_buckets]
        if others:
            note += f"; events of {', '.join(others)} skipped"
        return note

    def afk_note(self) -> str:
        """What the cut took out (known once every event is read)."""
        if not self.afk_buckets:
            return ""
        note = (f"{self.seconds_away / 3600:,.2f} h away left out, {self.away} event{'s' * (self.away != 1)}"
                f" wholly away, {self.parted} split around an absence")
        if self.uncut:
            note += f"; no AFK data for {', '.join(self.uncut)}: its window time counted whole"
        return note


def open_(source: Any, options: Options) -> Any:
    if source.kind == "csv":
        return _csv_open(source, options)
    export = _Export(source, options)
    return JsonReading(TITLE, export.records(), export.convert, options, export.note(), fields=FIELDS,
                       finish=export.afk_note, total=export.total)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
