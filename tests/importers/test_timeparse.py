"""The importers' clock reading and AFK interval cutting against plain, obvious versions."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from roi.importers.timeparse import clock_seconds

_HMS = re.compile(r"(\d\d):(\d\d):(\d\d)")


def plain(text: str) -> float | None:
    """What clock_seconds must say of one text: seconds of an exact 'HH:MM:SS', else None."""
    m = _HMS.fullmatch(text)
    if m is None or not text.isascii():
        return None
    h, mi, s = (int(g) for g in m.groups())
    return float(h * 3600 + mi * 60 + s) if h < 24 and mi < 60 and s < 60 else None


clock_like = st.text(alphabet="0123456789:", min_size=7, max_size=9)
exact = st.builds(lambda h, m, s: f"{h:02d}:{m:02d}:{s:02d}", st.integers(0, 29), st.integers(0, 69), st.integers(0, 69))
any_text = st.text(max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(exact, clock_like, any_text), min_size=1, max_size=40))
def test_clock_seconds_reads_exactly_what_a_plain_reading_reads(texts: list[str]) -> None:
    seconds, ok = clock_seconds(texts)
    for text, value, good in zip(texts, seconds.tolist(), ok.tolist(), strict=True):
        expected = plain(text)
        assert good == (expected is not None), text
        if good:
            assert value == expected, text


def test_texts_of_other_lengths_do_not_shift_their_neighbours() -> None:
    # 7 + 9 characters join to 16, the length of two good texts: each is still read alone
    seconds, ok = clock_seconds(["08:00:0", "008:00:00", "09:30:00"])
    assert ok.tolist() == [False, False, True]
    assert seconds[2] == 9 * 3600 + 30 * 60


def test_exact_clock_texts_are_read_and_out_of_range_ones_refused() -> None:
    seconds, ok = clock_seconds(["00:00:00", "23:59:59", "12:34:56"])
    assert ok.all()
    assert seconds.tolist() == [0.0, 86399.0, 45296.0]
    _, ok = clock_seconds(["24:00:00", "12:60:00", "１２:00:00"[:8]])
    assert not ok.any()


spans_drawn = st.lists(st.tuples(st.integers(0, 100), st.integers(1, 20)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(spans_drawn, st.integers(-5, 110), st.integers(0, 60))
def test_active_parts_are_the_intersection_with_every_span(raw: list[tuple[int, int]], start: int, length: int) -> None:
    from roi.importers.activitywatch import active_parts, merged

    spans = merged([(float(s), float(s + d)) for s, d in raw])
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))  # merged: apart and in order
    end = float(start + length)
    naive = [(max(s, start), min(e, end)) for s, e in spans if max(s, start) < min(e, end)]
    assert active_parts(float(start), end, spans) == naive
