"""Waits are one setting and say so (issue 15): a command waits for another roi's write
lock at most $ROI_BUSY_TIMEOUT seconds in all, and says once on stderr that it waits
(and for what, when the other roi said). Tiny budgets: no test sleeps out a timeout."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from roi.db.connection import Waits, take_lock
from roi.db.store import Store
from roi.errors import RoiError


@pytest.fixture
def holder(db_path: Path):
    """A second connection that can hold the write lock (BEGIN IMMEDIATE)."""
    Store.open(db_path).close()  # created and migrated
    conn = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    yield conn
    if conn.in_transaction:
        conn.execute("ROLLBACK")
    conn.close()


def test_a_held_lock_is_waited_for_once_within_the_budget_and_said(roi, holder, monkeypatch):
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "1.5")  # the message comes after 0.5 s
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    r = roi("task", "add", "Invoices")
    waited = time.monotonic() - started
    assert r.exit_code == 1
    assert 1.4 <= waited < 4, waited
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 2, r.stderr
    assert lines[0].startswith("waiting for another roi to finish") and lines[0].count("waiting") == 1
    assert "busy" in lines[1] and "1.5 s" in lines[1] and "ROI_BUSY_TIMEOUT" in lines[1]
    assert "Traceback" not in r.output


def test_the_command_goes_on_when_the_other_roi_finishes(roi, holder, monkeypatch, db_path):
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "1.5")
    holder.execute("BEGIN IMMEDIATE")
    threading.Timer(0.8, lambda: holder.execute("COMMIT")).start()
    r = roi("task", "add", "Invoices")
    assert r.exit_code == 0, r.output
    assert r.stderr.count("waiting for another roi to finish") == 1
    assert "Invoices" in roi("task", "list").stdout


def test_the_message_names_what_the_other_roi_is_doing(roi, db_path, monkeypatch):
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "1")
    other = Store.open(db_path)
    other.activity = "an import"  # what the CLI's `roi import` calls its writes
    try:
        with other.transaction():
            r = roi("task", "add", "Invoices")
    finally:
        other.close()
    assert r.exit_code == 1
    assert "waiting for another roi to finish (an import)" in r.stderr
    assert "another roi (an import)" in r.stderr.strip().splitlines()[-1]
    assert not Path(f"{db_path}-activity").exists()  # gone with the lock


def test_a_bad_busy_timeout_setting_is_one_line(roi, monkeypatch):
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "soon")
    r = roi("task", "list")
    assert r.exit_code == 1
    assert r.stderr.strip() == "Error: ROI_BUSY_TIMEOUT='soon' is not a number of seconds (e.g. 120)"


def test_the_budget_is_the_total_of_all_waits_of_a_connection(holder):
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(holder.execute("PRAGMA database_list").fetchone()[2], isolation_level=None)
    waits = Waits(total_s=0.6, notice_after_s=0.2)
    heard: list[str | None] = []
    waits.on_wait = heard.append
    started = time.monotonic()
    with pytest.raises(RoiError, match="busy"):
        take_lock(other, "BEGIN IMMEDIATE", waits, None)
    with pytest.raises(RoiError, match="busy"):  # nothing left to wait: at once
        take_lock(other, "BEGIN IMMEDIATE", waits, None)
    assert time.monotonic() - started < 1.5
    assert heard == [None]  # said once
    other.close()


def test_opening_a_new_database_waits_for_its_migrations_in_the_same_budget(roi, db_path, monkeypatch):
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "1.5")
    holder = sqlite3.connect(db_path, isolation_level=None)  # a new, empty database file
    holder.execute("BEGIN IMMEDIATE")
    started = time.monotonic()
    try:
        r = roi("task", "list")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert time.monotonic() - started < 4
    assert r.exit_code == 1
    assert r.stderr.count("waiting for another roi to finish") == 1 and "busy" in r.stderr
    assert roi("task", "list").exit_code == 0  # and it migrates once the other has gone
