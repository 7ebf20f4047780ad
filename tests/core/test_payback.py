"""The arithmetic against METHOD.md: the worked example, the xkcd 1205 oracle, properties."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi import payback
from roi.payback import StepInputs, evaluate


def test_method_worked_example():
    # 5 times a week, one 30 min step fully automated, no overhead, no failures,
    # a 10 h build, overrun 1, 52-week horizon.
    out = evaluate([StepInputs(30, 1.0, 0, 0)], 5, 10, 0, 1.0, 52)
    assert out.weekly_hours_saved == pytest.approx(2.5)
    assert out.payback_weeks == pytest.approx(4)
    assert out.net_hours == pytest.approx(120)
    assert out.roi == pytest.approx(12)


def test_overhead_larger_than_saving_stays_negative():
    out = evaluate([StepInputs(1.0, 1.0, 1.5, 0)], 10, 2, 0, 1.0, 52)
    assert out.saved_minutes_per_occurrence == pytest.approx(-0.5)
    assert out.weekly_hours_saved < 0
    assert out.payback_weeks is None
    assert out.net_hours == pytest.approx(10 * -0.5 / 60 * 52 - 2)
    assert out.net_hours < -2  # the loss grows with use, it is not clipped to zero


def test_saved_minutes_formula():
    assert payback.saved_minutes(10, 0.5, 1, 0.2) == pytest.approx(0.5 * 10 * 0.8 - 1)
    # A 10 h task whose degree of automation rises by 10 % now takes 9 h.
    assert 600 - payback.saved_minutes(600, 0.1, 0, 0) == pytest.approx(540)


def test_upkeep_and_overrun():
    out = evaluate([StepInputs(30, 1.0, 0, 0)], 5, 10, 0.5, 1.5, 52)
    assert out.net_weekly_gain == pytest.approx(2.0)
    assert out.build_cost == pytest.approx(15)
    assert out.payback_weeks == pytest.approx(7.5)


def test_zero_build_cost_has_no_ratio():
    out = evaluate([StepInputs(30, 1.0, 0, 0)], 5, 0, 0, 1.0, 52)
    assert out.payback_weeks == 0
    assert out.roi is None


def test_break_even_date():
    assert payback.break_even(date(2026, 11, 28), 4) == date(2026, 12, 26)
    assert payback.break_even(date(2026, 11, 28), 0.3) == date(2026, 12, 1)  # 2.1 days, paid back by day 3
    assert payback.break_even(date(2026, 11, 28), None) is None


def test_roi_equals_horizon_over_payback_minus_one():
    out = evaluate([StepInputs(12, 0.7, 1, 0.1)], 3, 7, 0.1, 1.2, 40)
    assert out.roi == pytest.approx(40 / out.payback_weeks - 1)


@pytest.mark.parametrize(
    "row,col",
    [(r, c) for r in range(len(payback.XKCD_SHAVED)) for c in range(len(payback.XKCD_FREQUENCIES))],
)
def test_xkcd_1205_every_cell(row: int, col: int):
    cell = payback.xkcd_table()[row][col]
    if cell.label is None:
        # The chart leaves a cell empty when the answer exceeds 5 years' worth of the task
        # (or the task takes longer than its own period); nothing to compare.
        return
    label = payback.label_hours(cell.label)
    computed = cell.hours * (1 + 1e-12)  # 5 s x 12 a year x 5 years is 5 min, up to float rounding
    assert label <= computed < 1.3 * label, (cell.shaved, cell.frequency, cell.hours, cell.label)


def test_humanize_rounds_down_like_the_chart():
    assert payback.humanize_hours(24 * 5 * 7 + 3) == "5 weeks"
    assert payback.humanize_hours(260) == "10 days"
    assert payback.humanize_hours(1825) == "2 months"
    assert payback.humanize_hours(0.5) == "30 minutes"


positive = st.floats(min_value=0.01, max_value=1e4, allow_nan=False, allow_infinity=False)
share = st.floats(min_value=0, max_value=1, allow_nan=False)


@st.composite
def task_inputs(draw):
    return dict(
        manual=draw(positive), automation=draw(share), overhead=draw(st.floats(0, 100)),
        failure=draw(share), per_week=draw(positive), build=draw(positive),
        upkeep=draw(st.floats(0, 10)), overrun=draw(st.floats(1, 5)),
    )


def outcome(d, **changes):
    d = {**d, **changes}
    return evaluate(
        [StepInputs(d["manual"], d["automation"], d["overhead"], d["failure"])],
        d["per_week"], d["build"], d["upkeep"], d["overrun"], 52,
    )


def later_or_equal(a: float | None, b: float | None) -> bool:
    """Payback a is no shorter than b (None = never)."""
    if a is None:
        return True
    return b is not None and a >= b * (1 - 1e-9)


@given(task_inputs(), st.floats(1.0, 100.0))
def test_more_frequency_never_lengthens_payback(d, factor):
    before = outcome(d).payback_weeks
    after = outcome(d, per_week=d["per_week"] * factor).payback_weeks
    assert later_or_equal(before, after)


@given(task_inputs(), st.floats(0, 100))
def test_more_overhead_never_shortens_payback(d, extra):
    assert later_or_equal(outcome(d, overhead=d["overhead"] + extra).payback_weeks, outcome(d).payback_weeks)


@given(task_inputs(), st.floats(1.0, 5.0))
def test_larger_overrun_never_shortens_payback(d, factor):
    assert later_or_equal(outcome(d, overrun=d["overrun"] * factor).payback_weeks, outcome(d).payback_weeks)


@given(task_inputs(), task_inputs())
def test_payback_and_roi_rank_positive_gains_the_same_way(a, b):
    oa, ob = outcome(a), outcome(b)
    if oa.payback_weeks is None or ob.payback_weeks is None:
        return
    if abs(oa.payback_weeks - ob.payback_weeks) < 1e-6 * max(oa.payback_weeks, 1e-9):
        return
    if oa.payback_weeks > ob.payback_weeks:
        oa, ob = ob, oa
    # roi = H / payback - 1: a shorter payback never has the lower roi; for paybacks of
    # 1e300 weeks and more both round to exactly -1, a tie (found: a gain of 2e-309 h/week)
    assert oa.roi >= ob.roi
    if oa.roi != ob.roi or oa.payback_weeks < 1e12:
        assert oa.roi > ob.roi


@given(task_inputs())
def test_negative_savings_stay_negative(d):
    o = outcome(d, overhead=d["manual"] * d["automation"] + 1, upkeep=0)
    assert o.saved_minutes_per_occurrence < 0
    assert o.weekly_hours_saved < 0
    assert o.payback_weeks is None
    assert o.net_hours < -o.build_cost + 1e-9
