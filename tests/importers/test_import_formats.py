"""Each format imports the project's own fixtures with exact counts and hours; re-importing adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import detect_format, preview, run_import

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"
TZ = "Europe/Berlin"

# file, format, extra options, rows_read, imported, skipped, rejected, hours
CASES = [
    ("toggl_classic_bom.csv", "toggl", {}, 7, 7, 0, 0, 4.0),
    ("toggl_quoted.csv", "toggl", {}, 4, 3, 1, 0, 4.0),  # its "Timer test" is zero-length: skipped
    ("clockify_us.csv", "clockify", {}, 4, 3, 1, 0, 2.5),
    ("clockify_de.csv", "clockify", {}, 3, 3, 0, 0, 4.25),
    ("clockify_shared.csv", "clockify", {}, 3, 3, 0, 0, 1.75),
    ("harvest_eu_cp1252.csv", "harvest", {}, 3, 3, 0, 0, 10.0),
    ("timewarrior_banner.json", "timewarrior", {}, 4, 3, 1, 0, 2.25),
    ("watson_log.csv", "watson", {}, 2, 2, 0, 0, 4.25),
    ("watson_log.json", "watson", {}, 2, 2, 0, 0, 1.5),
    ("aw_bucket.json", "activitywatch", {}, 4, 2, 2, 0, 0.05),
    ("aw_events.csv", "activitywatch", {}, 3, 2, 1, 0, 60 / 3600),
    # window time cut to the not-AFK periods: 10 events, of which 4 AFK, 1 zero-length and
    # 1 wholly away are skipped; 4 make 5 entries (one split around an absence); 45 min
    ("aw_afk.json", "activitywatch", {}, 10, 5, 6, 0, 0.75),
    ("generic_de_semicolon.csv", "generic", {}, 4, 2, 2, 0, 35 / 60),
    ("generic_times.tsv", "generic", {}, 2, 2, 0, 0, 2.75),
    ("generic_mapped.csv", "generic",
     {"mapping": {"date": "Wann", "task": "Was", "minutes": "Dauer in Minuten"}}, 2, 2, 0, 0, 1.25),
    ("bad_rows.csv", "generic", {}, 20, 17, 0, 3, 170 / 60),
]


@pytest.mark.parametrize(("name", "fmt", "extra", "read", "imported", "skipped", "rejected", "hours"), CASES)
def test_fixture_imports_exactly_and_reimport_adds_nothing(
    store: Store, name: str, fmt: str, extra: dict, read: int, imported: int, skipped: int, rejected: int, hours: float
) -> None:
    s = run_import(store, FIX / name, tz=TZ, **extra)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected, s.duplicates) == (
        fmt, read, imported, skipped, rejected, 0)
    assert s.hours == pytest.approx(hours, abs=1e-6)
    assert store.count("time_entry") == imported
    again = run_import(store, FIX / name, tz=TZ, **extra)
    assert (again.imported, again.duplicates, again.hours) == (0, imported, 0.0)
    assert store.count("time_entry") == imported
    # the format is found from the content, whatever the forced format says
    assert run_import(store, FIX / name, format=fmt, tz=TZ, dry_run=True, **extra).imported == 0


def test_toggl_details(store: Store) -> None:
    run_import(store, FIX / "toggl_classic_bom.csv", tz=TZ)
    rows = store.conn.execute(
        'SELECT t.name, e.start, e."end", e.duration_s, e.description, e.tags FROM time_entry e'
        " JOIN task t ON t.id = e.task_id ORDER BY e.start").fetchall()
    by_desc = {r[4]: r for r in reversed(rows)}  # the first entry of each description
    # crossing midnight: the end date is used
    assert by_desc["Deploy"][1:4] == ("2024-03-04T22:30:00Z", "2024-03-04T23:15:00Z", 2700.0)
    # DST: 01:30 CET -> 03:30 CEST is one real hour
    assert by_desc["Night shift"][1:4] == ("2024-03-31T00:30:00Z", "2024-03-31T01:30:00Z", 3600.0)
    # quotes, commas, newlines kept as they are
    assert 'Review "PR", part 1' in by_desc
    assert "Line one\nLine two" in by_desc
    # other fields become tags; the Toggl tags list is split
    assert json.loads(by_desc["Weekly report"][5]) == ["project:Admin", "client:Acme", "Reporting", "Weekly"]
    assert json.loads(by_desc['Review "PR", part 1'][5]) == ["project:Dev", "client:Acme", "task:Code review"]
    # overlapping entries are both kept: two "Weekly report" entries -> one task
    names = [r[0] for r in rows]
    assert names.count("Weekly report") == 2
    assert store.count("task") == 6


def test_identical_rows_in_one_file_are_both_kept(store: Store) -> None:
    s = run_import(store, FIX / "toggl_quoted.csv", tz=TZ)
    assert s.imported == 3  # and a zero-length one skipped
    calls = store.conn.execute(
        "SELECT count(*) FROM time_entry e JOIN task t ON t.id = e.task_id WHERE t.name = 'Client calls'"
    ).fetchone()[0]
    assert calls == 3


def test_date_order_is_decided_per_file_and_said(tmp_path: Path) -> None:
    d = detect_format(FIX / "clockify_us.csv", tz=TZ)
    assert d.format == "clockify" and "MM/DD/YYYY" in d.note and "03/14/2024" in d.note
    de = detect_format(FIX / "clockify_de.csv", tz=TZ)
    assert "DD/MM/YYYY" in de.note and "fits both" in de.note
    rows = preview(FIX / "clockify_de.csv", tz=TZ)
    assert rows[0].start is not None and rows[0].start.isoformat() == "2024-03-05T08:00:00+00:00"
    us = preview(FIX / "clockify_us.csv", tz="America/New_York")
    assert us[0].start is not None and us[0].start.isoformat() == "2024-03-04T15:23:00+00:00"  # EST
    assert us[1].start is not None and us[1].start.isoformat() == "2024-03-14T17:26:00+00:00"  # EDT
    assert us[2].duration_s == 2700.0  # 11:30 PM -> 12:15 AM next day
    swapped = preview(FIX / "clockify_de.csv", tz=TZ, date_order="mdy")
    assert swapped[0].start is not None and swapped[0].start.month == 5


def test_generic_detection_and_mapping(store: Store) -> None:
    assert detect_format(FIX / "generic_de_semicolon.csv").format == "generic"
    rows = preview(FIX / "generic_de_semicolon.csv", tz=TZ)
    assert [r.task for r in rows[:2]] == ["E-Mails sortieren"] * 2
    assert rows[2].skipped == "blank line" and rows[3].skipped and "summary" in rows[3].skipped
    s = run_import(store, FIX / "generic_mapped.csv", tz=TZ,
                   mapping={"date": "Wann", "task": "Was", "minutes": "Dauer in Minuten"})
    assert s.imported == 2
    assert store.find_task("rechnungen prüfen") is not None


def test_task_and_step_from(store: Store) -> None:
    s = run_import(store, FIX / "toggl_classic_bom.csv", tz=TZ, task_from="project", step_from="description")
    assert s.imported == 7
    names = {t.name for t in store.list_tasks()}
    assert names == {"Admin", "Ops", "Dev"}
    admin = store.get_task("admin")
    assert {st.name for st in admin.steps} >= {"Weekly report", "Line one\nLine two"}
    weekly = next(st for st in admin.steps if st.name == "Weekly report")
    assert weekly.minutes == pytest.approx(22.5)  # median of 30 and 15 minutes


def test_existing_tasks_matched_case_insensitively(store: Store) -> None:
    from roi.models import Task

    tid = store.add_task(Task(name="weekly REPORT", category="writing"))
    s = run_import(store, FIX / "toggl_classic_bom.csv", tz=TZ)
    assert "Weekly report" not in s.tasks_created
    assert store.conn.execute("SELECT count(*) FROM time_entry WHERE task_id = ?", [tid]).fetchone()[0] == 2


def test_measured_minutes_and_frequency_feed_the_ranking(store: Store) -> None:
    from datetime import date

    from roi.inventory import rank_store
    from roi.models import Step

    s = run_import(store, FIX / "bad_rows.csv", tz=TZ)
    assert s.imported == 17
    store.add_step("Inbox", Step(name="Sort", minutes=60))
    ranked = {r.name: r for r in rank_store(store, today=date(2026, 11, 28))}
    inbox = ranked["Inbox"]
    assert inbox.per_week_source == "measured"
    assert inbox.measured_minutes == pytest.approx(10.0)
    assert inbox.steps[0].manual_source == "scaled" and inbox.steps[0].manual == pytest.approx(10.0)


def test_timewarrior_and_activitywatch_naming(store: Store) -> None:
    run_import(store, FIX / "timewarrior_banner.json", tz=TZ)
    names = {t.name for t in store.list_tasks()}
    assert names == {"writing", "writing night", "untagged work"}
    run_import(store, FIX / "aw_bucket.json", tz=TZ)
    assert store.find_task("Code.exe") is not None and store.find_task("firefox.exe") is not None


def test_errors_are_recorded_with_raw_text(store: Store) -> None:
    s = run_import(store, FIX / "bad_rows.csv", tz=TZ)
    assert s.errors == [
        (5, "impossible date '2024-02-30' in date"),
        (9, "negative duration '-15' in minutes"),
        (14, "minutes 'abc' is not a duration or a number"),
    ]
    rows = store.conn.execute("SELECT line, raw FROM import_error ORDER BY line").fetchall()
    assert rows == [(5, "2024-02-30,Inbox,10"), (9, "2024-03-08,Inbox,-15"), (14, "2024-03-13,Inbox,abc")]
    batch = store.conn.execute("SELECT format, rows_read, imported, rejected FROM import_batch").fetchone()
    assert batch == ("generic", 20, 17, 3)


def test_dry_run_writes_nothing(store: Store) -> None:
    before = store.count("task")
    s = run_import(store, FIX / "toggl_classic_bom.csv", tz=TZ, dry_run=True)
    assert s.imported == 7 and s.dry_run
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0 and store.count("task") == before


def test_progress_callback(store: Store) -> None:
    calls: list[tuple[int, int | None]] = []
    run_import(store, FIX / "bad_rows.csv", tz=TZ, progress=lambda d, t: calls.append((d, t)))
    assert calls[0] == (0, 20) and calls[-1] == (20, 20)


def test_identical_rows_across_chunks_and_imports(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from roi.importers import load as writer

    monkeypatch.setattr(writer, "CHUNK", 2)
    log = tmp_path / "twins.csv"
    rows = ["2024-03-04,A,10", "2024-03-04,B,10", "2024-03-04,A,10", "2024-03-04,A,10",
            "2024-03-05,C,10", "2024-03-04,B,10"]
    log.write_text("date,task,minutes\n" + "\n".join(rows) + "\n")
    assert run_import(store, log, tz=TZ).imported == 6
    assert run_import(store, log, tz=TZ).imported == 0
    more = tmp_path / "more.csv"
    more.write_text("date,task,minutes\n" + "\n".join(["2024-03-04,A,10"] * 4) + "\n")
    s = run_import(store, more, tz=TZ)
    assert (s.imported, s.duplicates) == (1, 3)  # the fourth identical row is new
    a = store.task_id("A")
    assert store.conn.execute("SELECT count(*) FROM time_entry WHERE task_id = ?", [a]).fetchone()[0] == 4


@pytest.mark.parametrize(("text", "imported", "skipped", "hours", "first_task"), [
    # aTimeLogger: a second summary table after a blank line
    ("Activity type,Duration,From,To,Comment\nReading,1:00,2022-01-01 21:00,2022-01-01 22:00,\n"
     "Sleep,8:00,2022-01-01 22:00,2022-01-02 06:00,\n\nActivity Type,Duration,%\nSleep,8:00,89\n",
     2, 3, 9.0, "Reading"),
    # Super Productivity worklog: semicolons, bare times, "-" for nothing worked
    ("Date;Start;End;Worked;Titles\n2019-04-17;09:00;10:30;1:30;Write docs | Review\n"
     "2019-04-18;11:00;11:00;-;Idle\n", 1, 1, 1.5, "Write docs | Review"),  # zero-length: skipped
    # RescueTime: an hour's start and seconds spent
    ("Date,Time Spent (seconds),Number of People,Activity,Category,Productivity\n"
     "2021-04-11 00:00:00,1451,1,idea64,Editing & IDEs,2\n", 1, 0, 1451 / 3600, "idea64"),
    # Kimai: date, from, to, h:mm duration
    ("Date,From,To,Duration,Customer,Project,Activity,Description\n"
     "2024-03-04,09:00,09:06,0:06,Acme,Web,Support,Ticket 12\n", 1, 0, 0.1, "Support"),
])
def test_other_trackers_as_generic_logs(
    store: Store, tmp_path: Path, text: str, imported: int, skipped: int, hours: float, first_task: str
) -> None:
    log = tmp_path / "log.csv"
    log.write_text(text, encoding="utf-8")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported, s.skipped, s.rejected) == ("generic", imported, skipped, 0)
    assert s.hours == pytest.approx(hours)
    assert store.list_tasks()[0].name == first_task


def test_bracketed_text_is_not_mistaken_for_json(store: Store, tmp_path: Path) -> None:
    log = tmp_path / "log.tsv"
    log.write_text("task\tdate\tminutes\n[Tracking] Proposals\t2024-03-04\t10\n[x] Inbox\t2024-03-05\t5\n")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported) == ("generic", 2)
    assert store.find_task("[Tracking] Proposals") is not None


def test_timewarrior_extension_input(store: Store, tmp_path: Path) -> None:
    """A report extension's stdin: `key: value` config lines, a blank line, the JSON."""
    log = tmp_path / "timew.txt"
    log.write_text('color: on\ntemp.report.start: 20240301T000000Z\n\n[\n'
                   '{"id":1,"start":"20240301T090000Z","end":"20240301T093000Z","tags":["email"]}\n]\n')
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported, s.hours) == ("timewarrior", 1, 0.5)


