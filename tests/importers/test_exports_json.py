"""Issue 16, the JSON side: Timewarrior's raw data files (one or a folder), Toggl and
Clockify API JSON, ActivityWatch read as a stream, JSON that is no known export, and a
year of each format giving tens of tasks. Fixtures are written here, in the shapes of
Timewarrior's Interval::serialize, Toggl's v9 /me/time_entries and Clockify's
time-entries API."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.db.store import Store
from roi.importers import NotATaskLog, detect_format, jsonstream, preview, run_import

TZ = "Europe/Berlin"

# --- Timewarrior data files ------------------------------------------------------------------

JAN = (
    'inc 20230120T182500Z - 20230120T190000Z # email "tag two" # "a \\"quoted\\" note"\n'
    "inc 20230121T080000Z - 20230121T083000Z # email\n"
    "inc 20230122T080000Z - 20230122T084500Z # # bare annotation words\n"
    "exc monday <9:00:00 >17:00:00\n"
    "\n"
    'inc 20230123T070000Z - 20230123T071500Z # "Trans-Europe Express" bar foo # this is an annotation\n'
)
FEB = ("inc 20230201T090000Z - 20230201T100000Z # email\n"
       "inc 20230202T090000Z # email # started, not stopped\n")


def _data_folder(root: Path) -> Path:
    data = root / ".timewarrior" / "data"
    data.mkdir(parents=True)
    (data / "2023-01.data").write_text(JAN)
    (data / "2023-02.data").write_text(FEB)
    (data / "tags.data").write_text('{"email": {"count": 4}, "tag two": {"count": 1}}')
    (data / "undo.data").write_text("txn:\n  type: interval\n  before: \n  after: {}\n")
    (data / "backlog.data").write_text("inc 20230201T090000Z - 20230201T100000Z # email\n")
    return data


def test_a_raw_timewarrior_data_file_is_imported(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "2023-01.data"
    path.write_text(JAN)
    found = detect_format(path)
    assert (found.format, found.title) == ("timewarrior", "Timewarrior data file")
    assert "read without `timew export`" in found.note
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected) == ("timewarrior", 5, 4, 1, 0)
    assert s.hours == pytest.approx((35 + 30 + 45 + 15) / 60)
    assert (4, "an exclusion (exc), not an interval") in s.skips
    rows = store.conn.execute("SELECT t.name, e.description, e.tags FROM time_entry e JOIN task t ON t.id = e.task_id"
                              " ORDER BY e.start").fetchall()
    assert rows == [
        ("email tag two", 'a "quoted" note', '["email", "tag two"]'),
        ("email", "", '["email"]'),
        ("bare annotation words", "bare annotation words", "[]"),
        ("Trans-Europe Express bar foo", "this is an annotation", '["Trans-Europe Express", "bar", "foo"]'),
    ]
    assert run_import(store, path, tz=TZ).duplicates == 4


def test_a_backed_up_data_folder_is_imported_and_its_other_files_left_out(store: Store, tmp_path: Path) -> None:
    data = _data_folder(tmp_path)
    s = run_import(store, tmp_path / ".timewarrior", tz=TZ, dry_run=True)  # ~/.timewarrior holds data/
    assert "2 month files (2023-01.data to 2023-02.data)" in s.note
    assert "not intervals, not read: backlog.data, tags.data, undo.data" in s.note
    s = run_import(store, data, tz=TZ)
    assert (s.format, s.imported, s.skipped, s.rejected) == ("timewarrior", 5, 2, 0)
    running = [reason for _line, reason in s.skips if reason.startswith("still running")]
    assert running == ["still running (no end): 'email' since 2023-02-02T09:00:00Z (in 2023-02.data)"]
    again = run_import(store, data, tz=TZ)
    assert (again.imported, again.duplicates) == (0, 5)


def test_an_export_and_the_data_folder_of_the_same_intervals_are_the_same_entries(store: Store, tmp_path: Path) -> None:
    data = _data_folder(tmp_path)
    export = tmp_path / "export.json"
    export.write_text("[\n" + ",\n".join([
        '{"id":3,"start":"20230120T182500Z","end":"20230120T190000Z","tags":["email","tag two"],'
        '"annotation":"a \\"quoted\\" note"}',
        '{"id":2,"start":"20230121T080000Z","end":"20230121T083000Z","tags":["email"]}',
        '{"id":1,"start":"20230202T090000Z","tags":["email"],"annotation":"started, not stopped"}',
    ]) + "\n]\n")
    first = run_import(store, export, tz=TZ)
    assert (first.imported, first.skipped) == (2, 1)
    s = run_import(store, data, tz=TZ)
    assert (s.imported, s.duplicates) == (3, 2)


def test_bad_lines_of_a_data_folder_are_named_by_file_and_line(store: Store, tmp_path: Path) -> None:
    data = _data_folder(tmp_path)
    (data / "2023-03.data").write_text("inc 20230301T090000Z - 20230301T100000Z # ok\n"
                                       "inc 2023030xT090000Z - 20230301T100000Z # broken\n"
                                       "garbage line\n")
    s = run_import(store, data, tz=TZ)
    assert s.imported == 6 and s.rejected == 2
    assert [line for line, _ in s.errors] == [2, 3]
    assert all(reason.startswith("2023-03.data: ") for _, reason in s.errors)
    assert "'2023030xT090000Z'" in s.errors[0][1]
    assert "should start with 'inc'" in s.errors[1][1]


def test_a_damaged_line_of_a_data_file_costs_that_line_only(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "2023-01.data"
    path.write_text(JAN.replace("exc monday", "\x7f\x7fgarbled"))
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.imported, s.rejected) == ("timewarrior", 4, 1)
    assert s.errors[0][0] == 4 and "should start with 'inc'" in s.errors[0][1]


def test_a_folder_without_data_files_is_still_not_a_task_log(store: Store, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("hello")
    with pytest.raises(NotATaskLog, match="is a folder, not a task log file"):
        run_import(store, tmp_path, tz=TZ)
    assert store.count("import_batch") == 0


def test_timewarrior_tags_data_says_what_it_is(store: Store, tmp_path: Path) -> None:
    data = _data_folder(tmp_path)
    with pytest.raises(NotATaskLog, match="Timewarrior's tags.data"):
        run_import(store, data / "tags.data", tz=TZ)


# --- Toggl and Clockify API JSON -------------------------------------------------------------


def toggl_entry(i: int, description: str, start: str, stop: str | None, duration: int, **extra: object) -> dict:
    """One entry as GET /api/v9/me/time_entries returns it."""
    return {"id": 3_000_000_000 + i, "workspace_id": 7_000_001, "project_id": extra.pop("project_id", 190_000_001),
            "task_id": None, "billable": False, "start": start, "stop": stop, "duration": duration,
            "description": description, "tags": extra.pop("tags", []), "tag_ids": [], "duronly": True,
            "at": "2024-03-04T10:00:03+00:00", "server_deleted_at": None, "user_id": 9_000_001, "uid": 9_000_001,
            "wid": 7_000_001, "pid": 190_000_001, **extra}


def test_toggl_api_json_is_detected_and_a_running_entry_skipped(store: Store, tmp_path: Path) -> None:
    entries = [
        toggl_entry(1, "Weekly report", "2024-03-04T09:00:00+00:00", "2024-03-04T09:45:00+00:00", 2700,
                    tags=["reports"], project_name="Admin", client_name="Acme"),
        toggl_entry(2, "", "2024-03-04T11:00:00+01:00", "2024-03-04T11:30:00+01:00", 1800),
        toggl_entry(3, "Inbox", "2024-03-05T08:00:00Z", None, 900),  # stop not given, duration is
        toggl_entry(4, "Inbox", "2024-03-05T11:00:00+00:00", None, -1),  # v9: running
        toggl_entry(5, "Inbox", "2024-03-04T11:00:00+00:00", "2024-03-04T11:10:00+00:00", 600,
                    server_deleted_at="2024-03-04T12:00:00+00:00"),
    ]
    path = tmp_path / "time_entries.json"
    path.write_text(json.dumps(entries, indent=2))
    found = detect_format(path)
    assert found.format == "toggl-api" and "Toggl API time entries" in found.note
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected) == ("toggl-api", 5, 3, 2, 0)
    assert s.hours == pytest.approx((2700 + 1800 + 900) / 3600)
    assert [r for _, r in s.skips] == [
        "still running (no stop, duration -1): 'Inbox' since 2024-03-05T11:00:00Z",
        "deleted in Toggl ('Inbox', 2024-03-04T12:00:00+00:00)",
    ]
    starts = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  {"]
    assert [line for line, _ in s.skips] == [starts[3], starts[4]]  # the lines the entries start on
    names = [r[0] for r in store.conn.execute(
        "SELECT t.name, e.tags FROM time_entry e JOIN task t ON t.id = e.task_id ORDER BY e.start")]
    assert names == ["Weekly report", "project 190000001", "Inbox"]
    tags = store.conn.execute("SELECT tags FROM time_entry WHERE description = 'Weekly report'").fetchone()[0]
    assert json.loads(tags) == ["reports", "project:Admin", "client:Acme"]
    entries[0]["at"] = "2024-03-09T00:00:00+00:00"  # fetched again later, with ?meta=true or not
    del entries[0]["project_name"]
    path.write_text(json.dumps(entries))
    assert run_import(store, path, tz=TZ).imported == 0


def clockify_entry(i: int, description: str, start: str, end: str | None, duration: str | None, **extra: object) -> dict:
    """One entry as GET /v1/workspaces/{w}/user/{u}/time-entries returns it."""
    return {"id": f"65e5d{i:019x}", "description": description, "tagIds": None, "userId": "5f1a0c0e2b9c3a7d1e4f6a01",
            "billable": True, "taskId": None, "projectId": extra.pop("projectId", "5f1a0c0e2b9c3a7d1e4f6b02"),
            "workspaceId": "5f1a0c0e2b9c3a7d1e4f6c03",
            "timeInterval": {"start": start, "end": end, "duration": duration},
            "customFieldValues": [], "type": extra.pop("type", "REGULAR"), "kioskId": None, "hourlyRate": None,
            "costRate": None, "isLocked": False, **extra}


def test_clockify_api_json_is_detected_and_a_running_entry_and_a_break_skipped(store: Store, tmp_path: Path) -> None:
    entries = [
        clockify_entry(1, "Standup", "2024-03-04T08:00:00Z", "2024-03-04T08:15:00Z", "PT15M",
                       project={"id": "p1", "name": "Team", "clientName": "Acme"}, tags=[{"id": "t", "name": "meeting"}]),
        clockify_entry(2, "", "2024-03-04T09:00:00Z", "2024-03-04T10:30:00Z", "PT1H30M",
                       task={"id": "k", "name": "Invoicing"}, project={"id": "p2", "name": "Admin"}),
        clockify_entry(3, "Lunch", "2024-03-04T12:00:00Z", "2024-03-04T12:30:00Z", "PT30M", type="BREAK"),
        clockify_entry(4, "Standup", "2024-03-05T08:00:00Z", None, None),
    ]
    path = tmp_path / "clockify.json"
    path.write_text(json.dumps(entries))
    assert detect_format(path).format == "clockify-api"
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.imported, s.skipped, s.rejected, s.hours) == ("clockify-api", 2, 2, 0, 1.75)
    assert [r for _, r in s.skips] == ["a break, not work", "still running (no end): 'Standup' since 2024-03-05T08:00:00Z"]
    assert store.find_task("Invoicing") is not None and store.find_task("Standup") is not None
    # the detailed report API's wrapper, with names and a duration in seconds
    report = tmp_path / "report.json"
    report.write_text(json.dumps({"totals": [], "timeentries": [
        {"_id": "r1", "description": "Review", "projectName": "Team", "taskName": "", "clientName": "Acme",
         "timeInterval": {"start": "2024-03-06T09:00:00+01:00", "end": "2024-03-06T09:20:00+01:00", "duration": 1200}},
    ]}))
    r = run_import(store, report, tz=TZ)
    assert (r.format, r.imported, r.hours) == ("clockify-api", 1, pytest.approx(1 / 3))


def test_a_json_that_is_no_known_export_says_what_it_looks_like(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    path.write_text(json.dumps({"user": "ann", "items": [1, 2], "total": 3}))
    with pytest.raises(NotATaskLog, match=r"a JSON object with keys user, items, total: not a known tracker export"):
        run_import(store, path, tz=TZ)
    path.write_text(json.dumps([{"when": "2024-03-04", "what": "x"}]))
    with pytest.raises(NotATaskLog, match=r"a JSON array of objects with keys when, what: not a known"):
        run_import(store, path, tz=TZ)


# --- ActivityWatch, streamed ---------------------------------------------------------------


def _aw_export(events: int) -> str:
    window = [{"id": i, "timestamp": f"2024-05-06T{8 + i // 3600:02d}:{i // 60 % 60:02d}:{i % 60:02d}.5+00:00",
               "duration": 0.75, "data": {"app": f"app{i % 7}", "title": f"doc {i}"}} for i in range(events)]
    afk = [{"timestamp": "2024-05-06T08:00:00+00:00", "duration": 36000.0, "data": {"status": "not-afk"}}]
    return json.dumps({"buckets": {
        "aw-watcher-window_desk": {"id": "aw-watcher-window_desk", "type": "currentwindow", "hostname": "desk",
                                   "events": window},
        "aw-watcher-afk_desk": {"id": "aw-watcher-afk_desk", "type": "afkstatus", "hostname": "desk", "events": afk},
    }}, indent=1)


def test_activitywatch_is_read_through_a_small_window(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A small window (256 characters read at a time) over a 1 MB export: the events
    come out the same, and the reader never held more than a few pieces of the text."""
    path = tmp_path / "aw.json"
    path.write_text(_aw_export(3000))
    widest = [0]
    fill = jsonstream.Stream.fill

    def watched(self: jsonstream.Stream) -> bool:
        more = fill(self)
        if not isinstance(self.fh, io.StringIO):  # (the sniff's look at the first 64 kB is a text)
            widest[0] = max(widest[0], len(self.buf))
        return more

    monkeypatch.setattr(jsonstream, "PIECE", 256)
    monkeypatch.setattr(jsonstream.Stream, "fill", watched)
    s = run_import(store, path, tz=TZ)
    assert (s.rows_read, s.imported, s.skipped) == (3001, 3000, 1)  # the AFK event: not window activity
    assert s.hours == pytest.approx(3000 * 0.75 / 3600)
    assert "cut to the time not AFK" in s.note
    assert 256 <= widest[0] < 4096 < path.stat().st_size / 100


