"""A DataTable that draws its rows again when its width changes, Resize event or not.

Textual's DataTable keeps each rendered row by everything but the table's width, and
forgets them on a Resize event. A table inside a scrolling container can change width
without one reaching it in time: the import preview loses two columns to the results'
scrollbar while a long summary shows and gets them back when the summary is cleared.
The rows kept from the narrower table then leave its last two columns unstyled (the zebra
stripes and the cursor stop short) until something else redraws the table; before the
footer stopped rebuilding for nothing (tui.widgets.footer) its rebuild hid this. The
import screen's three tables are of this kind.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.widgets import DataTable

CellType = TypeVar("CellType")


class WidthKeyedTable(DataTable[CellType]):
    """Textual's DataTable, its rendered rows kept per width."""

    _rows_drawn_at: int | None = None

    def _render_line_in_row(self, *args: Any, **kwargs: Any) -> Any:  # noqa: ANN401
        width = self.size.width
        if width != self._rows_drawn_at:
            self._rows_drawn_at = width
            self._update_count += 1  # part of every row cache key: the old rows are not used
        return super()._render_line_in_row(*args, **kwargs)