def test_one_pass_over_the_bytes_hashes_counts_and_checks_the_encoding(tmp_path, monkeypatch) -> None:
    import hashlib

    from roi.importers import source as reader

    monkeypatch.setattr(reader, "CHUNK", 7)  # multi-byte characters cut across reads
    good = "date,task,minutes\n" + "2024-03-04,Büro aufräumen,10\n" * 3 + "2024-03-05,plain ascii rows,5\n" * 4
    path = tmp_path / "log.csv"
    path.write_bytes(good.encode("utf-8"))
    src = reader.open_source(path)
    assert (src.encoding, src.lines, src.sha256) == ("utf-8", 8, hashlib.sha256(good.encode()).hexdigest())
    # a lone Windows-1252 byte after pages of ASCII still makes it a Windows-1252 file
    bad = good.encode("utf-8") + b"2024-03-06,Caf\xe9,5\n"
    path.write_bytes(bad)
    src = reader.open_source(path)
    assert (src.encoding, src.lines, src.sha256) == ("cp1252", 9, hashlib.sha256(bad).hexdigest())
    # a character's first byte ending a read, a read of ASCII, then a byte that would have
    # completed the character: not UTF-8 (the ASCII between them breaks it)
    cut = b"date,task,minutes\n2024-03-04,abcde\xc3" + b"fghijkl" + b"\xa9,10\n"
    assert len(cut.split(b"\xc3")[0]) % 7 == 6  # \xc3 ends the 5th read
    path.write_bytes(cut)
    assert reader.open_source(path).encoding == "cp1252"


