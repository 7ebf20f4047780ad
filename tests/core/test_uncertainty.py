"""Three-point estimates, the Monte Carlo, calibration from actuals, the roadmap, money."""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.inventory import rank_store
from roi.models import Plan, Range, Settings, Step, Task
from roi.ranking import rank_tasks
from roi.uncertainty import Overrun, triangular_mean, triangular_ppf

TODAY = date(2026, 11, 28)


def one_task(build: Range, minutes: Range | None = None, per_week: float = 5) -> Task:
    minutes = minutes or Range.single(30)
    return Task.model_construct(
        id=1, name="t", category="other", tags=[], notes="", per_week=per_week, per_week_low=None,
        per_week_high=None, per_week_pinned=False, status="idea", learning_value=False, learning_note="",
        steps=[Step(id=1, name="s", minutes=minutes.likely, minutes_low=minutes.low, minutes_high=minutes.high)],
        plan=Plan(build_hours=build.likely, build_low=build.low, build_high=build.high),
    )


def ranked_with(task: Task, cfg: Settings | None = None, **kw):
    cfg = cfg or Settings()
    return rank_tasks([task], cfg, today=TODAY, rules=(), simulate=True, **kw)[0]


def test_triangular_is_named_and_has_its_known_mean():
    r = Range(low=2, likely=5, high=20)
    u = (np.arange(200_000) + 0.5) / 200_000  # quadrature over the unit interval
    values = triangular_ppf(u, np.array(r.low), np.array(r.likely), np.array(r.high))
    assert values.mean() == pytest.approx(triangular_mean(r), rel=1e-4)
    assert triangular_mean(r) == pytest.approx(9.0)
    assert values.min() >= 2 and values.max() <= 20


def test_the_fast_sampler_is_the_inverse_cdf_bit_for_bit():
    from roi.uncertainty import draw

    ranges = [Range(low=1, likely=2, high=9), Range(low=0, likely=0, high=4), Range(low=3, likely=7, high=7)]
    streams = [np.random.default_rng([11, i]) for i in range(3)]
    fast = draw(streams, ranges, 5000)
    u = np.stack([np.random.default_rng([11, i]).random(5000) for i in range(3)])
    lo, mode, hi = (np.array([[getattr(r, f)] for r in ranges]) for f in ("low", "likely", "high"))
    assert np.array_equal(fast, triangular_ppf(u, lo, mode, hi))
    assert np.array_equal(draw([np.random.default_rng(1)], [Range.single(5)], 3), [[5.0, 5.0, 5.0]])


def test_a_tasks_figures_do_not_depend_on_the_other_tasks():
    cfg = Settings(monte_carlo_samples=3000)
    a = one_task(Range(low=4, likely=8, high=30))
    b = one_task(Range(low=1, likely=2, high=50)).model_copy(update={"id": 2})
    alone = rank_tasks([a], cfg, today=TODAY, rules=(), simulate=True)
    together = rank_tasks([b, a], cfg, today=TODAY, rules=(), simulate=True)
    assert next(r for r in together if r.id == 1).uncertainty == alone[0].uncertainty


def test_degenerate_range_gives_the_deterministic_answer_exactly():
    r = ranked_with(one_task(Range(low=10, likely=10, high=10)))
    u = r.uncertainty
    assert u.payback_weeks_p50 == r.outcome.payback_weeks == 4.0
    assert u.payback_weeks_p90 == 4.0
    assert u.expected_net_hours == r.outcome.net_hours == 120.0
    assert u.payback_probability == 1.0
    point = triangular_ppf(np.array([0.0, 0.3, 0.999]), np.array(7.0), np.array(7.0), np.array(7.0))
    assert list(point) == [7.0, 7.0, 7.0]


def test_sampling_is_repeatable_with_a_seed():
    task = one_task(Range(low=4, likely=8, high=30), Range(low=20, likely=30, high=45))
    a, b = ranked_with(task).uncertainty, ranked_with(task).uncertainty
    assert a == b
    c = ranked_with(task, seed=7).uncertainty
    assert c.expected_net_hours != a.expected_net_hours


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(0.5, 20), likely_extra=st.floats(0, 40), high_extra=st.floats(0, 200),
    widen=st.floats(0, 500), per_week=st.floats(0.05, 3),
)
def test_widening_the_high_tail_never_raises_the_payback_probability(low, likely_extra, high_extra, widen, per_week):
    likely = low + likely_extra
    high = likely + high_extra
    cfg = Settings(monte_carlo_samples=2000)
    narrow = ranked_with(one_task(Range(low=low, likely=likely, high=high), per_week=per_week), cfg)
    wide = ranked_with(one_task(Range(low=low, likely=likely, high=high + widen), per_week=per_week), cfg)
    assert wide.uncertainty.payback_probability <= narrow.uncertainty.payback_probability


