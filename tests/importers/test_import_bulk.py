"""Large imports drop time_entry's indexes, append, and build them again (roi.db.imports).

The threshold is lowered here so that small files take the bulk path; the kill test
(test_import_kill) covers a crash in the middle of a real-sized bulk import.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roi.db import imports
from roi.db.imports import ImportWriter
from roi.db.store import Store
from roi.importers import load, run_import
from tests.importers.test_import_kill import write_toggl

TZ = "UTC"


def indexes(store: Store) -> list[tuple[str, str]]:
    return store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'time_entry' ORDER BY name"
    ).fetchall()


@pytest.fixture
def small_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(imports, "BULK_MIN_ROWS", 10)


def test_every_entry_index_is_named_and_droppable(store: Store) -> None:
    names = [name for name, sql in indexes(store)]
    assert names == ["time_entry_hash", "time_entry_measure", "time_entry_open"]
    assert all(sql for _, sql in indexes(store))  # none made by a constraint


def test_bulk_import_into_an_empty_log_rebuilds_the_same_indexes(
    store: Store, tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, 500)
    before = indexes(store)
    used: list[object] = []
    real_drop = ImportWriter._drop_indexes_if_large

    def drop(self, expected):  # type: ignore[no-untyped-def]
        used.append(real_drop(self, expected))
        return used[-1]

    monkeypatch.setattr(ImportWriter, "_drop_indexes_if_large", drop)
    s = run_import(store, log, tz=TZ)
    assert used[0] is not None  # the indexes were dropped: the bulk path ran
    # all but the partial one, which the imported rows never enter
    assert [name for name, _ in used[0][0]] == ["time_entry_hash", "time_entry_measure"]  # type: ignore[index]
    assert (s.imported, s.duplicates) == (500, 0)
    assert indexes(store) == before
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # a re-import (as many rows as the table holds) keeps the indexes and adds nothing
    again = run_import(store, log, tz=TZ)
    assert used[1] is None
    assert (again.imported, again.duplicates) == (0, 500)
    assert store.count("time_entry") == 500


def test_bulk_import_drops_rows_an_earlier_import_holds(store: Store, tmp_path: Path, small_bulk: None) -> None:
    big = tmp_path / "big.csv"
    write_toggl(big, 300)
    lines = big.read_text(encoding="utf-8").splitlines(keepends=True)
    early = tmp_path / "early.csv"
    early.write_text("".join(lines[:41]), encoding="utf-8")  # header + the first 40 rows
    assert run_import(store, early, tz=TZ).imported == 40
    s = run_import(store, big, tz=TZ)  # 300 rows >= 2 x 40: the bulk path
    assert (s.imported, s.duplicates) == (260, 40)
    assert store.count("time_entry") == 300
    assert store.conn.execute("SELECT count(DISTINCT hash) FROM time_entry").fetchone()[0] == 300
    assert [n for n, _ in indexes(store)] == ["time_entry_hash", "time_entry_measure", "time_entry_open"]
    hours = store.conn.execute("SELECT sum(duration_s) FROM time_entry WHERE batch_id = ?", [s.batch_id]).fetchone()[0]
    assert s.hours == pytest.approx(hours / 3600)


def test_identical_rows_survive_the_bulk_path(store: Store, tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "CHUNK", 4)
    log = tmp_path / "twins.csv"
    log.write_text("date,task,minutes\n" + "\n".join(["2024-03-04,A,10"] * 12 + ["2024-03-05,B,5"] * 3) + "\n")
    assert run_import(store, log, tz=TZ).imported == 15
    assert run_import(store, log, tz=TZ).imported == 0


def test_a_failure_mid_bulk_import_leaves_the_indexes(
    store: Store, tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, 200)
    before = indexes(store)
    monkeypatch.setattr(load, "CHUNK", 16)
    calls = 0
    real_add = ImportWriter.add_entries

    def exploding(self, rows):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError("disk full")
        return real_add(self, rows)

    monkeypatch.setattr(ImportWriter, "add_entries", exploding)
    with pytest.raises(OSError, match="disk full"):
        run_import(store, log, tz=TZ)
    assert indexes(store) == before
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0


def test_a_running_stopwatch_stays_found_through_a_bulk_import(store: Store, tmp_path: Path, small_bulk: None) -> None:
    from roi.db.timelog import running_timer, start_timer
    from roi.models import Task

    tid = store.add_task(Task(name="Timed by hand"))
    start_timer(store, tid)
    log = tmp_path / "toggl.csv"
    write_toggl(log, 300)
    assert run_import(store, log, tz=TZ).imported == 300
    assert running_timer(store) is not None
    plan = " ".join(r[-1] for r in store.conn.execute(
        'EXPLAIN QUERY PLAN SELECT id FROM time_entry WHERE "end" IS NULL'))
    assert "time_entry_open" in plan
    assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_bulk_import_appends_without_foreign_key_checks_and_turns_them_on_again(
    store: Store, tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, 200)
    during: list[int] = []
    real_add = ImportWriter.add_entries

    def add(self, rows):  # type: ignore[no-untyped-def]
        during.append(self.conn.execute("PRAGMA foreign_keys").fetchone()[0])
        return real_add(self, rows)

    monkeypatch.setattr(ImportWriter, "add_entries", add)
    assert run_import(store, log, tz=TZ).imported == 200
    assert set(during) == {0}
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []  # every row names what exists
    # a failed import turns them on again too, and a small one never turns them off
    monkeypatch.setattr(ImportWriter, "finish_entries", lambda self: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        run_import(store, log, tz=TZ)
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    monkeypatch.undo()  # the usual threshold (20,000 rows) again
    during.clear()
    monkeypatch.setattr(ImportWriter, "add_entries", add)
    small = tmp_path / "small.csv"
    write_toggl(small, 30)
    run_import(store, small, tz=TZ)
    assert set(during) == {1}
