"""The one console factory of the command line."""

from __future__ import annotations

from rich.console import Console


def console(stderr: bool = False, *, width: int | None = None) -> Console:
    """A console that never interprets markup or highlights numbers in data."""
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False, width=width)
