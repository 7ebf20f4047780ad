"""`roi time status` for status lines: the fast path (roi.status, with sqlite3 alone)
says exactly what the full command says, and hands over whenever it cannot be sure."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.db.timelog import start_timer
from roi.models import Step, Task
from roi.status import fast

ENTRY = "import sys; from roi.entry import main; sys.argv[0] = 'roi'; main()"
NAME = "Inbox [bold]zero[/] \x1b[31m\u202e"


def run(*args: str, full: bool = False, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """roi through its entry point (the fast path first), or straight through the full CLI."""
    code = "from roi.cli import main; main()" if full else ENTRY
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, NO_COLOR="1", COLUMNS="200", **(env or {})))


def same(text: str) -> str:
    """Output with the seconds that pass between two runs taken out."""
    return re.sub(r'"elapsed_seconds": [\d.]+|\d+:\d\d:\d\d', "<elapsed>", text)


@pytest.fixture
def timed(db_path: Path) -> Path:
    store = Store.open(db_path)
    assert store.add_task(Task(name=NAME, steps=[Step(name="triage\nfirst", minutes=3)])) == 1
    store.close()
    return db_path


@pytest.mark.parametrize("options", [[], ["-q", "--json"], ["--format", "{task} / {step}: {elapsed} ({minutes} min, {kind})"]])
def test_the_fast_path_says_what_the_full_command_says(timed: Path, options: list[str]) -> None:
    args = ["--db", str(timed), "time", "status", *options]
    idle_fast, idle_full = run(*args), run(*args, full=True)
    assert (idle_fast.returncode, idle_fast.stdout, idle_fast.stderr) == (0, idle_full.stdout, "")
    store = Store.open(timed)
    start_timer(store, 1, 1)
    store.close()
    busy_fast, busy_full = run(*args), run(*args, full=True)
    assert busy_fast.returncode == busy_full.returncode == 0
    assert same(busy_fast.stdout) == same(busy_full.stdout) and busy_fast.stdout
    assert "\x1b" not in busy_fast.stdout and "\u202e" not in busy_fast.stdout
    if "--json" in options:
        assert json.loads(busy_fast.stdout)["timer"]["task"] == NAME  # escaped, and round-trips


def test_nothing_runs_and_a_format_or_quiet_prints_nothing(timed: Path) -> None:
    for options in (["--format", "{task}"], ["--quiet"]):
        r = run("--db", str(timed), "time", "status", *options)
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")


def test_the_fast_path_loads_neither_click_rich_nor_pydantic(timed: Path) -> None:
    probe = (f"import sys; from roi.status import fast; code = fast(['--db', {str(timed)!r}, 'time', 'status']);"
             " print(code, sorted({m.split('.')[0] for m in sys.modules} & {'click', 'rich', 'pydantic', 'pendulum',"
             " 'numpy', 'textual'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "0 []"


def test_it_hands_over_whenever_it_cannot_be_sure(tmp_path: Path, timed: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROI_DB", raising=False)
    missing = tmp_path / "new.db"
    for argv in (["--db", str(missing), "time", "status"],  # no database yet: the full command makes it
                 ["--db", str(timed), "time", "status", "--help"],
                 ["--db", str(timed), "time", "status", "--format", "{nope}"],  # the full command says why
                 ["--db", str(timed), "time", "status", "--jsn"],
                 ["time", "status", "--db", str(timed)],
                 ["--db", ":memory:", "time", "status"],
                 ["--db", str(timed), "time", "stop"]):
        assert fast(argv) is None, argv
    old = tmp_path / "old.db"
    old.write_bytes(timed.read_bytes())
    import sqlite3

    conn = sqlite3.connect(old)
    conn.execute("PRAGMA user_version = 1")  # a schema this version would migrate
    conn.close()
    assert fast(["--db", str(old), "time", "status"]) is None
    bad = run("--db", str(timed), "time", "status", "--format", "{nope}")
    assert bad.returncode == 2 and "no field 'nope'" in bad.stderr
    assert fast(["--db", str(timed), "time", "status"]) == 0


def test_roi_db_in_the_environment_is_read(timed: Path) -> None:
    r = run("time", "status", "--json", env={"ROI_DB": str(timed)})
    assert r.returncode == 0 and json.loads(r.stdout) == {"running": False, "timer": None}
