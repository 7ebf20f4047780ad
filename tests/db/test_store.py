"""Storage: the one opening function, named migrations, transactions, concurrent writers."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from roi.db.migrations import MIGRATIONS
from roi.db.store import Store, apply_migrations, open_database
from roi.models import RoiError, Step, Task


def test_fresh_database_gets_every_named_migration(db_path: Path):
    db = open_database(db_path)
    names = [r[0] for r in db.execute("SELECT name FROM _migrations ORDER BY name")]
    assert names == [name for name, _ in MIGRATIONS]
    assert apply_migrations(db) == []  # a second run applies nothing
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"task", "step", "plan", "time_entry", "import_batch", "import_error",
            "flag_dismissal", "setting", "measurement"} <= tables
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_each_migration_upgrades_the_previous_schema(db_path: Path):
    # A database created by the first migration only (an older roi) upgrades cleanly.
    import sqlite3


    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    first_name, first = MIGRATIONS[0]
    first(conn)
    conn.execute("INSERT INTO _migrations VALUES (?, 'then')", [first_name])
    conn.execute("INSERT INTO task (name, created_at) VALUES ('old task', 'then')")
    conn.execute(
        "INSERT INTO time_entry (id, task_id, start, \"end\", duration_s, source, hash)"
        " VALUES (7, 1, '2024-01-01T08:00:00Z', '2024-01-01T09:00:00Z', 3600, 'toggl', 'abc')"
    )
    conn.close()
    store = Store.open(db_path)
    task = store.get_task("old task")
    assert task.learning_value is False and task.per_week_low is None
    # 0005: nobody can tell which import made an older task, so it names none
    assert store.conn.execute("SELECT import_batch_id FROM task").fetchall() == [(None,)]
    # 0004 rebuilt time_entry: the entry keeps its id and hash, and the hash stays unique
    assert store.conn.execute("SELECT id, hash, duration_s FROM time_entry").fetchall() == [(7, "abc", 3600.0)]
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute(
            "INSERT INTO time_entry (task_id, start, source, hash) VALUES (1, '2024-01-02T08:00:00Z', 'toggl', 'abc')"
        )
    assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    store.close()


def test_not_sqlite_is_a_clear_error(tmp_path: Path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("hello, this is not a database\n")
    with pytest.raises(RoiError, match="not an roi database"):
        open_database(bogus)


def test_transaction_rolls_back_everything(store: Store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.add_task(Task(name="a"))
            store.add_task(Task(name="b"))
            raise RuntimeError("crash mid-write")
    assert store.count("task") == 0


def test_failed_add_changes_nothing(store: Store):
    store.add_task(Task(name="Email", steps=[Step(name="read", minutes=1)]))
    with pytest.raises(RoiError, match="already exists"):
        store.add_task(Task(name="email", steps=[Step(name="x", minutes=1)]))
    assert store.count("task") == 1 and store.count("step") == 1


def test_deleting_a_task_cascades(store: Store):
    tid = store.add_task(Task(name="a", steps=[Step(name="s", minutes=1)]))
    store.set_plan(tid, build_hours=2)
    store.remove_task(tid)
    assert store.count("step") == 0 and store.count("plan") == 0


def test_step_order_and_moves(store: Store):
    tid = store.add_task(Task(name="t"))
    ids = [store.add_step(tid, Step(name=n, minutes=1)) for n in "abc"]
    store.move_step(ids[2], -2)
    assert [s.name for s in store.get_task(tid).steps] == ["c", "a", "b"]
    store.remove_step(ids[0])
    assert [s.position for s in store.get_task(tid).steps] == [0, 1]


def test_settings_validate_and_persist(store: Store):
    store.set_setting("horizon_weeks", "26")
    assert store.settings().horizon_weeks == 26
    with pytest.raises(RoiError, match="horizon_weeks"):
        store.set_setting("horizon_weeks", "0")
    with pytest.raises(RoiError, match="unknown setting"):
        store.set_setting("colour", "blue")
    with pytest.raises(RoiError, match="time zone"):
        store.set_setting("timezone", "Mars/Olympus")
    store.set_setting("timezone", "Europe/Berlin")
    store.set_setting("timezone", "")
    assert store.settings().timezone is None
    assert store.settings().horizon_weeks == 26


WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timedelta, UTC
    from roi.db.store import Store
    from roi.models import Task
    from roi.db.timelog import add_entry

    path, who, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    store = Store.open(path)
    tid = store.task_id("shared")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(n):
        if who == "importer":
            # a long multi-row transaction, as an import holds
            with store.transaction() as conn:
                for j in range(50):
                    conn.execute(
                        "INSERT INTO time_entry (task_id, start, \\"end\\", duration_s, source, hash)"
                        " VALUES (?, ?, ?, 60, 'test', ?)",
                        [tid, start.isoformat(), start.isoformat(), f"{who}-{i}-{j}"],
                    )
        else:
            add_entry(store, tid, start + timedelta(minutes=i), start + timedelta(minutes=i + 1),
                      source="stopwatch")
    print("ok")
    """
)


