"""Monte Carlo over three-point estimates (filled in by the uncertainty work)."""

from __future__ import annotations

from typing import Any


def has_ranges(ranked: list[Any]) -> bool:
    return False


def simulate(ranked: list[Any], settings: Any, *, store: Any = None) -> None:
    return None
