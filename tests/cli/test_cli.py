"""The `roi` CLI through its real entry point: the DESIGN.md contract, errors, literal text."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.db.timelog import start_timer, stop_timer

RANK_KEYS = {"id", "name", "category", "rank", "weekly_hours_saved", "build_hours",
             "upkeep_hours_per_week", "payback_weeks", "break_even", "net_hours", "roi",
             "verdict", "flags"}


def rank_json(roi) -> dict:
    r = roi("rank", "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def by_name(data: dict, name: str) -> dict:
    return next(t for t in data["tasks"] if t["name"] == name)


def test_demo_ranking_json_contract(roi):
    assert roi("seed", "demo").exit_code == 0
    data = rank_json(roi)
    assert set(data) >= {"generated", "horizon_weeks", "tasks"}
    datetime.fromisoformat(data["generated"].replace("Z", "+00:00"))
    assert data["horizon_weeks"] == 52
    assert len(data["tasks"]) >= 8
    assert [t["rank"] for t in data["tasks"]] == list(range(1, len(data["tasks"]) + 1))
    for t in data["tasks"]:
        assert RANK_KEYS <= set(t)
        assert t["verdict"] in ("automate", "maybe", "skip")
    email, calendar = by_name(data, "Email triage"), by_name(data, "Calendar invites")
    assert [f["code"] for f in email["flags"]] == ["low-roi:email"]
    assert [f["code"] for f in calendar["flags"]] == ["low-roi:calendar"]
    assert all(f["reason"] for f in email["flags"] + calendar["flags"])
    assert email["verdict"] == calendar["verdict"] == "skip"
    assert any(t["verdict"] == "automate" for t in data["tasks"])
    # never-paying tasks come last
    paying = [t["payback_weeks"] is not None for t in data["tasks"]]
    assert paying == sorted(paying, reverse=True)


def test_seed_demo_is_idempotent(roi):
    roi("seed", "demo")
    first = rank_json(roi)
    r = roi("seed", "demo")
    assert "Added 0" in r.stdout
    assert len(rank_json(roi)["tasks"]) == len(first["tasks"])


def test_method_example_through_the_cli(roi):
    assert roi("task", "add", "Weekly digest", "--per-week", "5").exit_code == 0
    assert roi("step", "add", "Weekly digest", "compile", "--minutes", "30").exit_code == 0
    assert roi("plan", "Weekly digest", "--build-hours", "10").exit_code == 0
    t = rank_json(roi)["tasks"][0]
    assert t["weekly_hours_saved"] == pytest.approx(2.5)
    assert t["payback_weeks"] == pytest.approx(4)
    assert t["net_hours"] == pytest.approx(120)
    assert t["roi"] == pytest.approx(12)
    assert t["break_even"] == "2026-12-26"
    assert t["verdict"] == "automate"
    assert "5 times a week x 30 min saved = 2.5 h/week; 10 h to build -> pays back in 4 weeks." == t["explanation"]


def test_overhead_beyond_saving_is_negative_not_zero(roi):
    roi("task", "add", "Ping", "--per-week", "10")
    roi("step", "add", "Ping", "send", "--minutes", "1", "--automation", "100%", "--overhead", "1.5")
    roi("plan", "Ping", "--build-hours", "2")
    t = rank_json(roi)["tasks"][0]
    assert t["weekly_hours_saved"] < 0
    assert t["payback_weeks"] is None and t["break_even"] is None
    assert t["net_hours"] < -2
    assert t["verdict"] == "skip"
    assert "never pays back" in t["explanation"]


def snapshot(db: Path) -> list:
    store = Store.open(db)
    rows = [list(store.conn.execute(f"SELECT * FROM {t} ORDER BY 1"))
            for t in ("task", "step", "plan", "setting", "time_entry")]
    store.close()
    return rows


@pytest.mark.parametrize(
    "args,needle",
    [
        (("step", "add", "Email triage", "x", "--minutes", "-3"), "--minutes must not be negative (got '-3')"),
        (("step", "add", "Email triage", "x", "--minutes", "3", "--failure-rate", "1.5"), "--failure-rate must be between 0 and 1"),
        (("step", "add", "Email triage", "x", "--minutes", "3", "--automation", "120%"), "automation must be between 0 and 1"),
        (("plan", "Email triage", "--build-hours", "lots"), "--build-hours must be a number of hours or LOW:LIKELY:HIGH (got 'lots')"),
        (("plan", "No such task", "--build-hours", "3"), "task 'No such task' not found"),
        (("task", "add", "x", "--per-week", "-1"), "--per-week must not be negative"),
        (("config", "set", "horizon_weeks", "0"), "horizon_weeks must be greater than 0"),
        (("time", "start", "Nope"), "task 'Nope' not found"),
        (("rank", "--by", "vibes"), "vibes"),
        # digits int() refuses though str.isdigit() says yes: a "not found", not an internal error
        (("task", "show", "\u00b2"), "task '\u00b2' not found"),
        (("step", "rm", "Email triage", "\u00b9", "--yes"), "step '\u00b9' not found"),
        (("time", "rm", "\u00b3"), "(got '\u00b3')"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(roi, db_path, args, needle):
    roi("seed", "demo")
    before = snapshot(db_path)
    r = roi(*args)
    assert r.exit_code != 0
    assert "Traceback" not in r.output
    assert needle in r.stderr
    assert r.stderr.strip().splitlines()[0].startswith("Error: ")
    assert snapshot(db_path) == before


def test_names_are_printed_literally(roi):
    roi("task", "add", "[bold]x[/bold]", "--per-week", "3")
    roi("task", "add", "evil \x1b[31mred\x1b]0;title\x07 name", "--per-week", "3")
    r = roi("rank")
    assert "[bold]x[/bold]" in r.stdout
    assert "\x1b" not in r.stdout and "\x07" not in r.stdout
    assert "\\x1b[31mred" in r.stdout
    r = roi("task", "show", "[bold]x[/bold]")
    assert "[bold]x[/bold]" in r.stdout


def test_importing_the_cli_does_not_import_textual():
    code = "import sys, roi.cli; print('textual' in sys.modules, 'tui' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_rank_loads_neither_the_importers_nor_the_report_renderers_nor_pydantic(tmp_path):
    """Reading our own rows back for a ranking needs no validation: pydantic loads only
    where input comes in (roi.models); dates are the standard library's (pendulum is for
    reading people's time stamps). Nor does it load the estimating (roi.estimate), the
    stopwatch and entry queries (roi.db.timelog) or, with no agent sessions attached as
    runs, the agent-log code. The demo has tasks,
    steps, plans, flags and a setting of every kind that is read back."""
    from roi.demo import seed_demo

    db = tmp_path / "r.db"
    store = Store.open(db)
    seed_demo(store)
    for key, value in (("horizon_weeks", 26), ("hourly_value", 80), ("timezone", "Europe/Berlin"),
                       ("min_samples", 2), ("theme", "nord")):
        store.set_setting(key, value)
    store.close()
    code = (
        "import sys\nfrom roi.cli import main\ntry:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] if m.startswith('pydantic') else m for m in sys.modules"
        " if m.startswith(('roi.importers', 'roi.report', 'textual', 'pydantic', 'pendulum', 'roi.estimate',"
        " 'roi.agents', 'roi.agentlogs.parse', 'roi.agentlogs.prices', 'roi.db.timelog', 'roi.db.stopwatch'))}))"
    )
    out = subprocess.run([sys.executable, "-c", code, "--db", str(db), "rank"],
                         capture_output=True, text=True, check=True)
    assert "Ranked by payback over 26 weeks" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_help_lists_every_command_with_its_help(roi):
    import click

    from roi.cli import COMMANDS, cli

    text = roi("--help").stdout
    with click.Context(cli) as ctx:
        for name in COMMANDS:
            command = cli.get_command(ctx, name)
            assert command is not None and command.name == name
            help_start = command.get_short_help_str(limit=200)[:20]
            assert help_start and f"  {name} " in text and help_start in text, name


def test_config_roundtrip(roi):
    assert roi("config", "set", "overrun_factor", "1.5").exit_code == 0
    assert roi("config", "get", "overrun_factor").stdout.strip() == "1.5"
    assert roi("config", "set", "hourly_value", "80").exit_code == 0
    listing = roi("config", "list").stdout
    for key in ("horizon_weeks", "overrun_factor", "timezone", "hourly_value"):
        assert key in listing
    assert roi("config", "get", "nope").exit_code == 1


def test_stopwatch_measures_beat_estimates(roi, db_path):
    roi("task", "add", "Email triage", "--per-week", "150", "--category", "email")
    roi("step", "add", "Email triage", "read", "--minutes", "1")
    store = Store.open(db_path)
    start = datetime(2026, 11, 2, 9, tzinfo=UTC)
    for day in range(2):  # two timed occurrences of 3 minutes, a week apart
        t0 = start + timedelta(days=7 * day)
        start_timer(store, "Email triage", "read", now=t0)
        stop_timer(store, now=t0 + timedelta(minutes=3))
    store.close()
    step = rank_json(roi)["tasks"][0]["steps"][0]
    assert step["manual_source"] == "estimated"  # two samples are not enough
    assert roi("time", "start", "Email triage", "--step", "read").exit_code == 0
    status = json.loads(roi("time", "status", "--json").stdout)
    assert status["running"] and status["timer"]["step"] == "read"
    r = roi("time", "start", "Email triage")
    assert r.exit_code == 1 and "already running" in r.stderr
    assert roi("time", "stop", "--keep").exit_code == 0  # a run this short is kept only when asked
    step = rank_json(roi)["tasks"][0]["steps"][0]
    assert step["manual_source"] == "measured"
    assert step["samples"] == 3
    assert step["manual_minutes"] == pytest.approx(3.0)  # the median of the log
    assert step["estimated_minutes"] == 1.0  # the estimate is kept beside it
    assert roi("time", "stop").exit_code == 1


def test_dismissing_a_flag_changes_the_verdict(roi):
    roi("task", "add", "Newsletter digest", "--per-week", "5")
    roi("step", "add", "Newsletter digest", "summarise", "--minutes", "20", "--overhead", "2")
    roi("plan", "Newsletter digest", "--build-hours", "2")
    t = rank_json(roi)["tasks"][0]
    assert t["flags"][0]["code"] == "low-roi:email" and t["verdict"] == "skip"
    r = roi("flags", "dismiss", "Newsletter digest", "low-roi:email")
    assert r.exit_code == 0 and "automate" in r.stdout
    t = rank_json(roi)["tasks"][0]
    assert t["verdict"] == "automate"
    assert t["flags"] == [{"code": "low-roi:email", "reason": t["flags"][0]["reason"], "dismissed": True,
                           "scope": "task",
                           "matched": {"field": "name", "word": "newsletter", "text": "Newsletter digest"}}]
    assert roi("flags", "restore", "Newsletter digest", "low-roi:email").exit_code == 0
    assert rank_json(roi)["tasks"][0]["verdict"] == "skip"


def test_task_and_step_editing(roi):
    roi("task", "add", "Report", "--per-week", "1", "--tags", "a,b")
    roi("step", "add", "Report", "collect", "--minutes", "30")
    roi("step", "add", "Report", "write", "--minutes", "20")
    assert roi("step", "edit", "Report", "write", "--minutes", "25", "--automation", "50%").exit_code == 0
    assert roi("step", "move", "Report", "write", "--up").exit_code == 0
    shown = json.loads(roi("task", "show", "Report", "--json").stdout)
    assert [s["name"] for s in shown["steps"]] == ["write", "collect"]
    assert shown["steps"][0]["automation"] == 0.5
    assert roi("step", "rm", "Report", "collect", "--yes").exit_code == 0
    listed = json.loads(roi("task", "list", "--json").stdout)
    assert listed[0]["tags"] == ["a", "b"] and len(listed[0]["steps"]) == 1
    assert roi("task", "rm", "Report", "--yes").exit_code == 0
    assert json.loads(roi("task", "list", "--json").stdout) == []


def test_xkcd_prints_the_chart(roi):
    r = roi("xkcd")
    assert r.exit_code == 0
    assert "1 day" in r.stdout and "50/day" in r.stdout
    cells = json.loads(roi("xkcd", "--json").stdout)
    assert len(cells) == 54


def test_demo_command_uses_its_own_database(roi, tmp_path):
    r = roi("demo", "--no-open", db=None)
    assert r.exit_code == 0, r.output
    assert "Video trimming" in r.stdout
    assert "demo.db" in r.stderr


def test_env_var_selects_the_database(roi, tmp_path, monkeypatch):
    target = tmp_path / "env.db"
    monkeypatch.setenv("ROI_DB", str(target))
    assert roi("task", "add", "via env", db=None).exit_code == 0
    assert target.exists()


def test_rank_text_fits_80_columns(roi):
    roi("seed", "demo")
    r = roi("rank", "--explain")
    assert max(len(line) for line in r.stdout.splitlines()) <= 80


def test_help_lists_every_command_from_its_summary_and_loads_none() -> None:
    """`roi --help` says what each command's own help says, without importing it (or Rich)."""
    import subprocess
    import sys

    import click

    from roi.cli import COMMANDS, SUMMARIES, cli

    assert set(SUMMARIES) == set(COMMANDS)
    ctx = click.Context(cli)
    for name in COMMANDS:
        command = cli.get_command(ctx, name)
        assert command is not None
        for limit in (40, 80, 500):
            assert click.Command(name, help=SUMMARIES[name]).get_short_help_str(limit) == command.get_short_help_str(limit), name
    probe = ("import sys; from roi.cli import main\ntry: main(['--help'])\nexcept SystemExit: pass\n"
             "print(sorted(m for m in sys.modules if m.startswith(('roi.cli.', 'roi.importers', 'roi.report',"
             " 'pydantic', 'numpy', 'textual', 'pendulum', 'rich'))))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded = eval(out.strip().splitlines()[-1])  # noqa: S307 - our own list literal
    assert loaded == ["roi.cli.lazy", "roi.cli.state"], loaded  # nor Rich: click writes the help
    assert "calibrate" in out and "How your build estimates err" in out
