"""Monte Carlo cost: `roi rank --json` with the Monte Carlo versus the deterministic
ranking, on the same 10,000-task database, measured in the same run.

    .venv/bin/python bench/rank_bench.py [--tasks 10000] [--repeat 3]

Every task gets a three-point build estimate and a ranged step, so every task is
sampled (10,000 samples each). The deterministic baseline is the same command on a copy
of the database with monte_carlo_samples = 0. Prints the median wall time of each and
their ratio (target: at most 3x).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from roi.db.store import Store, iso, utc_now  # noqa: E402


def build(path: Path, tasks: int, seed: int = 1205) -> None:
    rnd = random.Random(seed)
    store = Store.open(path)
    now = iso(utc_now())
    categories = ["writing", "coding", "data", "admin", "media", "research", "other"]
    with store.transaction() as conn:
        for i in range(1, tasks + 1):
            likely = rnd.uniform(0.5, 30)
            conn.execute(
                "INSERT INTO task (id, name, category, per_week, created_at) VALUES (?,?,?,?,?)",
                [i, f"Task {i:05d}", rnd.choice(categories), rnd.uniform(0.2, 20), now],
            )
            conn.execute(
                "INSERT INTO plan (task_id, build_hours, build_low, build_high, upkeep_hours_per_week)"
                " VALUES (?,?,?,?,?)",
                [i, likely, likely * 0.6, likely * rnd.uniform(1.5, 4), rnd.choice([0, 0, 0.1])],
            )
            for position in range(2):
                minutes = rnd.uniform(1, 60)
                conn.execute(
                    "INSERT INTO step (task_id, position, name, minutes, minutes_low, minutes_high,"
                    " automation, overhead, failure_rate) VALUES (?,?,?,?,?,?,?,?,?)",
                    [i, position, f"step {position}", minutes,
                     minutes * 0.7 if position == 0 else None, minutes * 1.8 if position == 0 else None,
                     rnd.uniform(0.2, 1), rnd.uniform(0, 5), rnd.uniform(0, 0.3)],
                )
    store.close()


def timed(db: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "roi.cli", "--db", str(db), "rank", "--json"],
                   check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        monte_carlo = Path(folder) / "mc.db"
        build(monte_carlo, args.tasks)
        deterministic = Path(folder) / "det.db"
        shutil.copy(monte_carlo, deterministic)
        store = Store.open(deterministic)
        store.set_setting("monte_carlo_samples", 0)
        store.close()
        det, mc = [], []
        for _ in range(args.repeat):  # interleaved, so machine noise hits both alike
            det.append(timed(deterministic))
            mc.append(timed(monte_carlo))
        d, m = statistics.median(det), statistics.median(mc)
        print(f"tasks: {args.tasks}, samples per task: 10000, repeats: {args.repeat}")
        print(f"deterministic roi rank --json: {d:.2f} s (median)")
        print(f"Monte Carlo   roi rank --json: {m:.2f} s (median)")
        print(f"ratio Monte Carlo / deterministic: {m / d:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
