"""A kill -9 in the middle of a 150,000-row import leaves the database as it was."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from roi.db.store import Store
from roi.models import Task

ROWS = 150_000  # the bulk path: its write holds tens of MB of WAL, time enough to be killed in
HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
          "End time,Duration,Tags,Amount (EUR)\n")


def write_toggl(path: Path, rows: int, seed: int = 7) -> None:
    """A Toggl classic export: entries of 1..120 minutes, one after another."""
    rnd = random.Random(seed)
    descs = [f"Chore {i}" for i in range(40)]
    t = 1_704_096_000  # 2024-01-01 08:00 UTC, read as UTC below
    days: dict[int, str] = {}

    def stamp(x: int) -> str:
        d, s = divmod(x, 86400)
        day = days.get(d) or days.setdefault(d, time.strftime("%Y-%m-%d", time.gmtime(d * 86400)))
        return f"{day},{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    lines = [HEADER]
    for i in range(rows):
        d = rnd.randint(60, 7200)
        lines.append(
            f"Ann,ann@example.com,Acme,Project {i % 7},,{descs[i % 40]},No,{stamp(t)},{stamp(t + d)},"
            f"{d // 3600:02d}:{d % 3600 // 60:02d}:{d % 60:02d},\"a, b\",0.00\n"
        )
        t += d + rnd.randint(0, 600)
    path.write_text("".join(lines), encoding="utf-8")


def snapshot(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = tuple(
            conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("task", "step", "time_entry", "import_batch", "import_error", "measurement")
        )
        # a large import drops time_entry's indexes while it appends (roi.db.imports)
        indexes = conn.execute(
            "SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
            " WHERE type = 'index' AND tbl_name = 'time_entry' ORDER BY name)"
        ).fetchone()[0]
        return (*counts, indexes)
    finally:
        conn.close()


def run(db: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", "from roi.cli import main; main()", "--db", str(db), "import", str(log),
         "--tz", "UTC", "--json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "ROI_DEBUG": ""},
    )


def test_kill_9_mid_import_then_rerun(tmp_path: Path) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, ROWS)
    db = tmp_path / "roi.db"
    store = Store.open(db)
    store.add_task(Task(name="Already here"))
    store.close()
    before = snapshot(db)

    proc = run(db, log)
    wal = Path(str(db) + "-wal")
    size_before = db.stat().st_size
    deadline = time.monotonic() + 300
    # wait until the import is writing (its transaction has reached the database file, or
    # the WAL), and has written a random amount: the moment is set by the import's own
    # progress, not by the clock, so a busy machine slows both sides alike
    kill_at = random.Random().randint(512 * 1024, 8 * 1024 * 1024)
    while time.monotonic() < deadline and proc.poll() is None:
        written = db.stat().st_size - size_before + (wal.stat().st_size if wal.exists() else 0)
        if written > kill_at:
            break
        time.sleep(0.005)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(db) == before  # integrity ok, no partial rows

    second = run(db, log)
    out, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    summary = json.loads(out)
    assert (summary["imported"], summary["duplicates"], summary["rejected"]) == (ROWS, 0, 0)
    assert snapshot(db)[2] == ROWS
    # the database stays in WAL all through an import
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()

    # Importing the file a third time would add nothing; that is tested at a size that does
    # not cost another 300,000-row run (tests/importers/test_import_bulk.py).
