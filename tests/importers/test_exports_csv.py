"""Issue 16, the CSV side: real exports read right. Each fixture is written here, in the
shape of a real export (Jira/Tempo, Redmine, Harvest, Toggl, Clockify, Excel re-saves)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import NotATaskLog, detect_format, preview, run_import

TZ = "Europe/Berlin"
TOGGL = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,"
         "Duration,Tags,Amount (EUR)\n")
HARVEST = ("Date,Client,Project,Project Code,Task,Notes,Hours,Billable?,Invoiced?,Approved?,First Name,"
           "Last Name,Employee Id,Roles,Employee?,Billable Rate,Billable Amount,Cost Rate,Cost Amount,Currency,"
           "External Reference URL\n")
TEMPO = ("Issue Key,Issue summary,Hours,Work date,Username,Full name,Period,Account Key,Account Name,"
         "Activity Name,Component,All Components,Version Name,Issue Type,Issue Status,Project Key,"
         "Project Name,Work Description,Parent Key,Reporter,External Hours,Billed Hours\n")


def write(tmp_path: Path, text: str, name: str = "log.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def entries(store: Store) -> list[tuple]:
    return store.conn.execute(
        'SELECT t.name, e.start, e."end", e.duration_s, e.description, e.tags FROM time_entry e'
        " JOIN task t ON t.id = e.task_id ORDER BY e.start, e.id").fetchall()


# --- 1. units of a bare number, decided per column -------------------------------------------

def test_jira_raw_time_spent_is_seconds(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Issue Key,Issue Summary,Worklog Id,Author,Started,Time Spent,Comment\n"
                "OPS-12,Weekly release,10001,Ana Lima,2023-01-20T09:00:00.000+0100,5400,Tagged and deployed\n"
                "OPS-12,Weekly release,10002,Ana Lima,2023-01-27T09:00:00.000+0100,3600,\n"
                "OPS-31,Rotate certificates,10003,Ana Lima,2023-01-23T14:00:00.000+0100,1800,prod only\n")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported, s.rejected) == ("jira", 3, 0)
    assert s.hours == pytest.approx(3.0)  # not 10,800 hours
    assert "Time Spent read as seconds" in s.note
    assert sorted(r[0] for r in entries(store)) == ["Rotate certificates", "Weekly release", "Weekly release"]


def test_a_bare_number_over_a_day_is_rejected_and_the_unit_settles_it(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Date,Task,Time spent\n2024-03-04,Invoices,1.5\n2024-03-05,Invoices,0.5\n"
                "2024-03-06,Invoices,2100\n")
    s = run_import(store, log, tz=TZ, dry_run=True)
    assert (s.imported, s.rejected) == (2, 1)
    line, reason = s.errors[0]
    assert line == 4
    assert reason.startswith("2,100 hours in one entry") and "use --map duration_unit=s" in reason
    seconds = run_import(store, log, tz=TZ, dry_run=True, mapping={"duration_unit": "s"})
    assert (seconds.imported, seconds.rejected) == (3, 0)
    assert seconds.hours == pytest.approx(2102 / 3600)


def test_a_duration_of_thousands_of_digits_costs_its_row_only(store: Store, tmp_path: Path) -> None:
    """Deciding the column's unit must not turn 20,000 digits into an int (Python refuses
    past 4,300 digits): the row is rejected, the others kept."""
    log = write(tmp_path, "Date,Task,Time spent\n2024-03-04,Invoices,60\n2024-03-05,Invoices,120\n"
                f"2024-03-06,Invoices,{'9' * 20_000}\n")
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (2, 1)
    assert s.errors[0][0] == 4


@pytest.mark.parametrize(("column", "hours"), [("Duration (s)", 5400 / 3600), ("Dauer in min", 90 / 60),
                                               ("Elapsed seconds", 5400 / 3600), ("Time (min)", 90 / 60)])
def test_a_column_name_says_its_unit(store: Store, tmp_path: Path, column: str, hours: float) -> None:
    raw = 5400 if "s" in column.split()[-1] and "min" not in column else 90
    log = write(tmp_path, f"Date,Task,{column}\n2024-03-04,Backups,{raw}\n")
    assert run_import(store, log, tz=TZ).hours == pytest.approx(hours)


def test_a_long_entry_from_start_and_end_is_imported_with_a_warning(roi, tmp_path: Path) -> None:
    log = write(tmp_path, "Start,End,Task\n2024-03-04 09:00,2024-03-06 09:00,Forgot the timer\n")
    r = roi("import", log, "--tz", "UTC", "--json")
    data = json.loads(r.stdout)
    assert (r.exit_code, data["imported"]) == (0, 1)
    assert data["warnings"] == [{"line": 2, "reason": "an entry of 48 hours (a timer left running?)"}]


# --- 2. separate Hours / Minutes / Seconds columns ---------------------------------------------

def test_hours_minutes_seconds_columns_add_up(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Date,Task,Hours,Minutes,Seconds\n2024-03-04,Reports,1,30,0\n2024-03-05,Reports,0,45,30\n"
                "2024-03-06,Reports,2,,\n")
    s = run_import(store, log, tz=TZ)
    assert s.hours == pytest.approx(1.5 + (45 * 60 + 30) / 3600 + 2)
    assert "Hours + Minutes + Seconds" in s.note


def test_hours_and_minutes_that_say_the_same_are_not_added(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Date,Task,Duration (hours),Duration (minutes)\n2024-03-04,Reports,1.5,90\n")
    assert run_import(store, log, tz=TZ).hours == pytest.approx(1.5)


# --- 3. Excel's sep= line ------------------------------------------------------------------------

def test_sep_hint_sets_the_delimiter_and_lines_count_it(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "sep=;\r\nDatum;Aufgabe;Min;Notiz\r\n04.03.2024;E-Mails, sortiert;15;\r\n"
                "05.03.2024;E-Mails, sortiert;abc;\r\n", encoding="cp1252")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.rejected) == ("generic", 2, 1, 1)
    assert s.errors[0][0] == 4 and "'abc'" in s.errors[0][1]
    assert "sep=;" in s.note
    assert entries(store)[0][0] == "E-Mails, sortiert"


# --- 4. summary rows -----------------------------------------------------------------------------

REDMINE_DE = ("Projekt;Datum;Benutzer;Aktivität;Ticket;Kommentar;Stunden\n"
              "Website;20.01.2023;Anna Berg;Entwicklung;Fehler #12: Login schlägt fehl;Session-Cookie geprüft;1,50\n"
              "Website;21.01.2023;Anna Berg;Entwicklung;Fehler #12: Login schlägt fehl;;2,00\n"
              "Website;;;;;;3,50\n"
              "Intern;23.01.2023;Anna Berg;Besprechung;;Wochenplanung;0,75\n"
              ";;;;;;0,75\n"
              "Gesamtzeit;;;;;;4,25\n")


def test_redmine_spent_time_with_subtotals(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, REDMINE_DE, encoding="cp1252")
    assert detect_format(log, tz=TZ).format == "redmine"
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected, s.exit_code) == ("redmine", 6, 3, 3, 0, 0)
    assert s.hours == pytest.approx(4.25)
    assert [line for line, _ in s.skips] == [4, 6, 7]
    rows = entries(store)
    assert [r[0] for r in rows] == ["Fehler #12: Login schlägt fehl"] * 2 + ["Besprechung"]
    assert rows[0][4] == "Session-Cookie geprüft"
    assert json.loads(rows[0][5]) == ["project:Website", "activity:Entwicklung"]
    assert "subtotal" in s.note


def test_totals_rows_are_skipped_in_generic_and_toggl(store: Store, tmp_path: Path) -> None:
    generic = write(tmp_path, "Date,Task,Hours\n2024-03-04,Inbox,1.0\n2024-03-04,Backups,0.5\n,,1.5\n"
                    "2024-03-04,Total,1.5\n", "g.csv")
    s = run_import(store, generic, tz=TZ)
    assert (s.imported, s.skipped, s.rejected, s.hours) == (2, 2, 0, pytest.approx(1.5))
    toggl = write(tmp_path, TOGGL + "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-04,09:00:00,2024-03-04,10:00:00,01:00:00,,0\n"
                  "Total,,,,,,,,,,,01:00:00,,0\n", "t.csv")
    t = run_import(store, toggl, tz=TZ)
    assert (t.imported, t.skipped, t.rejected) == (1, 1, 0)


def test_a_dated_row_with_text_and_no_date_is_still_rejected(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Date,Task,Hours\n2024-03-04,Inbox,1.0\n,Backups,0.25\n")
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (1, 1)


# --- 5. running entries --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "line"), [
    (TOGGL + "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-04,09:00:00,2024-03-04,10:00:00,01:00:00,,0\n"
     "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-05,09:00:00,,,,,0\n", 3),
    ('"Project","Client","Description","Task","User","Email","Tags","Billable","Start Date","Start Time",'
     '"End Date","End Time","Duration (h)","Duration (decimal)"\n'
     '"Ops","","Deploy","","Bo","bo@x.org","","No","03/04/2024","09:00 AM","03/04/2024","10:00 AM","01:00:00","1.00"\n'
     '"Ops","","Deploy","","Bo","bo@x.org","","No","03/05/2024","09:00 AM","","","",""\n', 3),
    ("id,start,stop,project,tags\nab12cd3,2024-03-04 09:00:00,2024-03-04 10:00:00,ops,\n"
     "ab12cd4,2024-03-05 09:00:00,,ops,\n", 3),
    ("Start,End,Task\n2024-03-04 09:00,2024-03-04 10:00,Deploy\n2024-03-05 09:00,,Deploy\n", 3),
])
def test_a_running_entry_is_skipped_naming_its_row(store: Store, tmp_path: Path, text: str, line: int) -> None:
    s = run_import(store, write(tmp_path, text), tz=TZ)
    assert (s.imported, s.skipped, s.rejected) == (1, 1, 0)
    assert s.skips[0][0] == line and s.skips[0][1].startswith("still running (started ")
    assert "09:00" in s.skips[0][1] and "no end or duration" in s.skips[0][1]
    assert s.skip_kinds == {"still running": 1}


# --- 6. tasks: the recurring unit; notes: free text -----------------------------------------------

def test_harvest_task_is_the_task_and_notes_the_description(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, HARVEST
                + "2023-01-23,Acme,Website,W1,Design,Homepage hero variants,1.5,Yes,No,No,Ana,Lima,7,Designer,Yes,"
                "100,150,0,0,Euro - EUR,\n"
                + '2023-01-24,Acme,Website,W1,Design,"Logo, round two\nwith notes",2.0,Yes,No,No,Ana,Lima,7,Designer,Yes,'
                "100,200,0,0,Euro - EUR,\n"
                + '2023-01-24,Acme,Website,W1,"Project\nManagement",Weekly call,0.5,Yes,No,No,Ana,Lima,7,Designer,Yes,'
                "100,50,0,0,Euro - EUR,\n")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported) == ("harvest", 3)
    rows = entries(store)
    assert [r[0] for r in rows] == ["Design", "Design", "Project Management"]  # no newline kept in a name
    assert rows[1][4] == "Logo, round two\nwith notes"
    assert json.loads(rows[0][5]) == ["project:Website", "client:Acme"]


def _year_of_toggl(days: int = 365) -> str:
    projects = [f"Project {chr(65 + i)}" for i in range(12)]
    out = [TOGGL]
    for n in range(days):
        day = f"2023-{1 + n // 31 % 12:02d}-{1 + n % 28:02d}"
        out.append(f"Bo,bo@x.org,Acme,{projects[n % 12]},,Ticket {n}: fixed a thing,No,{day},09:00:00,{day},"
                   "09:30:00,00:30:00,,0\n")
    return "".join(out)


def test_a_year_of_one_persons_log_gives_tens_of_tasks_not_one_per_row(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, _year_of_toggl())
    s = run_import(store, log, tz=TZ, dry_run=True)
    assert s.imported == 365 and len(s.tasks_created) == 12
    assert "tasks named by Project" in s.note
    rows = preview(log, tz=TZ, limit=1)
    assert (rows[0].task, rows[0].description) == ("Project A", "Ticket 0: fixed a thing")
    chosen = run_import(store, log, tz=TZ, dry_run=True, task_from="Description")
    assert len(chosen.tasks_created) == 365


# --- 7. dates as tools write them ----------------------------------------------------------------

@pytest.mark.parametrize(("start", "end", "hours", "utc"), [
    ("Jan 20, 2023, 6:25 PM", "Jan 20, 2023, 7:55 PM", 1.5, "2023-01-20T17:25:00Z"),
    ("20.01.2023 18:25", "20.01.2023 19:10", 0.75, "2023-01-20T17:25:00Z"),
    ("2023-01-20T18:25:30.148+0100", "2023-01-20T19:25:30.148+0100", 1.0, "2023-01-20T17:25:30Z"),
    ("20/Jan/23 6:25 PM", "20/Jan/23 7:25 PM", 1.0, "2023-01-20T17:25:00Z"),
    ("20.01.23 23:30", "21.01.23 00:15", 0.75, "2023-01-20T22:30:00Z"),
])
def test_dates_as_tools_write_them(store: Store, tmp_path: Path, start: str, end: str, hours: float, utc: str) -> None:
    log = write(tmp_path, f'Start,End,Task\n"{start}","{end}",Review\n')
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (1, 0), s.errors
    assert s.hours == pytest.approx(hours)
    assert entries(store)[0][1] == utc


def test_day_first_with_two_digit_years_is_decided_per_file(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Date,Task,Minutes\n03/04/24,Inbox,10\n25/04/24,Inbox,10\n")
    run_import(store, log, tz="UTC")
    assert [r[1][:10] for r in entries(store)] == ["2024-04-03", "2024-04-25"]


def test_a_zone_column_per_row(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Start,End,Time zone,Task\n2023-01-20 18:25,2023-01-20 19:25,UTC+1:00,Call\n"
                "2023-01-20 18:25,2023-01-20 19:25,UTC-05:00,Call\n2023-01-20 18:25,2023-01-20 19:25,Asia/Tokyo,Call\n"
                "2023-01-20 18:25,2023-01-20 19:25,Mars/Olympus,Call\n")
    s = run_import(store, log, tz="UTC")
    assert [r[1] for r in entries(store)] == ["2023-01-20T09:25:00Z", "2023-01-20T17:25:00Z", "2023-01-20T23:25:00Z"]
    assert s.errors[0][0] == 5 and "'Mars/Olympus' is not a time zone" in s.errors[0][1]


def test_a_bad_date_is_quoted_whole(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, 'Start,End,Task\n"Jan 40, 2023, 6:25 PM","Jan 20, 2023, 7:55 PM",Review\n'
                '"Jan 20, 2023, 6:25 PM","Jan 20, 2023, 7:55 PM",Review\n')
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (1, 1)
    assert "'Jan 40, 2023, 6:25 PM'" in s.errors[0][1]



def test_a_time_of_superscript_digits_costs_its_row_only(store: Store, tmp_path: Path) -> None:
    # '²'.isdigit() is True but int('²') raises ValueError: a shortcut that trusted isdigit
    # turned such a cell into a traceback instead of a rejected row
    log = write(tmp_path, TOGGL + "ana,a@x.org,,Ops,,Backup,No,2024-03-04,1²:00:00,2024-03-04,11:30:00,00:30:00,,\n"
                "ana,a@x.org,,Ops,,Backup,No,2024-03-05,11:00:00,2024-03-05,11:30:00,00:30:00,,\n")
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (1, 1)
    assert "'1²:00:00' is not a time of day" in s.errors[0][1]

# --- 8. lenient where it costs nothing -----------------------------------------------------------

def test_a_row_missing_its_trailing_empty_fields_is_read(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, TOGGL + "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-04,09:00:00,2024-03-04,10:00:00,01:00:00\n")
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.rejected) == (1, 0)


@pytest.mark.parametrize(("name", "text"), [
    ("toggl.csv", TOGGL + "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-04,09:00:00,2024-03-04,09:00:00,00:00:00,,0\n"
     "Bo,bo@x.org,,Ops,,Deploy,No,2024-03-04,10:00:00,2024-03-04,11:00:00,01:00:00,,0\n"),
    ("harvest.csv", HARVEST + "2023-01-23,Acme,Web,,Design,,0.0,Yes,No,No,A,L,7,D,Yes,0,0,0,0,EUR,\n"
     "2023-01-23,Acme,Web,,Design,,1.0,Yes,No,No,A,L,7,D,Yes,0,0,0,0,EUR,\n"),
    ("timew.json", '[\n{"id":2,"start":"20240304T090000Z","end":"20240304T090000Z","tags":["x"]},\n'
     '{"id":1,"start":"20240304T100000Z","end":"20240304T110000Z","tags":["x"]}\n]\n'),
])
def test_zero_length_entries_are_skipped_with_one_reason(store: Store, tmp_path: Path, name: str, text: str) -> None:
    s = run_import(store, write(tmp_path, text, name), tz=TZ)
    assert (s.imported, s.skipped, s.rejected) == (1, 1, 0)
    assert s.skips == [(2, "zero-length entry (it would drag medians down)")]


# --- 9. Jira / Tempo -----------------------------------------------------------------------------

def test_tempo_worklog_report(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, TEMPO
                + "OPS-12,Weekly release,1.5,2023-01-20 00:00,ana,Ana Lima,Jan 2023,ACC1,Internal,Deploy,,,,"
                "Task,Done,OPS,Operations,Tagged and deployed,,Ana Lima,1.5,0\n"
                + "OPS-40,Weekly release,0.75,2023-01-27 00:00,ana,Ana Lima,Jan 2023,ACC1,Internal,Deploy,,,,"
                "Task,Done,OPS,Operations,,,Ana Lima,0.75,0\n")
    d = detect_format(log, tz=TZ)
    assert (d.format, "worklog report" in d.note) == ("jira", True)
    s = run_import(store, log, tz=TZ)
    assert (s.imported, s.hours, s.tasks_created) == (2, pytest.approx(2.25), ["Weekly release"])
    first = entries(store)[0]
    assert first[4] == "Tagged and deployed"
    assert "issue:OPS-12" in json.loads(first[5])


def test_jira_display_export_with_jira_dates(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Issue Key,Issue Summary,Author,Started,Time Spent,Comment\n"
                "OPS-12,Weekly release,Ana Lima,20/Jan/23 6:25 PM,1h 30m,\n"
                "OPS-12,Weekly release,Ana Lima,27/Jan/23 9:00 AM,45m,\n")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.imported, s.hours) == ("jira", 2, pytest.approx(2.25))
    assert entries(store)[0][1] == "2023-01-20T17:25:00Z"


# --- 10. what a file is when it is not a task log --------------------------------------------------

@pytest.fixture
def csv_formats_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The registry without formats for calendars or raw Timewarrior data (other helpers add them)."""
    from roi.importers import api, detect

    kept = {k: v for k, v in api.all_formats().items() if k in ("toggl", "clockify", "harvest", "generic", "jira")}
    monkeypatch.setattr(detect, "all_formats", lambda: kept)