def test_probability_moves_the_verdict():
    # Likely 10 h pays back in 4 weeks, but the tail makes it a coin toss within the horizon.
    cfg = Settings(horizon_weeks=52)
    r = ranked_with(one_task(Range(low=5, likely=10, high=500)), cfg)
    assert r.outcome.payback_weeks == 4.0
    assert r.uncertainty.payback_probability < cfg.automate_probability
    assert r.verdict == "maybe"
    assert "chance of paying back" in r.verdict_reason


def test_calibrated_overrun_is_drawn_from_history():
    task = one_task(Range.single(10))
    r = ranked_with(task, overrun=Overrun(2.0, (2.0, 2.0, 2.0), source="calibrated (3 builds)"))
    assert r.uncertainty.overrun_source.startswith("calibrated")
    assert r.uncertainty.payback_weeks_p50 == pytest.approx(8.0)


def record_builds(roi, ratio: float = 2.0) -> None:
    for name, estimate in (("Alpha", 2), ("Beta", 5), ("Gamma", 10)):
        roi("task", "add", name, "--per-week", "5")
        roi("step", "add", name, "work", "--minutes", "30")
        roi("plan", name, "--build-hours", str(estimate))
        assert roi("plan", name, "--actual-build-hours", str(estimate * ratio)).exit_code == 0


def test_three_builds_at_twice_their_estimate_calibrate_to_two(roi):
    r = roi("calibrate", "--json")
    assert json.loads(r.stdout)["build_count"] == 0
    record_builds(roi)
    roi("task", "add", "Next", "--per-week", "5")
    roi("step", "add", "Next", "work", "--minutes", "30")
    roi("plan", "Next", "--build-hours", "10")
    data = json.loads(roi("calibrate", "--json").stdout)
    assert data["overrun_factor"] == 2.0 and data["build_count"] == 3 and data["in_use"]
    ranking = json.loads(roi("rank", "--json").stdout)
    assert ranking["overrun_factor"] == 2.0
    assert ranking["overrun_source"].startswith("calibrated")
    nxt = next(t for t in ranking["tasks"] if t["name"] == "Next")
    assert nxt["build_cost_hours"] == 20.0 and nxt["payback_weeks"] == 8.0
    assert nxt["payback_weeks_p50"] == 8.0
    text = roi("rank").stdout
    assert "overrun factor 2 (calibrated from your builds)" in text
    assert "Your overrun factor: x2 over 3 builds" in roi("calibrate").stdout


def test_build_timed_with_the_stopwatch_is_recorded(store):
    from datetime import UTC, datetime

    from roi.db.timelog import start_timer, stop_timer

    tid = store.add_task(Task(name="Tool", per_week=1, plan=Plan(build_hours=2)))
    t0 = datetime(2026, 11, 20, 9, tzinfo=UTC)
    start_timer(store, tid, kind="build", now=t0)
    stop_timer(store, now=t0 + timedelta(hours=3))
    assert store.get_task(tid).plan.actual_build_hours == pytest.approx(3.0)
    from roi.calibration import recorded_builds

    assert [(b.task_id, b.estimated_hours, b.actual_hours) for b in recorded_builds(store)] == [(tid, 2.0, 3.0)]


def test_time_after_going_live_measures_realised_savings(roi, store):
    from datetime import UTC, datetime

    from roi import calibration
    from roi.db.timelog import add_entry

    tid = store.add_task(Task(name="Digest", per_week=5, steps=[Step(name="s", minutes=30)], plan=Plan(build_hours=3)))
    live = datetime(2026, 11, 10, tzinfo=UTC)
    for day in range(4):
        add_entry(store, tid, live - timedelta(days=day + 1), live - timedelta(days=day + 1) + timedelta(minutes=40))
    store.set_plan(tid, actual_build_hours=4, built_on=live.date())
    for day in range(3):
        add_entry(store, tid, live + timedelta(days=day), live + timedelta(days=day, minutes=10))
    realised = calibration.realised_savings(store)
    assert [(r.minutes_before, r.minutes_after, r.saved_minutes) for r in realised] == [(40.0, 10.0, 30.0)]
    ranked = rank_store(store, today=TODAY)
    assert ranked[0].measured_minutes == pytest.approx(40.0)  # the manual measurement ignores later time


def test_roadmap_dates_add_up(roi):
    roi("seed", "demo")
    data = json.loads(roi("roadmap", "--budget", "4h/week", "--json").stdout)
    ranking = {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}
    items = data["items"]
    assert items and data["budget_hours_per_week"] == 4
    assert all(ranking[i["name"]]["verdict"] in ("automate", "maybe") for i in items)
    assert [i["rank"] for i in items] == sorted(i["rank"] for i in items)
    start = date.fromisoformat(data["start"])
    cursor = 0.0
    for i in items:
        assert i["duration_weeks"] == pytest.approx(i["build_hours"] / 4, abs=1e-3)
        assert i["start_week"] == pytest.approx(cursor, abs=1e-3)  # no gap, no overlap
        cursor = i["finish_week"]
        assert i["finish_week"] == pytest.approx(i["start_week"] + i["duration_weeks"], abs=1e-3)
        assert date.fromisoformat(i["start"]) == start + timedelta(days=round(i["start_week"] * 7))
        assert date.fromisoformat(i["finish"]) == start + timedelta(days=round(i["finish_week"] * 7))
        assert i["break_even_week"] == pytest.approx(i["finish_week"] + ranking[i["name"]]["payback_weeks"], abs=1e-3)
        assert date.fromisoformat(i["break_even"]) == start + timedelta(days=round(i["break_even_week"] * 7))
    for a, b in zip(items, items[1:], strict=False):
        assert a["finish"] == b["start"]
    assert roi("roadmap", "--budget", "lots").exit_code == 1


