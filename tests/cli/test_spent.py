"""`roi spent`: where the time goes, through the CLI, on a Toggl-like export written here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,"
          "Duration,Tags,Amount (EUR)")


def toggl_rows(project: str, days: list[str], minutes: list[int], start: str = "09:00:00") -> list[str]:
    rows = []
    for day, length in zip(days, minutes, strict=True):
        h, m = divmod(9 * 60 + length, 60)
        rows.append(f"Ana,ana@example.com,Acme,{project},,{project},No,{day},{start},{day},"
                    f"{h:02d}:{m:02d}:00,00:{length:02d}:00,,0.00")
    return rows


def write_toggl(tmp_path: Path) -> Path:
    """Three tasks over eight weeks of October and November 2026 (today is 2026-11-28)."""
    weekly = [f"2026-10-{d:02d}" for d in (5, 12, 19, 26)] + [f"2026-11-{d:02d}" for d in (2, 9, 16, 23)]
    rows = (toggl_rows("Weekly report", weekly, [31, 47, 38, 52, 41, 44, 39, 50])
            + toggl_rows("Code review", weekly[:5], [13, 17, 22, 19, 11])
            + toggl_rows("Invoices", weekly[1:4], [7, 9, 8]))
    path = tmp_path / "toggl.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def imported(roi, tmp_path: Path) -> dict:
    r = roi("import", str(write_toggl(tmp_path)), "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def spent(roi, *args: str) -> dict:
    r = roi("spent", "--json", *args)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_rows_add_up_to_the_imported_hours(roi, imported) -> None:
    data = spent(roi)
    assert set(data) == {"since", "until", "total_hours", "rows"}
    assert data["since"] == "2026-10-05" and data["until"] == "2026-11-28"
    hours = [row["hours"] for row in data["rows"]]
    assert hours == sorted(hours, reverse=True)
    assert sum(hours) == pytest.approx(imported["hours"], abs=1e-9)
    assert data["total_hours"] == pytest.approx(imported["hours"], abs=1e-9)
    assert sum(row["share"] for row in data["rows"]) == pytest.approx(1.0, abs=1e-3)
    for row in data["rows"]:
        assert set(row) == {"id", "name", "hours", "hours_per_week", "share", "state"}
    top = data["rows"][0]
    assert top["name"] == "Weekly report" and top["hours"] == pytest.approx(342 / 60, abs=1e-4)
    weeks = 55 / 7  # 2026-10-05 .. 2026-11-28, both days counted
    assert top["hours_per_week"] == pytest.approx(342 / 60 / weeks, abs=1e-4)
    assert top["state"] == "needs-estimate"


def test_every_grouping_adds_up_to_the_same_total(roi, imported) -> None:
    for by in ("step", "source", "category"):
        data = spent(roi, "--by", by)
        assert sum(r["hours"] for r in data["rows"]) == pytest.approx(imported["hours"], abs=1e-9), by
    sources = spent(roi, "--by", "source")["rows"]
    assert [(r["id"], r["share"], r["state"]) for r in sources] == [("toggl", 1.0, None)]


def test_stopwatch_time_counts_beside_imports(roi, imported) -> None:
    roi("time", "add", "Invoices", "--at", "2026-11-27 10:00", "--minutes", "30")
    data = spent(roi, "--by", "source")
    assert len(data["rows"]) == 2 and data["rows"][0]["id"] == "toggl"
    assert data["total_hours"] == pytest.approx(imported["hours"] + 0.5, abs=1e-9)


def test_a_period_limits_the_rows(roi, imported) -> None:
    data = spent(roi, "--since", "2026-11-01", "--until", "2026-11-30")
    names = {r["name"]: r["hours"] for r in data["rows"]}
    assert names["Weekly report"] == pytest.approx((41 + 44 + 39 + 50) / 60, abs=1e-4)
    assert names["Code review"] == pytest.approx(11 / 60, abs=1e-4)
    assert names["Invoices"] is None  # nothing logged in November: missing, not 0
    assert data["rows"][-1]["name"] == "Invoices"


def test_a_task_without_time_is_missing_not_zero(roi) -> None:
    roi("task", "add", "Never timed")
    data = spent(roi)
    assert data["total_hours"] is None and data["since"] is None
    assert data["rows"] == [{"id": 1, "name": "Never timed", "hours": None, "hours_per_week": None,
                             "share": None, "state": "needs-estimate"}]
    r = roi("spent")
    assert r.exit_code == 0 and "No time logged yet" in r.stdout and "not logged" in r.stdout


def test_states_live_flagged_and_verdict(roi, imported) -> None:
    roi("task", "edit", "Invoices", "--status", "automated")
    roi("task", "add", "Email triage", "--category", "email", "--per-week", "50")
    roi("time", "add", "Email triage", "--at", "2026-11-20 08:00", "--minutes", "20")
    roi("step", "add", "Code review", "review", "--minutes", "15", "--automation", "50%")
    roi("plan", "Code review", "--build-hours", "2")
    states = {r["name"]: r["state"] for r in spent(roi)["rows"]}
    assert states["Invoices"] == "live"
    assert states["Email triage"] == "flagged"
    assert states["Weekly report"] == "needs-estimate"
    assert states["Code review"] in ("automate", "maybe", "skip")


def test_text_table_shows_names_literally(roi, tmp_path: Path) -> None:
    hostile = "[bold]x[/bold] \x1b[31mred \u202eevil"
    roi("task", "add", hostile)
    roi("time", "add", "1", "--at", "2026-11-20 08:00", "--minutes", "20")
    r = roi("spent")
    assert r.exit_code == 0, r.output
    assert "[bold]x[/bold]" in r.stdout and "\\x1b[31mred" in r.stdout and "\\u202eevil" in r.stdout
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
    data = spent(roi)
    assert data["rows"][0]["name"] == hostile
    assert "\u202e" not in roi("spent", "--json").stdout  # escaped as \u202e in the JSON text


@pytest.mark.parametrize(("args", "words"), [
    (("--since", "2026-13-01"), "--since must be a date YYYY-MM-DD (got '2026-13-01')"),
    (("--until", "soon"), "--until must be a date YYYY-MM-DD (got 'soon')"),
    (("--since", "2026-11-20", "--until", "2026-11-01"), "--since (2026-11-20) must not be after --until"),
])
def test_bad_periods_are_one_line(roi, args: tuple[str, ...], words: str) -> None:
    r = roi("spent", *args)
    assert r.exit_code == 1 and words in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output