def test_activitywatch_window_time_is_cut_to_the_time_not_afk(store: Store) -> None:
    s = run_import(store, FIX / "aw_afk.json", tz=TZ)
    rows = store.conn.execute(
        'SELECT t.name, e.start, e."end", e.duration_s FROM time_entry e JOIN task t ON t.id = e.task_id'
        " ORDER BY e.start, t.name").fetchall()
    assert rows == [
        ("browser", "2024-05-06T09:00:00Z", "2024-05-06T09:20:00Z", 1200.0),  # laptop: no AFK data, whole
        ("editor", "2024-05-06T09:00:00Z", "2024-05-06T09:05:00Z", 300.0),  # began before the data: cut
        ("terminal", "2024-05-06T09:20:00Z", "2024-05-06T09:30:00Z", 600.0),  # an absence inside: two parts
        ("terminal", "2024-05-06T09:45:00Z", "2024-05-06T09:50:00Z", 300.0),
        ("editor", "2024-05-06T09:50:00Z", "2024-05-06T09:55:00Z", 300.0),  # all active: whole
    ]
    assert (4, "away from the keyboard (AFK) all through") in s.skips  # mail, 10:05, while away
    assert "window events only, cut to the time not AFK (aw-watcher-afk_desk)" in s.note
    assert "0.42 h away left out, 1 event wholly away, 1 split around an absence" in s.note
    assert "no AFK data for laptop" in s.note
    # a re-import finds every part again
    again = run_import(store, FIX / "aw_afk.json", tz=TZ)
    assert (again.imported, again.duplicates) == (0, 5)


