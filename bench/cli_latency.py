"""How long a `roi` command takes to answer, against the tools beside it, in one run.

    .venv/bin/pip install -e ".[bench]"   # Watson and sqlite-utils, the baselines
    .venv/bin/python bench/cli_latency.py [--repeat 15]

Builds a 200-task inventory with ranged estimates (three-point builds and steps, so the
ranking runs its Monte Carlo) and the demo inventory, then runs in turns, so that the
machine's drift hits all alike:

- `roi rank` on 200 ranged tasks, `roi rank` on the demo, `roi time status`, `roi --help`;
- `watson report` and `watson --help` on a small Watson log (Watson is a time tracker
  in Python that people run from the same shell);
- floors: the interpreter alone (`python -c pass`), and the interpreter opening the
  database with sqlite3 and reading its tasks.

Prints each command's median and the ratios the latency issue sets: `roi rank` on the
demo at most 1.5x `watson report`, on 200 ranged tasks at most 2x, `roi time status` at
most 3x the interpreter-plus-sqlite3 floor, `roi --help` at most 1.5x `watson --help`.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from rank_bench import build  # noqa: E402

from roi.db.store import Store  # noqa: E402
from roi.demo import seed_demo  # noqa: E402

BIN = Path(sys.executable).parent


def watson_log(folder: Path, frames: int = 300, seed: int = 1205) -> None:
    """A Watson data folder: `frames` frames over the last two weeks, five projects."""
    rnd = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    now = int(time.time())
    rows, t = [], now - 14 * 86400
    for i in range(frames):
        length = rnd.randint(300, 5400)
        rows.append([t, t + length, f"project{i % 5}", f"{i:032x}", [f"tag{i % 3}"], t + length])
        t += length + rnd.randint(60, 3000)
        if t > now - 3600:
            break
    (folder / "frames").write_text(json.dumps(rows))
    (folder / "state").write_text("{}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repeat", type=int, default=15, help="Turns (the median of each command counts).")
    args = ap.parse_args()
    # An installed roi has its bytecode, as Watson's has (pip compiles what it installs);
    # an editable checkout under PYTHONDONTWRITEBYTECODE (this machine sets it) would
    # compile every module from source on every call, which no user pays.
    import compileall

    for package in ("roi", "tui"):
        compileall.compile_dir(ROOT / package, quiet=1)
    roi = str(BIN / "roi")
    watson = BIN / "watson"
    with tempfile.TemporaryDirectory(prefix="roi-latency-") as tmp:
        folder = Path(tmp)
        ranged, demo = folder / "ranged.db", folder / "demo.db"
        build(ranged, 200)
        store = Store.open(demo)
        seed_demo(store)
        store.close()
        watson_log(folder / "watson")
        env = dict(os.environ, WATSON_DIR=str(folder / "watson"), ROI_DB=str(demo), NO_COLOR="1")
        floor_sql = f"import sqlite3; sqlite3.connect({str(demo)!r}).execute('SELECT * FROM task').fetchall()"
        commands: dict[str, list[str]] = {
            "roi rank (200 ranged tasks)": [roi, "--db", str(ranged), "rank"],
            "roi rank (demo)": [roi, "--db", str(demo), "rank"],
            "roi time status": [roi, "--db", str(demo), "time", "status"],
            "roi --help": [roi, "--help"],
            "python -c pass": [sys.executable, "-c", "pass"],
            "python + sqlite3 reading the tasks": [sys.executable, "-c", floor_sql],
        }
        if watson.exists():
            commands["watson report"] = [str(watson), "report"]
            commands["watson --help"] = [str(watson), "--help"]
        else:
            print("Watson is not installed here (pip install -e '.[bench]'): its ratios are left out")
        times: dict[str, list[float]] = {name: [] for name in commands}
        for cmd in commands.values():  # one untimed turn: files in the page cache
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        for _ in range(args.repeat):
            for name, cmd in commands.items():
                start = time.perf_counter()
                done = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
                times[name].append(time.perf_counter() - start)
                if done.returncode not in (0, 1):
                    raise SystemExit(f"{name} failed ({done.returncode}): {done.stderr.decode()[:400]}")
        median = {name: statistics.median(ts) for name, ts in times.items()}
        for name, m in median.items():
            print(f"{name:38} {m * 1000:7.0f} ms  (min {min(times[name]) * 1000:.0f})")
        print()
        checks = [
            ("roi rank (demo)", "watson report", 1.5),
            ("roi rank (200 ranged tasks)", "watson report", 2.0),
            ("roi time status", "python + sqlite3 reading the tasks", 3.0),
            ("roi --help", "watson --help", 1.5),
        ]
        for ours, theirs, target in checks:
            if theirs not in median:
                continue
            ratio = median[ours] / median[theirs]
            print(f"{ours} / {theirs}: {ratio:.2f}x (target at most {target}x) {'ok' if ratio <= target else 'OVER'}")


if __name__ == "__main__":
    main()
