"""Signals (issue 15): SIGTERM or ctrl-C in the middle of `roi import` rolls the one
transaction back and ends with one sentence ("Stopped: nothing was imported.") and exit
143 / 130, never a traceback; a ctrl-C while the command line is still loading ends with
"Interrupted." and 130.

The import runs in a subprocess whose stderr is a pseudo-terminal, so it draws its
progress bar; the signal is sent once the bar has counted rows (a chunk of entries is in
the open transaction), not after a fixed sleep.
"""

from __future__ import annotations

import importlib.abc
import importlib.metadata
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.import_bench import generate
from roi.db.store import Store
from roi.models import Task

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals and a pty")

ROWS = 200_000
STOPPED = "Stopped: nothing was imported."
COUNTED = re.compile(rb"\b[1-9][0-9,]* rows/s")  # the bar's rate column, once a chunk is in


def roi_command() -> list[str]:
    """The installed `roi` script (its entry point), else the same module run by path."""
    script = Path(sys.executable).with_name("roi")
    return [str(script)] if script.exists() else [sys.executable, "-m", "roi.entry"]


@pytest.fixture(scope="module")
def big_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("signals") / "toggl.csv"
    generate(path, ROWS)
    return path


def snapshot(db: Path) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        counts = tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                       for t in ("task", "step", "time_entry", "import_batch", "import_error", "measurement"))
        indexes = conn.execute("SELECT group_concat(name) FROM (SELECT name FROM sqlite_master"
                               " WHERE type = 'index' ORDER BY name)").fetchone()[0]
        return (*counts, indexes)
    finally:
        conn.close()


def _read(fd: int, wait: float) -> bytes | None:
    """What the pty has within `wait` seconds (b"" if nothing yet); None at its end."""
    ready, _, _ = select.select([fd], [], [], wait)
    if not ready:
        return b""
    try:
        return os.read(fd, 65536) or None
    except OSError:  # EIO: every holder of the terminal's other end has closed it
        return None


def interrupt_import(db: Path, log: Path, sig: signal.Signals) -> tuple[int, str, str]:
    """Start `roi import` with stderr on a pty, send `sig` once rows are counted, and
    return (exit code, stdout, stderr as the terminal got it)."""
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*roi_command(), "--db", str(db), "import", str(log), "--tz", "UTC"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True,
        env={**os.environ, "ROI_DEBUG": "", "COLUMNS": "100", "LINES": "30"},
    )
    os.close(slave)
    seen = b""
    try:
        deadline = time.monotonic() + 60
        while not COUNTED.search(seen):
            assert time.monotonic() < deadline, f"no progress shown: {seen[-500:]!r}"
            chunk = _read(master, 0.5)
            assert chunk is not None, f"the import ended before it could be stopped: {seen[-500:]!r}"
            seen += chunk
        proc.send_signal(sig)
        deadline = time.monotonic() + 60
        while (chunk := _read(master, 0.5)) is not None:  # to the end of its output
            assert time.monotonic() < deadline, "the import did not stop"
            seen += chunk
        out = proc.stdout.read() if proc.stdout else b""
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        if proc.stdout:
            proc.stdout.close()
        os.close(master)
    return proc.returncode, out.decode("utf-8", "replace"), seen.decode("utf-8", "replace")


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_mid_import_stops_it_cleanly_with_nothing_written(
    tmp_path: Path, big_log: Path, sig: signal.Signals, code: int,
) -> None:
    db = tmp_path / "roi.db"
    store = Store.open(db)
    store.add_task(Task(name="Already here"))
    store.close()
    before = snapshot(db)

    returncode, out, err = interrupt_import(db, big_log, sig)

    assert returncode == code, err[-1000:]
    assert STOPPED in err
    assert "Traceback" not in err and "Error" not in err
    assert out == ""
    assert snapshot(db) == before  # the one transaction was rolled back: no batch, no rows


def test_sigterm_handler_is_put_back_after_the_import(roi, tmp_path: Path) -> None:
    log = tmp_path / "small.csv"
    generate(log, 3)
    before = signal.getsignal(signal.SIGTERM)
    r = roi("import", log, "--tz", "UTC", "--json")
    assert r.exit_code == 0, r.output
    assert signal.getsignal(signal.SIGTERM) == before


# --- ctrl-C while the command line is loading -----------------------------------------


class _InterruptOn(importlib.abc.MetaPathFinder):
    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> None:
        if fullname == self.name:
            raise KeyboardInterrupt


def test_entry_point_turns_an_interrupted_start_up_into_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    from roi import entry

    for name in [n for n in sys.modules if n == "roi.cli" or n.startswith("roi.cli.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setattr(sys, "meta_path", [_InterruptOn("roi.cli"), *sys.meta_path])
    with pytest.raises(SystemExit) as exit_:
        entry.main()
    assert exit_.value.code == 130
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "Interrupted.\n")


# A real SIGINT, sent by the process to itself the moment it starts to import a module of
# the start-up (deterministic: no race with a timer).
EARLY_SIGINT = """
import importlib.abc, os, signal, sys

class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname == {name!r}:
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, Finder())
sys.argv = ["roi", "--version"]
from roi.entry import main
main()
"""


@pytest.mark.parametrize("module", ["roi.cli", "click", "sqlite3", "roi.db.connection"])
def test_a_real_ctrl_c_during_start_up_prints_no_traceback(module: str) -> None:
    run = subprocess.run([sys.executable, "-c", EARLY_SIGINT.format(name=module)],
                         capture_output=True, text=True, timeout=60)
    assert (run.returncode, run.stdout, run.stderr) == (130, "", "Interrupted.\n")


def test_the_roi_script_runs_the_entry_module() -> None:
    (script,) = importlib.metadata.entry_points(group="console_scripts", name="roi")
    assert script.value == "roi.entry:main"
    for command in (roi_command(), [sys.executable, "-m", "roi.cli"]):
        run = subprocess.run([*command, "--version"], capture_output=True, text=True, timeout=60)
        assert run.returncode == 0 and "roi, version" in run.stdout, (command, run.stderr)