def test_learning_value_keeps_a_task_out_of_skip_only_when_asked(roi):
    roi("seed", "demo")
    meta = next(t for t in json.loads(roi("rank", "--json").stdout)["tasks"] if t["name"] == "Meta-review")
    assert meta["verdict"] == "skip"
    roi("task", "edit", "Meta-review", "--learning", "--learning-note", "teaches prompt design")
    meta = next(t for t in json.loads(roi("rank", "--json").stdout)["tasks"] if t["name"] == "Meta-review")
    assert meta["verdict"] == "maybe" and meta["learning_value"] is True
    assert meta["net_hours"] < 0  # shown, never counted as hours


def test_running_cost_counts_through_the_hourly_value(roi):
    roi("task", "add", "Agent summary", "--per-week", "10")
    roi("step", "add", "Agent summary", "summarise", "--minutes", "6", "--running-cost", "2")
    roi("plan", "Agent summary", "--build-hours", "1")
    before = json.loads(roi("rank", "--json").stdout)["tasks"][0]
    assert before["weekly_hours_saved"] == pytest.approx(1.0)
    roi("config", "set", "hourly_value", "10")  # 10 x 2 money a week = 2 h of your time
    after = json.loads(roi("rank", "--json").stdout)["tasks"][0]
    assert after["weekly_hours_saved"] == pytest.approx(-1.0)
    assert after["payback_weeks"] is None


def test_three_point_estimates_from_the_cli(roi):
    roi("task", "add", "Ranged", "--per-week", "3:5:8")
    roi("step", "add", "Ranged", "s", "--minutes", "20:30:60", "--overhead", "1:2:5")
    assert roi("plan", "Ranged", "--build-hours", "4:8:30").exit_code == 0
    assert roi("plan", "Ranged", "--build-hours", "9:8:30").exit_code == 1
    t = json.loads(roi("rank", "--by", "confidence", "--json").stdout)["tasks"][0]
    assert 0 < t["payback_probability"] <= 1
    assert t["payback_weeks_p50"] <= t["payback_weeks_p90"]
    assert t["expected_net_hours"] != t["net_hours"]


def test_report_carries_the_roadmap_section(roi):
    roi("seed", "demo")
    roadmap = json.loads(roi("roadmap", "--budget", "4h/week", "--json").stdout)
    report = json.loads(roi("report", "-f", "json", "--budget", "4h/week").stdout)
    assert report["roadmap"]["items"] == roadmap["items"]
    text = roi("report", "-f", "text").stdout
    assert "Roadmap" in text and "Building " in text
    assert roi("config", "set", "build_budget_hours_per_week", "2").exit_code == 0
    slower = json.loads(roi("roadmap", "--json").stdout)
    assert slower["budget_hours_per_week"] == 2
    assert slower["items"][-1]["finish_week"] == pytest.approx(2 * roadmap["items"][-1]["finish_week"])


def test_money_figures_appear_only_with_an_hourly_value(roi):
    roi("seed", "demo")
    assert "an hour: worth" not in roi("rank", "--explain").stdout
    assert "money" not in json.loads(roi("rank", "--json").stdout)["tasks"][0]
    roi("config", "set", "hourly_value", "60")
    text = roi("rank", "--explain").stdout
    assert "At $60 an hour: worth $" in text
    first = json.loads(roi("rank", "--json").stdout)["tasks"][0]
    assert first["money"]["net_value"] == pytest.approx(first["net_hours"] * 60, abs=0.01)


def test_marking_a_task_automated_starts_measuring_the_automated_task(roi, db_path):
    from datetime import UTC, datetime

    from roi.db.store import Store
    from roi.db.timelog import add_entry

    roi("task", "add", "Digest", "--per-week", "5")
    roi("step", "add", "Digest", "s", "--minutes", "30")
    store = Store.open(db_path)
    tid = store.task_id("Digest")
    for day in range(3):
        add_entry(store, tid, datetime(2026, 11, 2 + day, 9, tzinfo=UTC), datetime(2026, 11, 2 + day, 9, 40, tzinfo=UTC))
    assert roi("task", "edit", "Digest", "--status", "automated").exit_code == 0
    assert store.get_task(tid).plan.built_on == TODAY
    add_entry(store, tid, datetime(2026, 11, 28, 10, tzinfo=UTC), datetime(2026, 11, 28, 10, 5, tzinfo=UTC))
    store.close()
    data = json.loads(roi("calibrate", "--json").stdout)
    assert data["savings"][0]["minutes_before"] == 40.0 and data["savings"][0]["minutes_after"] == 5.0
