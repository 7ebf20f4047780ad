"""The importers' AFK interval cutting against a plain, obvious version."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

spans_drawn = st.lists(st.tuples(st.integers(0, 100), st.integers(1, 20)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(spans_drawn, st.integers(-5, 110), st.integers(0, 60))
def test_active_parts_are_the_intersection_with_every_span(raw: list[tuple[int, int]], start: int, length: int) -> None:
    from roi.importers.formats.activitywatch import active_parts, merged

    spans = merged([(float(s), float(s + d)) for s, d in raw])
    assert all(a[1] < b[0] for a, b in zip(spans, spans[1:], strict=False))  # merged: apart and in order
    end = float(start + length)
    naive = [(max(s, start), min(e, end)) for s, e in spans if max(s, start) < min(e, end)]
    assert active_parts(float(start), end, spans) == naive
