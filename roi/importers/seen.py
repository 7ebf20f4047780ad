"""Which rows of a file were seen before in the same file, in 8 bytes a row (numpy).

Two genuinely identical rows in one file are both kept: the second gets ordinal 2 in
its content hash. Knowing whether a row was seen before needs every earlier key; a
Python set of a million keys costs ~70 MB, so the keys live in one sorted numpy array,
checked and merged into a chunk at a time.
"""

from __future__ import annotations

import numpy as np


def twin_keys(hashes: list[str]) -> bytes:
    """The key SeenKeys compares rows by: the first 8 bytes of each hex digest, in order."""
    return bytes.fromhex("".join([h[:16] for h in hashes]))


class SeenKeys:
    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.uint64)  # every key so far, sorted, each as often as seen

    def ordinals(self, chunk_keys: bytes) -> list[tuple[int, int]]:
        """(index, n) for each row of this chunk (its twin_keys) that is the n-th
        occurrence (n >= 2) of its key in the file so far; then remembers the chunk's keys."""
        if not chunk_keys:
            return []
        keys = np.frombuffer(chunk_keys, dtype=np.uint64)
        order = np.argsort(keys, kind="stable")  # equal keys stay in file order
        in_order = keys[order]  # searched in order: twice as fast
        # n = 1 + the key's earlier occurrences: in this chunk, then in the chunks before
        n = 1 + np.arange(len(keys)) - np.searchsorted(in_order, in_order, "left")
        at = np.searchsorted(self.keys, in_order, "left")
        n += np.searchsorted(self.keys, in_order, "right") - at
        ordinal = np.empty_like(n)
        ordinal[order] = n
        self.keys = np.insert(self.keys, at, in_order)  # still sorted
        return [(index, int(ordinal[index])) for index in np.flatnonzero(ordinal > 1).tolist()]

    def every_key(self) -> np.ndarray:
        """All keys seen so far, sorted, a repeated key as often as it was seen."""
        return self.keys.copy()
