"""roi.quantities: the one parser of quantities with units (CLI options and TUI forms)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi.payback import WEEKS_PER_YEAR
from roi.quantities import (
    BUILD_HOURS,
    HOURS_PER_WEEK,
    MINUTES,
    PER_WEEK,
    THEMES,
    QuantityError,
    format_minutes,
    parse,
    parse_range,
    parse_setting,
    parse_share,
    with_unit,
)

amounts = st.floats(min_value=0, max_value=1e6, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    "text,minutes",
    [("5", 5), ("5m", 5), ("5 min", 5), ("90s", 1.5), ("1h30m", 90), ("1h 30m", 90), ("2m30s", 2.5),
     ("1.5h", 90), ("0.5m", 0.5), ("1d", 480), ("1w", 2400), ("+5m", 5), ("0", 0), ("-0", 0)],
)
def test_minutes(text, minutes):
    assert parse(text, MINUTES, "--minutes") == pytest.approx(minutes)


@pytest.mark.parametrize(
    "text,hours",
    [("3", 3), ("3h", 3), ("90m", 1.5), ("2d", 16), ("1d4h", 12), ("1w", 40), ("0.5d", 4)],
)
def test_build_hours_count_a_day_as_eight_working_hours(text, hours):
    assert parse(text, BUILD_HOURS, "--build-hours") == pytest.approx(hours)


@pytest.mark.parametrize(
    "text,per_week",
    [("10", 10), ("10/week", 10), ("10/w", 10), ("5/day", 35), ("5 per day", 35), ("5/workday", 25),
     ("2/month", 2 * 12 / WEEKS_PER_YEAR), ("52/year", 52 / WEEKS_PER_YEAR), ("0.5", 0.5)],
)
def test_frequency_counts_a_day_as_a_calendar_day(text, per_week):
    assert parse(text, PER_WEEK, "--per-week") == pytest.approx(per_week)


@pytest.mark.parametrize(
    "text,hours",
    [("0.5", 0.5), ("30m/week", 0.5), ("30m", 0.5), ("2h/month", 2 * 12 / WEEKS_PER_YEAR),
     ("10m/day", 70 / 60), ("1h/workday", 5), ("1h30m/week", 1.5)],
)
def test_upkeep_is_hours_a_week(text, hours):
    assert parse(text, HOURS_PER_WEEK, "--upkeep") == pytest.approx(hours)


def test_a_month_is_twelve_a_year_and_a_year_is_365_days():
    assert parse("1/month", PER_WEEK, "f") * WEEKS_PER_YEAR == pytest.approx(12)
    assert parse("1/year", PER_WEEK, "f") * 365 / 7 == pytest.approx(1)
    assert parse("12/year", PER_WEEK, "f") == pytest.approx(parse("1/month", PER_WEEK, "f"))


@pytest.mark.parametrize(
    "text,kind,needle",
    [
        ("5 apples", MINUTES, "--x must be a number of minutes (got '5 apples'); for example"),
        ("30m1h", MINUTES, "must be a number of minutes"),  # parts go from the largest down
        ("5m5m", MINUTES, "must be a number of minutes"),
        ("5m", PER_WEEK, "must be a number of times a week"),
        ("5/fortnight", PER_WEEK, "must be a number of times a week"),
        ("lots", BUILD_HOURS, "must be a number of hours (got 'lots'); for example 3, 3h, 90m or 2d (a working day of 8 h)"),
        ("-3", MINUTES, "--x must not be negative (got '-3')"),
        ("-1h", BUILD_HOURS, "--x must not be negative (got '-1h')"),
        ("inf", MINUTES, "must be a number of minutes"),
        ("nan", MINUTES, "must be a number of minutes"),
        ("1e400", MINUTES, "must be a finite number"),
        ("", MINUTES, "must be a number of minutes"),
    ],
)
def test_errors_name_the_unit_the_option_wants(text, kind, needle):
    with pytest.raises(QuantityError) as err:
        parse(text, kind, "--x")
    assert needle in str(err.value)


def test_ranges_keep_working_with_a_unit_on_every_part_or_none():
    r = parse_range("2h:3h:1d", BUILD_HOURS, "--build-hours")
    assert (r.low, r.likely, r.high) == (2, 3, 8)
    r = parse_range("3:5:12", MINUTES, "--minutes")
    assert (r.low, r.likely, r.high) == (3, 5, 12)
    r = parse_range("30s:1m:1m30s", MINUTES, "--minutes")
    assert (r.low, r.likely, r.high) == (0.5, 1, 1.5)
    assert parse_range("8", BUILD_HOURS, "b").is_point
    with pytest.raises(QuantityError, match="a unit, or none of them"):
        parse_range("1:2:3h", MINUTES, "--minutes")  # 1 min to 3 hours? say it
    with pytest.raises(QuantityError, match=r"ordered LOW <= LIKELY <= HIGH \(got '1h:30m:2h'\)"):
        parse_range("1h:30m:2h", MINUTES, "--minutes")
    with pytest.raises(QuantityError, match=r"LOW:LIKELY:HIGH \(got '1:2'\)"):
        parse_range("1:2", MINUTES, "--minutes")
    with pytest.raises(QuantityError, match=r"LOW:LIKELY:HIGH \(got '3:x:5'\)"):
        parse_range("3:x:5", MINUTES, "--minutes")


@pytest.mark.parametrize("text,share", [("0.8", 0.8), ("80%", 0.8), ("80 %", 0.8), ("1", 1.0), ("0", 0.0),
                                        ("100%", 1.0), ("0.5%", 0.005)])
def test_shares(text, share):
    assert parse_share(text, "--automation") == pytest.approx(share)


@pytest.mark.parametrize("text,needle", [
    ("80", "did you mean 80%? (got '80')"),
    ("1.5", "did you mean 1.5%?"),
    ("120%", "--automation must be between 0 and 1 (or 0% to 100%) (got '120%')"),
    ("-10%", "must be between 0 and 1"),
    ("500", "must be between 0 and 1 (or 0% to 100%) (got '500')"),
    ("most", "--automation must be a share such as 0.8 or 80% (got 'most')"),
])
def test_bad_shares(text, needle):
    with pytest.raises(QuantityError) as err:
        parse_share(text, "--automation")
    assert needle in str(err.value)


# --- properties ----------------------------------------------------------------------------


@given(amounts)
def test_a_value_printed_with_its_unit_parses_back_to_itself(x):
    for kind in (MINUTES, BUILD_HOURS, PER_WEEK, HOURS_PER_WEEK):
        assert parse(with_unit(x, kind), kind, "v") == x
        assert parse(repr(x), kind, "v") == x  # a bare number is the option's own unit


@given(amounts)
def test_minutes_and_hours_forms_agree(x):
    assert parse(f"{x!r}h", MINUTES, "m") == pytest.approx(60 * x, rel=1e-12)
    assert parse(f"{x!r}m", BUILD_HOURS, "b") == pytest.approx(x / 60, rel=1e-12)
    assert parse(f"{x!r}s", MINUTES, "m") == pytest.approx(x / 60, rel=1e-12)
    assert parse(f"{x!r}d", BUILD_HOURS, "b") == pytest.approx(8 * x, rel=1e-12)
    assert parse(f"{x!r}m/week", HOURS_PER_WEEK, "u") == pytest.approx(x / 60, rel=1e-12)
    assert parse(f"{x!r}/day", PER_WEEK, "f") == pytest.approx(7 * x, rel=1e-12)


@given(st.integers(min_value=0, max_value=10_000_000))
def test_whole_seconds_written_as_a_person_writes_them_parse_back(seconds):
    minutes = seconds / 60
    text = format_minutes(minutes)
    assert parse(text, MINUTES, "m") == pytest.approx(minutes, rel=1e-12, abs=1e-12)
    assert ":" not in text and " " not in text


@given(st.lists(amounts, min_size=3, max_size=3).map(sorted))
def test_a_range_printed_with_units_parses_back(parts):
    low, likely, high = parts
    for kind in (MINUTES, BUILD_HOURS, PER_WEEK):
        text = ":".join(with_unit(v, kind) for v in (low, likely, high))
        r = parse_range(text, kind, "r")
        assert (r.low, r.likely, r.high) == (low, likely, high)


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_percentage_is_its_share(p):
    assert parse_share(f"{p!r}%", "s") == pytest.approx(p / 100)
    assert math.isclose(parse_share(repr(p / 100), "s"), p / 100)


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize("key,text,value", [
    ("horizon_weeks", "52", 52.0), ("horizon_weeks", "26w", 26.0), ("horizon_weeks", "1y", WEEKS_PER_YEAR),
    ("automate_within", "25%", 0.25), ("automate_within", "0.25", 0.25), ("automate_probability", "90%", 0.9),
    ("maybe_within", "2", 2.0), ("maybe_within", "150%", 1.5), ("overrun_factor", "1.5x", 1.5),
    ("build_budget_hours_per_week", "1h/day", 7.0), ("build_budget_hours_per_week", "4", 4.0),
    ("currency", "€", "€"), ("currency", "eur", "EUR"), ("theme", "nord", "nord"), ("theme", "", None),
    ("hourly_value", "", None), ("hourly_value", "60", 60.0), ("min_samples", "5", 5), ("seed", "7", 7),
    ("timezone", "Europe/Berlin", "Europe/Berlin"),
])
def test_settings_take_units(key, text, value):
    expected = pytest.approx(value) if isinstance(value, float) else value
    assert parse_setting(key, text) == expected


@pytest.mark.parametrize("key,text,needle", [
    ("horizon_weeks", "-3", "horizon_weeks must be greater than 0 weeks (got '-3')"),
    ("horizon_weeks", "soon", "horizon_weeks must be a number of weeks"),
    ("automate_within", "25", "did you mean 25%?"),
    ("overrun_factor", "0.5", "overrun_factor must be at least 1"),
    ("currency", "doubloons", "currency must be a known currency"),
    ("theme", "neon", "theme must be one of the app's themes"),
    ("min_samples", "2.5", "min_samples must be a whole number"),
    ("nope", "1", "unknown setting 'nope'"),
])
def test_bad_settings(key, text, needle):
    with pytest.raises(QuantityError) as err:
        parse_setting(key, text)
    assert needle in str(err.value)


def test_the_theme_list_is_textuals():
    textual_theme = pytest.importorskip("textual.theme")
    assert sorted(THEMES) == sorted(textual_theme.BUILTIN_THEMES)
