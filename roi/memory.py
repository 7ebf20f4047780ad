"""Pausing the cyclic garbage collector around work that makes many short-lived objects.

An import makes millions of objects and no cycles, and a re-rank of a large inventory
tens of thousands; each collection would walk every object alive (the whole inventory
in the terminal app), so it is paused for the duration and resumed after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
