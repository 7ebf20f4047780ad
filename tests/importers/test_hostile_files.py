"""Hostile files: every one is made here, at test time, and goes through `roi import`.

Each case says what must come of it: the exit code (0 all imported or knowingly skipped,
1 some rows rejected, 2 not a task log: nothing written), a phrase of the message (in the
output or in the JSON's errors and warnings), and how many entries the database holds
after. Whatever the file holds, no traceback, no raw control character on the terminal,
and a file refused leaves the database as it was.
"""

from __future__ import annotations

import codecs
import gzip
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

TOGGL = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
         "End time,Duration,Tags,Amount (EUR)\n")
GENERIC = "Date,Minutes,Task\n"
STARTEND = "Start,End,Task\n"


def toggl_row(desc: str = "Weekly report", day: str = "2024-03-04", start: str = "09:00:00",
              end_day: str | None = None, end: str = "09:30:00", duration: str = "00:30:00") -> str:
    return f"Ann,ann@example.com,Acme,Admin,,{desc},No,{day},{start},{end_day or day},{end},{duration},,0.00\n"


def generic_rows(n: int, first_day: int = 1) -> str:
    return "".join(f"2024-01-{(i + first_day) % 28 + 1:02d},{i % 50 + 1},chore {i % 7}\n" for i in range(n))


@dataclass
class Case:
    name: str
    build: Callable[[Path], Path]  # writes the file (under the given folder), returns its path
    code: int
    says: str  # a phrase (regular expression) of the output, the errors or the warnings
    stored: int  # entries in the database after the import
    tz: str = "UTC"
    check: Callable[[sqlite3.Connection, dict], None] | None = None  # more to assert: db and JSON


def text(content: str, name: str = "log.csv", encoding: str = "utf-8") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content.encode(encoding))
        return path
    return build


def raw(content: bytes, name: str = "log.csv") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(content)
        return path
    return build


def made(fn: Callable[[Path], None], name: str = "log.csv") -> Callable[[Path], Path]:
    def build(folder: Path) -> Path:
        path = folder / name
        fn(path)
        return path
    return build


