"""Workbooks (.xlsx) read as tables: the same column logic as CSV, line numbers are the
spreadsheet's row numbers, the first sheet or --sheet NAME. Fixtures are written here
with openpyxl in the shape of Harvest, Toggl and Clockify's Excel exports."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import NotATaskLog, detect_format, run_import

openpyxl = pytest.importorskip("openpyxl")
TZ = "Europe/Berlin"


def book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


HARVEST = ["Date", "Client", "Project", "Project Code", "Task", "Notes", "Hours", "Billable?", "Invoiced?",
           "Approved?", "First Name", "Last Name", "Roles", "Employee?", "Billable Rate", "Billable Amount", "Currency"]


def test_harvest_workbook(store: Store, tmp_path: Path) -> None:
    rows = [HARVEST,
            [date(2023, 1, 23), "Acme", "Website", "W1", "Design", "Hero variants", 1.5, "Yes", "No", "No", "Ana",
             "Lima", "Designer", "Yes", 100, 150, "Euro - EUR"],
            [date(2023, 1, 24), "Acme", "Website", "W1", "Design", "", 0.25, "Yes", "No", "No", "Ana", "Lima",
             "Designer", "Yes", 100, 25, "Euro - EUR"],
            [date(2023, 1, 25), "Acme", "Website", "W1", "Design", "", "lots", "Yes", "No", "No", "Ana", "Lima",
             "Designer", "Yes", 100, 0, "Euro - EUR"],
            [None, None, None, None, None, None, 1.75]]  # the totals row of the sheet
    path = book(tmp_path / "harvest_time_report.xlsx", {"Detailed Time": rows})
    d = detect_format(path, tz=TZ)
    assert d.format == "harvest" and "sheet 'Detailed Time'" in d.note
    s = run_import(store, path, tz=TZ)
    assert (s.imported, s.rejected, s.skipped, s.hours) == (2, 1, 1, pytest.approx(1.75))
    assert s.errors[0][0] == 4 and "'lots'" in s.errors[0][1]  # the spreadsheet's row number
    again = run_import(store, path, tz=TZ)
    assert (again.imported, again.duplicates) == (0, 2)


def test_toggl_workbook_with_date_and_time_cells(store: Store, tmp_path: Path) -> None:
    header = ["User", "Email", "Client", "Project", "Task", "Description", "Billable", "Start date", "Start time",
              "End date", "End time", "Duration", "Tags", "Amount (EUR)"]
    rows = [header,
            ["Bo", "bo@x.org", "Acme", "Ops", "", "Deploy", "No", date(2024, 3, 4), time(22, 30), date(2024, 3, 5),
             time(0, 15), time(1, 45), "release, prod", 0],
            ["Bo", "bo@x.org", "Acme", "Ops", "", "Inbox", "No", date(2024, 3, 5), time(9, 0), date(2024, 3, 5),
             time(9, 30), timedelta(minutes=30), "", 0]]
    path = book(tmp_path / "Toggl_time_entries.xlsx", {"Sheet1": rows})
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.imported, s.rejected, s.hours) == ("toggl", 2, 0, pytest.approx(2.25))
    first = store.conn.execute("SELECT start, tags FROM time_entry ORDER BY start").fetchone()
    assert first[0] == "2024-03-04T21:30:00Z" and json.loads(first[1])[-2:] == ["release", "prod"]


def test_clockify_workbook_and_a_sheet_chosen_by_name(roi, tmp_path: Path) -> None:
    header = ["Project", "Client", "Description", "Task", "User", "Email", "Tags", "Billable", "Start Date",
              "Start Time", "End Date", "End Time", "Duration (h)", "Duration (decimal)"]
    rows = [["Clockify detailed report"], [], header,
            ["Ops", "", "Backups", "", "Bo", "bo@x.org", "", "No", "21/01/2026", "11:00:00", "21/01/2026",
             "11:30:00", "00:30:00", 0.5],
            ["Ops", "", "Backups", "", "Bo", "bo@x.org", "", "No", "22/01/2026", "11:00:00", "22/01/2026",
             "25:00:00", "00:30:00", 0.5]]
    path = book(tmp_path / "report.xlsx", {"Summary": [["Total", 1.0]], "Detailed": rows})
    r = roi("import", path, "--tz", "UTC", "--sheet", "Detailed", "--json")
    data = json.loads(r.stdout)
    assert (r.exit_code, data["format"], data["imported"], data["rejected"]) == (1, "clockify", 1, 1)
    assert data["errors"][0]["line"] == 5  # row 5 of the sheet, under a title and an empty row
    missing = roi("import", path, "--sheet", "Nope")
    assert missing.exit_code == 2 and "no sheet 'Nope' (its sheets: 'Summary', 'Detailed')" in missing.stderr


def test_a_plain_sheet_with_datetime_cells(store: Store, tmp_path: Path) -> None:
    rows = [["Start", "End", "Task"], [datetime(2024, 3, 4, 9, 0), datetime(2024, 3, 4, 10, 30), "Reports"],
            [datetime(2024, 3, 5, 9, 0), None, "Reports"]]
    s = run_import(store, book(tmp_path / "log.xlsx", {"Log": rows}), tz="UTC")
    assert (s.format, s.imported, s.hours) == ("generic", 1, pytest.approx(1.5))
    assert s.skips[0][0] == 3 and s.skips[0][1].startswith("still running")


def test_a_zip_that_is_no_workbook(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "photos.zip"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(NotATaskLog, match="ZIP archive .* not a workbook or a task log"):
        detect_format(path)
