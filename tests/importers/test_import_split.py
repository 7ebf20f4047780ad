"""A large CSV is read in two parts by two processes (roi.importers.split); the result must
be exactly what one reader gives: the same entries and hashes, tasks, steps, rejected and
skipped lines with their line numbers, and measurements.

The thresholds are lowered here so that small files are split.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from roi.db.store import Store
from roi.importers import run_import, split, worker
from roi.importers.reader import open_source
from roi.models import RoiError

TOGGL_HEADER = ("User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
                "End time,Duration,Tags,Amount (EUR)\n")


def toggl_row(day: int, minute: int, desc: str, project: str = "P1", length: int = 30) -> str:
    start = f"{minute // 60:02d}:{minute % 60:02d}:00"
    end_min = minute + length
    end = f"{end_min // 60:02d}:{end_min % 60:02d}:00"
    if any(c in desc for c in ',"\n'):
        desc = '"' + desc.replace('"', '""') + '"'
    return (f"Ann,ann@example.com,Acme,{project},,{desc},No,2024-03-{day:02d},{start},2024-03-{day:02d},{end},"
            f"00:{length:02d}:00,\"a, b\",0.00\n")


def varied_toggl(path: Path, rows: int = 600, seed: int = 3) -> list[str]:
    """Rows of many shapes; the same two rows at the start and the end (twins across the
    cut), a task spelt in another case in the second part, a task only the second part has,
    bad rows and a multi-line description in both parts."""
    rnd = random.Random(seed)
    lines = [TOGGL_HEADER]
    twin = toggl_row(1, 60, "Inbox zero")
    lines += [twin, twin]
    for i in range(rows):
        day, minute = 1 + i % 28, rnd.randrange(0, 22 * 60)
        desc = rnd.choice(["Invoices", "Backups", 'The "weekly"', "Review, part 1", "Line one\nline two"])
        if i > rows * 0.6:
            desc = {"Invoices": "INVOICES", "Backups": "Only later"}.get(desc, desc)
        lines.append(toggl_row(day, minute, desc, project=f"P{i % 3}"))
        if i % 97 == 5:
            lines.append(toggl_row(31, minute, "Bad day").replace("2024-03-31", "2024-02-31"))
    lines.append(twin)
    path.write_text("".join(lines), encoding="utf-8")
    return lines


@pytest.fixture
def split_always(monkeypatch: pytest.MonkeyPatch) -> list[split.SplitChunks]:
    """Every CSV is split (the instances made are collected)."""
    made: list[split.SplitChunks] = []
    real = split.SplitChunks.__init__

    def init(self: split.SplitChunks, *a: Any) -> None:
        made.append(self)
        real(self, *a)

    monkeypatch.setattr(split.SplitChunks, "__init__", init)
    monkeypatch.setattr(worker, "WORKER_MIN_ROWS", 1)
    monkeypatch.setattr(worker, "SPLIT_MIN_ROWS", 1)
    monkeypatch.setattr(worker, "usable_cpus", lambda: 2)
    return made


def outcome(db: Path, log: Path, **kw: Any) -> tuple[Any, ...]:
    store = Store.open(db)
    try:
        s = run_import(store, log, **kw)
        q = store.conn.execute
        entries = q(
            'SELECT t.name, s.name, e.start, e."end", e.duration_s, e.description, e.tags, e.hash FROM time_entry e'
            " JOIN task t ON t.id = e.task_id LEFT JOIN step s ON s.id = e.step_id ORDER BY e.start, e.hash"
        ).fetchall()
        tasks = q("SELECT id, name FROM task ORDER BY id").fetchall()
        steps = q("SELECT id, task_id, position, name, minutes FROM step ORDER BY id").fetchall()
        measured = q("SELECT * FROM measurement ORDER BY task_id, step_id").fetchall()
        errors = q("SELECT line, reason, raw FROM import_error ORDER BY line").fetchall()
        summary = (s.rows_read, s.imported, s.rejected, s.skipped, s.duplicates, round(s.hours, 6), s.errors,
                   s.skips, s.tasks_created, s.tasks_touched, s.note)
        return summary, entries, tasks, steps, measured, errors
    finally:
        store.close()


def single_reader(tmp_path: Path, log: Path, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, ...]:
    with monkeypatch.context() as m:
        m.setattr(worker, "WORKER_MIN_ROWS", 10**12)
        return outcome(tmp_path / "single.db", log, **kw)


def test_a_split_import_gives_what_one_reader_gives(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    varied_toggl(log)
    expected = single_reader(tmp_path, log, monkeypatch, tz="Europe/Berlin")
    got = outcome(tmp_path / "split.db", log, tz="Europe/Berlin")
    assert len(split_always) == 1 and not split_always[0].read_whole  # it really was read in two parts
    assert got == expected
    summary = got[0]
    assert summary[1] == 603 and summary[2] == 7  # every row (the three twins too), the bad days rejected
    assert "Only later" in summary[8] and "INVOICES" not in summary[8]  # matched by name, any case


def test_tasks_and_steps_from_both_parts_map_onto_one_set(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    varied_toggl(log, seed=5)
    kw = {"tz": "UTC", "task_from": "project", "step_from": "description"}
    assert outcome(tmp_path / "split.db", log, **kw) == single_reader(tmp_path, log, monkeypatch, **kw)
    assert not split_always[0].read_whole


def test_row_by_row_layouts_split_the_same_way(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "log.csv"
    rows = ["date,start,end,task,notes\n"]
    for i in range(400):
        note = "two\nlines" if i % 50 == 0 else f"note {i % 7}"
        start = f"{8 + i % 9:02d}:{i % 60:02d}"
        rows.append(f'2024-05-{1 + i % 30:02d},{start},{9 + i % 9:02d}:30,Task {i % 11},"{note}"\n')
        if i % 111 == 3:
            rows.append("2024-05-01,25:61,10:00,Broken,x\n")
    rows.append(rows[1])  # a twin of the first row, in the second part
    log.write_text("".join(rows), encoding="utf-8")
    expected = single_reader(tmp_path, log, monkeypatch, tz="America/St_Johns")
    assert outcome(tmp_path / "split.db", log, tz="America/St_Johns") == expected
    assert not split_always[0].read_whole
    assert expected[0][1] == 401 and expected[0][2] == 4


def test_a_cut_inside_a_quoted_field_is_caught_and_the_first_reader_reads_it_all(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    lines = varied_toggl(log)
    text = "".join(lines).encode()
    inside = text.index(b"Line one\nline two", len(text) // 2) + len(b"Line one\n")  # a line start in a quoted field
    wrong = split.Cut(inside, text[:inside].count(b"\n"))
    monkeypatch.setattr(split, "find_cut", lambda source: wrong)
    expected = single_reader(tmp_path, log, monkeypatch, tz="UTC")
    assert outcome(tmp_path / "split.db", log, tz="UTC") == expected
    assert split_always[0].read_whole


def test_a_blank_line_before_the_cut_keeps_one_reader(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    # after a blank line, rows that do not fit are "not part of the log" (skipped), not errors:
    # the second reader could not know, so the first reads on
    log = tmp_path / "toggl.csv"
    rows = [TOGGL_HEADER] + [toggl_row(1 + i % 28, i % 600, f"Chore {i % 5}") for i in range(30)]
    rows += ["\n"] + [toggl_row(2, i, "After") for i in range(170)] + ["Name,Hours\n", "Ann,3\n"]
    log.write_text("".join(rows), encoding="utf-8")
    expected = single_reader(tmp_path, log, monkeypatch, tz="UTC")
    assert outcome(tmp_path / "split.db", log, tz="UTC") == expected
    assert split_always[0].read_whole
    assert expected[0][2:4] == (0, 3)  # the blank line and the table after it: skipped, not rejected


def test_twins_across_the_cut_import_once_each_and_not_again(
    tmp_path: Path, split_always: list[split.SplitChunks]
) -> None:
    log = tmp_path / "toggl.csv"
    twin = toggl_row(5, 100, "Same")
    rows = [TOGGL_HEADER, twin, twin] + [toggl_row(1 + i % 28, i % 900, f"C{i % 4}") for i in range(300)] + [twin]
    log.write_text("".join(rows), encoding="utf-8")
    store = Store.open(tmp_path / "db.sqlite")
    first = run_import(store, log, tz="UTC")
    again = run_import(store, log, tz="UTC")
    hashes = [h for (h,) in store.conn.execute("SELECT hash FROM time_entry WHERE description = 'Same' ORDER BY hash")]
    store.close()
    assert not split_always[0].read_whole
    assert (first.imported, again.imported, again.duplicates) == (303, 0, 303)
    assert [h.partition("~")[2] for h in hashes] == ["", "2", "3"]  # the 1st, 2nd and 3rd of them in the file


def test_a_second_reader_that_dies_leaves_nothing(
    tmp_path: Path, split_always: list[split.SplitChunks], monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    varied_toggl(log)
    real = worker.SpoolReader.__init__

    def dying(self: worker.SpoolReader, *a: Any) -> None:
        real(self, *a)
        self.process.kill()

    monkeypatch.setattr(worker.SpoolReader, "__init__", dying)
    store = Store.open(tmp_path / "db.sqlite")
    with pytest.raises(RoiError, match="stopped unexpectedly.*nothing was imported"):
        run_import(store, log, tz="UTC")
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0 and store.count("task") == 0
    store.close()


# -- where the cut goes -------------------------------------------------------------------


def test_the_cut_is_a_line_start_outside_quotes_about_a_third_in(tmp_path: Path) -> None:
    log = tmp_path / "x.csv"
    body = ['a,b\n'] + [f'{i},"x\n""y"",z"\n' if i % 3 == 0 else f"{i},plain\n" for i in range(3000)]
    log.write_bytes("".join(body).encode())
    data = log.read_bytes()
    cut = split.find_cut(open_source(log))
    assert cut is not None
    before = data[: cut.offset]
    assert before.endswith(b"\n") and before.count(b'"') % 2 == 0
    assert cut.lines_before == before.count(b"\n")
    assert abs(cut.offset - len(data) * split.FIRST_PART) < 100
    assert data[cut.offset :].split(b",")[0].isdigit()  # a row starts there


@pytest.mark.parametrize(
    "content, why",
    [
        ("a,b\r" + "1,2\r" * 5000, "lone CR line breaks"),
        ('a,b\n"' + "1,2\n" * 5000, "a quote that never closes"),
    ],
)
def test_no_cut_where_lines_cannot_be_trusted(tmp_path: Path, content: str, why: str) -> None:
    log = tmp_path / "x.csv"
    log.write_bytes(content.encode())
    assert split.find_cut(open_source(log)) is None, why


def test_no_cut_in_utf16(tmp_path: Path) -> None:
    log = tmp_path / "x.csv"
    log.write_bytes("a,b\n1,2\n".encode("utf-16") * 1)
    assert split.find_cut(open_source(log)) is None
