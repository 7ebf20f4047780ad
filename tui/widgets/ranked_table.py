"""The inventory table: a virtual table on Textual's line API.

Only the visible lines are rendered, so opening 10,000 tasks costs the ranking and not
a measurement of 90,000 cells (which is what a DataTable does), and re-ranking after an
edit is a re-sort of a list plus a repaint of one screen of lines.

Every cell is plain text from `tui.display.plain_cells` (names made visible, never
parsed as markup), styled by column.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from roi.ranking import RankedTask
from tui.display import ALL_KEYS, KEY_INDEX, Column, plain_cells


class RankedTable(ScrollView, can_focus=True):
    """Rows of ranked tasks with a cursor; posts Highlighted and Selected with task ids."""

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False, id="ranked_table.up"),
        Binding("down,j", "cursor(1)", "Down", show=False, id="ranked_table.down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="ranked_table.page_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="ranked_table.page_down"),
        Binding("home", "first", "First", show=False, id="ranked_table.first"),
        Binding("end", "last", "Last", show=False, id="ranked_table.last"),
        Binding("enter", "select", "Open", show=False, id="ranked_table.select"),
    ]

    COMPONENT_CLASSES = {
        "ranked-table--header",
        "ranked-table--cursor",
        "ranked-table--cursor-blurred",
        "ranked-table--odd",
        "ranked-table--flag",
        "ranked-table--dim",
        "ranked-table--automate",
        "ranked-table--maybe",
        "ranked-table--skip",
        "ranked-table--needs-estimate",
        "ranked-table--negative",
    }

    DEFAULT_CSS = """
    RankedTable {
        background: $surface;
        scrollbar-gutter: stable;
    }
    RankedTable > .ranked-table--header {
        background: $panel;
        color: $foreground;
        text-style: bold;
    }
    RankedTable > .ranked-table--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: $block-cursor-text-style;
    }
    RankedTable > .ranked-table--cursor-blurred {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }
    RankedTable > .ranked-table--odd {
        background: $surface-lighten-1 40%;
    }
    RankedTable > .ranked-table--flag {
        color: $accent;
        text-style: bold;
    }
    RankedTable > .ranked-table--dim {
        color: $text-muted;
    }
    RankedTable > .ranked-table--automate {
        color: $text-success;
        text-style: bold;
    }
    RankedTable > .ranked-table--maybe {
        color: $text-warning;
        text-style: bold;
    }
    RankedTable > .ranked-table--skip {
        color: $text-error;
        text-style: bold;
    }
    RankedTable > .ranked-table--needs-estimate {
        color: $text-accent;
        text-style: bold;
    }
    RankedTable > .ranked-table--negative {
        color: $text-error;
    }
    """

    class Highlighted(Message):
        def __init__(self, table: RankedTable, task_id: int | None) -> None:
            super().__init__()
            self.table = table
            self.task_id = task_id

        @property
        def control(self) -> RankedTable:
            return self.table

    class Selected(Highlighted):
        pass

    class HeaderClicked(Message):
        """A column header was clicked (the inventory sorts by it when it can)."""

        def __init__(self, table: RankedTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> RankedTable:
            return self.table

    cursor_row: reactive[int] = reactive(0, init=False)

    def __init__(self, columns: list[Column], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._columns = columns
        self.rows: Sequence[RankedTask] = []
        #: Cells of every column in ALL_KEYS, by task id: a change of layout re-uses them.
        self._cells: dict[int, tuple[str, ...]] = {}
        #: The widest cell of each of ALL_KEYS over the rows (labels not included).
        self._content: list[int] = [0] * len(ALL_KEYS)
        self._shown = [KEY_INDEX[c.key] for c in columns]
        self._widths: list[int] = []
        self._index: dict[int, int] | None = None
        self._locate: Callable[[int], int | None] | None = None
        self._selected: int | None = None
        #: The column sorted by (its header shows `sort_mark`), and the mark.
        self.sort_key: str | None = None
        self.sort_mark = "▲"

    # --- data --------------------------------------------------------------------------

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @columns.setter
    def columns(self, columns: list[Column]) -> None:
        self.set_columns(columns)

    def set_columns(self, columns: list[Column]) -> None:
        """Show these columns (the cells of all of them are kept, so nothing is re-read)."""
        self._columns = columns
        self._shown = [KEY_INDEX[c.key] for c in columns]
        self._lay_out()
        self.refresh()

    def set_sort(self, key: str | None, mark: str) -> None:
        self.sort_key, self.sort_mark = key, mark
        self._lay_out()
        self.refresh()

    def label(self, column: Column) -> str:
        return f"{column.label} {self.sort_mark}" if column.key == self.sort_key else column.label

    def set_rows(
        self,
        rows: Sequence[RankedTask],
        *,
        changed: AbstractSet[int] | None = None,
        full: bool = False,
        locate: Callable[[int], int | None] | None = None,
    ) -> None:
        """Show these rows (in this order). `changed`: ids whose cells must be rebuilt
        (None with full=True: all of them). `locate` finds a task's row without
        indexing every row (the inventory passes rank - 1 when nothing is filtered).
        Keeps the cursor on the same task."""
        keep = self._selected  # the task under the cursor, wherever it moved
        self._locate = locate
        if full:
            self._cells.clear()
        elif changed:
            for task_id in changed:
                self._cells.pop(task_id, None)
        self.rows = rows
        self._index = None
        if full or not any(self._content):
            self._content = self._measure(rows)
        else:
            for task_id in changed or ():
                row = self.row_index(task_id)
                if row is not None:
                    self._widen(self._cells_of(self.rows[row]))
        self._content[KEY_INDEX["rank"]] = max(self._content[KEY_INDEX["rank"]], len(str(len(rows))))
        self._lay_out()
        target = self.row_index(keep) if keep is not None else None
        with self.prevent(self.Highlighted):
            self.cursor_row = min(target if target is not None else self.cursor_row, max(len(rows) - 1, 0))
        self._remember()
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected_id))

    def _cells_of(self, r: RankedTask) -> tuple[str, ...]:
        cells = self._cells.get(r.id)
        if cells is None:
            cells = plain_cells(r, ALL_KEYS)
            self._cells[r.id] = cells
        return cells

    def _measure(self, rows: Sequence[RankedTask]) -> list[int]:
        widths = [0] * len(ALL_KEYS)
        for r in rows:
            for i, text in enumerate(self._cells_of(r)):
                size = len(text) if text.isascii() else cell_len(text)
                if size > widths[i]:
                    widths[i] = size
        return widths

    def _widen(self, cells: tuple[str, ...]) -> None:
        for i, text in enumerate(cells):
            self._content[i] = max(self._content[i], cell_len(text))

    def column_width(self, column: Column) -> int:
        """What a column needs: its widest cell or its label (with the sort mark), within
        the column's cap."""
        width = max(self._content[KEY_INDEX[column.key]], cell_len(self.label(column)))
        return min(width, column.max_width) if column.max_width else width

    def needed_width(self, columns: list[Column]) -> int:
        """The cells these columns take with nothing cut but the task names, which take
        at least their column's `min_width` (the widest name is cut to fit)."""
        total = 0
        for column in columns:
            width = self.column_width(column)
            if column.min_width:
                width = min(width, column.min_width)
            total += width + 2
        return total

    def _lay_out(self) -> None:
        """Column widths for the shown columns: the task column gives up what the others
        need of the width there is, down to its min_width (then the table scrolls)."""
        widths = [self.column_width(c) for c in self._columns]
        room = self.scrollable_content_region.width or (self.app.size.width - 2 if self.is_attached else 0)
        spare = room - sum(w + 2 for w in widths)
        for i, column in enumerate(self._columns):
            if column.min_width and spare < 0:
                widths[i] = max(column.min_width, widths[i] + spare, cell_len(self.label(column)))
        self._widths = widths
        self.virtual_size = Size(self._total_width(), len(self.rows) + 1)

    def on_resize(self) -> None:
        self._lay_out()

    def _total_width(self) -> int:
        return sum(w + 2 for w in self._widths)

    # --- queries -------------------------------------------------------------------------

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def selected_id(self) -> int | None:
        return self._selected

    def _remember(self) -> None:
        if 0 <= self.cursor_row < len(self.rows):
            self._selected = self.rows[self.cursor_row].id
        else:
            self._selected = None

    def row_index(self, task_id: int | None) -> int | None:
        if task_id is None:
            return None
        if self._locate is not None:
            index = self._locate(task_id)
            if index is not None and 0 <= index < len(self.rows) and self.rows[index].id == task_id:
                return index
        if self._index is None:
            self._index = {r.id: i for i, r in enumerate(self.rows)}
        return self._index.get(task_id) if task_id is not None else None

    def row_texts(self, index: int) -> list[str]:
        """The cells of a row as shown (tests and accessibility)."""
        r = self.rows[index]
        cells = self._shown_cells(r)
        for i, column in enumerate(self.columns):
            if column.key == "rank":
                cells[i] = str(r.rank)  # ranks are drawn live, never cached
        return cells

    def _shown_cells(self, r: RankedTask) -> list[str]:
        cells = self._cells_of(r)
        return [cells[i] for i in self._shown]

    # --- cursor --------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        if self.rows:
            self.cursor_row = max(0, min(row, len(self.rows) - 1))

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._remember()
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.selected_id))

    def _scroll_cursor_into_view(self) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = int(self.scroll_y)
        if self.cursor_row < top:
            self.scroll_to(y=self.cursor_row, animate=False, immediate=True)
        elif self.cursor_row >= top + visible:
            self.scroll_to(y=self.cursor_row - visible + 1, animate=False, immediate=True)

    def action_cursor(self, delta: int) -> None:
        self.move_cursor(self.cursor_row + delta)

    def action_page(self, direction: int) -> None:
        self.move_cursor(self.cursor_row + direction * max(self.scrollable_content_region.height - 2, 1))

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(len(self.rows) - 1)

    def action_select(self) -> None:
        if self.selected_id is not None:
            self.post_message(self.Selected(self, self.selected_id))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = event.x + int(self.scroll_x)
            for column, width in zip(self.columns, self._widths, strict=True):
                if x < width + 2:
                    self.post_message(self.HeaderClicked(self, column.key))
                    return
                x -= width + 2
            return
        row = event.y + int(self.scroll_y) - 1
        if not 0 <= row < len(self.rows):
            return
        if row == self.cursor_row:
            self.move_cursor(row)
            self.action_select()
        else:
            self.move_cursor(row)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # --- rendering -------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        scroll_x = int(self.scroll_x)
        if y == 0:
            style = self.get_component_rich_style("ranked-table--header")
            cells = [self.label(c) for c in self.columns]
            strip = self._strip(cells, style, None, None)
        else:
            index = int(self.scroll_y) + y - 1
            base = self.rich_style
            if index >= len(self.rows):
                return Strip([Segment(" " * width, base)], width)
            r = self.rows[index]
            cells = self._shown_cells(r)
            if index == self.cursor_row:
                name = "ranked-table--cursor" if self.has_focus else "ranked-table--cursor-blurred"
                style = base + self.get_component_rich_style(name)
                cell_styles = None
            else:
                style = base + self.get_component_rich_style("ranked-table--odd") if index % 2 else base
                cell_styles = self._cell_styles(r, cells)
            strip = self._strip(cells, style, cell_styles, r)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _fg(self, name: str) -> Style:
        """A component's colour and text style, without its background (the row's wins)."""
        style = self.get_component_rich_style(name)
        return Style(color=style.color, bold=style.bold, dim=style.dim, italic=style.italic)

    def _cell_styles(self, r: RankedTask, cells: list[str]) -> list[Style | None]:
        styles: list[Style | None] = []
        for column, text in zip(self.columns, cells, strict=True):
            if column.key == "verdict":
                styles.append(self._fg(f"ranked-table--{r.verdict}"))
            elif column.key == "flags" and text:
                active = any(not f.dismissed for f in r.flags)
                styles.append(self._fg("ranked-table--flag" if active else "ranked-table--dim"))
            elif column.key in ("saved", "net") and text.startswith("-"):
                styles.append(self._fg("ranked-table--negative"))
            else:
                styles.append(None)
        return styles

    def _strip(
        self,
        cells: list[str],
        style: Style,
        cell_styles: list[Style | None] | None,
        r: RankedTask | None,
    ) -> Strip:
        segments = []
        for i, (column, text) in enumerate(zip(self.columns, cells, strict=True)):
            width = self._widths[i]
            if column.key == "rank" and r is not None:
                text = str(r.rank)
            if cell_len(text) > width:
                text = set_cell_size(text, width - 1) + "…"
            pad = width - cell_len(text)
            shown = (" " * pad + text) if column.right else (text + " " * pad)
            cell_style = style + cell_styles[i] if cell_styles and cell_styles[i] else style
            segments.append(Segment(" " + shown + " ", cell_style))
        return Strip(segments, self._total_width())