def _zip(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")


def _sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()


def _nul_padded(rows: int, nuls: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.write((GENERIC + generic_rows(rows)).encode())
            fh.write(b"\x00" * nuls)
    return write


def _reason_len(limit: int) -> Callable[[sqlite3.Connection, dict], None]:
    def check(conn: sqlite3.Connection, doc: dict) -> None:
        reasons = [r for (r,) in conn.execute("SELECT reason FROM import_error")]
        raws = [r for (r,) in conn.execute("SELECT raw FROM import_error")]
        assert reasons and all(len(r) <= limit for r in reasons), [len(r) for r in reasons]
        assert all(len(r) <= 2100 for r in raws)
        assert all(len(e["reason"]) <= limit for e in doc["errors"])
        assert "MB)" in doc["errors"][0]["reason"]
    return check


def _seconds(*expected: float) -> Callable[[sqlite3.Connection, dict], None]:
    def check(conn: sqlite3.Connection, doc: dict) -> None:
        assert sorted(r for (r,) in conn.execute("SELECT duration_s FROM time_entry")) == sorted(expected)
    return check


def _task_names(*names: str) -> Callable[[sqlite3.Connection, dict], None]:
    def check(conn: sqlite3.Connection, doc: dict) -> None:
        assert sorted(r for (r,) in conn.execute("SELECT name FROM task")) == sorted(names)
    return check


def _names_at_most(conn: sqlite3.Connection, cells: int) -> None:
    longest = conn.execute("SELECT max(length(name)) FROM task").fetchone()[0]
    assert longest <= cells, longest


def _lines(*lines: int) -> Callable[[sqlite3.Connection, dict], None]:
    def check(conn: sqlite3.Connection, doc: dict) -> None:
        assert [e["line"] for e in doc["errors"]] == list(lines)
    return check


def _deep_json(path: Path) -> None:
    path.write_text("[" * 100_000 + "]" * 100_000)


AW_BUCKET = {"buckets": {"aw-watcher-window_h": {
    "id": "aw-watcher-window_h", "type": "currentwindow", "client": "aw-watcher-window", "hostname": "h",
    "created": "2024-01-01T00:00:00+00:00", "events": [
        {"timestamp": "2024-03-04T10:00:00+00:00", "duration": 1e400, "data": {"app": "x", "title": "a"}},
        {"timestamp": "2024-03-04T11:00:00+00:00", "duration": 60.0, "data": {"app": "Code", "title": "b"}},
        {"timestamp": "99999-03-04T11:00:00+00:00", "duration": 60.0, "data": {"app": "Code", "title": "c"}},
    ]}}}
TIMEW = [
    {"id": 1, "start": "20240301T090000Z", "end": "20240301T100000Z", "tags": ["writing"]},
    {"id": 2, "start": "20240301T1000", "end": "20240301T110000Z", "tags": ["bad start"]},
    {"id": 3, "start": "20240302T090000Z", "tags": ["still running"]},
]
WATSON = [
    {"id": "a1", "project": "hubble", "start": "2024-03-04T10:00:00+01:00", "stop": "2024-03-04T11:00:00+01:00", "tags": []},
    {"id": "a2", "project": "hubble", "start": "2024-03-04T12:00:00+01:00", "stop": "2024-03-04T11:00:00+01:00", "tags": []},
    {"id": "a3", "project": "\ud800 lone \u202e", "start": "2024-03-05T10:00:00+01:00", "stop": "2024-03-05T10:30:00+01:00", "tags": []},
]

HUGE = "9" * 20_000_000
rng = random.Random(1205)

CASES = [
    # --- not a task log: exit 2, nothing written ----------------------------------------------
    Case("empty", raw(b""), 2, "is empty", 0),
    Case("whitespace only", raw(b"  \n\n\t\r\n"), 2, "is empty", 0),
    Case("only NUL bytes", raw(b"\x00" * 200_000), 2, r"empty.*only NUL bytes", 0),
    Case("only a BOM", raw(codecs.BOM_UTF8), 2, "", 0),
    Case("PNG", raw(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 10, "log.png"), 2, "is a PNG image", 0),
    Case("GIF", raw(b"GIF89a" + bytes(300)), 2, "GIF image", 0),
    Case("JPEG", raw(b"\xff\xd8\xff\xe0" + bytes(300)), 2, "JPEG image", 0),
    Case("PDF", raw(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"), 2, "PDF document", 0),
    Case("XLSX (a zip)", made(_zip, "log.xlsx"), 2, "Excel workbook.*cannot be read.*save it as CSV", 0),
    Case("gzip", raw(gzip.compress(TOGGL.encode() * 50), "log.csv.gz"), 2, "gzip archive", 0),
    Case("SQLite database", made(_sqlite, "log.db"), 2, "SQLite database", 0),
    Case("old Office", raw(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "log.xls"), 2, "old Office document", 0),
    Case("random bytes", raw(bytes(rng.randrange(256) for _ in range(65_536))), 2, "binary file", 0),
    Case("NULs scattered in the text", raw(b"Date,Min\x00utes,Task\n2024-01-02,3\x000,a\n" * 50), 2, "contains NUL bytes", 0),
    Case("UTF-16 without a BOM", raw((GENERIC + generic_rows(20)).encode("utf-16-le")), 2, "binary file", 0),
    Case("plain prose", text("Dear diary,\nthis is not a log.\n"), 2, "no recognisable task-log columns", 0),
    Case("one word a line", text("hello\nworld\n" * 100), 2, "no recognisable task-log columns", 0),
    Case("10,000 unknown columns", text(",".join(f"c{i}" for i in range(10_000)) + "\n" + ",".join("1" * 10_000) + "\n"),
         2, "no recognisable task-log columns", 0),
    Case("one 5 MB line", text("x" * 5_000_000), 2, "no recognisable task-log columns", 0),
    Case("a header but no date column", text("Task,Minutes\nmail,5\n"), 2, "no recognisable task-log columns", 0),
    Case("a date but no duration", text("Date,Task\n2024-01-02,mail\n"), 2, r"no recognisable .*found: 'Date', 'Task'", 0),
    Case("JSON nested 100,000 deep", made(_deep_json, "log.json"), 2, "not valid JSON", 0),
    Case("JSON cut short", text('[{"id": 1, "start": "20240301T090000Z", "end": "2024', "log.json"), 2, "JSON", 0),
    Case("JSON of numbers", text("[1, 2, 3]", "log.json"), 2, "JSON but not a task log", 0),
    Case("JSON object of nothing known", text('{"hello": {"world": [1]}}', "log.json"), 2, "JSON but not a task log", 0),
    Case("JSON of nulls", text("[null, null]", "log.json"), 2, "JSON but not a task log", 0),
    # --- bad rows: each costs one row ----------------------------------------------------------
    Case("minutes 1e308", text(GENERIC + "2024-01-02,1e308,a\n2024-01-03,30,b\n"), 1, "line 2: Minutes '1e308' is too long", 1),
    Case("minutes inf, nan, -5, empty", text(GENERIC + "2024-01-02,inf,a\n2024-01-02,nan,a\n2024-01-02,-5,a\n"
                                               "2024-01-02,,a\n2024-01-03,30,b\n"), 1, "line 5", 1,
         check=_lines(2, 3, 4, 5)),
    Case("minutes 1e-320", text(GENERIC + "2024-01-02,1e-320,a\n2024-01-03,30,b\n"), 0, "", 1),  # zero-length: skipped
    Case("hours 1e300", text("Date,Hours,Task\n2024-01-02,1e300,a\n2024-01-03,1.5,b\n"), 1, "line 2: Hours '1e300' is too long", 1),
    Case("year 1 and year 9999", text(STARTEND + "0001-01-01T00:00:00Z,0001-01-01T01:00:00Z,a\n"
                                      "9999-12-31T23:00:00Z,9999-12-31T23:30:00Z,b\n"), 0, "", 2),
    Case("past the year 9999", text(STARTEND + "9999-12-31T23:00:00Z,10000-01-01T01:00:00Z,a\n"
                                    "2024-01-01T09:00:00Z,2024-01-01T10:00:00Z,b\n"), 1, "line 2", 1),
    Case("February 30", text(GENERIC + "2024-02-30,30,a\n2024-02-28,30,b\n"), 1, "impossible date", 1),
    Case("25 o'clock", text(TOGGL + toggl_row(start="25:00:00") + toggl_row()), 1, "25:00:00", 1),
    Case("an offset of 25 hours", text(STARTEND + "2024-01-01T09:00:00+25:00,2024-01-01T10:00:00Z,a\n"
                                       "2024-01-01T09:00:00Z,2024-01-01T10:00:00Z,b\n"), 1, "line 2", 1),
    Case("epoch-sized numbers as dates", text(STARTEND + "1e20,2e20,a\n2024-01-01T09:00:00Z,2024-01-01T10:00:00Z,b\n"),
         1, "line 2", 1),
    Case("ends before it starts", text(STARTEND + "2024-01-01T10:00:00Z,2024-01-01T09:00:00Z,a\n"
                                       "2024-01-01T09:00:00Z,2024-01-01T10:00:00Z,b\n"), 1, "before it starts", 1),
    Case("a 20 MB value in a number column", text(GENERIC + f"2024-01-02,{HUGE},a\n2024-01-03,30,b\n"), 1, "MB", 1,
         check=_reason_len(220)),
    Case("a 20 MB value in a date column", text(GENERIC + f"{HUGE},30,a\n2024-01-03,30,b\n"), 1, "MB", 1,
         check=_reason_len(220)),
    Case("a 20 MB description", text("Date,Minutes,Task,Description\n2024-01-02,30,a," + "d" * 20_000_000
                                     + "\n2024-01-03,30,b,x\n"), 0, "", 2),
    Case("a 20 MB task name", text(GENERIC + "2024-01-02,30," + "t" * 20_000_000 + "\n"), 0, "", 1,
         check=lambda conn, doc: _names_at_most(conn, 300)),
    Case("10,000 columns, the log's among them", text(TOGGL.rstrip("\n") + "".join(f",x{i}" for i in range(10_000)) + "\n"
                                                      + toggl_row().rstrip("\n") + ",1" * 10_000 + "\n"), 0, "", 1),
    Case("a row of 10,000 fields", text(GENERIC + ",".join(["2024-01-02"] * 10_000) + "\n2024-01-03,30,b\n"),
         1, "line 2: Minutes '2024-01-02' is not a duration", 1),
    Case("a row of too few fields", text(GENERIC + "2024-01-02\n2024-01-03,30,b\n"), 1, "line 2: Minutes is empty", 1),
    # --- quoting and lines -----------------------------------------------------------------------
    Case("an unclosed quote, then 1,000 rows", text(GENERIC + "2024-01-02,30,a\n" + '2024-01-02,30,"b\n'
                                                    + generic_rows(1000)), 1,
         "unclosed quote on line 3 takes in lines 3-1003", 1001, check=_lines(3)),
    Case("an unclosed quote on the last line (it takes in nothing)", text(GENERIC + generic_rows(5) + '2024-01-02,30,"b\n'),
         0, "", 6),
    Case("an unclosed quote to the end, no newline", text(GENERIC + '2024-01-02,30,"b\n2024-01-03,30,c'), 1,
         "unclosed quote on line 2 takes in lines 2-3", 1),
    Case("a quoted note over two lines", text("Date,Minutes,Task,Notes\n2024-01-02,30,a,\"one\ntwo, three\"\n"
                                              "2024-01-03,30,b,x\n"), 0, "", 2),
    Case("a task name over two lines", text(GENERIC + '2024-01-02,30,"weekly\nreport"\n'), 0, "", 1,
         check=_task_names("weekly report")),
    Case("CRLF, LF and CR mixed", raw(b"Date,Minutes,Task\r\n2024-01-02,30,a\n2024-01-03,30,b\r2024-01-04,30,c\r\n"), 0, "", 3),
    Case("CR only (old Mac)", raw(b"Date,Minutes,Task\r2024-01-02,30,a\r2024-01-03,30,b\r"), 0, "", 2),
    Case("blank lines between rows", text(GENERIC + "2024-01-02,30,a\n\n\n2024-01-03,30,b\n"), 0, "", 2),
    Case("the header again in the middle", text(GENERIC + "2024-01-02,30,a\n" + GENERIC + "2024-01-03,30,b\n"), 0, "", 2),
    Case("a totals row", text(GENERIC + "2024-01-02,30,a\n2024-01-03,30,b\nTotal,60,\n"), 0, "", 2),
    # --- NULs and encodings ------------------------------------------------------------------
    Case("rows, then 20 MB of NULs", made(_nul_padded(3000, 20 << 20)), 1, r"line 3002\) is NUL bytes", 3000),
    Case("one row, then NULs", made(_nul_padded(1, 1 << 20)), 1, "NUL bytes", 1),
    Case("a few NULs inside a row, past the start", raw((GENERIC + generic_rows(5000)).encode() + b"2024-01-04,30,d\x00\x00x\n"),
         0, "", 5001),
    Case("Windows-1252", raw("Date,Minutes,Task\n2024-01-02,30,Café\n2024-01-03,30,Müll\n".encode("cp1252")), 0, "", 2,
         check=_task_names("Café", "Müll")),
    Case("invalid UTF-8 in one row", raw(b"Date,Minutes,Task\n2024-01-02,30,ok\n2024-01-03,30,bad \xff\xfe\n"), 0, "", 2),
    Case("UTF-16 LE with a BOM", raw(codecs.BOM_UTF16_LE + (TOGGL + toggl_row()).encode("utf-16-le")), 0, "", 1),
    Case("UTF-16 BE with a BOM", raw(codecs.BOM_UTF16_BE + (TOGGL + toggl_row()).encode("utf-16-be")), 0, "", 1),
    Case("UTF-8 with a BOM", raw(codecs.BOM_UTF8 + (TOGGL + toggl_row()).encode()), 0, "", 1),
    Case("semicolons", text("Datum;Minuten;Aufgabe\n02.01.2024;30;a\n03.01.2024;1,5;b\n"), 0, "", 2),
    Case("tabs", text("Date\tMinutes\tTask\n2024-01-02\t30\ta\n"), 0, "", 1),
    # --- time zones and lengths --------------------------------------------------------------
    Case("a Toggl hour across the spring-forward gap", text(TOGGL + toggl_row(day="2025-03-30", start="02:30:00", end="03:30:00",
                                                                              duration="01:00:00")),
         0, "does not exist in Europe/Berlin", 1, tz="Europe/Berlin", check=_seconds(3600.0)),
    Case("a Toggl row in the autumn overlap", text(TOGGL + toggl_row(day="2025-10-26", start="02:30:00", end="02:45:00",
                                                                     duration="00:15:00")),
         0, "happens twice in Europe/Berlin", 1, tz="Europe/Berlin", check=_seconds(900.0)),
    Case("start and end in the gap, no duration", text("Date,Start,End,Task\n2025-03-30,02:10,02:50,a\n"),
         0, "does not exist", 1, tz="Europe/Berlin"),
    Case("an entry of ten years", text(STARTEND + "2015-01-01T09:00:00Z,2025-01-01T09:00:00Z,a\n"), 0, "87,672 hours", 1),
    Case("a day and a half from start and end", text(TOGGL + toggl_row(end_day="2024-03-05", end="21:00:00", duration="36:00:00")),
         0, "36 hours", 1),
    # --- text that must stay text ---------------------------------------------------------------
    Case("markup, escapes and bidi controls in names", text(GENERIC + "2024-01-02,30,[bold]x[/\n2024-01-02,30,\x1b[31mred\x1b[0m\n"
                                                            "2024-01-02,30,\u202eevil\u2066\n2024-01-02,30,\x9b31m\n"),
         0, "", 4, check=_task_names("[bold]x[/", "\x1b[31mred\x1b[0m", "\u202eevil\u2066", "\x9b31m")),
    Case("formula-looking names", text(GENERIC + "2024-01-02,30,=HYPERLINK(\"x\")\n2024-01-02,30,@SUM(A1)\n"), 0, "", 2),
    # --- JSON formats -------------------------------------------------------------------------
    Case("ActivityWatch: an infinite and a year-99999 event", text(json.dumps(AW_BUCKET).replace("Infinity", "1e400"), "aw.json"),
         1, "", 1),
    Case("Timewarrior: a bad start and a running interval", text(json.dumps(TIMEW), "timew.json"), 1, "is not a date and time", 1),
    Case("Watson: ends before it starts, a lone surrogate", text(json.dumps(WATSON), "frames.json"), 1, "before it starts", 2),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case: Case, tmp_path: Path, roi, db_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = case.build(folder)
    r = roi("import", path, "--tz", case.tz, "--json")
    assert r.exit_code == case.code, r.output[:2000]
    assert "Traceback" not in r.output and "internal error" not in r.output
    doc = json.loads(r.stdout) if case.code in (0, 1) else {}
    said = r.stderr + " ".join(f"line {e['line']}: {e['reason']}" for e in doc.get("errors", []) + doc.get("warnings", []))
    assert re.search(case.says, said), said[:2000]
    assert len(said) < 100_000  # no value is echoed whole
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.stderr), r.stderr[:500]
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("SELECT count(*) FROM time_entry").fetchone()[0] == case.stored
        if case.code == 2:
            assert conn.execute("SELECT count(*) FROM import_batch").fetchone()[0] == 0
        if case.check is not None:
            case.check(conn, doc)
    finally:
        conn.close()
    # the text summary says as much, on a terminal-less stdout, with nothing raw in it
    if path.stat().st_size > 1_000_000:
        return  # the same reading again, at a cost: the JSON above covers it
    again = roi("import", path, "--tz", case.tz, "--dry-run")
    assert again.exit_code in (case.code, 0 if case.code == 1 else case.code)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", again.output), again.output[:500]


# --- what is not a regular file, or not a file at all -----------------------------------------


def _run(args: list[str], db: Path, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ROI_DB=str(db))
    return subprocess.run([sys.executable, "-m", "roi.cli", *args], capture_output=True, text=True, timeout=timeout,
                          env=env, stdin=subprocess.DEVNULL)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "log.csv"
    os.mkfifo(fifo)
    r = _run(["--db", str(tmp_path / "roi.db"), "import", str(fifo)], tmp_path / "roi.db")
    assert r.returncode == 2
    assert "not a regular file" in r.stderr and "give -" in r.stderr


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero", "/dev/stdin"])
def test_a_device_is_refused(tmp_path: Path, device: str) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is absent")
    r = _run(["--db", str(tmp_path / "roi.db"), "import", device], tmp_path / "roi.db")
    assert r.returncode == 2, r.stderr
    assert "not a regular file" in r.stderr or "no such file" in r.stderr


def test_a_folder_a_loop_a_dangling_link_and_nothing(tmp_path: Path, roi) -> None:
    loop = tmp_path / "loop.csv"
    loop.symlink_to(tmp_path / "loop.csv")
    dangling = tmp_path / "dangling.csv"
    dangling.symlink_to(tmp_path / "gone.csv")
    for path, says in [(tmp_path, "is a folder"), (loop, "cannot be read"), (dangling, "no such file"),
                       (tmp_path / "absent.csv", "no such file")]:
        r = roi("import", path)
        assert r.exit_code == 2 and says in r.stderr, (path, r.output)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads every file")
def test_an_unreadable_file(tmp_path: Path, roi) -> None:
    path = tmp_path / "log.csv"
    path.write_text(GENERIC + generic_rows(3))
    path.chmod(0)
    r = roi("import", path)
    assert r.exit_code == 2 and "permission denied" in r.stderr


def test_standard_input_is_read_when_asked_with_a_dash(roi, db_path: Path) -> None:
    r = roi("import", "-", "--json", input=GENERIC + generic_rows(40))
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["imported"] == 40
    again = roi("import", "-", "--json", input=GENERIC + generic_rows(40))
    assert json.loads(again.stdout)["imported"] == 0  # the same bytes add nothing
    empty = roi("import", "-", input="")
    assert empty.exit_code == 2 and "standard input is empty" in empty.stderr
    listed = roi("imports", "list", "--json")
    assert [b["file"] for b in json.loads(listed.stdout)] == ["(standard input)", "(standard input)"]


def test_the_suite_is_large_enough() -> None:
    assert len(CASES) + 8 >= 60
    assert len({c.name for c in CASES}) == len(CASES)
