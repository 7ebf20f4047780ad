"""The Monte Carlo's figures are kept in the database under a hash of their inputs
(roi.db.montecarlo): read back for the same inputs, never stale after any change."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from roi import uncertainty
from roi.db.montecarlo import KEEP
from roi.db.store import Store
from roi.inventory import rank_store
from roi.models import Plan, Step, Task

TODAY = date(2026, 11, 28)


def ranged_store(path: Path, tasks: int = 3) -> Store:
    store = Store.open(path)
    for i in range(tasks):
        store.add_task(Task(
            name=f"Ranged {i}", per_week=3 + i,
            steps=[Step(name="draft", minutes=20, minutes_low=10, minutes_high=60 + 10 * i, automation=0.7)],
            plan=Plan(build_hours=6, build_low=3, build_high=30),
        ))
    return store


def figures(store: Store) -> dict[str, tuple[float, float | None, float | None, float]]:
    return {
        r.name: (r.uncertainty.payback_probability, r.uncertainty.payback_weeks_p50,
                 r.uncertainty.payback_weeks_p90, r.uncertainty.expected_net_hours)
        for r in rank_store(store, today=TODAY) if r.uncertainty is not None
    }


def kept_keys(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM monte_carlo_cache").fetchone()[0])
    finally:
        conn.close()


def test_the_same_inputs_read_the_figures_back_without_sampling(tmp_path: Path, monkeypatch) -> None:
    store = ranged_store(tmp_path / "roi.db")
    first = figures(store)
    assert len(first) == 3 and kept_keys(tmp_path / "roi.db") == 1

    def no_sampling(*args, **kwargs):  # noqa: ANN002, ANN003
        raise AssertionError("the kept figures should have been read")

    monkeypatch.setattr(uncertainty, "simulate", no_sampling)
    assert figures(store) == first


def test_a_step_changed_by_another_process_is_reflected_in_the_next_rank(tmp_path: Path) -> None:
    db = tmp_path / "roi.db"
    store = ranged_store(db)
    before = figures(store)
    code = (
        "import sys; from roi.db.store import Store\n"
        "s = Store.open(sys.argv[1]); t = s.get_task('Ranged 1')\n"
        "s.update_step(t.steps[0].id, minutes_high=600.0); s.close()"
    )
    subprocess.run([sys.executable, "-c", code, str(db)], check=True)
    after = figures(store)
    assert after["Ranged 1"] != before["Ranged 1"]
    assert after["Ranged 0"] == before["Ranged 0"]
    # and they are what a fresh draw gives, with nothing kept
    with sqlite3.connect(db) as conn:
        conn.execute("DELETE FROM monte_carlo_cache")
    assert figures(store) == after


def test_a_setting_that_enters_the_sampling_draws_anew(tmp_path: Path) -> None:
    store = ranged_store(tmp_path / "roi.db")
    first = figures(store)
    store.set_setting("seed", 7)
    reseeded = figures(store)
    assert reseeded != first and kept_keys(tmp_path / "roi.db") == 2
    store.set_setting("seed", 1205)
    assert figures(store) == first  # read back: the first key is still kept


def test_only_the_newest_keys_are_kept(tmp_path: Path) -> None:
    store = ranged_store(tmp_path / "roi.db", tasks=1)
    for seed in range(KEEP + 3):
        store.set_setting("seed", seed)
        figures(store)
    assert kept_keys(tmp_path / "roi.db") == KEEP


def test_a_busy_database_is_ranked_at_once_and_not_written(tmp_path: Path, monkeypatch) -> None:
    """Another roi holds the write lock (an import): ranking neither waits for it nor
    fails; the figures are drawn and simply not kept. (The wait budget is set past the
    suite's 300 s test timeout, so a ranking that waited would fail the test.)"""
    monkeypatch.setenv("ROI_BUSY_TIMEOUT", "600")
    db = tmp_path / "roi.db"
    store = ranged_store(db)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        got = figures(store)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert len(got) == 3 and kept_keys(db) == 0


def test_point_estimates_keep_nothing(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "roi.db")
    store.add_task(Task(name="Point", per_week=3, steps=[Step(name="s", minutes=20, automation=0.5)],
                        plan=Plan(build_hours=2)))
    assert figures(store)
    assert kept_keys(tmp_path / "roi.db") == 0


@pytest.mark.parametrize("field", ["hourly_value", "monte_carlo_samples", "seed", "overrun_factor"])
def test_the_key_covers_what_the_sampling_reads(tmp_path: Path, field: str) -> None:
    from roi.ranking import settle_task

    store = ranged_store(tmp_path / "roi.db", tasks=2)
    settings = store.settings()
    spreads = [settle_task(t, settings, today=TODAY).spread() for t in store.list_tasks()]
    key = uncertainty.simulation_key(spreads, settings)
    assert key is not None and uncertainty.simulation_key(list(spreads), settings) == key
    changed = settings.model_copy(update={field: 3})
    assert uncertainty.simulation_key(spreads, changed) != key
    assert uncertainty.simulation_key(spreads[:1], settings) != key


def test_a_rank_that_reads_its_figures_back_does_not_load_numpy(tmp_path: Path) -> None:
    db = tmp_path / "roi.db"
    ranged_store(db).close()
    probe = (
        "import sys\nfrom roi.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('numpy' in sys.modules)"
    )
    runs = [subprocess.run([sys.executable, "-c", probe, "--db", str(db), "rank"],
                           capture_output=True, text=True, check=True).stdout for _ in range(2)]
    assert runs[0].splitlines()[-1] == "True"  # drawn, and kept
    assert runs[1].splitlines()[-1] == "False"  # read back
    assert runs[0].splitlines()[:-1] == runs[1].splitlines()[:-1]
