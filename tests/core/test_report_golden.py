"""Golden files of every report format, on a fixed inventory and a frozen date.

The goldens in tests/golden/report/ are the product's face: read them as a reader would
after regenerating them with

    ROI_UPDATE_GOLDEN=1 .venv/bin/pytest tests/core/test_report_golden.py
"""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from roi.db.store import Store, iso
from roi.db.timelog import refresh_measurements
from roi.demo import seed_demo
from roi.models import Step, Task
from roi.report import FORMATS, build_report, render
from roi.report.model import frozen_generated

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "report"
TODAY = date(2026, 11, 28)
SUFFIX = {"text": "txt", "md": "md", "html": "html", "csv": "csv", "json": "json"}


def log_entries(store: Store, task: str, file_name: str | None, fmt: str, starts: list[datetime],
                minutes: list[float], step: str | None = None) -> None:
    """Logged time as an importer (file_name) or the stopwatch (None) would leave it."""
    task_id = store.task_id(task)
    step_id = store.step_id(task_id, step) if step else None
    with store.transaction() as conn:
        batch = None
        if file_name:
            row = conn.execute("SELECT id FROM import_batch WHERE file_name = ?", [file_name]).fetchone()
            if row:
                batch = row[0]
            else:
                batch = conn.execute(
                    "INSERT INTO import_batch (file_name, file_hash, format, rows_read, imported,"
                    " started_at, finished_at) VALUES (?, ?, ?, 0, 0, ?, ?)",
                    [file_name, f"hash:{file_name}", fmt, "2026-11-20T10:00:00Z", "2026-11-20T10:00:01Z"],
                ).lastrowid
        for n, (start, length) in enumerate(zip(starts, minutes, strict=True)):
            end = start + timedelta(minutes=length)
            conn.execute(
                'INSERT INTO time_entry (task_id, step_id, start, "end", duration_s, source, batch_id,'
                " hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [task_id, step_id, iso(start), iso(end), length * 60.0, fmt if file_name else "stopwatch",
                 batch, f"{task}:{file_name}:{n}"],
            )
    refresh_measurements(store, [task_id])


def golden_inventory(store: Store) -> Store:
    """The demo inventory plus what a few weeks of real use add: an imported log, stopwatch
    time, an hourly value, an overrun factor, a dismissed flag, a later start, learning value."""
    seed_demo(store)
    store.set_setting("hourly_value", 60)
    store.set_setting("overrun_factor", 1.25)
    weekly = [datetime(2026, 10, 5, 9, tzinfo=UTC) + timedelta(weeks=k) for k in range(7)]
    log_entries(store, "Weekly status report", "toggl-2026-q4.csv", "toggl", weekly,
                [62, 55, 70, 58, 64, 49, 60])
    trims = [datetime(2026, 11, d, 14, tzinfo=UTC) for d in (3, 10, 17, 24)]
    log_entries(store, "Video trimming", None, "stopwatch", trims, [38, 52, 41, 47], step="Trim recording")
    store.dismiss_flag("Calendar invites", "low-roi:calendar")
    store.set_plan("Grant proposal", start_date=date(2027, 1, 4))
    store.update_task("Meta-review", learning_value=True, learning_note="learn the review tooling")
    # steps and a frequency but no build estimate yet: needs-estimate, left out of the totals
    store.add_task(Task(name="Meeting notes", category="writing", per_week=3,
                        steps=[Step(name="Write up", minutes=15, automation=0.7)]))
    return store


@pytest.fixture
def golden_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)  # the database is shown as "roi.db", not a temporary path
    store = Store.open(Path("roi.db"))
    golden_inventory(store)
    yield store
    store.close()


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ROI_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"missing golden {path}; run with ROI_UPDATE_GOLDEN=1"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, f"{name} differs from its golden; regenerate with ROI_UPDATE_GOLDEN=1 and review"


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden_full_report(golden_store: Store, fmt: str) -> None:
    report = build_report(golden_store, today=TODAY, generated=frozen_generated(TODAY))
    check_golden(f"demo.{SUFFIX[fmt]}", render(report, fmt))


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_golden_top_by_net_no_money(golden_store: Store, fmt: str) -> None:
    golden_store.set_setting("hourly_value", "")
    report = build_report(golden_store, today=TODAY, by="net", horizon_weeks=26, top=4,
                          generated=frozen_generated(TODAY))
    check_golden(f"top4-net-26wk.{SUFFIX[fmt]}", render(report, fmt))


def test_golden_empty_inventory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = Store.open(Path("empty.db"))
    try:
        report = build_report(store, today=TODAY, generated=frozen_generated(TODAY))
        check_golden("empty.txt", render(report, "text"))
    finally:
        store.close()


def test_examples_are_current(roi, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """examples/reports/ holds what `roi report` prints for the demo (see its README)."""
    monkeypatch.chdir(tmp_path)
    examples = Path(__file__).resolve().parents[2] / "examples" / "reports"
    db = Path("demo.db")
    assert roi("seed", "demo", db=db).exit_code == 0
    for suffix in SUFFIX.values():
        out = tmp_path / f"demo-report.{suffix}"
        result = roi("report", "-o", str(out.name), db=db)
        assert result.exit_code == 0, result.stderr
        if os.environ.get("ROI_UPDATE_GOLDEN"):
            (examples / out.name).write_bytes(out.read_bytes())
        assert out.read_bytes() == (examples / out.name).read_bytes(), (
            f"examples/reports/{out.name} is out of date; regenerate with ROI_UPDATE_GOLDEN=1")
