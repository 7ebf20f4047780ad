"""Nothing lost, nothing leaked (issue 15), through the CLI: a full disk says so, a typo
is not an empty inventory, a newer schema is only read, new files are private, and
`roi demo --reset` deletes only a demo database."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from roi.db.migrations import MIGRATIONS
from tui.drafts import Drafts


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("task", "step", "time_entry", "import_batch", "setting")}
    finally:
        conn.close()


def write_log(path: Path, rows: int, tasks: int = 20) -> Path:
    start = datetime(2024, 1, 1, 8)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("start,end,description\n")
        for i in range(rows):
            s = start + timedelta(minutes=30 * i)
            fh.write(f"{s.isoformat()},{(s + timedelta(minutes=20)).isoformat()},task {i % tasks}\n")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


# --- 1. disk full says disk full ------------------------------------------------------------


def test_a_large_import_onto_a_full_disk_says_the_disk_is_full(roi, db_path, tmp_path, monkeypatch):
    assert roi("task", "list").exit_code == 0  # the database exists, migrated
    log = write_log(tmp_path / "big.csv", 20_000)  # a bulk import: indexes dropped and rebuilt
    real_connect = sqlite3.connect

    def full_disk(*args, **kwargs):  # SQLITE_FULL once the file grows by 100 pages
        conn = real_connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 100}")
        return conn

    monkeypatch.setattr(sqlite3, "connect", full_disk)
    r = roi("import", str(log))
    monkeypatch.setattr(sqlite3, "connect", real_connect)
    assert r.exit_code == 1, r.output
    line = one_line(r.stderr)
    assert "disk is full" in line and str(db_path) in line
    assert "rollback" not in line and "internal" not in line
    assert counts(db_path)["time_entry"] == 0 and counts(db_path)["import_batch"] == 0


# --- 2. a typo is not an empty inventory ------------------------------------------------------


def test_roi_db_in_a_folder_that_does_not_exist_is_refused(roi, tmp_path, monkeypatch):
    missing = tmp_path / "no" / "such" / "folder" / "roi.db"
    monkeypatch.setenv("ROI_DB", str(missing))
    r = roi("task", "list", db=None)
    assert r.exit_code == 1
    line = one_line(r.stderr)
    assert str(missing) in line and "--create" in line
    assert "No tasks" not in r.stdout
    assert not (tmp_path / "no").exists()


def test_db_option_in_a_missing_folder_is_refused_unless_create(roi, tmp_path):
    target = tmp_path / "new" / "dir" / "x.db"
    r = roi("task", "add", "Invoices", db=target)
    assert r.exit_code == 1 and str(target) in one_line(r.stderr)
    assert not (tmp_path / "new").exists()
    r = roi("--create", "task", "add", "Invoices", db=target)
    assert r.exit_code == 0, r.output
    assert "Invoices" in roi("task", "list", db=target).stdout


def test_the_default_location_and_memory_are_created_freely(roi, tmp_path, monkeypatch):
    monkeypatch.delenv("ROI_DB")
    assert roi("task", "add", "Invoices", db=None).exit_code == 0
    assert (tmp_path / "xdg-data" / "roi" / "roi.db").is_file()
    assert roi("task", "list", db=Path(":memory:")).exit_code == 0


def test_help_mentions_create(roi):
    r = roi("--help", db=None)
    assert "--create" in r.stdout and "doctor" in r.stdout


# --- 3. a newer schema is refused -------------------------------------------------------------


def _newer(db: Path, sql: str) -> tuple[bytes, int]:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute(sql)
    conn.close()  # checkpointed: everything is in the main file
    return db.read_bytes(), db.stat().st_mtime_ns


def test_a_database_of_a_newer_roi_is_read_but_never_written(roi, db_path, tmp_path):
    log = write_log(tmp_path / "log.csv", 50, tasks=3)
    assert roi("seed", "demo").exit_code == 0
    assert roi("import", str(log)).exit_code == 0
    before = counts(db_path)
    data, mtime = _newer(db_path, "INSERT INTO _migrations VALUES ('0099_from_the_future', 'later')")

    r = roi("rank", "--json")
    assert r.exit_code == 0 and '"tasks"' in r.stdout
    assert "made by a newer version of roi" in one_line(r.stderr)
    r = roi("task", "list")
    assert r.exit_code == 0 and "Email triage" in r.stdout
    for write in (("task", "add", "New"), ("import", str(log)), ("seed", "demo"), ("config", "set", "horizon_weeks", "26")):
        r = roi(*write)
        assert r.exit_code == 1, (write, r.output)
        line = one_line(r.stderr)
        assert str(db_path) in line
        assert "was made by a newer version of roi (unknown migration '0099_from_the_future');" \
               " upgrade roi to change it" in line
    assert db_path.read_bytes() == data and db_path.stat().st_mtime_ns == mtime
    assert counts(db_path) == before


def test_a_higher_user_version_is_a_newer_schema(roi, db_path):
    assert roi("task", "add", "Invoices").exit_code == 0
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()
    data, _ = _newer(db_path, f"PRAGMA user_version = {len(MIGRATIONS) + 1}")
    assert roi("task", "list").exit_code == 0
    r = roi("task", "add", "Other")
    assert r.exit_code == 1 and "newer version of roi" in one_line(r.stderr)
    assert db_path.read_bytes() == data


# --- 4. private by default --------------------------------------------------------------------


def test_a_new_database_and_its_wal_and_shm_are_private(roi, db_path, umask_022):
    assert roi("task", "add", "Invoices").exit_code == 0
    assert mode(db_path) == 0o600
    reader = sqlite3.connect(db_path)  # keeps -wal and -shm there after roi is done
    try:
        reader.execute("SELECT count(*) FROM task").fetchone()
        assert roi("task", "add", "Receipts").exit_code == 0
        for suffix in ("-wal", "-shm"):
            assert mode(Path(f"{db_path}{suffix}")) == 0o600, suffix
    finally:
        reader.close()


def test_an_existing_database_keeps_its_mode(roi, db_path, umask_022):
    assert roi("task", "add", "Invoices").exit_code == 0
    db_path.chmod(0o640)
    assert roi("task", "add", "Receipts").exit_code == 0
    assert mode(db_path) == 0o640


def test_a_written_report_is_private_and_an_existing_one_keeps_its_mode(roi, tmp_path, umask_022):
    roi("seed", "demo")
    new = tmp_path / "report.md"
    assert roi("report", "--format", "md", "-o", str(new)).exit_code == 0
    assert mode(new) == 0o600
    shared = tmp_path / "shared.md"
    shared.write_text("old")
    shared.chmod(0o644)
    assert roi("report", "--format", "md", "-o", str(shared)).exit_code == 0
    assert mode(shared) == 0o644 and shared.read_text() != "old"


def test_the_drafts_file_is_private(tmp_path, db_path, umask_022):
    path = tmp_path / "drafts" / "tui-drafts.json"
    drafts = Drafts(db_path, path=path)
    drafts["task:new"] = {"name": "half typed"}
    assert mode(path) == 0o600
    path.chmod(0o640)
    drafts["task:new"] = {"name": "more typed"}
    assert mode(path) == 0o640
    assert Drafts(db_path, path=path)["task:new"] == {"name": "more typed"}


# --- 5. nothing deleted without asking --------------------------------------------------------


def test_demo_reset_refuses_a_database_that_is_not_a_demo(roi, db_path):
    assert roi("task", "add", "My own chore").exit_code == 0
    data = db_path.read_bytes()
    r = roi("demo", "--reset", "--no-open")
    assert r.exit_code == 1
    line = one_line(r.stderr)
    assert str(db_path) in line and "not a demo database" in line
    assert db_path.read_bytes() == data
    assert "My own chore" in roi("task", "list").stdout


def test_demo_reset_refuses_a_file_it_cannot_read(roi, tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n")
    r = roi("demo", "--reset", "--no-open", db=notes)
    assert r.exit_code == 1 and str(notes) in one_line(r.stderr)
    assert notes.read_text() == "my notes, not a database\n"


def test_demo_reset_starts_a_demo_database_afresh(roi, tmp_path):
    demo = tmp_path / "demo.db"
    assert roi("demo", "--no-open", db=demo).exit_code == 0
    assert roi("task", "add", "Scratch", db=demo).exit_code == 0
    r = roi("demo", "--reset", "--no-open", db=demo)
    assert r.exit_code == 0, r.output
    assert "Scratch" not in roi("task", "list", db=demo).stdout
    # and the fresh one is a demo database again
    assert roi("demo", "--reset", "--no-open", db=demo).exit_code == 0


def test_demo_reset_takes_an_empty_file_and_the_own_demo_database(roi, tmp_path):
    empty = tmp_path / "empty.db"
    empty.touch()
    assert roi("demo", "--reset", "--no-open", db=empty).exit_code == 0
    assert "Email triage" in roi("task", "list", db=empty).stdout
    r = roi("demo", "--reset", "--no-open", db=None)
    assert r.exit_code == 0, r.output
    assert roi("demo", "--reset", "--no-open", db=None).exit_code == 0
