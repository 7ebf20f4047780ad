"""Time entries a person can see and correct: time list / rm / edit / add, and a
stopwatch mis-press that is not stored."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

import pytest

from roi.db.store import Store
from roi.db.timelog import start_timer, stop_timer

NAME = "Weekly [b]x[/b] invoice"


def rank_step(roi) -> dict:
    r = roi("rank", "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["tasks"][0]["steps"][0]


def listed(roi, *args: str) -> list[dict]:
    r = roi("time", "list", *args, "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)["entries"]


@pytest.fixture
def logged(roi):
    """A task with one step, timed three times on paper (5, 6 and 40 minutes)."""
    roi("config", "set", "timezone", "UTC")
    roi("task", "add", NAME, "--per-week", "1")
    roi("step", "add", NAME, "fill", "--minutes", "5")
    for day, minutes in (("2026-11-02 09:00", "5"), ("2026-11-09 09:00", "6"), ("2026-11-16 09:00", "40")):
        r = roi("time", "add", NAME, "--step", "fill", "--minutes", minutes, "--at", day)
        assert r.exit_code == 0, r.output
    return roi


def test_time_list_json_has_exactly_the_promised_shape(logged):
    entries = listed(logged)
    assert [set(e) for e in entries] == [{"id", "task", "step", "start", "end", "minutes", "source"}] * 3
    first = entries[0]
    assert first == {"id": first["id"], "task": NAME, "step": "fill", "start": "2026-11-02T09:00:00Z",
                     "end": "2026-11-02T09:05:00Z", "minutes": 5.0, "source": "manual"}
    assert [e["minutes"] for e in entries] == [5.0, 6.0, 40.0]


def test_time_list_filters_by_task_and_since(logged):
    logged("task", "add", "Other", "--per-week", "1")
    logged("time", "add", "Other", "--minutes", "3", "--at", "2026-11-20")
    assert [e["task"] for e in listed(logged, "Other")] == ["Other"]
    assert listed(logged, "Other")[0]["start"] == "2026-11-20T12:00:00Z"  # a bare date is noon
    assert [e["minutes"] for e in listed(logged, "--since", "2026-11-09")] == [6.0, 40.0, 3.0]
    assert [e["minutes"] for e in listed(logged, NAME, "--since", "2026-11-10")] == [40.0]
    r = logged("time", "list", "--since", "last week")
    assert r.exit_code != 0 and "--since must be a date YYYY-MM-DD" in r.output


def test_time_list_table_shows_names_literally(logged):
    r = logged("time", "list")
    assert r.exit_code == 0
    flat = " ".join(r.stdout.split())
    assert "Weekly [b]x[/b] invoice / fill" in flat
    assert "3 entries, 0.85 h" in flat


def test_time_rm_removes_one_and_the_ranking_follows(logged):
    step = rank_step(logged)
    assert step["manual_source"] == "measured" and step["samples"] == 3 and step["manual_minutes"] == 6.0
    outlier = listed(logged)[-1]
    r = logged("time", "rm", str(outlier["id"]), "--yes")
    assert r.exit_code == 0, r.output
    assert "Removed 1 time entry" in r.stdout and "40 min" in r.stdout
    assert [e["minutes"] for e in listed(logged)] == [5.0, 6.0]
    step = rank_step(logged)
    assert step["manual_source"] == "estimated" and step["samples"] == 2  # below the minimum of 3 now


def test_time_rm_of_several_is_all_or_nothing(logged):
    ids = [e["id"] for e in listed(logged)]
    r = logged("time", "rm", str(ids[0]), "999", "--yes")
    assert r.exit_code == 1 and "no time entry 999" in r.output
    assert len(listed(logged)) == 3
    r = logged("time", "rm", str(ids[0]), str(ids[1]), "--yes")
    assert r.exit_code == 0 and "Removed 2 time entries" in r.stdout
    assert [e["id"] for e in listed(logged)] == [ids[2]]


def test_time_rm_asks_on_a_terminal_and_yes_skips_it(logged, monkeypatch):
    import importlib

    import roi.cli.timing as timing

    monkeypatch.setattr(timing, "at_terminal", lambda: True)
    monkeypatch.setattr(importlib.import_module("roi.cli.console"), "at_terminal", lambda: True)
    first = listed(logged)[0]["id"]
    r = logged("time", "rm", str(first), input="n\n")
    assert r.exit_code == 0 and "Remove 1 time entry?" in r.stdout and "Nothing removed." in r.stdout
    assert len(listed(logged)) == 3
    r = logged("time", "rm", str(first), input="y\n")
    assert r.exit_code == 0 and "Removed 1 time entry" in r.stdout
    second = listed(logged)[0]["id"]
    r = logged("time", "rm", str(second), "--yes")
    assert "Remove 1 time entry?" not in r.stdout and "Removed 1 time entry" in r.stdout


def test_time_edit_minutes_and_start_end_and_the_ranking_follows(logged):
    outlier = listed(logged)[-1]["id"]
    r = logged("time", "edit", str(outlier), "--minutes", "7")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    assert "Was: " in flat and "40 min" in flat and "Now: " in flat and "7 min" in flat
    assert rank_step(logged)["manual_minutes"] == 6.0  # the median of 5, 6, 7
    r = logged("time", "edit", str(outlier), "--start", "2026-11-16 08:00", "--end", "2026-11-16 08:09")
    assert r.exit_code == 0, r.output
    edited = listed(logged)[-1]
    assert (edited["start"], edited["end"], edited["minutes"]) == ("2026-11-16T08:00:00Z", "2026-11-16T08:09:00Z", 9.0)
    r = logged("time", "edit", str(outlier), "--end", "2026-11-15 08:00")
    assert r.exit_code == 1 and "cannot end" in r.output
    r = logged("time", "edit", str(outlier), "--minutes", "3", "--end", "2026-11-16 09:00")
    assert r.exit_code == 1 and "not both" in r.output
    assert logged("time", "edit", str(outlier)).exit_code == 1
    assert "no time entry 12345" in logged("time", "edit", "12345", "--minutes", "3").output


def test_time_add_without_at_ends_now_and_checks_its_minutes(roi):
    roi("task", "add", "Paper", "--per-week", "1")
    before = datetime.now(UTC)
    assert roi("time", "add", "Paper", "--minutes", "30").exit_code == 0
    (entry,) = listed(roi)
    end = datetime.fromisoformat(entry["end"].replace("Z", "+00:00"))
    assert before - timedelta(seconds=2) <= end <= datetime.now(UTC) + timedelta(seconds=2)
    assert entry["minutes"] == 30.0 and entry["source"] == "manual" and entry["step"] is None
    for bad in ("0", "-3", "abc"):
        r = roi("time", "add", "Paper", "--minutes", bad)
        assert r.exit_code != 0 and "--minutes" in r.output, bad
    assert roi("time", "add", "Paper", "--step", "nope", "--minutes", "3").exit_code != 0
    assert len(listed(roi)) == 1


def test_a_stopwatch_run_under_ten_seconds_is_dropped_unless_kept(roi, db_path):
    roi("task", "add", NAME, "--per-week", "1")
    store = Store.open(db_path)
    t0 = datetime(2026, 11, 2, 9, tzinfo=UTC)
    start_timer(store, NAME, now=t0)
    stopped = stop_timer(store, now=t0 + timedelta(seconds=4))
    assert not stopped.kept
    start_timer(store, NAME, now=t0)
    assert stop_timer(store, now=t0 + timedelta(seconds=10)).kept
    store.close()
    assert [e["minutes"] for e in listed(roi)] == [round(10 / 60, 4)]
    assert roi("time", "start", NAME).exit_code == 0
    r = roi("time", "stop")
    assert r.exit_code == 0
    flat = " ".join(r.stdout.split())
    # a second or two may pass between the two commands on a busy machine
    assert re.match(r"Not saved: 0:00:0\d on Weekly \[b\]x\[/b\] invoice is under 10 seconds", flat), flat
    assert "`roi time stop --keep`" in flat
    assert len(listed(roi)) == 1
    assert roi("time", "start", NAME).exit_code == 0
    r = roi("time", "stop", "--keep")
    # kept, however short; a busy machine may let a second or two pass here too
    assert r.exit_code == 0 and re.match(r"Saved 0:00:0\d on Weekly \[b\]x\[/b\] invoice\.", r.stdout), r.stdout
    assert len(listed(roi)) == 2


def test_hostile_names_in_time_output_are_literal(roi):
    name = "[b]x[/b] [/b]\x1b[31m"
    roi("task", "add", name, "--per-week", "1")
    roi("step", "add", name, "[/i]\x07", "--minutes", "3")
    outputs = [
        roi("time", "add", name, "--step", "[/i]\x07", "--minutes", "3", "--at", "2026-11-20"),
        roi("time", "list"),
        roi("time", "list", name),
    ]
    entry = listed(roi)[0]["id"]
    outputs.append(roi("time", "edit", str(entry), "--minutes", "4"))
    outputs.append(roi("time", "rm", str(entry), "--yes"))
    for r in outputs:
        assert r.exit_code == 0, r.output
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout
        flat = "".join(r.stdout.split())
        assert "[b]x[/b][/b]\\x1b[31m" in flat and "[/i]\\x07" in flat


def test_time_add_edit_and_start_take_units_and_step_numbers_as_shown(logged):
    logged("step", "add", NAME, "check", "--minutes", "2")
    r = logged("time", "add", NAME, "--step", "2", "--minutes", "1h30m", "--at", "2026-11-20 08:00")
    assert r.exit_code == 0, r.output
    added = listed(logged)[-1]
    assert (added["step"], added["minutes"]) == ("check", 90.0)
    r = logged("time", "edit", str(added["id"]), "--minutes", "90s")
    assert r.exit_code == 0, r.output
    assert listed(logged)[-1]["minutes"] == 1.5
    r = logged("time", "add", NAME, "--minutes", "5 minutes please")
    assert r.exit_code != 0 and "--minutes" in r.output and "1h30m" in r.output
    r = logged("time", "start", NAME, "--step", "2")
    assert r.exit_code == 0 and "/ check" in r.stdout
    r = logged("time", "cancel", "--yes")
    r = logged("time", "start", NAME, "--step", "3")
    assert r.exit_code != 0 and "give its number 1 to 2" in r.output