def test_two_processes_writing_at_once_never_see_locked(db_path: Path, tmp_path: Path):
    store = Store.open(db_path)
    store.add_task(Task(name="shared"))
    store.close()
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    procs = [
        subprocess.Popen([sys.executable, str(script), str(db_path), who, "40"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for who in ("importer", "stopwatch")
    ]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    store = Store.open(db_path)
    assert store.count("time_entry") == 40 * 50 + 40
    store.close()


def test_import_provenance_finds_the_tasks_of_earlier_imports(db_path: Path):
    # A database at 0004: one import created "Inbox"; "Mine" was added by hand at the
    # same moment, and "Other" names another file.
    import sqlite3


    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("CREATE TABLE _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS[:4]:
        step(conn)
        conn.execute("INSERT INTO _migrations VALUES (?, 'then')", [name])
    when = "2026-01-02T03:04:05Z"
    conn.execute("INSERT INTO import_batch (id, file_name, file_hash, format, started_at)"
                 " VALUES (4, '/home/ann/logs/toggl.csv', 'h', 'toggl', ?)", [when])
    conn.executemany("INSERT INTO task (name, notes, created_at) VALUES (?, ?, ?)", [
        ("Inbox", "created by importing toggl.csv", when),
        ("Mine", "", when),
        ("Other", "created by importing other.csv", when),
    ])
    conn.close()
    store = Store.open(db_path)
    rows = store.conn.execute("SELECT name, import_batch_id FROM task ORDER BY id").fetchall()
    assert rows == [("Inbox", 4), ("Mine", None), ("Other", None)]
    store.close()


def test_settings_read_back_as_written_and_a_hand_edited_value_falls_back(store: Store):
    """Settings are read back without validation when each stored value has its field's
    type (set_setting validated it); a value of another type, as a hand-edited database
    may hold, sends the set through validation, and a set that fails gives the defaults."""
    store.set_setting("horizon_weeks", "26")
    store.set_setting("hourly_value", "80")
    store.set_setting("timezone", "Europe/Berlin")
    s = store.settings()
    assert (s.horizon_weeks, s.hourly_value, s.timezone) == (26.0, 80.0, "Europe/Berlin")
    assert isinstance(s.horizon_weeks, float)
    with store.transaction() as conn:
        conn.execute("UPDATE setting SET value = ? WHERE key = 'horizon_weeks'", ['"39"'])
    assert store.settings().horizon_weeks == 39.0  # text of a number: validated, still read
    with store.transaction() as conn:
        conn.execute("UPDATE setting SET value = ? WHERE key = 'horizon_weeks'", ['"a year"'])
    assert store.settings().horizon_weeks == 52.0  # the defaults, not a crash
    assert store.settings().timezone is None


def test_models_validate_what_comes_in_and_are_built_as_read():
    """Calling a model validates (pydantic, with the field's own words); model_construct
    takes trusted values; model_dump and model_copy keep their pydantic meaning."""
    from pydantic import ValidationError

    from roi.models import Plan, describe_error

    with pytest.raises(ValidationError) as err:
        Step(name="s", minutes=-3)
    assert describe_error(err.value) == "minutes must not be negative (got -3)."
    with pytest.raises(ValidationError) as err:
        Step(name="s", minutes=5, minutes_low=9)
    assert "minutes range must be ordered LOW <= LIKELY <= HIGH (got 9:5:5)" in describe_error(err.value)
    with pytest.raises(ValidationError):
        Task(name="x", colour="red")  # type: ignore[call-arg]
    step = Step(name="  s  ", minutes="5", automation="80%")  # type: ignore[arg-type]
    assert (step.name, step.minutes, step.automation) == ("s", 5.0, 0.8)
    task = Task(name="t", tags="a, b", category=" Admin ", steps=[step], plan=Plan(build_hours=2))
    assert (task.tags, task.category) == (["a", "b"], "admin")
    dumped = task.model_dump(mode="json")
    assert dumped["steps"][0]["automation"] == 0.8 and dumped["plan"]["build_hours"] == 2.0
    assert Task(**task.model_dump()) == task
    raw = Task.model_construct(name="", per_week=-1.0)  # read back as stored, no checks
    assert (raw.name, raw.per_week, raw.steps) == ("", -1.0, [])
    moved = step.model_copy(update={"position": 3})
    assert (moved.position, step.position) == (3, 0)
