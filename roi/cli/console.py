"""The one console factory of the command line, and the rules of what it prints: tables
keep the width they get (80 columns when piped): numbers are never cut, text wraps; and
no character of the data acts on the terminal.

The commands pass text from the data through roi.textsafe.visible(); the console does
it again for whatever it is given (a table's cells, headers, title and caption, a Text,
a string), before layout so the escaped form is measured, and once more on the output
segments, so a control or bidi character in a renderable the first pass does not know
(a panel's title, a progress bar's description) is still shown escaped, never sent."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Console, ConsoleRenderable, RenderHook
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from roi.cli.flat_table import FlatTable
from roi.textsafe import has_unsafe, visible

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


def safe_text(text: Text) -> Text:
    """The Text with its control and bidi characters escaped (newlines and tabs kept),
    each escape in the style of the character it stands for; the same Text when there
    are none."""
    plain = text.plain
    if not has_unsafe(plain, newlines=True):
        return text
    cuts: list[int] = []
    for at, ch in enumerate(plain):
        if has_unsafe(ch, newlines=True):
            cuts += (at, at + 1)
    out = text.blank_copy()
    for piece in text.divide(cuts):
        if len(piece) == 1 and has_unsafe(piece.plain, newlines=True):
            shown = Text(visible(piece.plain, keep_newlines=True))
            for span in piece.spans:
                shown.stylize(span.style, 0, len(shown))
            piece = shown
        out.append_text(piece)
    return out


def safe_cell(cell: Any) -> Any:
    """A table cell, a title or a printed object with its text made safe; any other
    renderable as it is (its output segments are made safe later)."""
    if isinstance(cell, Text):
        return safe_text(cell)
    if isinstance(cell, str):
        return visible(cell, keep_newlines=True) if has_unsafe(cell, newlines=True) else cell
    if isinstance(cell, Table):
        return safe_table(cell)
    return cell


def safe_table(table: Table) -> Table:
    table.title = safe_cell(table.title)
    table.caption = safe_cell(table.caption)
    for column in table.columns:
        column.header = safe_cell(column.header)
        column.footer = safe_cell(column.footer)
        column._cells = [safe_cell(c) for c in column._cells]
    return table


def safe_segments(segments: Iterable[Segment]) -> Iterator[Segment]:
    """Output segments with control and bidi characters of their text escaped; the
    console's own control segments (cursor moves of a live display) pass as they are."""
    for segment in segments:
        text, style, control = segment
        if control or not has_unsafe(text, newlines=True):
            yield segment
        else:
            yield Segment(visible(text, keep_newlines=True), style, control)


class _SafeConsole(Console):
    """A Console whose output never carries a control or bidi character of the data."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(safe_segments(buffer))


class _FitTables(RenderHook):
    def process_renderables(self, renderables: list[ConsoleRenderable]) -> list[ConsoleRenderable]:
        out: list[ConsoleRenderable] = []
        for r in renderables:
            r = safe_cell(r)
            out.append(FlatTable(fit_figures(r)) if isinstance(r, Table) else r)
        return out


def console(stderr: bool = False, *, width: int | None = None) -> Console:
    """A console that never interprets markup or highlights numbers in data, shows
    control and bidi characters escaped, and whose tables keep their figures whole."""
    out = _SafeConsole(stderr=stderr, highlight=False, markup=False, emoji=False, width=width)
    out.push_render_hook(_FitTables())
    return out


def at_terminal() -> bool:
    """Is a person at a terminal to answer a question (stdin and stdout are terminals)?"""
    return sys.stdin.isatty() and sys.stdout.isatty()


YES_HELP = "Do not ask; needed when no terminal is there to ask on."


def removal_confirmed(what: str, yes: bool) -> bool:
    """May `what` be removed? With --yes, yes; on a terminal, the person says; with no
    terminal to ask on, it is refused (nothing is deleted without asking)."""
    if yes:
        return True
    if not at_terminal():
        from roi.errors import RoiError

        raise RoiError(f"not removing {what}: no terminal to confirm on; add --yes to remove it")
    import click

    return click.confirm(f"Remove {what}?", default=False)
