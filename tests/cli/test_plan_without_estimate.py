"""A plan made without a build estimate (only upkeep, or by timing a build) does not
make the build cost 0: the task needs an estimate until one is given."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from roi.db.migrations import MIGRATIONS
from roi.db.store import Store


def verdict(roi, name: str) -> dict:
    r = roi("rank", "--json")
    assert r.exit_code == 0, r.output
    return next(t for t in json.loads(r.stdout)["tasks"] if t["name"] == name)


def test_upkeep_alone_leaves_the_build_estimate_missing(roi) -> None:
    roi("task", "add", "Invoices", "--per-week", "5")
    roi("step", "add", "Invoices", "fill", "--minutes", "10", "--automation", "90%")
    assert roi("plan", "Invoices", "--upkeep", "0.1").exit_code == 0
    t = verdict(roi, "Invoices")
    assert (t["verdict"], t["missing"]) == ("needs-estimate", ["build_hours"])
    assert roi("plan", "Invoices", "--build-hours", "0").exit_code == 0  # a real zero, given
    t = verdict(roi, "Invoices")
    assert t["verdict"] == "automate" and t["missing"] == [] and t["upkeep_hours_per_week"] == 0.1


def test_a_timed_build_records_the_actual_but_no_estimate(roi, db_path: Path) -> None:
    roi("task", "add", "Reports", "--per-week", "1")
    roi("step", "add", "Reports", "collect", "--minutes", "30")
    assert roi("time", "add", "Reports", "--minutes", "90", "--build").exit_code == 0
    store = Store.open(db_path)
    plan = store.get_task("Reports").plan
    store.close()
    assert plan is not None and plan.actual_build_hours == 1.5 and not plan.build_given
    assert verdict(roi, "Reports")["missing"] == ["build_hours"]


def test_plans_made_before_the_migration_count_as_given(db_path: Path) -> None:
    store = Store.open(db_path)
    store.conn.execute("INSERT INTO task (name, created_at) VALUES ('Old', '2026-01-01T00:00:00Z')")
    store.conn.execute("INSERT INTO plan (task_id, build_hours) VALUES (1, 2)")
    store.close()
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT build_given FROM plan").fetchone() == (1,)
    names = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
    assert "0006_plan_build_given" in names and names == sorted(name for name, _ in MIGRATIONS)


def test_task_show_and_plan_say_the_build_is_not_estimated(roi) -> None:
    roi("task", "add", "Invoices", "--per-week", "5")
    roi("step", "add", "Invoices", "fill", "--minutes", "10")
    r = roi("plan", "Invoices", "--upkeep", "0.1")
    assert "build not estimated yet" in r.stdout and "build 0 h" not in r.stdout
    r = roi("task", "show", "Invoices")
    assert "plan: build not estimated yet, upkeep 0.1 h/week" in r.stdout
