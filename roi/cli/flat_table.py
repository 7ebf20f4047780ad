"""Simple Rich tables laid out directly, the way Rich lays them out, at a fraction of the cost.

Rich takes about 0.25 ms a cell to lay out a table: it measures, wraps, crops and pads
every cell through its general renderers. For the 200-task ranking that is 0.4 s, more
than the ranking itself. Most tables the command line prints need none of it: no
borders, one line of text in every cell. For such a table, `FlatTable` works out the
widths Rich would (the widest cell plus its padding, at least the column's `min_width`;
Rich's own rule when the table must shrink, its text cells then wrapped by Rich's
`Text.wrap`) and yields the same characters in the same styles; tests/cli/test_flat_table.py
checks that against Rich itself on drawn tables. Any other table (a cell Rich would cut,
a border, a title, a footer, row styles, ...) is passed to Rich unchanged.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Column, Table
from rich.text import Text

_BREAKS = ("\n", "\r", "\t")


class FlatTable:
    """A Rich table, laid out directly when it is simple (see the module), else by Rich."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = flat_lines(self.table, console, options)
        if lines is None:
            yield self.table
            return
        for line in lines:
            yield from line


def _simple(table: Table, console: Console) -> bool:
    top, _, bottom, _ = table.padding
    return not (
        table.box or table.title or table.caption or table.show_footer or table.show_lines
        or table.leading or table.expand or table.width is not None or table.min_width is not None
        or table.row_styles or table.collapse_padding or top or bottom
        or any(row.style is not None for row in table.rows)
        # str cells would be parsed, not shown as they are (unknown: assume so, and leave it to Rich)
        or getattr(console, "_markup", True) or getattr(console, "_emoji", True)
        or any(c.width is not None or c.max_width is not None or c.highlight or c.justify not in ("left", "right")
               or c.vertical != "top" for c in table.columns)
    )


def _plain(cell: object) -> str | None:
    """The text of a one-line cell with no edge spaces, or None for any other cell."""
    if isinstance(cell, str):
        plain = cell
    elif (isinstance(cell, Text) and cell.justify is None and cell.overflow is None
          and cell.no_wrap is None and cell.end == "\n"):
        plain = cell.plain
    else:
        return None
    if plain != plain.strip() or any(b in plain for b in _BREAKS):
        return None
    return plain


def _width(plain: str) -> int:
    """Its width in cells (printable ASCII: one a character, without asking Rich)."""
    return len(plain) if plain.isascii() and plain.isprintable() else cell_len(plain)


def flat_lines(table: Table, console: Console, options: ConsoleOptions) -> list[list[Segment]] | None:
    """The table's lines as Rich would render them, or None when it is not simple."""
    max_width = options.max_width
    if not table.columns or max_width < 3 or not _simple(table, console):
        return None
    _, pad_right, _, pad_left = table.padding
    last = len(table.columns) - 1
    header_style = console.get_style(table.header_style or "")
    columns: list[tuple[list[object], list[str], int, int, int, Style, Style]] = []
    for index, column in enumerate(table.columns):
        cells: list[object] = [column.header, *column._cells] if table.show_header else list(column._cells)
        texts = [_plain(c) for c in cells]
        if any(t is None for t in texts):
            return None
        plain = [t for t in texts if t is not None]
        left = 0 if index == 0 and not table.pad_edge else pad_left
        right = 0 if index == last and not table.pad_edge else pad_right
        width = max(_width(t) for t in plain) if plain else 0
        if column.min_width is not None:
            width = max(width, column.min_width)
        width = max(width + left + right, 1) - left - right
        if width == 0:
            return None  # Rich shows a column of only padding unstyled
        columns.append((cells, plain, width, left, right,
                        header_style + console.get_style(column.header_style),
                        console.get_style(column.style or "")))
    if sum(c[2] + c[3] + c[4] for c in columns) > max_width:
        # Too wide: the widths Rich gives each column when it shrinks the table (its own
        # rule), and the cells that no longer fit wrap as Rich wraps them.
        shrink = getattr(table, "_calculate_column_widths", None)
        if shrink is None:
            return None
        widths = shrink(console, options.update_width(max_width))
        columns = [(cells, plain, total - left - right, left, right, head, body)
                   for (cells, plain, _, left, right, head, body), total in zip(columns, widths, strict=True)]
        if any(c[2] < 1 for c in columns):
            return None
    lines: list[list[Segment]] = []
    for at in range(len(table.rows) + table.show_header):
        header = table.show_header and at == 0
        row: list[list[list[Segment]]] = []
        for column, (cells, plain, width, left, right, head, body) in zip(table.columns, columns, strict=True):
            style = head if header else body
            content = _content(cells[at], plain[at], width, column, style, console, header)
            if content is None:
                return None
            lpad = [Segment(" " * left, style)] if left else []
            rpad = [Segment(" " * right, style)] if right else []
            row.append([lpad + part + rpad for part in content])
        height = max(len(cell) for cell in row)
        for cell, (_, _, width, left, right, head, body) in zip(row, columns, strict=True):
            blank = [Segment(" " * (width + left + right), head if header else body)]
            cell += [blank] * (height - len(cell))  # a short cell is blank below (top-aligned)
        for line_no in range(height):
            # one segment for each run of a style (a row is mostly unstyled): a third of
            # the console's work on the output is per segment
            segments = [segment for cell in row for segment in cell[line_no]]
            lines.append([*Segment.simplify(segments), Segment.line()])
    return lines


def _content(cell: object, plain: str, width: int, column: Column, style: Style, console: Console,
             header: bool) -> list[list[Segment]] | None:
    """A cell (a str, or a Text `_plain` accepted) justified in its width: its lines, or
    None when Rich would cut it or align it in a way not done here."""
    justify = column.justify
    if _width(plain) > width:
        if header or column.no_wrap:
            return None
        text = cell.copy() if isinstance(cell, Text) else Text(plain)
        wrapped = text.wrap(console, width, justify=justify, overflow=column.overflow)
        lines = [list(Segment.apply_style(Text("\n").join([line]).render(console), style)) for line in wrapped]
        if any(Segment.get_line_length(line) != width for line in lines):
            return None
        return lines
    gap = " " * (width - _width(plain))
    if not isinstance(cell, Text) or not cell.spans:  # one style for the whole cell, its gap too
        if isinstance(cell, Text) and cell.style:
            style = style + console.get_style(cell.style)
        return [[Segment(plain + gap if justify == "left" else gap + plain, style)]]
    text = cell.copy()
    if justify == "left":
        text.pad_right(len(gap))
    else:
        text.pad_left(len(gap))
    # As Text.__rich_console__ does: joining makes the text's own style a span, which render() needs.
    return [list(Segment.apply_style(Text("\n").join([text]).render(console), style))]
