"""Junk never produces a traceback: random bytes, random CSV shapes, huge fields, NULs."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi.db.store import Store
from roi.importers import FORMATS, ImportSummary, NotATaskLog, preview, run_import

NAMES = ["Date", "Start date", "Start time", "End date", "End time", "Duration", "Description",
         "Project", "User", "Email", "Tags", "task", "minutes", "hours", "start", "end", "stop",
         "id", "project", "timestamp", "duration", "app", "title", "Notes", "Hours", "Client",
         "Duration (h)", "Startdatum", "Time (h)", "Datum", "x", ""]
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2024-03-04", "03/14/2024", "31.12.2024", "2024-02-30", "10:00", "25:61",
                     "1:00:00", "-0:30", "1,5", "abc", "NaN", "inf", "-1", "", "\x00", '"', "\n",
                     "20260319T000823Z", "2024-03-04T10:00:00+01:00", "0", "1e308", "99999999999",
                     # digits str.isdigit() accepts and int() refuses, and digits of other scripts
                     "1\u00b2:00:00", "\u00b3", "2024-03-0\u00b9", "\u0663:\u0660\u0660", "\u00bd", "\u0661,\u0665"]),
    st.text(min_size=1, max_size=3).map(lambda s: s * 20_000),  # huge fields
)
# ROI_FUZZ_EXAMPLES=2000 for a longer hunt
SETTINGS = settings(max_examples=int(os.environ.get("ROI_FUZZ_EXAMPLES", "60")), deadline=None, suppress_health_check=list(HealthCheck))


def _try(data: bytes, fmt: str = "auto") -> ImportSummary | None:
    """Import `data`: NotATaskLog (nothing stored) or a summary whose counts add up."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "junk.csv"
        path.write_bytes(data)
        store = Store.open(":memory:")
        try:
            try:
                s = run_import(store, path, format=fmt, tz="Europe/Berlin")
            except NotATaskLog:
                assert store.count("import_batch") == 0
                return None
            assert s.rows_read == s.imported + s.duplicates + s.skipped + s.rejected
            assert all(isinstance(line, int) and isinstance(reason, str) for line, reason in s.errors)
            try:
                preview(path, format=fmt, tz="UTC", limit=5)
            except NotATaskLog:
                pass
            return s
        finally:
            store.close()


@SETTINGS
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _try(data)


@SETTINGS
@given(
    header=st.lists(st.sampled_from(NAMES), min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=9), max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    fmt=st.sampled_from(("auto", *FORMATS)),
)
def test_random_csv_shapes(header: list[str], rows: list[list[str]], delimiter: str, encoding: str, fmt: str) -> None:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    _try(out.getvalue().encode(encoding, errors="replace"), fmt)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20)
    | st.sampled_from(["20260319T000823Z", "2024-03-04T10:00:00+01:00", "2023-11-19T13:25:37.839Z",
                       "PT1H30M", "-1733000000", "2024-03-0\u00b9T10:00:00Z", "\u00b2"]),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(
        st.sampled_from(["start", "end", "stop", "tags", "annotation", "project", "id", "buckets", "events",
                         "type", "timestamp", "duration", "data", "app", "title",
                         # the Toggl and Clockify API entries'
                         "description", "timeInterval", "workspace_id", "project_id", "wid", "pid", "at",
                         "server_deleted_at", "projectId", "taskId", "tagIds", "timeentries", "status"]),
        children, max_size=6),
    max_leaves=30,
)


@SETTINGS
@given(JSONISH)
def test_random_json_shapes(value: object) -> None:
    import json

    _try(json.dumps(value).encode())
    _try(("banner [x]\n" + json.dumps(value)).encode())


def test_times_beyond_year_9999_are_rejected_rows_not_tracebacks(tmp_path, roi) -> None:
    """Found by the JSON fuzz test: an epoch past year 9999 in a Watson frames file."""
    import json

    from roi.importers import preview

    frames = tmp_path / "frames"
    frames.write_text(json.dumps([
        [1700000000, 1700003600, "good", "a1", [], 1700003600],
        [1700000000, 10 ** 13, "far", "a2", [], 1700003600],
    ]))
    rows = preview(frames)
    assert [r.ok for r in rows] == [True, False]
    assert "out of range" in (rows[1].error or "")
    result = roi("import", str(frames), "--json")
    assert result.exit_code == 1, result.output
    summary = json.loads(result.stdout)
    assert summary["imported"] == 1 and summary["rejected"] == 1
    assert "Traceback" not in result.output


