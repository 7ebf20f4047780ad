"""The one console factory of the command line, and the rule that keeps its tables in
the width they get (80 columns when piped): numbers are never cut, text wraps."""

from __future__ import annotations

import re
import sys
from typing import Any

from rich.console import Console, ConsoleRenderable, RenderHook
from rich.table import Table
from rich.text import Text

# A cell that is a figure: a number with its sign, separators, unit or date, or a
# placeholder ("never", "-"). Such a column is never wrapped or cut ("22.…").
_FIGURE = re.compile(
    r"^(?:[-+−]?[$€£¥]?[-+−]?\d[\d,.]*(?:\s?(?:%|x|h|min|wk|weeks?|days?|h/week|/week))?\*?"
    r"|\d{4}-\d{2}-\d{2}|never|-|—|n/a)$"
)


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def fit_figures(table: Table) -> Table:
    """Keep every column of figures whole: it does not wrap and is at least as wide as its
    widest figure, so a squeezed table takes the room from its text columns (names wrap,
    a single over-long word ends in an ellipsis)."""
    for column in table.columns:
        cells = [_plain(c).strip() for c in column._cells]
        filled = [c for c in cells if c]
        if filled and all(_FIGURE.match(c) for c in filled):
            column.no_wrap = True
            column.min_width = max(column.min_width or 0, *(len(c) for c in filled))
    return table


class _FitTables(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        return [fit_figures(r) if isinstance(r, Table) else r for r in renderables]


def console(stderr: bool = False, *, width: int | None = None) -> Console:
    """A console that never interprets markup or highlights numbers in data, and whose
    tables keep their figures whole."""
    out = Console(stderr=stderr, highlight=False, markup=False, emoji=False, width=width)
    out.push_render_hook(_FitTables())
    return out


def at_terminal() -> bool:
    """Is a person at a terminal to answer a question (stdin and stdout are terminals)?"""
    return sys.stdin.isatty() and sys.stdout.isatty()
