"""`roi estimate`: a task with measured time but no steps estimated in one step, from the
options or a category template, marked as from the template until the person changes it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_spent import write_toggl


@pytest.fixture
def imported(roi, tmp_path: Path) -> None:
    r = roi("import", str(write_toggl(tmp_path)))
    assert r.exit_code == 0, r.output


def flat(text: str) -> str:
    """Output as one line (the console wraps at 80 columns)."""
    return " ".join(text.split())


def rank(roi) -> dict[str, dict]:
    r = roi("rank", "--json")
    assert r.exit_code == 0, r.output
    return {t["name"]: t for t in json.loads(r.stdout)["tasks"]}


def top_task(roi) -> str:
    r = roi("spent", "--json")
    return json.loads(r.stdout)["rows"][0]["name"]


def test_the_top_task_gets_a_real_verdict(roi, imported) -> None:
    top = top_task(roi)
    assert rank(roi)[top]["verdict"] == "needs-estimate"
    r = roi("estimate", top, "--automation", "60%", "--overhead", "2m", "--build-hours", "4", "--failure-rate", "10%")
    assert r.exit_code == 0, r.output
    assert "the measured median of 8 entries" in flat(r.stdout)
    task = rank(roi)[top]
    assert task["verdict"] in ("automate", "maybe", "skip") and task["missing"] == []
    (step,) = task["steps"]
    assert step["name"] == top and step["estimated_minutes"] == pytest.approx(42.5)  # median of 8
    assert step["automation"] == 0.6 and step["overhead_minutes"] == 2 and step["failure_rate"] == 0.1
    assert task["build_hours"] == 4
    assert task["from_template"] == {} and task["template_note"] is None
    assert task["per_week_source"] == "measured"
    # the spent list follows
    rows = {row["name"]: row["state"] for row in json.loads(roi("spent", "--json").stdout)["rows"]}
    assert rows[top] == task["verdict"]


def test_a_template_fills_what_is_not_given_and_is_marked_until_changed(roi, imported) -> None:
    r = roi("estimate", "Weekly report", "--like", "writing", "--automation", "70%")
    assert r.exit_code == 0, r.output
    assert "overhead, failure rate and build hours from the writing template" in flat(r.stdout)
    task = rank(roi)["Weekly report"]
    assert task["verdict"] != "needs-estimate"
    assert task["from_template"] == {"overhead_minutes": "writing", "failure_rate": "writing",
                                     "build_hours": "writing"}
    assert task["steps"][0]["automation"] == 0.7  # explicit beats the template
    assert task["steps"][0]["overhead_minutes"] == pytest.approx(0.15 * 42.5)
    assert task["build_hours"] == 3
    show = roi("task", "show", "Weekly report")
    assert "from the writing template (until you change them)" in flat(show.stdout)
    assert json.loads(roi("task", "show", "Weekly report", "--json").stdout)["from_template"]["build_hours"] == "writing"
    assert "Weekly report: overhead, failure rate and build hours from the writing template" in flat(roi("rank").stdout)
    # the person changes the build estimate and the failure rate: those are theirs now
    assert roi("plan", "Weekly report", "--build-hours", "5").exit_code == 0
    assert roi("step", "edit", "Weekly report", "1", "--failure-rate", "20%").exit_code == 0
    task = rank(roi)["Weekly report"]
    assert task["from_template"] == {"overhead_minutes": "writing"}
    assert task["template_note"] == "overhead from the writing template"


def test_minutes_for_a_task_without_measured_time(roi) -> None:
    roi("task", "add", "Expenses", "--per-week", "2")
    r = roi("estimate", "Expenses", "--like", "admin")
    assert r.exit_code == 1
    assert r.stderr.strip() == ("Error: task 'Expenses' has no measured time: give --minutes M (its time by hand "
                                "per occurrence), or log it first (`roi time start`, `roi import`)")
    r = roi("estimate", "Expenses", "--like", "admin", "--minutes", "1h30m")
    assert r.exit_code == 0, r.output
    task = rank(roi)["Expenses"]
    assert task["steps"][0]["estimated_minutes"] == 90 and task["verdict"] != "needs-estimate"
    assert task["steps"][0]["overhead_minutes"] == pytest.approx(13.5)  # 15% of 90 min


def test_minutes_stated_beside_a_measurement_are_pinned(roi, imported) -> None:
    r = roi("estimate", "Code review", "--minutes", "30", "-a", "50%", "-o", "1m", "-b", "2")
    assert r.exit_code == 0, r.output
    step = rank(roi)["Code review"]["steps"][0]
    assert step["manual_source"] == "pinned" and step["manual_minutes"] == 30


@pytest.mark.parametrize(("args", "words"), [
    (("Weekly report",), "needs --automation, --overhead and --build-hours (or --like TEMPLATE, e.g. --like other"),
    (("Weekly report", "--like", "poetry"), "--like: no template 'poetry' (known: admin, calendar, coding, data,"),
    (("Weekly report", "--automation", "60"), "--automation must be between 0 and 1 (or 0% to 100%): did you mean 60%?"),
    (("Weekly report", "--like", "data", "--overhead", "two"), "--overhead must be a number of minutes (got 'two')"),
    (("Weekly report", "--like", "data", "--build-hours", "8:4:2"), "--build-hours: a range must be ordered"),
    (("Nope", "--like", "data"), "task 'Nope' not found"),
    ((), "give the TASK to estimate"),
])
def test_mistakes_are_one_line(roi, imported, args: tuple[str, ...], words: str) -> None:
    r = roi("estimate", *args)
    assert r.exit_code == 1, r.output
    assert words in r.stderr and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.output


def test_a_task_with_steps_of_its_own_is_refused(roi, imported) -> None:
    roi("step", "add", "Invoices", "fill in", "--minutes", "5")
    r = roi("estimate", "Invoices", "--like", "admin")
    assert r.exit_code == 1
    assert "already has 1 step(s): an estimate in one step is for a task without steps" in r.stderr


def test_estimating_again_redoes_the_one_step(roi, imported) -> None:
    assert roi("estimate", "Invoices", "--like", "admin").exit_code == 0
    r = roi("estimate", "Invoices", "--automation", "80%")
    assert r.exit_code == 0 and r.stdout.startswith("Re-estimated Invoices")
    task = rank(roi)["Invoices"]
    assert len(task["steps"]) == 1 and task["steps"][0]["automation"] == 0.8
    assert "automation" not in task["from_template"] and task["from_template"]["build_hours"] == "admin"


def test_own_templates_add_and_replace(roi, imported, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "templates.toml"  # beside the flags file ($ROI_FLAGS is in tmp_path)
    own.write_text('[template.reports]\nautomation = "80%"\noverhead = "3m"\nbuild_hours = "2h"\n'
                   '[template.writing]\nautomation = 0.5\noverhead_share = "10%"\nbuild_hours = "1:2:3"\n',
                   encoding="utf-8")
    listing = roi("estimate", "--templates")
    assert "reports" in listing.stdout and "templates.toml" in listing.stdout.replace("\n", "").replace(" ", "")
    assert roi("estimate", "Weekly report", "--like", "Reports").exit_code == 0
    task = rank(roi)["Weekly report"]
    assert task["steps"][0]["overhead_minutes"] == 3 and task["from_template"]["automation"] == "reports"
    assert roi("estimate", "Code review", "--like", "writing").exit_code == 0
    assert rank(roi)["Code review"]["steps"][0]["automation"] == 0.5
    other = tmp_path / "elsewhere.toml"
    other.write_text('[template.x]\nautomation = "80%"\nbuild_hours = "2h"\nbogus = 1\n', encoding="utf-8")
    monkeypatch.setenv("ROI_TEMPLATES", str(other))
    r = roi("estimate", "Invoices", "--like", "x")
    assert r.exit_code == 2 and "elsewhere.toml" in r.stderr and "unknown field(s) bogus" in r.stderr
    other.write_bytes(b"[template.x\n")
    r = roi("estimate", "--templates")
    assert r.exit_code == 2 and "not valid TOML" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_hostile_names_are_shown_literally(roi) -> None:
    name = "[red]x[/red] \x1b]8;;evil\x07 \u202eabc"
    roi("task", "add", name)
    r = roi("estimate", "1", "--like", "data", "--minutes", "10")
    assert r.exit_code == 0, r.output
    assert "[red]x[/red]" in r.stdout and "\\x1b]8;;evil\\x07" in r.stdout and "\\u202eabc" in r.stdout
    assert "\x1b" not in r.stdout and "\u202e" not in r.stdout
