"""How much the report costs over the ranking it renders.

Builds an inventory of N tasks (default 10,000; demo-like, some flagged, some measured
from an imported log), then times, in fresh subprocesses of the real CLI:

    roi rank --json                       (the baseline)
    roi report --format F  for F in text, md, html, csv, json

and prints each as a ratio to the baseline (best of --repeat runs). Ratios, not seconds,
so the figures travel between machines. Usage:

    .venv/bin/python bench/report_bench.py [--tasks 10000] [--repeat 3] [--keep DB]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roi.db.store import Store, iso  # noqa: E402
from roi.db.timelog import refresh_measurements  # noqa: E402

CATEGORIES = ("writing", "coding", "data", "admin", "media", "research", "email", "calendar", "other")


def build_inventory(path: Path, tasks: int) -> None:
    """N tasks with 1-3 steps and a plan each, written in one transaction with plain SQL."""
    store = Store.open(path)
    now = iso(datetime.now(UTC))
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO import_batch (file_name, file_hash, format, rows_read, imported, started_at,"
            " finished_at) VALUES ('bench-toggl.csv', 'x', 'toggl', 0, 0, ?, ?)", [now, now])
        batch = conn.execute("SELECT max(id) FROM import_batch").fetchone()[0]
        start = datetime(2026, 9, 1, 9, tzinfo=UTC)
        for i in range(tasks):
            category = CATEGORIES[i % len(CATEGORIES)]
            cur = conn.execute(
                "INSERT INTO task (name, category, tags, notes, per_week, status, created_at)"
                " VALUES (?, ?, '[]', '', ?, 'idea', ?)",
                [f"Task {i:05d} {category}", category, 0.5 + (i % 40) / 4, now])
            task_id = cur.lastrowid
            for position in range(1 + i % 3):
                conn.execute(
                    "INSERT INTO step (task_id, position, name, minutes, automation, overhead,"
                    " failure_rate) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [task_id, position, f"step {position}", 5 + (i * 7 + position) % 90,
                     0.3 + (i % 7) / 10, (i % 5) * 1.0 if i % 4 else None, (i % 3) / 20])
            conn.execute("INSERT INTO plan (task_id, build_hours, upkeep_hours_per_week)"
                         " VALUES (?, ?, ?)", [task_id, 0.5 + (i % 60), (i % 4) / 10])
            if i % 10 == 0:  # every tenth task measured from the imported log
                for k in range(4):
                    begin = start + timedelta(days=7 * k + i % 5)
                    conn.execute(
                        'INSERT INTO time_entry (task_id, start, "end", duration_s, source, batch_id,'
                        " hash) VALUES (?, ?, ?, ?, 'toggl', ?, ?)",
                        [task_id, iso(begin), iso(begin + timedelta(minutes=20 + k)),
                         (20 + k) * 60.0, batch, f"bench:{i}:{k}"])
    refresh_measurements(store)
    store.close()


def timed(args: list[str], env: dict[str, str], repeat: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        began = time.perf_counter()
        done = subprocess.run(args, env=env, capture_output=True, check=True)
        best = min(best, time.perf_counter() - began)
        size = len(done.stdout)
    return best, size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", metavar="DB", help="Build (or reuse) the database at this path.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(options.keep) if options.keep else Path(folder) / "bench.db"
        if not db.exists():
            began = time.perf_counter()
            build_inventory(db, options.tasks)
            print(f"built {options.tasks:,} tasks in {time.perf_counter() - began:.1f} s: {db}")
        env = dict(os.environ, ROI_DB=str(db), ROI_TODAY="2026-11-28", NO_COLOR="1",
                   ROI_FLAGS=str(Path(folder) / "none.toml"))
        roi = [sys.executable, "-m", "roi.cli"] if not (ROOT / ".venv/bin/roi").exists() else [
            str(ROOT / ".venv/bin/roi")]
        base, base_size = timed([*roi, "rank", "--json"], env, options.repeat)
        tasks = len(json.loads(subprocess.run([*roi, "rank", "--json"], env=env, capture_output=True,
                                              check=True).stdout)["tasks"])
        print(f"{tasks:,} tasks; baseline `roi rank --json`: {base:.2f} s, {base_size / 1e6:.1f} MB")
        print(f"{'format':<8}{'ratio':>8}{'seconds':>10}{'MB':>8}")
        for fmt in ("text", "md", "html", "csv", "json"):
            seconds, size = timed([*roi, "report", "--format", fmt], env, options.repeat)
            print(f"{fmt:<8}{seconds / base:>8.2f}{seconds:>10.2f}{size / 1e6:>8.1f}")


if __name__ == "__main__":
    main()
