"""Benchmark `roi import` on a generated Toggl export against two raw loaders.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--repeat 3] [--tz UTC] [--keep DIR]

Generates a Toggl Track detailed CSV of N rows, then measures, in the same run and on
the same file:

- `sqlite3 DB ".import --csv FILE t"`: a raw load with no parsing (the practical limit);
- `sqlite-utils insert DB t FILE --csv`: a general-purpose CSV loader;
- `roi --db DB import FILE --json`: parse, validate, hash, store, aggregate;

and prints roi's time divided by each baseline's, and roi's peak memory. roi reads and
stores in one process. Targets: at most 5x sqlite3, under 150 MB. The machine is shared
and noisy: ratios within one run are what count, so sqlite3 and roi run in turns and the
median of the turns' ratios is reported. sqlite-utils takes minutes for a million rows:
it runs only with --sqlite-utils.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
          "End time,Duration,Tags,Amount (EUR)\n")
VENV_BIN = Path(sys.executable).parent


def generate(path: Path, rows: int, seed: int = 1205) -> None:
    """Entries of 1..120 minutes one after another, 60 descriptions, 7 projects, tags."""
    rnd = random.Random(seed)
    descs = [f"Chore {i}: {word}" for i, word in enumerate(
        ["invoices", "inbox", "backups", "reports", "deploy", "review, part 1", 'the "weekly"', "sync"] * 8)][:60]
    t = 1_704_096_000
    day_cache: dict[int, str] = {}

    def stamp(x: int) -> tuple[str, str]:
        d, s = divmod(x, 86400)
        day = day_cache.get(d)
        if day is None:
            day = day_cache[d] = time.strftime("%Y-%m-%d", time.gmtime(d * 86400))
        return day, f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"

    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(HEADER)
        batch = []
        for i in range(rows):
            d = rnd.randint(60, 7200)
            sd, st = stamp(t)
            ed, et = stamp(t + d)
            desc = descs[i % 60]
            if "," in desc or '"' in desc:
                desc = '"' + desc.replace('"', '""') + '"'
            batch.append(
                f"Ann Example,ann@example.com,Acme,Project {i % 7},,{desc},No,{sd},{st},{ed},{et},"
                f"{d // 3600:02d}:{d % 3600 // 60:02d}:{d % 60:02d},\"billable, q{i % 4 + 1}\",0.00\n"
            )
            if len(batch) >= 10_000:
                fh.write("".join(batch))
                batch.clear()
            t += d + rnd.randint(0, 900)
        fh.write("".join(batch))


def _tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), in kB."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as fh:
                    todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def run(cmd: list[str]) -> tuple[float, int, str]:
    """Wall time, peak memory (kB) and stdout of a command. The peak is the larger of the
    child's own max RSS and the most its whole process tree held at once, sampled every
    20 ms."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kb(proc.pid))
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out = proc.stdout.read()
    err = proc.stderr.read()
    done.set()
    sampler.join()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {err.decode(errors='replace')[:500]}")
    return elapsed, max(usage.ru_maxrss, peak), out.decode(errors="replace")


