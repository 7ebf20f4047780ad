"""roi.spent.apportion: rounded rows that add up to the rounded total, whatever the values."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from roi.spent import apportion


def test_thirds_add_up() -> None:
    rows, total = apportion([1 / 3, 1 / 3, 1 / 3])
    assert total == 1.0 and sorted(rows) == [0.3333, 0.3333, 0.3334]


@given(st.lists(st.floats(min_value=0, max_value=10_000, allow_nan=False), max_size=40))
def test_rows_sum_to_the_total(values: list[float]) -> None:
    rows, total = apportion(values)
    assert round(sum(round(r * 10_000) for r in rows)) == round(total * 10_000)
    assert total == round(math.fsum(values) * 10_000) / 10_000
    for value, row in zip(values, rows, strict=True):
        assert abs(value - row) < 1e-4 + 1e-9 * value
