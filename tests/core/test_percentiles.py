"""P50 and P90 of the Monte Carlo are the percentiles of its own draws (numpy.percentile),
and the analytic median of a triangular build comes out."""

from __future__ import annotations

import json
import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.models import Plan, Settings, Step, Task
from roi.ranking import rank_tasks

TODAY = date(2026, 11, 28)


def ranged_task(build: tuple[float, float, float], minutes: tuple[float, float, float],
                per_week: float, automation: float) -> Task:
    return Task(
        id=1, name="t", per_week=per_week,
        steps=[Step(id=1, name="s", minutes=minutes[1], minutes_low=minutes[0], minutes_high=minutes[2],
                    automation=automation)],
        plan=Plan(build_hours=build[1], build_low=build[0], build_high=build[2]),
    )


def the_draws(task: Task, cfg: Settings, n: int) -> np.ndarray:
    """The paybacks the Monte Carlo samples for `task`, drawn again in its documented order
    (the step's minutes, then the build) from the task's own stream."""
    rng = np.random.default_rng([cfg.seed, task.id])
    step, plan = task.steps[0], task.plan
    assert plan is not None
    minutes = rng.triangular(step.minutes_low, step.minutes, step.minutes_high, size=n)
    build = rng.triangular(plan.build_low, plan.build_hours, plan.build_high, size=n)
    gain = step.automation * minutes * (task.per_week or 0) / 60.0
    with np.errstate(divide="ignore"):
        weeks = cfg.overrun_factor * build / gain
    weeks[gain <= 0] = np.inf
    return weeks


def triple(low: float, a: float, b: float) -> tuple[float, float, float]:
    return (low, low + a, low + a + b)


@settings(max_examples=30, deadline=None)
@given(
    build=st.tuples(st.floats(0.5, 50), st.floats(0.1, 40), st.floats(0.1, 200)),
    minutes=st.tuples(st.floats(1, 60), st.floats(0.1, 30), st.floats(0.1, 120)),
    per_week=st.floats(0.2, 20), automation=st.floats(0.1, 1.0),
    n=st.sampled_from([1000, 1001, 2000, 2501]), k=st.floats(1.0, 2.5),
)
def test_p50_and_p90_are_numpy_percentiles_of_the_same_draws(build, minutes, per_week, automation, n, k):
    cfg = Settings(monte_carlo_samples=n, overrun_factor=k)
    task = ranged_task(triple(*build), triple(*minutes), per_week, automation)
    u = rank_tasks([task], cfg, today=TODAY, rules=(), simulate=True)[0].uncertainty
    assert u is not None
    weeks = the_draws(task, cfg, n)
    assert u.payback_weeks_p50 == pytest.approx(float(np.percentile(weeks, 50)), rel=1e-9)
    assert u.payback_weeks_p90 == pytest.approx(float(np.percentile(weeks, 90)), rel=1e-9)
    assert u.payback_weeks_p50 <= u.payback_weeks_p90


def test_a_2_3_8_build_has_its_analytic_median_payback(roi):
    """Triangular 2:3:8 has median 8 - sqrt(15) (F(3) = 0.2 < 0.5, so the median is on the
    long side); with a fixed weekly gain G, P50 payback is that x k / G."""
    roi("config", "set", "overrun_factor", "1.3")
    roi("task", "add", "Reports", "--per-week", "4")
    roi("step", "add", "Reports", "write", "--minutes", "30", "--automation", "50%")
    assert roi("plan", "Reports", "--build-hours", "2:3:8").exit_code == 0
    task = json.loads(roi("rank", "--json").stdout)["tasks"][0]
    gain = 4 * 0.5 * 30 / 60  # 1 h a week
    median = 8 - math.sqrt(15)
    assert median == pytest.approx(4.127, abs=1e-3)
    assert task["payback_weeks"] == pytest.approx(3 * 1.3 / gain)  # at the likely values
    assert task["payback_weeks_p50"] == pytest.approx(median * 1.3 / gain, rel=0.01)