def test_activitywatch_without_afk_data_counts_window_time_whole(store: Store, tmp_path: Path) -> None:
    export = json.loads((FIX / "aw_afk.json").read_text())
    del export["buckets"]["aw-watcher-afk_desk"]
    path = tmp_path / "no_afk.json"
    path.write_text(json.dumps(export))
    s = run_import(store, path, tz=TZ)
    assert (s.imported, s.hours) == (5, pytest.approx((300 + 300 + 1800 + 600 + 1200) / 3600))
    assert "no AFK bucket: window time counted whole" in s.note
    # an event the AFK data leaves whole keeps the content hash it has without that data
    # (and had before roi cut window time): the AFK periods are not part of its identity
    with_afk = Store.open(tmp_path / "with_afk.db")
    run_import(with_afk, FIX / "aw_afk.json", tz=TZ)
    whole = ("SELECT start, hash FROM time_entry WHERE start || ' ' || duration_s"
             " IN ('2024-05-06T09:50:00Z 300.0', '2024-05-06T09:00:00Z 1200.0') ORDER BY start")
    assert with_afk.conn.execute(whole).fetchall() == store.conn.execute(whole).fetchall()
    assert len(store.conn.execute(whole).fetchall()) == 2
    with_afk.close()


def test_parsed_json_shares_repeated_keys_and_short_texts() -> None:
    # an export of many events repeats the same keys and app names: one string object each
    from roi.importers.jsontext import load_json

    text = '{"events": [{"app": "firefox", "title": "Inbox", "t": "%s"}, {"app": "firefox", "title": "Inbox", "t": "%s"}]}'
    a, b = load_json(text % ("x" * 50, "x" * 50), 0)["events"]
    assert a == b
    assert [k for k in a][0] is [k for k in b][0]
    assert a["app"] is b["app"] and a["title"] is b["title"]
    assert a["t"] is not b["t"]  # long texts (titles, URLs) are rarely repeated: not worth a memo entry