@pytest.mark.parametrize(("name", "data", "says"), [
    ("cal.ics", b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Standup\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
     "is an iCalendar file"),
    ("2024-03.data", b"inc 20240301T090000Z - 20240301T100000Z # work \"deep focus\" # \"notes\"\n",
     "raw Timewarrior data file"),
    ("resaved.csv", b'"Date,Task,Minutes"\r\n"2024-03-04,Inbox,10"\r\n"2024-03-05,Inbox,15"\r\n',
     "every line is one quoted field.*re-saved by a spreadsheet"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF document.*export the detailed report as CSV or XLSX"),
    ("broken.xlsx", None, "Excel workbook.*cannot be read"),
])
def test_what_a_file_is_is_said(tmp_path: Path, csv_formats_only: None, name: str, data: bytes | None,
                                says: str) -> None:
    import re
    import zipfile

    path = tmp_path / name
    if data is None:
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("xl/workbook.xml", "<not a workbook")
    else:
        path.write_bytes(data)
    with pytest.raises(NotATaskLog) as exc:
        detect_format(path, tz=TZ)
    assert re.search(says, str(exc.value)), str(exc.value)
    assert "--map" not in str(exc.value)  # the column hint is for a CSV of unknown columns only


def test_the_map_hint_for_a_csv_of_unknown_columns(tmp_path: Path) -> None:
    with pytest.raises(NotATaskLog, match="--map date=Datum"):
        detect_format(write(tmp_path, "Wann,Was,Wie lange\n2024-03-04,Inbox,10\n"), tz=TZ)


# --- 11. the dry run counts every skip reason --------------------------------------------------------

def test_dry_run_counts_every_skip_reason(roi, db_path: Path, tmp_path: Path) -> None:
    rows = ["Start,End,Task\n"] + ["2024-03-04 09:00,2024-03-04 09:00,Blink\n"] * 1500 + \
        ["2024-03-05 09:00,,Running\n"] * 300 + ["2024-03-06 09:00,2024-03-06 10:00,Work\n"]
    r = roi("import", write(tmp_path, "".join(rows)), "--tz", "UTC", "--dry-run")
    assert r.exit_code == 0, r.output
    assert "1800 skipped (1,500 zero-length entry, 300 still running)" in r.stdout.replace("\n", " ")
    assert "other" not in r.stdout
    assert not sqlite3.connect(db_path).execute("SELECT count(*) FROM time_entry").fetchone()[0]


@pytest.mark.parametrize(("header", "row"), [
    ('"Project","Client","Description","Task","User","Email","Tags","Billable","Start Date","Start Time",'
     '"End Date","End Time","Duration (h)","Duration (decimal)"\n',
     '"{project}","","{note}","","Bo","bo@x.org","","No","{day}","09:00:00","{day}","09:30:00","00:30:00","0.50"\n'),
    ("Date,Description,Project,Minutes\n", "{day},{note},{project},30\n"),
])
def test_free_text_descriptions_give_way_in_other_formats(store: Store, tmp_path: Path, header: str, row: str) -> None:
    lines = [header] + [row.format(project=f"Project {n % 15}", note=f"Note {n}: details",
                                   day=f"{1 + n % 28:02d}/{1 + n // 28 % 12:02d}/2023") for n in range(300)]
    s = run_import(store, write(tmp_path, "".join(lines)), tz=TZ, dry_run=True)
    assert (s.imported, s.rejected, len(s.tasks_created)) == (300, 0, 15)


def test_property_a_totals_row_never_adds_hours(store: Store, tmp_path: Path) -> None:
    """Whatever the entries, a dateless row of their sum (Kimai, Redmine, a hand-made sheet)
    is skipped as a summary, and the hours are the entries' alone."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=25, deadline=None)
    @given(st.lists(st.integers(min_value=1, max_value=2400), min_size=1, max_size=12),
           st.sampled_from(["", "Total", "Summe"]))
    def check(centi_hours: list[int], label: str) -> None:
        rows = "".join(f"2024-03-{1 + n % 28:02d},Task {n % 3},{c / 100:.2f}\n" for n, c in enumerate(centi_hours))
        log = tmp_path / "sum.csv"
        log.write_text(f"Date,Task,Hours\n{rows}{label},,{sum(centi_hours) / 100:.2f}\n", encoding="utf-8")
        s = run_import(store, log, tz="UTC", dry_run=True)
        assert (s.imported, s.skipped, s.rejected, s.exit_code) == (len(centi_hours), 1, 0, 0)
        assert s.hours == pytest.approx(sum(centi_hours) / 100)

    check()


def test_jira_issue_export_with_log_work_columns(store: Store, tmp_path: Path) -> None:
    log = write(tmp_path, "Summary,Issue key,Issue id,Issue Type,Status,Project key,Time Spent,Log Work,Log Work\n"
                'Weekly release,OPS-12,10012,Task,Done,OPS,9000,"Tagged; deployed;20/Jan/23 6:25 PM;5b10a2844c;5400",'
                '";27/Jan/23 9:00 AM;5b10a2844c;3600"\n'
                "Rotate certificates,OPS-31,10031,Task,Done,OPS,1800,;23/Jan/23 2:00 PM;5b10a2844c;1800,\n"
                "Plan Q2,OPS-40,10040,Task,Open,OPS,,,\n"
                "Broken,OPS-41,10041,Task,Open,OPS,60,no worklog here,\n")
    s = run_import(store, log, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected) == ("jira", 4, 3, 1, 1)
    assert s.hours == pytest.approx(3.0)
    rows = entries(store)
    assert [r[0] for r in rows] == ["Weekly release", "Rotate certificates", "Weekly release"]
    assert (rows[0][1], rows[0][4]) == ("2023-01-20T17:25:00Z", "Tagged; deployed")
    assert s.errors[0][0] == 5 and "comment;started;author;seconds" in s.errors[0][1]
    assert run_import(store, log, tz=TZ).imported == 0
    # seconds in digits int() refuses though str.isdigit() says yes: the row is rejected
    odd = write(tmp_path, "Summary,Issue key,Time Spent,Log Work\nOdd,OPS-50,60,;23/Jan/23 2:00 PM;5b10;6\u00b9\n", "odd.csv")
    s = run_import(store, odd, tz=TZ)
    assert (s.format, s.imported, s.rejected) == ("jira", 0, 1)
    assert "comment;started;author;seconds" in s.errors[0][1]
