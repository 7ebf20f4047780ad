"""Quantities with units through the CLI: every option reads `5m`, `2d`, `30m/week`,
`5/day` and `80%` with the one parser (roi.quantities), and says which unit it wants."""

from __future__ import annotations

import json

import pytest

from roi.payback import WEEKS_PER_YEAR


def stored(roi, name: str = "T") -> dict:
    tasks = json.loads(roi("task", "list", "--json").stdout)
    return next(t for t in tasks if t["name"] == name)


def ok(r):
    assert r.exit_code == 0, r.output
    return r


@pytest.fixture
def task(roi):
    ok(roi("task", "add", "T", "--per-week", "1"))
    return "T"


@pytest.mark.parametrize("given,minutes", [("5m", 5), ("90s", 1.5), ("1h30m", 90), ("5", 5), ("0.5h", 30)])
def test_step_minutes_take_units(roi, task, given, minutes):
    ok(roi("step", "add", task, "s", "--minutes", given, "--overhead", "30s"))
    step = stored(roi)["steps"][0]
    assert step["minutes"] == pytest.approx(minutes)
    assert step["overhead"] == pytest.approx(0.5)


def test_step_ranges_take_units_on_every_part(roi, task):
    ok(roi("step", "add", task, "s", "--minutes", "30s:1m:5m"))
    step = stored(roi)["steps"][0]
    assert (step["minutes_low"], step["minutes"], step["minutes_high"]) == (0.5, 1, 5)
    r = roi("step", "edit", task, "s", "--minutes", "1:2:3h")
    assert r.exit_code == 1 and "give every part of LOW:LIKELY:HIGH a unit, or none of them" in r.stderr


@pytest.mark.parametrize("given,hours", [("3h", 3), ("2d", 16), ("90m", 1.5), ("3", 3), ("1w", 40)])
def test_build_hours_take_units_and_a_day_is_eight_hours(roi, task, given, hours):
    ok(roi("plan", task, "--build-hours", given))
    assert stored(roi)["plan"]["build_hours"] == pytest.approx(hours)


def test_build_range_and_upkeep_and_actual_hours_take_units(roi, task):
    ok(roi("plan", task, "--build-hours", "2h:3h:1d", "--upkeep", "30m/week"))
    plan = stored(roi)["plan"]
    assert (plan["build_low"], plan["build_hours"], plan["build_high"]) == (2, 3, 8)
    assert plan["upkeep_hours_per_week"] == pytest.approx(0.5)
    ok(roi("plan", task, "--upkeep", "2h/month", "--actual-build-hours", "1d"))
    plan = stored(roi)["plan"]
    assert plan["upkeep_hours_per_week"] == pytest.approx(2 * 12 / WEEKS_PER_YEAR)
    assert plan["actual_build_hours"] == pytest.approx(8)


@pytest.mark.parametrize("given,per_week", [("5/day", 35), ("5/workday", 25), ("10/week", 10),
                                            ("2/month", 2 * 12 / WEEKS_PER_YEAR), ("3", 3)])
def test_frequency_takes_units(roi, given, per_week):
    ok(roi("task", "add", "T", "--per-week", given))
    assert stored(roi)["per_week"] == pytest.approx(per_week)
    ok(roi("task", "edit", "T", "--per-week", "1/day:2/day:3/day"))
    t = stored(roi)
    assert (t["per_week_low"], t["per_week"], t["per_week_high"]) == (7, 14, 21)


def test_percentages_and_the_bare_eighty(roi, task):
    ok(roi("step", "add", task, "s", "--minutes", "5", "--automation", "80%", "--failure-rate", "0.1"))
    step = stored(roi)["steps"][0]
    assert step["automation"] == pytest.approx(0.8) and step["failure_rate"] == pytest.approx(0.1)
    r = roi("step", "add", task, "s2", "--minutes", "5", "--automation", "80")
    assert r.exit_code == 1
    assert r.stderr.strip() == ("Error: --automation must be between 0 and 1 (or 0% to 100%): did you mean 80%? "
                                "(got '80')")
    assert len(stored(roi)["steps"]) == 1


@pytest.mark.parametrize("args,needle", [
    (("step", "add", "T", "s", "--minutes", "5 apples"), "--minutes must be a number of minutes or LOW:LIKELY:HIGH (got '5 apples')"),
    (("step", "add", "T", "s", "--minutes", "5", "--overhead", "soon"), "--overhead must be a number of minutes"),
    (("plan", "T", "--build-hours", "a week or so"), "--build-hours must be a number of hours"),
    (("plan", "T", "--upkeep", "30m/fortnight"), "--upkeep must be hours a week (got '30m/fortnight'); for example 0.5, 30m/week"),
    (("task", "edit", "T", "--per-week", "often"), "--per-week must be a number of times a week or LOW:LIKELY:HIGH (got 'often')"),
])
def test_errors_name_the_unit_the_option_wants(roi, task, args, needle):
    r = roi(*args)
    assert r.exit_code == 1
    assert needle in r.stderr
    assert "hours" not in r.stderr or "hours" in needle


def test_minutes_5m_is_no_longer_refused_as_not_hours(roi, task):
    r = roi("step", "add", task, "s", "--minutes", "5m")
    assert r.exit_code == 0 and "must be a number of hours" not in r.output


def test_help_says_what_a_day_and_a_month_are(roi):
    plan_help = roi("plan", "--help").stdout
    assert "a working day of 8 h" in " ".join(plan_help.split())
    task_help = " ".join(roi("task", "add", "--help").stdout.split())
    assert "5/day (7 days a week)" in task_help and "5/workday (5 a week)" in task_help
    assert "2/month (12 a year)" in task_help


# --- roi config set ------------------------------------------------------------------------


@pytest.mark.parametrize("key,given,shown", [
    ("automate_within", "25%", "0.25"), ("automate_probability", "90%", "0.9"), ("maybe_within", "150%", "1.5"),
    ("horizon_weeks", "26w", "26.0"), ("overrun_factor", "1.5x", "1.5"), ("currency", "€", "€"),
    ("theme", "nord", "nord"), ("build_budget_hours_per_week", "1h/day", "7.0"),
])
def test_config_set_takes_units(roi, key, given, shown):
    ok(roi("config", "set", key, given))
    assert roi("config", "get", key).stdout.strip() == shown


@pytest.mark.parametrize("key,given,needle", [
    ("horizon_weeks", "-3", "horizon_weeks must be greater than 0 weeks (got '-3')"),
    ("automate_within", "25", "did you mean 25%?"),
    ("theme", "neon-pink", "theme must be one of the app's themes"),
    ("currency", "doubloons", "currency must be a known currency"),
    ("min_samples", "2.5", "min_samples must be a whole number (got '2.5')"),
    ("overrun_factor", "-2", "overrun_factor must be"),
])
def test_config_set_validates_every_key(roi, key, given, needle):
    before = roi("config", "list", "--json").stdout
    r = roi("config", "set", key, given)
    assert r.exit_code == 1, r.output
    assert needle in r.stderr and "No such option" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert roi("config", "list", "--json").stdout == before
