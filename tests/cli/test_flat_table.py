"""FlatTable lays out simple tables itself, wide or shrunk to the width (its text then
wrapped): every character and every style must be what Rich's own Table would print, and
any table it cannot lay out goes to Rich unchanged."""

from __future__ import annotations

import io
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text

from roi.cli import flat_table
from roi.cli.console import console as roi_console
from roi.cli.flat_table import FlatTable, flat_lines

STYLES = ["", "bold", "dim", "bold green", "red on white", "italic underline"]
# Letters, spaces, figures, wide and combining characters, emoji, markup-like text.
ALPHABET = st.sampled_from(list("ab Z09.,-_[]/") + ["ü", "中", "\u0301", "😀", "\u00a0", "\x1b"])
WORDS = st.text(ALPHABET, max_size=14)


def chars(segments: list[Segment]) -> list[tuple[str, Style]]:
    """What a terminal shows: each character with its style, wherever the segments break."""
    return [(ch, seg.style or Style.null()) for seg in segments if not seg.control for ch in seg.text]


def as_rich_shows_it(table: Table, out: Console) -> bool:
    """Does FlatTable show the table as Rich's own Table does, on this console?"""
    return chars(list(out.render(FlatTable(table)))) == chars(list(out.render(table)))


def terminal(width: int) -> Console:
    return Console(file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor",
                   markup=False, emoji=False, highlight=False)


@st.composite
def cells(draw: st.DrawFn) -> str | Text:
    words = draw(WORDS)
    if draw(st.booleans()):
        return words
    text = Text(words, style=draw(st.sampled_from(STYLES)))
    if draw(st.booleans()):
        text.append(draw(WORDS), style=draw(st.sampled_from(STYLES)))
    if len(text) > 1 and draw(st.booleans()):
        start = draw(st.integers(0, len(text) - 1))
        text.stylize(draw(st.sampled_from(STYLES[1:])), start, draw(st.integers(start, len(text))))
    return text


@st.composite
def tables(draw: st.DrawFn) -> Table:
    table = Table(box=None, pad_edge=draw(st.booleans()), header_style=draw(st.sampled_from(STYLES)),
                  show_header=draw(st.booleans()), padding=(0, draw(st.integers(0, 2))))
    for _ in range(draw(st.integers(1, 6))):
        table.add_column(draw(WORDS), justify=draw(st.sampled_from(["left", "right"])),
                         style=draw(st.sampled_from(STYLES)), header_style=draw(st.sampled_from(STYLES)),
                         min_width=draw(st.none() | st.integers(0, 12)))
    for _ in range(draw(st.integers(0, 6))):
        table.add_row(*(draw(cells()) for _ in table.columns))
    return table


@settings(max_examples=100, deadline=None)
@given(tables(), st.integers(10, 120))
def test_a_flat_table_shows_what_rich_shows(table: Table, width: int) -> None:
    assert as_rich_shows_it(table, terminal(width))


# Phrases without edge spaces in narrow widths: tables that must shrink, their text wrapped.
PHRASES = st.text(st.sampled_from(list("abcdefgh Z09.,-") + ["ü", "中"]), max_size=30).map(str.strip)


@st.composite
def narrow_tables(draw: st.DrawFn) -> Table:
    table = Table(box=None, pad_edge=draw(st.booleans()), header_style=draw(st.sampled_from(STYLES)))
    for _ in range(draw(st.integers(1, 5))):
        table.add_column(draw(st.sampled_from(["#", "Task", "Net h", "Flags"])),
                         justify=draw(st.sampled_from(["left", "right"])),
                         overflow=draw(st.sampled_from(["fold", "ellipsis"])), min_width=draw(st.none() | st.integers(0, 6)))
    for _ in range(draw(st.integers(1, 5))):
        row: list[str | Text] = []
        for _ in table.columns:
            phrase = draw(PHRASES)
            row.append(phrase if draw(st.booleans()) else Text(phrase, style=draw(st.sampled_from(STYLES))))
        table.add_row(*row)
    return table


@settings(max_examples=60, deadline=None)
@given(narrow_tables(), st.integers(12, 40))
def test_a_shrunk_table_wraps_as_rich_wraps_it(table: Table, width: int) -> None:
    assert as_rich_shows_it(table, terminal(width))


def test_the_ranking_table_is_laid_out_flat_when_it_fits_and_by_rich_when_it_must_shrink() -> None:
    from roi.cli.ranking import ranking_table
    from roi.db.store import Store
    from roi.demo import seed_demo
    from roi.inventory import rank_store
    from tests.conftest import TODAY

    store = Store.open(":memory:")
    seed_demo(store)
    ranked = rank_store(store, today=TODAY)
    out = terminal(120)
    table = ranking_table(ranked, 120)
    lines = flat_lines(table, out, out.options)
    assert lines is not None and len(lines) == len(ranked) + 1
    assert as_rich_shows_it(table, out)
    narrow = terminal(80)  # the demo's longer names wrap onto a second line
    table = ranking_table(ranked, 80)
    lines = flat_lines(table, narrow, narrow.options)
    assert lines is not None and len(lines) > len(ranked) + 1
    assert as_rich_shows_it(table, narrow)
    tiny = terminal(30)  # figures would be cut: Rich does that
    assert flat_lines(ranking_table(ranked, 30), tiny, tiny.options) is None


def test_tables_it_does_not_lay_out_go_to_rich() -> None:
    out = terminal(80)
    boxed = Table("a")  # a border
    boxed.add_row("x")
    two_lines = Table("a", box=None)
    two_lines.add_row("one\ntwo")
    padded = Table("a", box=None)
    padded.add_row(" edge ")
    for table in (boxed, two_lines, padded):
        assert flat_lines(table, out, out.options) is None
        assert as_rich_shows_it(table, out)


def test_the_command_lines_console_prints_tables_flat(monkeypatch: pytest.MonkeyPatch) -> None:
    """roi's console hands its tables to FlatTable, which lays this one out itself."""
    laid_out: list[bool] = []
    real = flat_table.flat_lines

    def watched(*args: Any) -> Any:
        lines = real(*args)
        laid_out.append(lines is not None)
        return lines

    monkeypatch.setattr(flat_table, "flat_lines", watched)
    table = Table("Task", "Net h", box=None, pad_edge=False, header_style="bold")
    table.add_row(Text("Invoices [bold]", style="bold"), "12.5")
    shown = roi_console(width=40)
    shown.file = io.StringIO()
    shown.print(table)
    assert laid_out == [True]
    assert shown.file.getvalue() == "Task             Net h\nInvoices [bold]  12.5 \n"
