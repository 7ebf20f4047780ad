"""Errors are never "internal" when they are not (issue 15): a damaged database and an
unusable flag rules file are one line naming the file (exit 2), and `roi doctor` says
what a database holds, whether it is whole, and how to recover one that is not."""

from __future__ import annotations

import json
import os
import random
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from roi.db.migrations import MIGRATIONS


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


@pytest.fixture
def full_db(roi, db_path: Path, tmp_path: Path) -> Path:
    """A real roi.db: the demo and an import of 3,000 entries."""
    log = tmp_path / "log.csv"
    start = datetime(2024, 1, 1, 8)
    with open(log, "w", encoding="utf-8") as fh:
        fh.write("start,end,description\n")
        for i in range(3000):
            s = start + timedelta(minutes=30 * i)
            fh.write(f"{s.isoformat()},{(s + timedelta(minutes=20)).isoformat()},task {i % 40}\n")
    assert roi("seed", "demo").exit_code == 0
    assert roi("import", str(log)).exit_code == 0
    return db_path


def garble_the_middle(db: Path) -> None:
    data = bytearray(db.read_bytes())
    rnd = random.Random(15)
    for i in range(len(data) // 4, 3 * len(data) // 4):
        data[i] = rnd.randrange(256)
    db.write_bytes(bytes(data))


def assert_damaged(r, db: Path) -> None:
    assert r.exit_code == 2, r.output
    line = one_line(r.stderr)
    assert str(db) in line and "damaged" in line and "doctor" in line
    assert "internal" not in line and "Traceback" not in r.output


def test_a_database_garbled_in_the_middle_is_one_line_naming_it_and_roi_doctor(roi, full_db):
    garble_the_middle(full_db)
    for command in (("time", "list"), ("imports", "list")):
        r = roi(*command)
        assert_damaged(r, full_db)
        assert "malformed" in r.stderr and f"roi --db {full_db} doctor" in r.stderr


def test_a_file_with_the_sqlite_header_and_garbage_after_is_damaged(roi, tmp_path):
    bogus = tmp_path / "bogus.db"
    rnd = random.Random(7)
    bogus.write_bytes(b"SQLite format 3\x00" + bytes(rnd.randrange(256) for _ in range(8192)))
    for command in (("task", "list"), ("rank",), ("task", "add", "X")):
        assert_damaged(roi(*command, db=bogus), bogus)


def test_doctor_on_a_healthy_database(roi, full_db):
    r = roi("doctor")
    assert r.exit_code == 0, r.output
    assert f"database: {full_db}" in r.stdout
    assert f"schema: version {len(MIGRATIONS)}" in r.stdout and MIGRATIONS[-1][0] in r.stdout
    assert "integrity (integrity_check): ok" in r.stdout
    assert "task 50" in r.stdout and "time_entry 3,000" in r.stdout
    assert "healthy" in r.stdout
    doc = json.loads(roi("doctor", "--json").stdout)
    assert doc["healthy"] is True and doc["integrity"] == ["ok"] and doc["database"] == str(full_db)
    assert doc["rows"]["time_entry"] == 3000 and doc["schema_version"] == len(MIGRATIONS)
    assert doc["migrations"] == [name for name, _ in MIGRATIONS] and doc["recover"] == []
    assert roi("doctor", "--quick").exit_code == 0


def test_doctor_on_a_damaged_database_says_how_to_recover(roi, full_db):
    garble_the_middle(full_db)
    data = full_db.read_bytes()
    r = roi("doctor")
    assert r.exit_code == 2, r.output
    assert "DAMAGED" in r.stdout and "To recover" in r.stdout
    assert "backup" in r.stdout and '".recover" | sqlite3' in r.stdout
    assert "time_entry unreadable" in r.stdout  # unknown is not zero
    doc = json.loads(roi("doctor", "--json").stdout)
    assert doc["healthy"] is False and doc["integrity"] != ["ok"] and doc["rows"]["time_entry"] is None
    assert any(".recover" in step for step in doc["recover"])
    assert full_db.read_bytes() == data  # the doctor changes nothing


def test_doctor_on_a_file_that_is_not_a_database_and_on_no_file(roi, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    r = roi("doctor", db=notes)
    assert r.exit_code == 2 and "not an SQLite database" in r.stdout
    missing = tmp_path / "nothing.db"
    r = roi("doctor", db=missing)
    assert r.exit_code == 1 and "no database there" in r.stdout
    assert not missing.exists()


# --- the person's flag rules file -------------------------------------------------------------


def flags_error(roi, monkeypatch, path: Path) -> str:
    monkeypatch.setenv("ROI_FLAGS", str(path))
    roi("task", "add", "Invoices")
    r = roi("rank")
    assert r.exit_code == 2, r.output
    line = one_line(r.stderr)
    assert str(path) in line and "internal" not in line
    return line


def test_a_folder_at_the_flags_path_is_one_line(roi, monkeypatch, tmp_path):
    folder = tmp_path / "flags.toml"
    folder.mkdir()
    assert "is a folder" in flags_error(roi, monkeypatch, folder)


def test_a_flags_file_that_is_not_utf8_is_one_line(roi, monkeypatch, tmp_path):
    path = tmp_path / "flags.toml"
    path.write_bytes(b'[[rule]]\ncode = "caf\xe9"\n')
    assert "not UTF-8" in flags_error(roi, monkeypatch, path)


def test_a_flags_file_that_is_not_toml_is_one_line(roi, monkeypatch, tmp_path):
    path = tmp_path / "flags.toml"
    path.write_text("[[rule]\ncode = \n")
    assert "not valid TOML" in flags_error(roi, monkeypatch, path)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_a_flags_file_that_cannot_be_read_is_one_line(roi, monkeypatch, tmp_path):
    path = tmp_path / "flags.toml"
    path.write_text("")
    path.chmod(0)
    try:
        assert "cannot be read" in flags_error(roi, monkeypatch, path)
    finally:
        path.chmod(0o600)
