"""SeenKeys against a plain Counter: which rows of a file repeat earlier ones."""

from __future__ import annotations

from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.importers.seen import SeenKeys

# few distinct values, so that repeats within and across chunks are common
chunks_of_keys = st.lists(st.lists(st.integers(0, 12), max_size=40), max_size=12)


def as_bytes(keys: list[int]) -> bytes:
    return np.array(keys, dtype=np.uint64).tobytes()


@settings(max_examples=200, deadline=None)
@given(chunks_of_keys)
def test_ordinals_number_each_repeat_in_file_order(chunks: list[list[int]]) -> None:
    seen = SeenKeys()
    counter: Counter[int] = Counter()
    for keys in chunks:
        expected = []
        for i, k in enumerate(keys):
            counter[k] += 1
            if counter[k] > 1:
                expected.append((i, counter[k]))
        assert seen.ordinals(as_bytes(keys)) == expected
    flat = sorted(k for keys in chunks for k in keys)
    assert seen.every_key().tolist() == flat
