"""Which rows of a file were seen before in the same file, in 8 bytes a row (numpy).

Two genuinely identical rows in one file are both kept: the second gets ordinal 2 in
its content hash. Knowing whether a row was seen before needs every earlier key; a
Python set of a million keys costs ~70 MB, so the keys live in sorted numpy arrays
merged like a binary counter (log-structured), checked a chunk at a time.
"""

from __future__ import annotations

import numpy as np


def twin_keys(hashes: list[str]) -> bytes:
    """The key SeenKeys compares rows by: the first 8 bytes of each hex digest, in order."""
    return bytes.fromhex("".join([h[:16] for h in hashes]))


class SeenKeys:
    def __init__(self) -> None:
        self.levels: list[np.ndarray] = []
        self.twins: dict[int, int] = {}

    def ordinals(self, chunk_keys: bytes) -> list[tuple[int, int]]:
        """(index, n) for each row of this chunk (its twin_keys) that is the n-th
        occurrence (n >= 2) of its key in the file so far; then remembers the chunk's keys."""
        if not chunk_keys:
            return []
        keys = np.frombuffer(chunk_keys, dtype=np.uint64)
        order = np.argsort(keys)
        in_order = keys[order]  # searched in order: twice as fast
        seen = np.zeros(len(keys), dtype=bool)
        for level in self.levels:
            pos = np.searchsorted(level, in_order)
            pos[pos >= len(level)] = 0
            seen |= level[pos] == in_order
        before = np.empty_like(seen)
        before[order] = seen
        uniq, counts = np.unique(keys, return_counts=True)
        candidates = before.copy()
        repeated = uniq[counts > 1]
        if repeated.size:
            candidates |= np.isin(keys, repeated)
        out: list[tuple[int, int]] = []
        if candidates.any():
            passed: set[int] = set()
            for idx in np.flatnonzero(candidates).tolist():
                k = int(keys[idx])
                if before[idx] or k in passed:
                    n = self.twins.get(k, 1) + 1
                    self.twins[k] = n
                    out.append((idx, n))
                else:
                    passed.add(k)
        self._push(in_order)
        return out

    def _push(self, keys: np.ndarray) -> None:
        self.levels.append(keys)
        while len(self.levels) > 1 and len(self.levels[-1]) >= len(self.levels[-2]):
            merged = np.concatenate(self.levels[-2:])
            del self.levels[-2:]
            merged.sort(kind="stable")
            self.levels.append(merged)

    def every_key(self) -> np.ndarray:
        """All keys seen so far, sorted, a repeated key as often as it was seen."""
        if not self.levels:
            return np.zeros(0, dtype=np.uint64)
        out = np.concatenate(self.levels)
        out.sort()
        return out
