"""Importing a large tree of coding-agent session logs: time and peak memory.

Writes a tree of Claude Code and Codex session files (default about 200 MB: long text
lines as real transcripts have, a few multi-megabyte `compacted` lines), then runs
`roi import TREE --json` in a subprocess on a fresh database, and reports the events
read, the seconds, the throughput and the subprocess's peak resident memory, against a
baseline in the same invocation: a bare Python loop that reads every line of the tree
and parses it as JSON (what any reader of these logs has to do at least). A second
import of the same tree (nothing changed: nothing re-read) is timed too.

    .venv/bin/python bench/agent_bench.py            # ~200 MB
    .venv/bin/python bench/agent_bench.py --mb 20    # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ROI = [str(Path(sys.executable).with_name("roi"))]
TEXT = "lorem ipsum dolor sit amet, consectetur adipiscing elit " * 30  # ~1.7 KB a line


def _stamp(t0: datetime, seconds: float) -> str:
    return (t0 + timedelta(seconds=seconds)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def claude_file(path: Path, sid: str, lines: int, t0: datetime) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for i in range(lines):
            base = {"parentUuid": f"u{i - 1}", "isSidechain": False, "userType": "external",
                    "cwd": f"/home/me/project-{sid[:2]}", "sessionId": sid, "version": "2.0.19",
                    "uuid": f"u{i}", "timestamp": _stamp(t0, i * 40 + (600 if i % 50 == 0 else 0))}
            if i % 2 == 0:
                base |= {"type": "user", "message": {"role": "user", "content": TEXT}}
            else:
                base |= {"type": "assistant", "requestId": f"req_{i}", "message": {
                    "id": f"msg_{i}", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5-20250929",
                    "content": [{"type": "text", "text": TEXT}],
                    "usage": {"input_tokens": 12, "cache_creation_input_tokens": 900,
                              "cache_read_input_tokens": 40_000, "output_tokens": 350}}}
            fh.write(json.dumps(base) + "\n")
    return lines


def codex_file(path: Path, sid: str, lines: int, t0: datetime, compacted_mb: int = 0) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with path.open("w", encoding="utf-8") as fh:
        def put(obj: dict) -> None:
            nonlocal written
            fh.write(json.dumps(obj) + "\n")
            written += 1

        put({"timestamp": _stamp(t0, 0), "type": "session_meta",
             "payload": {"id": sid, "cwd": "/home/me/codex-project", "instructions": TEXT}})
        put({"timestamp": _stamp(t0, 0), "type": "turn_context", "payload": {"model": "gpt-5-codex"}})
        if compacted_mb:
            put({"timestamp": _stamp(t0, 1), "type": "compacted",
                 "payload": {"message": "x" * (compacted_mb * 1024 * 1024)}})
        total_in = total_out = 0
        for i in range(lines):
            put({"timestamp": _stamp(t0, 2 + i * 30), "type": "response_item",
                 "payload": {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": TEXT}]}})
            if i % 4 == 3:
                total_in += 20_000
                total_out += 800
                usage = {"input_tokens": total_in, "cached_input_tokens": total_in // 2,
                         "output_tokens": total_out, "reasoning_output_tokens": 100, "total_tokens": total_in + total_out}
                put({"timestamp": _stamp(t0, 2 + i * 30), "type": "event_msg",
                     "payload": {"type": "token_count", "info": {"total_token_usage": usage}}})
    return written


def make_tree(root: Path, mb: int) -> int:
    """Session files until the tree holds about `mb` megabytes; returns the lines written."""
    t0 = datetime(2026, 10, 1, 9, tzinfo=UTC)
    target, lines, n = mb * 1024 * 1024, 0, 0
    size = 0
    while size < target:
        start = t0 + timedelta(hours=n * 3)
        if n % 3 == 2:
            day = start.strftime("%Y/%m/%d")
            path = root / "codex" / "sessions" / day / f"rollout-{start:%Y-%m-%dT%H-%M-%S}-c{n:05d}.jsonl"
            lines += codex_file(path, f"c{n:05d}", 300, start, compacted_mb=4 if n % 30 == 2 else 0)
        else:
            path = root / "claude" / "projects" / f"-home-me-project-{n % 7}" / f"s{n:05d}.jsonl"
            lines += claude_file(path, f"s{n:05d}", 300, start)
        size += path.stat().st_size
        n += 1
    return lines


def baseline(root: Path) -> float:
    """Seconds to read every line of the tree and parse it as JSON, nothing kept."""
    started = time.perf_counter()
    for folder, _dirs, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as fh:
                for line in fh:
                    json.loads(line)
    return time.perf_counter() - started


def run_import(root: Path, db: Path) -> tuple[float, dict, float]:
    """Seconds, the --json summary, and the peak RSS (MB) of `roi import` in a child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    done = subprocess.run([*ROI, "--db", str(db), "import", str(root), "--json"], capture_output=True, text=True,
                          cwd=ROOT, env=os.environ | {"ROI_AGENTS": str(root / "none.toml")})
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"roi import failed: {done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, json.loads(done.stdout), max(peak, before) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=int, default=200, help="size of the tree to write (default 200)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="roi-agent-bench-") as folder:
        root = Path(folder) / "tree"
        started = time.perf_counter()
        lines = make_tree(root, args.mb)
        total = sum(p.stat().st_size for p in root.rglob("*.jsonl"))
        files = sum(1 for _ in root.rglob("*.jsonl"))
        print(f"tree: {files} session files, {lines:,} lines, {total / 1e6:,.0f} MB "
              f"(written in {time.perf_counter() - started:.1f} s)")
        base = baseline(root)
        print(f"baseline (read + json.loads every line): {base:.2f} s, {total / 1e6 / base:,.0f} MB/s")
        db = Path(folder) / "roi.db"
        seconds, summary, peak = run_import(root, db)
        print(f"roi import: {seconds:.2f} s ({seconds / base:.2f}x the baseline), {total / 1e6 / seconds:,.0f} MB/s, "
              f"{summary['sessions_added']} sessions, {summary['active_hours']:.1f} active hours, "
              f"peak RSS {peak:,.0f} MB (the tree is {total / 1e6:,.0f} MB)")
        with subprocess.Popen([sys.executable, "-c", "import sqlite3,sys;"
                               "print(sqlite3.connect(sys.argv[1]).execute('select sum(events) from agent_session')"
                               ".fetchone()[0])", str(db)], stdout=subprocess.PIPE, text=True) as p:
            events = int((p.communicate()[0] or "0").strip() or 0)
        print(f"events: {events:,} ({events / seconds:,.0f} a second)")
        again, summary2, _ = run_import(root, db)
        print(f"again (nothing changed): {again:.2f} s, {summary2['unchanged']} unchanged, "
              f"{summary2['sessions_added']} added")


if __name__ == "__main__":
    main()
