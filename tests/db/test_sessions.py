"""Occurrences are sessions, not fragments: ActivityWatch window events and sub-minute
logs are joined into sessions (setting session_gap); Toggl-style entries stay one each;
every output names the rule."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from roi.db.measurements import measurements, sessions
from roi.db.store import Store
from roi.importers.load import run_import


def aw_export(path: Path, runs: int = 20, per_run: int = 30, app: str = "thunderbird") -> Path:
    """`runs` runs of `per_run` one-minute window events of one app, the runs 2 h apart
    and spread over ten weeks (newest first, as ActivityWatch writes them)."""
    events = []
    t0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
    for run in range(runs):
        start = t0 + timedelta(days=3.5 * run)
        for i in range(per_run):
            at = start + timedelta(minutes=i)
            events.append({"timestamp": at.isoformat(), "duration": 60.0,
                           "data": {"app": app, "title": f"Inbox ({i})"}})
    events.reverse()
    data = {"buckets": {"aw-watcher-window_host": {
        "id": "aw-watcher-window_host", "type": "currentwindow", "client": "aw-watcher-window",
        "hostname": "host", "events": events}}}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_600_one_minute_window_events_in_20_runs_are_20_occurrences(store, tmp_path: Path) -> None:
    summary = run_import(store, aw_export(tmp_path / "aw.json"))
    assert summary.imported == 600
    (m,) = measurements(store).values()
    assert (m.rule, m.samples, m.entries) == ("sessions", 20, 600)
    assert m.median_minutes == 30.0
    assert m.gap_minutes == 5.0


def test_the_rule_is_said_in_rank_json_explain_and_task_show(roi, tmp_path: Path) -> None:
    assert roi("import", str(aw_export(tmp_path / "aw.json")), "--json").exit_code == 0
    task = json.loads(roi("rank", "--json").stdout)["tasks"][0]
    assert task["per_week_source"] == "measured"
    assert task["occurrence_rule"] == "sessions"
    assert "sessions a week of 30 min, from 600 window events" in task["occurrence_note"]
    assert "sessions a week of 30 min, from 600 window events" in task["explanation"]
    shown = roi("task", "show", "thunderbird").stdout
    assert "from 600 window events" in " ".join(shown.split())
    explained = " ".join(roi("rank", "--explain").stdout.split())
    assert "from 600 window events" in explained


def test_a_smaller_gap_splits_sessions_and_the_setting_remeasures(store, tmp_path: Path) -> None:
    # one run of 10 events, each 30 s long and 2 min apart: one session at the default
    # gap, ten at a gap of 1 min
    events = [{"timestamp": (datetime(2026, 10, 1, 9, tzinfo=UTC) + timedelta(minutes=2 * i)).isoformat(),
               "duration": 30.0, "data": {"app": "mail", "title": "x"}} for i in range(10)]
    path = tmp_path / "aw.json"
    path.write_text(json.dumps({"buckets": {"aw-watcher-window_h": {"type": "currentwindow", "events": events}}}))
    run_import(store, path)
    (m,) = measurements(store).values()
    assert (m.samples, m.median_minutes) == (1, 5.0)
    store.set_setting("session_gap", 1)
    (m,) = measurements(store).values()
    assert (m.samples, m.median_minutes, m.gap_minutes) == (10, 0.5, 1.0)


def test_toggl_style_entries_stay_one_occurrence_each(roi, tmp_path: Path) -> None:
    from tests.cli.test_spent import write_toggl

    assert roi("import", str(write_toggl(tmp_path))).exit_code == 0
    tasks = {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}
    report = tasks["Weekly report"]
    assert report["occurrence_rule"] == "entries"
    assert "from 8 entries (one occurrence each)" in report["occurrence_note"]


def test_a_log_of_sub_minute_entries_is_fragments_too(store, tmp_path: Path) -> None:
    # a generic log of 20-second entries, in three bursts a week apart
    rows = ["start,end,task"]
    for week in range(3):
        for i in range(30):
            at = datetime(2026, 10, 5, 9, tzinfo=UTC) + timedelta(weeks=week, seconds=30 * i)
            rows.append(f"{at.isoformat()},{(at + timedelta(seconds=20)).isoformat()},Triage")
    path = tmp_path / "log.csv"
    path.write_text("\n".join(rows) + "\n")
    run_import(store, path)
    (m,) = measurements(store).values()
    assert (m.rule, m.samples, m.entries) == ("sessions", 3, 90)
    assert m.median_minutes == 10.0  # 30 x 20 s


def test_migration_remeasures_an_older_database(store, tmp_path: Path) -> None:
    import sqlite3

    from roi.db.migrations import MIGRATIONS

    run_import(store, aw_export(tmp_path / "aw.json", runs=4, per_run=10))
    store.close()
    conn = sqlite3.connect(store_path := tmp_path / "roi.db")
    conn.execute("UPDATE measurement SET rule = 'entries', samples = 40")  # as it was measured before
    conn.execute("DELETE FROM _migrations WHERE name = '0009_measurement_rule'")
    for column in ("rule", "entries", "counted", "sources", "gap_minutes"):
        conn.execute(f"ALTER TABLE measurement DROP COLUMN {column}")
    conn.commit()
    conn.close()
    assert "0009_measurement_rule" in dict(MIGRATIONS)
    store = Store.open(store_path)
    (m,) = measurements(store).values()
    assert (m.rule, m.samples) == ("sessions", 4)


pieces = st.lists(st.tuples(st.floats(0, 1e6), st.floats(0, 3600)), max_size=60).map(sorted)


@given(pieces, st.floats(0, 7200))
def test_sessions_keep_every_second_and_never_outnumber_entries(items, gap) -> None:
    lengths = sessions(items, gap)
    assert len(lengths) <= len(items)
    assert abs(sum(lengths) - sum(d for _, d in items)) < 1e-6 * (1 + sum(d for _, d in items))
    assert (len(lengths) == 0) == (len(items) == 0)


def test_sessions_split_at_the_gap() -> None:
    assert sessions([(0, 60), (100, 60), (1000, 60)], 300) == [120, 60]
    assert sessions([(0, 60), (100, 60), (1000, 60)], 10) == [60, 60, 60]
