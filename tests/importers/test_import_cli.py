"""`roi import` through the real entry point: exit codes, the --json contract, messages."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "import"
# DESIGN.md's object, and the rows imported with a word to say (a DST shift, a day-long entry)
KEYS = ["format", "rows_read", "imported", "duplicates", "skipped", "rejected", "hours", "errors", "warnings"]


def counts(db: Path) -> tuple[int, int, int]:
    if not db.exists():
        return (0, 0, 0)
    conn = sqlite3.connect(db)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[return-value]
                     for t in ("time_entry", "task", "import_batch"))
    finally:
        conn.close()


def test_twenty_rows_three_bad(roi, db_path: Path) -> None:
    r = roi("import", FIX / "bad_rows.csv", "--tz", "UTC", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert list(data) == KEYS
    assert (data["rows_read"], data["imported"], data["rejected"], data["duplicates"]) == (20, 17, 3, 0)
    assert data["hours"] == pytest.approx(170 / 60, abs=1e-4)
    assert [e["line"] for e in data["errors"]] == [5, 9, 14]
    assert "impossible date" in data["errors"][0]["reason"]
    assert "negative duration" in data["errors"][1]["reason"]
    assert "not a duration or a number" in data["errors"][2]["reason"]
    assert r.stderr == ""
    human = roi("import", FIX / "bad_rows.csv", "--tz", "UTC")
    assert human.exit_code == 1
    assert "line 5: impossible date '2024-02-30' in date" in human.stderr
    assert "line 9:" in human.stderr and "line 14:" in human.stderr


def test_reimport_says_nothing_new(roi) -> None:
    first = roi("import", FIX / "toggl_classic_bom.csv", "--tz", "Europe/Berlin")
    assert first.exit_code == 0, first.output
    assert "Imported 7 of 7 rows" in first.stdout
    again = roi("import", FIX / "toggl_classic_bom.csv", "--tz", "Europe/Berlin", "--json")
    assert again.exit_code == 0
    assert json.loads(again.stdout) | {"errors": []} == {
        "format": "toggl", "rows_read": 7, "imported": 0, "duplicates": 7, "skipped": 0,
        "rejected": 0, "hours": 0.0, "errors": [], "warnings": []}
    human = roi("import", FIX / "toggl_classic_bom.csv")
    assert "Nothing new" in human.stdout and "7 already imported" in human.stdout


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    b"",
    b"   \n\n",
    b"colour,shape,size\nred,round,3\nblue,square,4\n",
    b'{"hello": "world"}',
    b"[1, 2, 3]",
    b"\x00\x01\x02garbage\xff\xfe" * 50,
])
def test_unusable_input_exits_2_and_writes_nothing(roi, db_path: Path, tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "input.csv"
    path.write_bytes(content)
    for extra in ([], ["--json"], ["--dry-run"]):
        r = roi("import", path, *extra)
        assert r.exit_code == 2, r.output
        assert r.stderr.startswith("Error: ") and "input.csv" in r.stderr
        assert "Traceback" not in r.output
        assert r.stdout == ""
    assert counts(db_path) == (0, 0, 0)


def test_missing_file_and_folder_exit_2(roi, tmp_path: Path) -> None:
    assert roi("import", tmp_path / "nope.csv").exit_code == 2
    assert roi("import", tmp_path).exit_code == 2


def test_bad_options(roi, db_path: Path) -> None:
    r = roi("import", FIX / "generic_mapped.csv", "--map", "task")
    assert r.exit_code == 2 and "key=Column" in r.stderr
    r = roi("import", FIX / "toggl_quoted.csv", "--task-from", "Nope")
    assert r.exit_code == 2 and "not a column" in r.stderr
    r = roi("import", FIX / "toggl_quoted.csv", "--tz", "Mars/Olympus")
    assert r.exit_code == 1 and "unknown time zone" in r.stderr
    assert counts(db_path)[0] == 0


def test_mapping_on_the_command_line(roi) -> None:
    r = roi("import", FIX / "generic_mapped.csv", "--json", "--map", "date=Wann", "--map", "task=Was",
            "--map", "minutes=Dauer in Minuten")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["imported"] == 2
    unmapped = roi("import", FIX / "generic_mapped.csv")
    assert unmapped.exit_code == 2 and "--map" in unmapped.stderr


def test_dry_run(roi, db_path: Path) -> None:
    r = roi("import", FIX / "clockify_us.csv", "--dry-run", "--tz", "UTC")
    assert r.exit_code == 0
    assert "Would import 3 of 4 rows" in r.stdout and "nothing was written" in r.stdout
    assert counts(db_path) == (0, 0, 0)
    j = roi("import", FIX / "clockify_us.csv", "--dry-run", "--json", "--tz", "UTC")
    assert json.loads(j.stdout)["imported"] == 3


def test_default_zone_is_the_setting(roi, db_path: Path) -> None:
    assert roi("config", "set", "timezone", "America/New_York").exit_code == 0
    assert roi("import", FIX / "watson_log.csv").exit_code == 0
    conn = sqlite3.connect(db_path)
    first = conn.execute("SELECT min(start) FROM time_entry").fetchone()[0]
    conn.close()
    assert first == "2024-03-04T13:30:00Z"  # 08:30 EST


def test_hostile_text_is_stored_as_is_and_shown_literally(roi, db_path: Path) -> None:
    hostile = "[bold red]Markup[/] \x1b[31mred =SUM(A1)"
    r = roi("import", FIX / "toggl_classic_bom.csv", "--tz", "UTC")
    assert r.exit_code == 0
    assert "\x1b" not in r.output and "[bold red]Markup[/]" in r.stdout.replace("\n", "")
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT count(*) FROM task WHERE name = ?", [hostile]).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM time_entry WHERE description = ?", [hostile]).fetchone()[0] == 1
    conn.close()
    listing = roi("task", "list")
    assert "\x1b" not in listing.output
    assert "[bold red]Markup[/]" in listing.stdout
    assert "\\x1b[31mred" in listing.stdout
    ranked = roi("rank")
    assert "\x1b" not in ranked.output and "[bold red]Markup[/]" in ranked.stdout


def test_no_progress_bar_when_not_a_terminal(roi) -> None:
    r = roi("import", FIX / "toggl_quoted.csv", "--tz", "UTC")
    assert r.exit_code == 0 and r.stderr == ""


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    """stderr a terminal: a bar with rows/s and time left; with --json: silent."""
    import os
    import subprocess
    import sys

    pty = pytest.importorskip("pty")

    def run(*extra: str) -> bytes:
        master, slave = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-c", "from roi.cli import main; main()", "--db", str(tmp_path / "p.db"),
             "import", str(FIX / "bad_rows.csv"), "--tz", "UTC", *extra],
            stdout=subprocess.PIPE, stderr=slave, env={**os.environ, "COLUMNS": "100", "NO_COLOR": "1"},
        )
        os.close(slave)
        assert proc.stdout is not None
        proc.stdout.read()
        proc.wait(timeout=60)
        data = b""
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
        os.close(master)
        return data

    shown = run()
    assert b"rows/s" in shown and b"Importing bad_rows.csv" in shown
    assert b"line 5:" in shown  # the rejected rows still reach the terminal
    quiet = run("--json")
    assert b"rows/s" not in quiet
