"""The real sample exports of ../shared/samples import with exact counts and hours
(skipped when the folder is absent; the files are never copied into the project)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import detect_format, run_import

pytestmark = pytest.mark.samples
TZ = "Europe/Berlin"

# path, format, rows_read, imported, skipped, hours
CASES = [
    ("toggl/Toggl_time_entries_2017-08-01_to_2017-08-31.csv", "toggl", 217, 217, 0, 186.9453),
    ("toggl/Toggl_time_entries_2018-10-08_to_2018-10-14.csv", "toggl", 18, 18, 0, 43.6525),
    ("toggl/solidtime_fixture_toggl_time_entries_import_test_2.csv", "toggl", 1, 1, 0, 2 / 3600),
    ("clockify/Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv", "clockify", 42, 42, 0, 193.9667),
    ("clockify/Clockify_shared_report_export.csv", "clockify", 99, 99, 0, 77.5508),
    ("harvest/solidtime_fixture_harvest_time_entries_import_test_1.csv", "harvest", 2, 2, 0, 20.01),
    ("timewarrior/all-time.json", "timewarrior", 180, 180, 0, 115.7386),
    ("watson/frames", "watson", 10, 10, 0, 5.7636),
    # window time cut to the not-AFK periods: 0.2476 h whole, 0.2096 h active (106 entries)
    ("activitywatch/sample_15min.json", "activitywatch", 120, 106, 14, 0.2096),
    ("generic/gordonbchen_time_log.csv", "generic", 2, 2, 0, 2.5),
    ("generic/chrissyhroberts_time_log.csv", "generic", 13, 13, 0, 60 / 3600),
]


@pytest.mark.parametrize(("rel", "fmt", "read", "imported", "skipped", "hours"), CASES)
def test_sample_imports_exactly_and_once(
    samples: Path, store: Store, rel: str, fmt: str, read: int, imported: int, skipped: int, hours: float
) -> None:
    path = samples / rel
    assert detect_format(path, tz=TZ).format == fmt
    s = run_import(store, path, tz=TZ)
    assert (s.format, s.rows_read, s.imported, s.skipped, s.rejected) == (fmt, read, imported, skipped, 0)
    assert s.hours == pytest.approx(hours, abs=5e-5)
    again = run_import(store, path, tz=TZ)
    assert (again.imported, again.duplicates) == (0, imported)


def _clock(text: str) -> int:
    h, m, s = (int(x) for x in text.split(":"))
    return h * 3600 + m * 60 + s


def test_toggl_hours_agree_with_the_duration_column(samples: Path, store: Store) -> None:
    """Hours are end - start; Toggl's Duration column truncates milliseconds, so it is
    at most one second short per row (9 rows of the 2017 sample)."""
    from datetime import datetime

    path = samples / "toggl/Toggl_time_entries_2017-08-01_to_2017-08-31.csv"
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    spans = [
        (datetime.fromisoformat(f"{r['End date']} {r['End time']}")
         - datetime.fromisoformat(f"{r['Start date']} {r['Start time']}")).total_seconds()
        for r in rows
    ]
    column = [_clock(r["Duration"]) for r in rows]
    assert all(0 <= s - c <= 1 for s, c in zip(spans, column, strict=True))
    # a different zone changes no duration here (August has no DST change)
    assert run_import(store, path, tz="America/New_York").hours == pytest.approx(sum(spans) / 3600)


def test_clockify_sample_date_order_is_said(samples: Path) -> None:
    d = detect_format(samples / "clockify/Clockify_Time_Report_Detailed_01_01_2026-31_12_2026.csv", tz=TZ)
    assert "DD/MM/YYYY" in d.note


def test_calendar_export_is_a_calendar(samples: Path, store: Store) -> None:
    # read by the ics format (tests/importers/test_calendar_mail.py has the details)
    assert run_import(store, samples / "ics/google_2024.ics", tz=TZ).format == "ics"