def storage_floor(folder: Path, rows: int) -> tuple[float, float]:
    """What storing alone costs: `rows` prebuilt entry rows (like roi's own, random
    content hashes) inserted with executemany into the real schema in one transaction,
    then the index builds and the measurement refresh. No file, no parsing. Returns
    (insert and index s, refresh and commit s)."""
    import hashlib

    from roi.db.imports import ImportWriter
    from roi.db.measurements import refresh_measurements
    from roi.db.store import Store

    db = folder / "floor.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    store = Store.open(db)
    start = time.perf_counter()
    # as roi import does: indexes dropped, rows appended in chunks, indexes built at the end
    with store.transaction() as conn:
        writer = ImportWriter(conn, "x", "x", "toggl", rows)
        tasks = [writer.new_task(f"Chore {i}") for i in range(60)]
        chunk = []
        for i in range(rows):
            h = hashlib.blake2b(i.to_bytes(8, "little"), digest_size=12).hexdigest()
            start_s = 1_704_096_000 + 60 * i  # whole UTC epoch seconds, as the importer passes them
            chunk.append((tasks[i % 60], None, start_s, start_s + 3600 + i % 600, 3600.0 + i % 600,
                          f"Chore {i % 60}", '["project:Project 1", "client:Acme"]', h))
            if len(chunk) == 16_384:
                writer.add_entries(chunk)
                chunk = []
        writer.add_entries(chunk)
        writer.finish_entries()
        inserted = time.perf_counter()
        refresh_measurements(store, tasks)
    done = time.perf_counter()
    store.close()
    return inserted - start, done - inserted


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--tz", default="UTC")
    ap.add_argument("--keep", type=Path, help="Keep the generated file and databases in this folder.")
    ap.add_argument("--repeat", type=int, default=3, help="Turns of sqlite3 then roi (the median ratio counts).")
    ap.add_argument("--sqlite-utils", action="store_true", help="Also run the slow sqlite-utils baseline.")
    ap.add_argument("--no-floor", action="store_true", help="Skip the storage-only measurement.")
    args = ap.parse_args()

    folder = args.keep or Path(tempfile.mkdtemp(prefix="roi-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / "Toggl_time_entries_bench.csv"
    t0 = time.perf_counter()
    generate(csv_path, args.rows)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"generated {args.rows:,} Toggl rows ({size_mb:,.1f} MB) in {time.perf_counter() - t0:.1f} s")

    sqlite3_bin = shutil.which("sqlite3")
    sqlite_utils_bin = str(VENV_BIN / "sqlite-utils") if (VENV_BIN / "sqlite-utils").exists() else shutil.which("sqlite-utils")
    roi_bin = str(VENV_BIN / "roi") if (VENV_BIN / "roi").exists() else shutil.which("roi")
    if roi_bin is None:
        raise SystemExit("roi is not installed in this environment")

    # The machine is shared: its speed drifts by a third within minutes. So sqlite3 and
    # roi run in turns, each ratio is taken within one turn, and the median is reported.
    ratios: list[float] = []
    roi_secs: list[float] = []
    peak_kb = 0
    sqlite3_secs: list[float] = []
    for turn in range(args.repeat):
        if sqlite3_bin:
            db = folder / "sqlite3.db"
            db.unlink(missing_ok=True)
            s3, _, _ = run([sqlite3_bin, str(db), f".import --csv {csv_path} t"])
            sqlite3_secs.append(s3)
        db = folder / "roi.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        secs, rss_kb, out = run([roi_bin, "--db", str(db), "import", str(csv_path), "--tz", args.tz, "--json"])
        summary = json.loads(out)
        assert summary["imported"] == args.rows, summary
        roi_secs.append(secs)
        peak_kb = max(peak_kb, rss_kb)
        line = f"turn {turn + 1}: roi import {secs:6.2f} s ({args.rows / secs:,.0f} rows/s, peak {rss_kb / 1024:,.0f} MB)"
        if sqlite3_bin:
            ratios.append(secs / s3)
            line += f", sqlite3 .import {s3:5.2f} s: {ratios[-1]:.2f}x"
        print(line)
    roi_median = statistics.median(roi_secs)
    utils_secs = None
    if sqlite_utils_bin and args.sqlite_utils:
        db = folder / "sqlite-utils.db"
        db.unlink(missing_ok=True)
        utils_secs, _, _ = run([sqlite_utils_bin, "insert", str(db), "t", str(csv_path), "--csv"])
        print(f"sqlite-utils insert --csv {utils_secs:8.2f} s (once: it is slow)")

    print()
    if ratios:
        ratio = statistics.median(ratios)
        print(f"roi / sqlite3 .import        {ratio:6.2f}x   median of {len(ratios)} turns "
              f"({', '.join(f'{r:.2f}' for r in ratios)}); target <= 5x: {'met' if ratio <= 5 else 'NOT met'}")
    if utils_secs is not None:
        speedup = utils_secs / roi_median
        print(f"sqlite-utils / roi           {speedup:6.2f}x   against roi's median time")
    if not args.no_floor:
        ins, agg = storage_floor(folder, args.rows)
        line = f"storage alone (prebuilt rows into the real schema: insert + indexes {ins:.2f} s, refresh + commit {agg:.2f} s)"
        if sqlite3_secs:
            line += f" = {(ins + agg) / statistics.median(sqlite3_secs):.2f}x sqlite3 (its median)"
        print(line)
    mb = peak_kb / 1024
    print(f"roi peak memory              {mb:6.0f} MB  (target < 150 MB: {'met' if mb < 150 else 'NOT met'})")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
