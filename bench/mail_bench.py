"""Benchmark `roi import MAILBOX` on a generated mbox (Gmail Takeout's shape).

    .venv/bin/python bench/mail_bench.py [--messages 100000] [--body-bytes 2000] [--keep DIR]

Writes an mbox of N messages (a received one in four is answered: sent from `me`; each
with a body of about --body-bytes), then runs `roi --db DB import FILE --me ADDRESS
--json` in a subprocess, twice (the second is the re-import: it must add nothing), and
prints the wall time, the messages a second and the peak memory of each (ru_maxrss of
the child). Reading is streamed and headers-only, so the peak memory should not grow
with the mailbox: compare --messages 10000 with 100000.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

ME = "me@example.com"
VENV_BIN = Path(sys.executable).parent


def generate(path: Path, messages: int, body_bytes: int) -> None:
    t0 = datetime(2025, 1, 6, 8, tzinfo=UTC)
    body = ("lorem ipsum dolor sit amet " * (body_bytes // 27 + 1))[:body_bytes]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(messages):
            when = t0 + timedelta(minutes=5 * i)
            sender = ME if i % 4 == 0 else f"sender{i % 997}@example.org"
            fh.write(f"From {sender} {when.strftime('%a %b %d %H:%M:%S %Y')}\n"
                     f"X-GM-THRID: {i}\nX-Gmail-Labels: Inbox,Important\nFrom: Someone <{sender}>\n"
                     f"To: {ME}\nSubject: Message {i}\nDate: {format_datetime(when)}\n"
                     f"Message-ID: <{i}.bench@example.org>\nContent-Type: text/plain\n\n{body}\n\n")


def run(db: Path, mbox: Path) -> tuple[float, dict, float]:
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run([str(VENV_BIN / "roi"), "--db", str(db), "import", str(mbox), "--me", ME, "--json"],
                         capture_output=True, text=True, env={**os.environ, "ROI_TODAY": "2026-11-28"}, check=False)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if out.returncode not in (0, 1):
        sys.exit(f"roi import failed ({out.returncode}): {out.stderr}")
    return elapsed, json.loads(out.stdout), max(peak, before) / 1024.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--body-bytes", type=int, default=2000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="roi-mail-bench-"))
    try:
        mbox = folder / "All mail Including Spam and Trash.mbox"
        generate(mbox, args.messages, args.body_bytes)
        size = mbox.stat().st_size / 1e6
        db = folder / "roi.db"
        print(f"mbox: {args.messages:,} messages, {size:,.0f} MB")
        for label in ("import", "re-import"):
            elapsed, summary, peak = run(db, mbox)
            print(f"{label:>9}: {elapsed:6.2f} s, {args.messages / elapsed:,.0f} messages/s, peak RSS so far"
                  f" {peak:,.0f} MB; imported {summary['imported']:,}, duplicates {summary['duplicates']:,},"
                  f" rejected {summary['rejected']:,}")
    finally:
        if args.keep:
            args.keep.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder, args.keep, dirs_exist_ok=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
