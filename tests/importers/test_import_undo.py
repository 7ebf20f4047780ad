"""Past imports: `roi imports list|show|undo`, and undoing an import to redo it with other options."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.errors import RoiError
from roi.importers import list_batches, run_import, undo_batch

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"
LOG = "date,task,step,minutes\n2024-03-04,Inbox,Sort,10\n2024-03-05,Inbox,Sort,12\n2024-03-06,Backups,,30\n"


def state(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("task", "step", "plan", "time_entry", "measurement", "import_batch", "import_error")}
    finally:
        conn.close()


def test_undo_puts_the_database_back_as_it_was_before_the_import(store: Store, db_path: Path, tmp_path: Path):
    store.conn.execute("INSERT INTO task (name, created_at) VALUES ('Inbox', 'then')")  # the person's own task
    first = tmp_path / "first.csv"
    first.write_text("date,task,minutes\n2024-03-01,Inbox,5\n2024-03-02,Inbox,7\n")
    run_import(store, first, tz="UTC", step_from=None)
    before = state(db_path)
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    s = run_import(store, log, tz="UTC", step_from="step")
    assert s.imported == 3 and s.tasks_created == ["Backups"]
    assert state(db_path) != before

    undone = undo_batch(store, s.batch_id)  # type: ignore[arg-type]
    assert (undone.entries, undone.hours) == (3, pytest.approx(52 / 60))
    assert undone.tasks_removed == ["Backups"] and undone.tasks_kept == []
    assert undone.steps_removed == 1  # "Sort", which it added to the person's Inbox
    assert state(db_path) == before  # measurements of Inbox included
    # and the same file imports in full again
    assert run_import(store, log, tz="UTC", step_from="step").imported == 3


def test_dry_run_says_what_would_go_and_writes_nothing(store: Store, db_path: Path, tmp_path: Path):
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    s = run_import(store, log, tz="UTC")
    before = state(db_path)
    undone = undo_batch(store, s.batch_id, dry_run=True)  # type: ignore[arg-type]
    assert undone.entries == 3 and sorted(undone.tasks_removed) == ["Backups", "Inbox"]
    assert state(db_path) == before


def test_tasks_the_person_took_up_since_are_kept(store: Store, tmp_path: Path):
    log = tmp_path / "log.csv"
    log.write_text("date,task,minutes\n2024-03-04,Planned,10\n2024-03-04,Edited,10\n2024-03-04,Timed,10\n"
                   "2024-03-04,Stepped,10\n2024-03-04,Untouched,10\n")
    s = run_import(store, log, tz="UTC")
    conn = store.conn
    ids = dict(conn.execute("SELECT name, id FROM task"))
    conn.execute("INSERT INTO plan (task_id, build_hours) VALUES (?, 2)", [ids["Planned"]])
    conn.execute("UPDATE task SET category = 'email' WHERE id = ?", [ids["Edited"]])
    conn.execute("INSERT INTO time_entry (task_id, start, \"end\", duration_s, source) VALUES"
                 " (?, '2024-03-05T08:00:00Z', '2024-03-05T08:10:00Z', 600, 'stopwatch')", [ids["Timed"]])
    conn.execute("INSERT INTO step (task_id, position, name, minutes) VALUES (?, 0, 'By hand', 3)", [ids["Stepped"]])

    undone = undo_batch(store, s.batch_id)  # type: ignore[arg-type]
    assert undone.tasks_removed == ["Untouched"]
    assert undone.tasks_kept == ["Planned", "Edited", "Timed", "Stepped"]
    left = {name for (name,) in conn.execute("SELECT name FROM task")}
    assert left == {"Planned", "Edited", "Timed", "Stepped"}
    # what it kept no longer names the import, which is gone with its rejected rows
    assert conn.execute("SELECT count(*) FROM task WHERE import_batch_id IS NOT NULL").fetchone()[0] == 0
    assert list_batches(store) == []
    # the stopwatch entry is still measured
    assert conn.execute("SELECT samples FROM measurement WHERE task_id = ?", [ids["Timed"]]).fetchone() == (1,)


def test_an_unknown_import_is_a_clear_error(store: Store):
    with pytest.raises(RoiError, match="no import 9"):
        undo_batch(store, 9)


def test_cli_redo_with_another_time_zone(roi, db_path: Path):
    log = FIX / "toggl_classic_bom.csv"
    first = json.loads(roi("import", log, "--tz", "UTC", "--json").stdout)
    again = roi("import", log, "--tz", "Europe/Berlin")
    assert "imported before (import 1)" in again.stdout and "roi imports undo 1" in again.stdout
    listed = json.loads(roi("imports", "list", "--json").stdout)
    assert [(b["id"], b["imported"], b["entries"]) for b in listed] == [(1, first["imported"], first["imported"]), (2, 0, 0)]
    starts_utc = sqlite3.connect(db_path).execute("SELECT min(start) FROM time_entry").fetchone()[0]

    undo = roi("imports", "undo", "1", "--yes")
    assert undo.exit_code == 0 and f"Removed import 1 (toggl_classic_bom.csv): {first['imported']} entries" in undo.stdout
    redo = json.loads(roi("import", log, "--tz", "Europe/Berlin", "--json").stdout)
    assert redo["imported"] == first["imported"]  # (hours may differ: the log crosses a DST change)
    starts_berlin = sqlite3.connect(db_path).execute("SELECT min(start) FROM time_entry").fetchone()[0]
    assert starts_berlin < starts_utc  # the same wall-clock times, an hour or two earlier in UTC


def test_cli_show_lists_rejected_rows_literally(roi, tmp_path: Path):
    log = tmp_path / "bad.csv"
    log.write_text("date,task,minutes\n2024-03-04,Inbox,10\n2024-02-30,[bold red]x[/] \x1b[31m,10\n")
    assert roi("import", log, "--tz", "UTC").exit_code == 1
    shown = roi("imports", "show", "1")
    assert shown.exit_code == 0
    assert "line 3: " in shown.stdout and "[bold red]x[/] \\x1b[31m" in shown.stdout
    assert "\x1b" not in shown.stdout
    doc = json.loads(roi("imports", "show", "1", "--json").stdout)
    assert doc["rejected"] == 1 and doc["errors"][0]["line"] == 3 and "\x1b[31m" in doc["errors"][0]["raw"]


def test_cli_undo_errors_and_dry_run(roi, db_path: Path):
    missing = roi("imports", "undo", "3")
    assert missing.exit_code == 1 and "there is no import 3" in missing.stderr
    roi("import", FIX / "bad_rows.csv", "--tz", "UTC")
    dry = roi("imports", "undo", "1", "--dry-run", "--json")
    assert json.loads(dry.stdout)["entries_removed"] == 17 and json.loads(dry.stdout)["dry_run"] is True
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM time_entry").fetchone()[0] == 17
    assert roi("imports", "list").stdout.count("bad_rows.csv") == 1
    assert "No imports yet" not in roi("imports", "list").stdout
    assert roi("imports", "undo", "1", "--yes").exit_code == 0
    assert "No imports yet" in roi("imports", "list").stdout
    assert sqlite3.connect(db_path).execute("SELECT count(*) FROM import_error").fetchone()[0] == 0


def test_a_large_undo_rebuilds_the_indexes_instead_of_deleting_from_them(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from roi.db import imports as batches

    small, large = tmp_path / "small.csv", tmp_path / "large.csv"
    small.write_text("date,task,minutes\n2024-03-01,Inbox,5\n2024-03-02,Inbox,7\n")
    large.write_text("date,task,minutes\n" + "".join(f"2024-04-{d:02d},Inbox,{d}\n" for d in range(1, 11)))
    run_import(store, small, tz="UTC")
    s = run_import(store, large, tz="UTC")
    schema = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'time_entry' AND type = 'index' ORDER BY name"
    indexes = store.conn.execute(schema).fetchall()
    dropped: list[object] = []
    real_drop = batches.drop_indexes
    monkeypatch.setattr(batches, "BULK_MIN_ROWS", 5)
    monkeypatch.setattr(batches, "drop_indexes", lambda conn: dropped.append(1) or real_drop(conn))

    assert undo_batch(store, s.batch_id).entries == 10  # type: ignore[arg-type]
    assert dropped == [1]  # 2 rows left, 10 removed: rebuilt
    assert store.conn.execute(schema).fetchall() == indexes
    assert store.conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert store.conn.execute("SELECT sum(duration_s) FROM time_entry").fetchone() == (720.0,)
    assert run_import(store, small, tz="UTC").imported == 0  # the hash index answers again


def test_a_step_the_person_changed_keeps_it_and_its_task(store: Store, tmp_path: Path):
    log = tmp_path / "log.csv"
    log.write_text(LOG)
    s = run_import(store, log, tz="UTC", step_from="step")
    conn = store.conn
    conn.execute("UPDATE step SET automation = 0.5 WHERE name = 'Sort'")  # an estimate the person made

    undone = undo_batch(store, s.batch_id)  # type: ignore[arg-type]
    assert undone.tasks_removed == ["Backups"] and undone.tasks_kept == ["Inbox"]
    assert undone.steps_removed == 0
    assert conn.execute("SELECT t.name, s.name, s.automation FROM step s JOIN task t ON t.id = s.task_id").fetchall() == [
        ("Inbox", "Sort", 0.5)
    ]
    assert conn.execute("SELECT count(*) FROM time_entry").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM measurement").fetchone() == (0,)