EXTREME_NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e308", "1e309", "-1e308", "1e-320", "4e18", "9" * 400, "0x10", "1_000"]),
)
EXTREME_DATES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),  # years 1 to 9999
    st.integers(min_value=-10**6, max_value=10**6).map(lambda y: f"{y}-01-01T00:00:00Z"),
    st.sampled_from(["0000-01-01", "9999-12-31T23:59:59Z", "10000-01-01T00:00:00Z", "2024-13-01", "1e20"]),
)


@SETTINGS
@given(rows=st.lists(st.tuples(EXTREME_DATES, EXTREME_NUMBERS), min_size=1, max_size=12))
def test_extreme_numbers_and_dates_cost_their_row_only(rows: list[tuple[str, str]]) -> None:
    """Every per-row conversion is inside the per-row handling: whatever the value, the
    row is imported or rejected with its line, and the good row after it is kept."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "log.csv"
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(["Start", "Minutes", "Task"])
        for start, minutes in rows:
            w.writerow([start, minutes, "extreme"])
        w.writerow(["2024-01-02T09:00:00Z", "30", "good"])
        path.write_text(out.getvalue(), encoding="utf-8")
        store = Store.open(Path(tmp) / "roi.db")
        try:
            s = run_import(store, path, tz="UTC")
            assert s.rows_read == len(rows) + 1
            assert s.imported + s.rejected + s.skipped + s.duplicates == len(rows) + 1
            assert {line for line, _ in s.errors} <= set(range(2, len(rows) + 2))
            assert "good" in {t.name for t in store.list_tasks()}
        finally:
            store.close()


HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20), st.floats(),
    st.text(max_size=12), st.lists(st.text(max_size=5), max_size=3),
    st.sampled_from(["2024-03-04T10:00:00Z", "2024-03-04T10:00:00+01:00", "20260319T000823Z", "PT1H30M",
                     "2024-03-0\u00b9T10:00:00Z", "\u00b2", "", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z"]),
)
# a good record of each JSON format; the property makes others from it with hostile values
GOOD_RECORDS: dict[str, dict[str, object]] = {
    "toggl-api": {"id": 1, "start": "2024-03-04T10:00:00Z", "stop": "2024-03-04T11:00:00Z", "duration": 3600,
                  "description": "Review", "project_id": 7, "tags": ["ops"], "workspace_id": 3},
    "clockify-api": {"id": "a1", "description": "Review", "projectId": "p1", "tagIds": [], "type": "REGULAR",
                     "timeInterval": {"start": "2024-03-04T10:00:00Z", "end": "2024-03-04T11:00:00Z",
                                      "duration": "PT1H"}},
    "watson": {"id": "w1", "start": "2024-03-04T10:00:00+01:00", "stop": "2024-03-04T11:00:00+01:00",
               "project": "ops", "tags": ["a"]},
    "timewarrior": {"id": 1, "start": "20240304T100000Z", "end": "20240304T110000Z", "tags": ["ops"],
                    "annotation": "Review"},
    "activitywatch": {"timestamp": "2024-03-04T10:00:00+00:00", "duration": 60.0,
                      "data": {"app": "firefox", "title": "Inbox"}},
}


def _hostile(value: object, data: st.DataObject) -> object:
    """The value, or (at every level of a nested object) a hostile one in its place."""
    if data.draw(st.integers(0, 2)) == 0:
        return data.draw(HOSTILE)
    if isinstance(value, dict):
        return {key: _hostile(v, data) for key, v in value.items()}
    return value


@SETTINGS
@given(st.sampled_from(sorted(GOOD_RECORDS)), st.data())
def test_records_of_each_json_format_with_hostile_values(fmt: str, data: st.DataObject) -> None:
    """Whatever the values of a record in a format's shape, each costs its row at most:
    after a good first record (so the format is recognised), the file imports or rejects
    each record, never a traceback."""
    import json

    good = GOOD_RECORDS[fmt]
    records = [good, *(_hostile(good, data) for _ in range(data.draw(st.integers(1, 6))))]
    value: object = records
    if fmt == "activitywatch" and data.draw(st.booleans()):
        value = {"buckets": {"aw-watcher-window_h": {"type": "currentwindow", "events": records}}}
    summary = _try(json.dumps(value).encode())
    assert summary is not None and summary.format == fmt and summary.imported >= 1  # the good one
