"""`roi import` of agent session logs, `roi agents`, and what the ranking and calibration
make of sessions attached as a task's build or runs. In-process (CliRunner)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.agents.logs import claude_assistant, claude_session, codex_lines, write


def imported(roi, *args: str) -> dict:
    r = roi("import", *args, "--json")
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def project(tmp_path: Path, name: str = "-home-me-bot") -> Path:
    return tmp_path / "claude" / "projects" / name


def test_a_tree_of_both_formats_imports_and_again_adds_nothing(roi, tmp_path: Path, db_path: Path):
    claude_session(project(tmp_path), "s1", [0, 1, 2])
    claude_session(project(tmp_path, "-home-me-web"), "s2", [0, 4], cwd="/home/me/web")
    write(tmp_path / "claude" / "projects" / "-home-me-web" / "notes.jsonl", [{"not": "a session"}])
    codex = tmp_path / "codex" / "sessions" / "2026" / "11" / "02" / "rollout-2026-11-02T09-00-00-c1.jsonl"
    write(codex, codex_lines("c1", [0, 3], totals=[(100, 0, 10), (300, 100, 20)]))
    first = imported(roi, tmp_path)
    assert (first["format"], first["files"], first["sessions_added"], first["not_session_logs"]) == \
        ("claude-code+codex", 3, 3, 1)
    assert first["active_hours"] == pytest.approx((2 + 4 + 3) / 60, abs=1e-4)
    again = imported(roi, tmp_path)
    assert (again["sessions_added"], again["sessions_updated"], again["unchanged"]) == (0, 0, 3)
    assert (first["imported"], first["duplicates"], again["imported"], again["duplicates"]) == (3, 0, 0, 3)
    assert first["rows_read"] == 3 + 2 + 6 and again["rows_read"] == 0  # the other .jsonl is not read
    by_model = {r["key"]: r for r in json.loads(roi("agents", "--by", "model", "--json").stdout)["rows"]}
    # Codex: 300 input of which 100 cached, 20 output; gpt-5-codex is priced as gpt-5
    assert by_model["gpt-5-codex"]["tokens"] == {"input": 200, "output": 20, "cache_write": 0, "cache_read": 100}
    assert by_model["gpt-5-codex"]["cost"] == pytest.approx((200 * 1.25 + 100 * 0.125 + 20 * 10) / 1e6, abs=1e-8)
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM agent_session").fetchone() == (3,)
        dump = "\n".join(db.iterdump())
    assert "secret" not in dump and "rm -rf" not in dump  # nothing of prompts or replies


def test_a_session_file_that_grew_is_updated_not_duplicated(roi, tmp_path: Path):
    path = claude_session(project(tmp_path), "live", [0, 1], tokens=(100, 10, 0, 0))
    imported(roi, path)
    before = json.loads(roi("agents", "--json").stdout)
    write(path, [claude_assistant("live", 3, msg="m9", request="r9", input=50, output=5)], append=True)
    r = imported(roi, path)
    assert (r["sessions_added"], r["sessions_updated"]) == (0, 1)
    after = json.loads(roi("agents", "--json").stdout)
    assert before["sessions"] == after["sessions"] == 1
    assert after["tokens"]["input"] == 150 and after["tokens"]["output"] == 15
    assert after["active_hours"] == pytest.approx(3 / 60, abs=1e-4)


def test_a_malformed_line_exits_1_with_file_and_line_and_keeps_the_rest(roi, tmp_path: Path):
    path = claude_session(project(tmp_path), "s1", [0, 1, 2], tokens=(10, 1, 0, 0))
    write(path, ["{broken", claude_assistant("s1", 3, msg="m9", request="r9", input=5, output=1)], append=True)
    r = roi("import", path, "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["rejected"] == 1 and data["errors"][0]["line"] == 4 and data["errors"][0]["file"] == str(path)
    assert json.loads(roi("agents", "--json").stdout)["tokens"]["input"] == 25
    text = roi("import", path)  # unchanged now: read again only when it grows
    assert text.exit_code == 0 and "1 unchanged" in " ".join(text.stdout.split())


def test_agents_json_shape_by_every_grouping_and_since(roi, tmp_path: Path):
    claude_session(project(tmp_path), "s1", [0, 1, 2], tokens=(1_000_000, 100_000, 0, 0))
    claude_session(project(tmp_path), "s2", [0, 1], model="mystery-9", tokens=(500, 5, 0, 0))
    imported(roi, tmp_path)
    data = json.loads(roi("agents", "--json").stdout)
    assert {"sessions", "active_hours", "tokens", "cost", "unpriced_models", "rows"} <= set(data)
    assert set(data["tokens"]) == {"input", "output", "cache_write", "cache_read"}
    assert data["sessions"] == 2 and data["unpriced_models"] == ["mystery-9"]
    # sonnet 4.5 by hand: 2 replies of 1M input ($3) and 0.1M output ($1.50); mystery-9 not free, not in it
    assert data["cost"] == pytest.approx(2 * (3.0 + 1.5))
    (row,) = data["rows"]
    assert row["key"] == "/home/me/bot" and row["sessions"] == 2
    by_model = {r["key"]: r for r in json.loads(roi("agents", "--by", "model", "--json").stdout)["rows"]}
    assert by_model["mystery-9"]["cost"] is None and by_model["mystery-9"]["unpriced_models"] == ["mystery-9"]
    weeks = json.loads(roi("agents", "--by", "week", "--json").stdout)["rows"]
    assert [w["key"] for w in weeks] == ["2026-W45"]
    assert json.loads(roi("agents", "--since", "2026-11-03", "--json").stdout)["sessions"] == 0
    text = " ".join(roi("agents").stdout.split())
    assert "No price for model mystery-9" in text
    bad = roi("agents", "--since", "soon")
    assert bad.exit_code != 0 and "--since must be a date" in bad.output


def test_hostile_working_directory_is_shown_literally(roi, tmp_path: Path):
    claude_session(project(tmp_path), "s1", [0, 1], cwd="/x/[bold red]boom[/]")
    imported(roi, tmp_path)
    assert "[bold red]boom[/]" in roi("agents").stdout


def _three_builds(roi, tmp_path: Path) -> None:
    # build sessions with an event every 2 minutes: 150, 90 and 300 active minutes
    for i, (name, estimate, minutes) in enumerate([("Invoices", "2", 150), ("Reports", "1", 90),
                                                   ("Backups", "4", 300)]):
        roi("task", "add", name, "--per-week", "3")
        roi("step", "add", name, "do it", "--minutes", "20", "--automation", "90%")
        assert roi("plan", name, "--build-hours", estimate).exit_code == 0
        folder = project(tmp_path, f"-p{i}")
        claude_session(folder, f"build-{i}", [float(t) for t in range(0, minutes + 1, 2)])
        r = roi("import", folder, "--build", name, "--json")
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["attached"][0]["role"] == "build"


def test_calibration_uses_the_measured_builds_and_says_so(roi, tmp_path: Path):
    _three_builds(roi, tmp_path)
    data = json.loads(roi("calibrate", "--json").stdout)
    assert data["build_count"] == 3 and data["in_use"] is True and data["measured_builds"] == 3
    assert all(b["actual_source"] == "measured (1 agent session)" for b in data["builds"])
    # the actual hours are the sessions' active hours
    actual = {b["name"]: b["actual_hours"] for b in data["builds"]}
    agents = {r["task"]: r["active_hours"] for r in json.loads(roi("agents", "--by", "task", "--json").stdout)["rows"]}
    assert actual == pytest.approx(agents, abs=1e-3)
    assert actual == pytest.approx({"Invoices": 2.5, "Reports": 1.5, "Backups": 5.0}, abs=1e-3)
    assert data["used_overrun_factor"] == pytest.approx(1.25)  # the median of 1.25, 1.5, 1.25
    text = " ".join(roi("calibrate").stdout.split())
    assert "3 of the 3 builds are measured (agent sessions imported with --build)" in text
    assert "now uses it" in text
    rank = json.loads(roi("rank", "--json").stdout)
    assert rank["overrun_source"].startswith("calibrated")
    shown = " ".join(roi("task", "show", "Reports").stdout.split())
    assert "actually built in 1.5 h, measured (1 agent session)" in shown


def test_runs_make_the_overhead_and_running_cost_measured(roi, tmp_path: Path):
    roi("task", "add", "Triage", "--per-week", "5")
    roi("step", "add", "Triage", "read", "--minutes", "30", "--automation", "80%", "--overhead", "1")
    roi("step", "add", "Triage", "sort", "--minutes", "10", "--automation", "20%")
    roi("plan", "Triage", "--build-hours", "2")
    folder = project(tmp_path, "-triage")
    # three runs: 4, 6 and 9 active minutes; each reply 1M input and 0.1M output of haiku 4.5
    for sid, times in (("r1", [0, 2, 4]), ("r2", [0, 3, 6]), ("r3", [0, 4, 8, 9])):
        claude_session(folder, sid, times, model="claude-haiku-4-5-20251001", tokens=(1_000_000, 100_000, 0, 0))
    r = roi("import", folder, "--runs", "Triage", "--json")
    assert r.exit_code == 0, r.output
    (task,) = json.loads(roi("rank", "--json").stdout)["tasks"]
    assert task["overhead"] == {"minutes_per_occurrence": pytest.approx(6.0), "source": "measured",
                                "agent_sessions": 3}
    assert {s["overhead_source"] for s in task["steps"]} == {"measured"}
    # spread by the automated share: 0.8 x 30 = 24 and 0.2 x 10 = 2 of 26
    assert [s["overhead_minutes"] for s in task["steps"]] == pytest.approx([6 * 24 / 26, 6 * 2 / 26], abs=1e-3)
    assert task["saved_minutes_per_occurrence"] == pytest.approx(24 + 2 - 6, abs=1e-3)
    # haiku 4.5 by hand: $1 input and $5 output per million; replies per run: 2, 2, 3
    per_run = [2 * (1.0 + 0.5), 2 * (1.0 + 0.5), 3 * (1.0 + 0.5)]
    cost = task["running_cost"]
    assert cost["source"] == "measured" and cost["currency"] == "USD" and cost["agent_sessions"] == 3
    assert cost["per_occurrence"] == pytest.approx(sum(per_run) / 3)
    assert cost["per_week"] == pytest.approx(5 * sum(per_run) / 3)
    # money is not turned into hours: the weekly saving is the minutes' alone
    assert task["weekly_hours_saved"] == pytest.approx(5 * (26 - 6) / 60, abs=1e-3)
    words = " ".join(task["explanation"].split())
    assert "Overhead measured from 3 agent sessions attached as its runs: 6 min of your time a run" in words
    assert "running cost $3.50 a run, $17.50 a week at list prices (money, not counted in the hours)" in words


def test_too_few_runs_keep_the_estimate_but_show_the_cost(roi, tmp_path: Path):
    roi("task", "add", "Mail", "--per-week", "5", "-c", "writing")
    roi("step", "add", "Mail", "reply", "--minutes", "3", "--overhead", "1")
    folder = project(tmp_path, "-mail")
    claude_session(folder, "only", [0, 2], model="mystery-9")
    assert roi("import", folder, "--runs", "Mail").exit_code == 0
    (task,) = json.loads(roi("rank", "--json").stdout)["tasks"]
    assert task["overhead"]["source"] == "given" and task["overhead"]["agent_sessions"] == 1
    assert task["running_cost"]["per_occurrence"] is None
    assert task["running_cost"]["unpriced_models"] == ["mystery-9"]
    assert "too few yet to replace the overhead estimate" in task["explanation"]
    assert "no price for model mystery-9" in task["explanation"]


def test_working_directory_rules_attach_sessions(roi, tmp_path: Path, db_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch):
    own = tmp_path / "agents.toml"
    own.write_text('[[attach]]\ncwd = "/home/me/bot*"\ntask = "Bot"\nrole = "build"\n'
                   '[[attach]]\ncwd = "/elsewhere"\ntask = "Nobody"\n')
    monkeypatch.setenv("ROI_AGENTS", str(own))
    roi("task", "add", "Bot")
    claude_session(project(tmp_path), "s1", [0, 2, 4])
    claude_session(project(tmp_path, "-elsewhere"), "s2", [0, 1], cwd="/elsewhere")
    data = imported(roi, tmp_path)
    assert data["attached"] == [{"task": "Bot", "role": "build", "sessions": 1, "active_hours": pytest.approx(4 / 60, abs=1e-3)}]
    assert data["warnings"] == ["no task named 'Nobody' (an [[attach]] rule of your agents file names it)"]
    with sqlite3.connect(db_path) as db:
        (actual,) = db.execute("SELECT actual_build_hours FROM plan").fetchone()
    assert actual == pytest.approx(4 / 60)


def test_build_and_runs_need_a_task_and_agent_logs(roi, tmp_path: Path):
    path = claude_session(project(tmp_path), "s1", [0, 1])
    r = roi("import", path, "--build", "Nope")
    assert r.exit_code != 0 and "task 'Nope' not found" in r.output
    roi("task", "add", "T")
    r = roi("import", path, "--build", "T", "--runs", "T")
    assert r.exit_code != 0 and "not both" in r.output
    csv = tmp_path / "log.csv"
    csv.write_text("date,duration,description\n2026-11-02,1h,T\n")
    r = roi("import", csv, "--build", "T")
    assert r.exit_code != 0 and "take coding-agent session logs" in r.output
    other = write(tmp_path / "events.jsonl", [{"event": "x"}])
    r = roi("import", other, "--format", "codex")
    assert r.exit_code == 2 and "holds no Claude Code or Codex session log" in r.output


def test_the_idle_gap_setting_rereads_the_sessions(roi, tmp_path: Path):
    claude_session(project(tmp_path), "s1", [0, 1, 9])  # a gap of 8 min
    assert imported(roi, tmp_path)["active_hours"] == pytest.approx(1 / 60, abs=1e-4)
    assert roi("config", "set", "agent_idle_gap", "10").exit_code == 0
    again = imported(roi, tmp_path)
    assert again["sessions_updated"] == 1 and again["active_hours"] == pytest.approx(9 / 60, abs=1e-4)


def test_progress_is_reported_over_the_bytes_of_the_tree(store, tmp_path: Path):
    from roi.agentlogs.load import import_agent_logs

    for i in range(3):
        claude_session(project(tmp_path), f"s{i}", [0, 1, 2])
    total = sum(p.stat().st_size for p in tmp_path.rglob("*.jsonl"))
    seen: list[tuple[int, int | None]] = []
    result = import_agent_logs(store, tmp_path, progress=lambda done, whole: seen.append((done, whole)))
    assert result.added == 3
    assert seen[-1] == (total, total) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    seen.clear()
    again = import_agent_logs(store, tmp_path, progress=lambda done, whole: seen.append((done, whole)))
    assert again.unchanged == 3 and seen[-1] == (total, total)


def test_a_dry_run_writes_nothing(roi, tmp_path: Path, db_path: Path):
    claude_session(project(tmp_path), "s1", [0, 1])
    data = imported(roi, tmp_path, "--dry-run")
    assert data["dry_run"] is True and data["sessions_added"] == 1
    with sqlite3.connect(db_path) as db:
        assert db.execute("SELECT count(*) FROM agent_session").fetchone() == (0,)


def test_a_failure_mid_import_leaves_the_database_as_it_was(store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from roi.agentlogs import load
    from roi.models import Task

    store.add_task(Task(name="Bot"))
    claude_session(project(tmp_path), "s1", [0, 1])

    def boom(*_args: object, **_kwargs: object) -> set[int]:
        raise KeyboardInterrupt

    monkeypatch.setattr(load.db, "attach", boom)
    with pytest.raises(KeyboardInterrupt):
        load.import_agent_logs(store, tmp_path, build="Bot")
    assert store.count("agent_session") == 0 and store.count("agent_usage") == 0


def test_a_sub_agent_adds_tokens_not_your_time(roi, tmp_path: Path):
    folder = project(tmp_path)
    claude_session(folder, "main", [0, 1, 2], tokens=(10, 1, 0, 0))
    sub = [claude_assistant("main", m, msg=f"s{m}", request=f"r{m}", input=100, output=10) | {"isSidechain": True}
           for m in (0.5, 1.5, 2.5)]
    write(folder / "main" / "subagents" / "agent-a1.jsonl", sub)
    data = imported(roi, tmp_path)
    assert data["sessions_added"] == 2
    totals = json.loads(roi("agents", "--json").stdout)
    assert totals["sessions"] == 2 and totals["tokens"]["input"] == 2 * 10 + 3 * 100
    assert totals["active_hours"] == pytest.approx(2 / 60, abs=1e-4)  # the main session's 2 minutes only