def test_a_stream_gives_elements_before_the_text_ends() -> None:
    """A JSON array that never ends (a generator behind the file): its first elements
    come out, having read a few pieces only."""

    class Endless(io.TextIOBase):
        read_chars = 0

        def read(self, n: int = -1) -> str:
            piece = "".join('{"timestamp": "2024-05-06T08:00:00Z", "duration": 1.5, "data": {}},' for _ in range(n // 60))
            Endless.read_chars += len(piece)
            return ("[" if Endless.read_chars == len(piece) else "") + piece

    stream = jsonstream.Stream(Endless())
    got = []
    for _line in stream.elements():
        got.append(stream.value())
        if len(got) == 5:
            break
    assert got[0] == {"timestamp": "2024-05-06T08:00:00Z", "duration": 1.5, "data": {}} and len(got) == 5
    assert Endless.read_chars < 3 * jsonstream.PIECE


@settings(max_examples=60, deadline=None)
@given(st.lists(st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
                             | st.text(max_size=20), lambda c: st.lists(c, max_size=4)
                             | st.dictionaries(st.text(max_size=5), c, max_size=4), max_leaves=10), max_size=12),
       st.integers(1, 40), st.booleans())
def test_a_stream_reads_what_json_reads_whatever_the_window(values: list, piece: int, indent: bool) -> None:
    text = json.dumps(values, indent=1 if indent else None)
    old, jsonstream.PIECE = jsonstream.PIECE, piece
    try:
        stream = jsonstream.Stream(io.StringIO(text))
        got = [(line, stream.value()) for line in stream.elements()]
        stream.end()
    finally:
        jsonstream.PIECE = old
    assert [v for _, v in got] == values
    if indent and values:  # each element of an indented array starts on its own line
        assert [line for line, _ in got][0] == 2


def test_a_cut_short_activitywatch_export_writes_nothing(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "aw.json"
    path.write_text(_aw_export(50)[:-400])
    with pytest.raises(NotATaskLog, match="is not valid JSON: .*line"):
        run_import(store, path, tz=TZ)
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0


# --- a year of one person's log: tens of tasks, not one per row ------------------------------

CHORES = ["inbox", "standup", "invoices", "backups", "code review", "deploy", "weekly report", "support",
          "planning", "reading", "timesheets", "one-to-one"]


def _year() -> list[tuple[int, str, str]]:
    """(epoch start, chore, a note of its own) four times a day for a year."""
    base = 1_704_096_000  # 2024-01-01T08:00Z
    return [(base + day * 86400 + k * 7200, CHORES[(day + k * 5) % len(CHORES)], f"day {day}, item {k}: #{day * 4 + k}")
            for day in range(365) for k in range(4)]


def _iso(epoch: int, basic: bool = False) -> str:
    import time
    return time.strftime("%Y%m%dT%H%M%SZ" if basic else "%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def _year_file(fmt: str, folder: Path) -> Path:
    rows = _year()
    if fmt == "timewarrior":
        path = folder / "2024-01.data"
        path.write_text("".join(f'inc {_iso(t, True)} - {_iso(t + 1800, True)} # "{c}" # "{n}"\n' for t, c, n in rows))
    elif fmt == "toggl-api":  # free notes as descriptions: the project names the task
        path = folder / "toggl.json"
        path.write_text(json.dumps([toggl_entry(i, n, _iso(t), _iso(t + 1800), 1800, project_name=c)
                                    for i, (t, c, n) in enumerate(rows)]))
    elif fmt == "clockify-api":
        path = folder / "clockify.json"
        path.write_text(json.dumps([clockify_entry(i, n, _iso(t), _iso(t + 1800), "PT30M", project={"name": c})
                                    for i, (t, c, n) in enumerate(rows)]))
    elif fmt == "watson":  # the frames file: no notes, the project is the task
        path = folder / "frames"
        path.write_text(json.dumps([[t, t + 1800, c, f"{i:032x}", [f"item {i % 4}"], t + 1800]
                                    for i, (t, c, _n) in enumerate(rows)]))
    else:
        path = folder / "aw.json"
        path.write_text(json.dumps({"buckets": {"aw-watcher-window_desk": {"type": "currentwindow", "events": [
            {"timestamp": _iso(t), "duration": 1800.0, "data": {"app": c, "title": n}} for t, c, n in rows]}}}))
    return path


@pytest.mark.parametrize("fmt", ["timewarrior", "toggl-api", "clockify-api", "activitywatch", "watson"])
def test_a_year_of_one_persons_log_gives_tens_of_tasks(store: Store, tmp_path: Path, fmt: str) -> None:
    path = _year_file(fmt, tmp_path)
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.imported, s.rejected) == (fmt, 365 * 4, 0)
    assert sorted(s.tasks_created) == sorted(CHORES)  # the recurring unit, not one task per row
    first = preview(path, tz=TZ, limit=1)[0]
    if fmt != "watson":
        assert first.description.startswith("day 0, item 0")  # the free text is the entry's note
