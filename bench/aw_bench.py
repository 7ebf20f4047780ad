"""Benchmark importing a year of ActivityWatch: peak memory and time of `roi import` on a
generated bucket export, against `json.load` of the same file in the same run.

    .venv/bin/python bench/aw_bench.py [--events 1000000] [--keep DIR]

The export is the native shape of ActivityWatch's "export all" (`aw-buckets-export.json`):
one window bucket of N events, newest first, `id`, `timestamp` with microseconds and an
offset, float `duration`, `data: {app, title}`; and an AFK bucket of the same host after
it (N/50 events), so that roi must know every not-AFK period before it reads the first
window event. Three runs, each its own process, peak memory sampled as in
import_bench.py:

- `json.load` of the file (what any reader that parses the whole export pays, before
  it does anything with the events);
- `roi import FILE --dry-run --json` (reads, converts, cuts to the not-AFK time, hashes,
  stores in the transaction and rolls back);
- `roi import FILE --json` (the same, committed).

Target: roi's peak under 250 MB for 1,000,000 events.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import VENV_BIN, run  # noqa: E402  (a sibling script)

TARGET_MB = 250


def generate(path: Path, events: int, seed: int = 1205) -> None:
    """A window bucket of `events` events (40 apps, 500 titles each, 1..20 s apart) and
    an AFK bucket after it (a not-afk or afk period every 1,000 s)."""
    rnd = random.Random(seed)
    apps = [f"app-{i}" for i in range(40)]
    t0 = 1_704_096_000
    end = t0 + events * 20
    with open(path, "w", encoding="utf-8") as fh:
        fh.write('{"buckets": {\n"aw-watcher-window_desk": {"id": "aw-watcher-window_desk", "created":'
                 ' "2024-01-01T08:00:00.000000+00:00", "name": null, "type": "currentwindow", "client":'
                 ' "aw-watcher-window", "hostname": "desk", "events": [\n')
        batch = []
        for i in range(events):
            t = end - 20 * i
            stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(t)) + f".{i % 1000:03d}000+00:00"
            app = apps[i % 40]
            batch.append(json.dumps({"id": i, "timestamp": stamp, "duration": rnd.randint(1, 19) + 0.25,
                                     "data": {"app": app, "title": f"{app}: document {i % 500}"}}))
            if len(batch) >= 10_000:
                fh.write(",\n".join(batch) + (",\n" if i < events - 1 else ""))
                batch.clear()
        fh.write(",\n".join(batch))
        fh.write('\n]},\n"aw-watcher-afk_desk": {"id": "aw-watcher-afk_desk", "type": "afkstatus", "client":'
                 ' "aw-watcher-afk", "hostname": "desk", "events": [\n')
        periods = max(events // 50, 1)
        fh.write(",\n".join(
            json.dumps({"timestamp": time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(end - 1000 * (k + 1))),
                        "duration": 1000.0, "data": {"status": "afk" if k % 5 == 0 else "not-afk"}})
            for k in range(periods)))
        fh.write("\n]}\n}}\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--keep", type=Path, help="Keep the generated export and the database in this folder.")
    args = ap.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="roi-aw-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "aw-buckets-export.json"
    t0 = time.perf_counter()
    generate(path, args.events)
    print(f"generated {args.events:,} window events + {max(args.events // 50, 1):,} AFK events"
          f" ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
    roi_bin = str(VENV_BIN / "roi") if (VENV_BIN / "roi").exists() else shutil.which("roi")
    if roi_bin is None:
        raise SystemExit("roi is not installed in this environment")

    load = f"import json; d = json.load(open({str(path)!r})); print(len(d['buckets']['aw-watcher-window_desk']['events']))"
    secs, kb, out = run([sys.executable, "-c", load])
    print(f"json.load                   {secs:6.2f} s  peak {kb / 1024:6.0f} MB  ({int(out):,} events)")
    db = folder / "roi.db"
    rows = []
    for label, extra in (("roi import --dry-run", ["--dry-run"]), ("roi import", [])):
        for suffix in ("", "-wal", "-shm"):
            Path(str(db) + suffix).unlink(missing_ok=True)
        secs, kb, out = run([roi_bin, "--db", str(db), "import", str(path), "--json", *extra])
        summary = json.loads(out)
        rows.append(kb)
        print(f"{label:<27} {secs:6.2f} s  peak {kb / 1024:6.0f} MB  ({summary['rows_read']:,} rows read,"
              f" {summary['imported']:,} entries, {summary['skipped']:,} skipped, {args.events / secs:,.0f} events/s)")
    mb = max(rows) / 1024
    print(f"\nroi peak memory             {mb:6.0f} MB  (target < {TARGET_MB} MB for 1,000,000 events:"
          f" {'met' if mb < TARGET_MB else 'NOT met'})")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
