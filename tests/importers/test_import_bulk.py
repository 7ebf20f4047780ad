"""Large imports drop time_entry's indexes, append, and build them again (roi.importers.bulk).

The threshold is lowered here so that small files take the bulk path; the kill test
(test_import_kill) covers a crash in the middle of a real-sized bulk import.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import bulk, csvplan, run_import, writer
from roi.models import RoiError
from tests.importers.test_import_kill import write_toggl

TZ = "UTC"


def indexes(store: Store) -> list[tuple[str, str]]:
    return store.conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'time_entry' ORDER BY name"
    ).fetchall()


@pytest.fixture
def small_bulk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "BULK_MIN_ROWS", 10)


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
    real_begin = bulk.begin

    def begin(*a):  # type: ignore[no-untyped-def]
        used.append(real_begin(*a))
        return used[-1]

    monkeypatch.setattr(bulk, "begin", begin)
    s = run_import(store, log, tz=TZ)
    assert used[0] is not None  # the indexes were dropped: the bulk path ran
    # all but the partial one, which the imported rows never enter
    assert [name for name, _ in used[0].indexes] == ["time_entry_hash", "time_entry_measure"]
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
    monkeypatch.setattr(writer, "CHUNK", 4)
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
    monkeypatch.setattr(writer, "CHUNK", 16)
    monkeypatch.setattr(csvplan, "BATCH_ROWS", 8)
    calls = 0
    real = store.conn

    class Exploding:
        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

        def executemany(self, sql: str, rows):  # type: ignore[no-untyped-def]
            nonlocal calls
            calls += 1
            if calls == 3:
                raise OSError("disk full")
            return real.executemany(sql, rows)

    real_write = writer._write
    monkeypatch.setattr(writer, "_write", lambda st, conn, *a: real_write(st, Exploding(), *a))  # type: ignore[arg-type]
    with pytest.raises(OSError, match="disk full"):
        run_import(store, log, tz=TZ)
    assert indexes(store) == before
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0


def test_a_reading_process_gives_what_reading_here_gives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from roi.importers import worker

    log = tmp_path / "toggl.csv"
    write_toggl(log, 300)
    with log.open("a", encoding="utf-8") as fh:  # a bad row and a summary line too
        fh.write("Ann,ann@example.com,Acme,P,,Chore 1,No,2024-02-30,09:00:00,2024-02-30,10:00:00,01:00:00,,0.00\n")
        fh.write("\nTotal,,,,,,,,,,,300:00:00,,\n")
    results = []
    used: list[int] = []
    real = worker.WorkerChunks.__init__
    monkeypatch.setattr(worker.WorkerChunks, "__init__", lambda self, *a: used.append(1) or real(self, *a))  # type: ignore[func-returns-value]
    for threshold in (10**9, 1):  # here, then in a reading process
        monkeypatch.setattr(worker, "WORKER_MIN_ROWS", threshold)
        store = Store.open(tmp_path / f"{threshold}.db")
        s = run_import(store, log, tz="Europe/Berlin")
        entries = store.conn.execute(
            'SELECT t.name, e.start, e."end", e.duration_s, e.tags, e.hash FROM time_entry e JOIN task t ON t.id = e.task_id ORDER BY e.id'
        ).fetchall()
        measured = store.conn.execute("SELECT * FROM measurement ORDER BY task_id").fetchall()
        results.append(((s.imported, s.rejected, s.skipped, s.errors, s.skips, s.tasks_created, s.note), entries, measured))
        assert bool(used) == (threshold == 1)
        store.close()
    assert results[0] == results[1]
    assert results[0][0][:3] == (300, 1, 2)


def test_a_reading_process_that_dies_leaves_nothing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from roi.importers import worker
    from roi.models import RoiError

    log = tmp_path / "toggl.csv"
    write_toggl(log, 50)
    monkeypatch.setattr(worker, "WORKER_MIN_ROWS", 1)
    monkeypatch.setattr(sys, "executable", "/bin/false")
    with pytest.raises(RoiError, match="stopped unexpectedly.*exited with code 1.*nothing was imported"):
        run_import(store, log, tz=TZ)
    assert store.count("time_entry") == 0 and store.count("import_batch") == 0 and store.count("task") == 0


def test_a_large_import_checks_its_own_ids_with_foreign_keys_off(
    store: Store, tmp_path: Path, small_bulk: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, 200)
    seen: list[int] = []
    real_source = writer.chunk_source

    def chunk_source(*a):  # type: ignore[no-untyped-def]
        seen.append(store.conn.execute("PRAGMA foreign_keys").fetchone()[0])
        for chunk in real_source(*a):
            if len(chunk):
                chunk.task_ids[-1] = 9999  # an id no task has: what a mapping bug would store
            yield chunk

    monkeypatch.setattr(writer, "chunk_source", chunk_source)
    with pytest.raises(RoiError, match=r"task ids that do not exist \(\[9999\]\)"):
        run_import(store, log, tz=TZ)
    assert seen == [0]  # the checks were off while storing ...
    assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # ... and are on again
    assert store.count("time_entry") == 0 and store.count("task") == 0 and store.count("import_batch") == 0


def test_an_import_inside_a_transaction_keeps_the_foreign_key_checks(
    store: Store, tmp_path: Path, small_bulk: None
) -> None:
    log = tmp_path / "toggl.csv"
    write_toggl(log, 50)
    with store.transaction() as conn:
        with bulk.unchecked_ids(conn, 50) as unchecked:
            assert not unchecked
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert run_import(store, log, tz=TZ).imported == 50
    assert store.count("time_entry") == 50
    assert bulk.missing_ids(store.conn, "task", [None, 1, 2, 77]) == [77]


def journal_mode(store: Store) -> str:
    return str(store.conn.execute("PRAGMA journal_mode").fetchone()[0])


def test_a_very_large_import_leaves_wal_only_when_alone(store: Store, db_path: Path) -> None:
    n = bulk.JOURNAL_MIN_ROWS
    with bulk.rollback_journal(store.conn, n - 1) as left:
        assert not left and journal_mode(store) == "wal"
    with bulk.rollback_journal(store.conn, n) as left:
        assert left and journal_mode(store) == "delete"
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert journal_mode(store) == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL again
    other = Store.open(db_path)  # another process, say the TUI, has it open: WAL stays
    try:
        with bulk.rollback_journal(store.conn, n) as left:
            assert not left and journal_mode(store) == "wal"
    finally:
        other.close()


def test_a_database_opened_during_such_an_import_opens_and_reads_what_was_committed(
    store: Store, db_path: Path
) -> None:
    import threading

    with bulk.rollback_journal(store.conn, bulk.JOURNAL_MIN_ROWS) as left:
        assert left
        store.conn.execute("BEGIN IMMEDIATE")  # the import's transaction, before it spills pages
        store.conn.execute("INSERT INTO task (name, category, tags, notes, created_at) VALUES ('x', 'other', '[]', '', '')")
        other = Store.open(db_path)  # cannot switch to WAL now ("database is locked"): opens anyway
        assert other.count("task") == 0
        store.conn.execute("COMMIT")
    try:
        assert other.count("task") == 1
        assert journal_mode(other) == "wal"
    finally:
        other.close()
    # once the import writes pages it holds the file exclusively: an open waits for its commit
    with bulk.rollback_journal(store.conn, bulk.JOURNAL_MIN_ROWS) as left:
        assert left
        store.conn.execute("BEGIN EXCLUSIVE")
        store.conn.execute("INSERT INTO task (name, category, tags, notes, created_at) VALUES ('y', 'other', '[]', '', '')")
        done = threading.Timer(0.3, lambda: store.conn.execute("COMMIT"))
        done.start()
        other = Store.open(db_path)
        done.join()
    try:
        assert other.count("task") == 2
    finally:
        other.close()


def test_a_chunk_and_other_messages_cross_between_processes_unchanged() -> None:
    import io

    from roi.importers.convert import Chunk
    from roi.importers.worker import send, unframe

    chunk = Chunk(
        task_ids=[3, -1], step_ids=[None, 7], starts=["2024-01-01T08:00:00Z"] * 2, ends=["2024-01-01T09:00:00Z"] * 2,
        durations=[3600.0, 0.5], descriptions=["[bold]x[/bold] \x1b[31m", "lone \udc80 surrogate"],
        tags=['["a"]', "[]"], hashes=["ab" * 12, "cd" * 12 + "~2"], keys=b"\x01" * 16,
        new_tasks=[(-1, "Inbox")], new_steps=[(7, 3, "Sort")], errors=[(4, "bad date", "x,y")],
        skips=[(5, "blank line")], read=5, skipped=1,
    )
    out = io.BytesIO()
    send(out, ("chunk", chunk))
    send(out, ("error", RoiError("it broke")))
    data = out.getvalue()
    first = int.from_bytes(data[:8], "little")
    assert unframe(data[8 : 8 + first]) == ("chunk", chunk)
    kind, exc = unframe(data[16 + first :])
    assert kind == "error" and isinstance(exc, RoiError) and str(exc) == "it broke"
    with pytest.raises(ValueError):
        unframe(b"X")


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
