"""The app's own versions of Textual widgets: the footer rebuilt only when its keys
change, and the import preview's table drawn again when its width changes."""

from __future__ import annotations

from typing import Any

from rich.style import Style
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.widgets import DataTable
from textual.widgets._footer import FooterKey

from roi.db.store import Store
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test
from tui.app import create_app
from tui.screens.inventory import InventoryScreen
from tui.widgets.data_table import WidthKeyedTable
from tui.widgets.footer import Footer


def footer_keys(app: App[Any]) -> list[FooterKey]:
    return list(app.screen.query_one(Footer).query(FooterKey))


@pilot_test
async def test_the_footer_is_rebuilt_once_and_only_when_its_keys_change(demo_store: Store) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()  # the footer is first built once the inventory has its focus
        assert isinstance(app.screen, InventoryScreen)
        footer = app.screen.query_one(Footer)
        before = footer_keys(app)
        assert "a" in [k.key for k in before]  # the inventory's own keys are shown
        rebuilds = 0
        recompose = footer.recompose

        async def counted() -> None:
            nonlocal rebuilds
            rebuilds += 1
            await recompose()

        footer.recompose = counted  # type: ignore[method-assign]

        # bindings announced as changed, the keys the same: nothing is rebuilt
        for _ in range(3):
            app.screen.refresh_bindings()
        await pilot.press("down")
        await pilot.pause()
        assert rebuilds == 0
        assert footer_keys(app) == before and all(a is b for a, b in zip(footer_keys(app), before, strict=True))

        # a key moved by a keymap, announced three times: one rebuild, showing the new key
        app.set_keymap({"inventory.add": "plus"})
        app.screen.refresh_bindings()
        app.screen.refresh_bindings()
        await pilot.pause()
        assert rebuilds == 1
        keys = [k.key for k in footer_keys(app)]
        assert "plus" in keys and "a" not in keys


class DrawnAt(WidthKeyedTable[str]):
    """The preview's table, told the width it is drawn at (as a reflow sets it, no Resize)."""

    width: int | None = None

    @property
    def size(self) -> Size:
        real = super().size
        return real if self.width is None else Size(self.width, real.height)


class OneTable(App[None]):
    def __init__(self, table: DataTable[str]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table


def row_fill(table: DrawnAt, width: int) -> list[object]:
    """The background of each cell of row 1 when the table draws it `width` cells wide."""
    table.width = width
    strip = table._render_line(2, 0, width, Style())  # noqa: SLF001 - the header, row 0, row 1
    return [seg.style.bgcolor if seg.style else None for seg in strip for _ in range(seg.cell_length)]


@pilot_test
async def test_the_preview_table_styles_its_whole_width_after_a_width_change_without_resize() -> None:
    table = DrawnAt(zebra_stripes=True, cursor_type="row")
    app = OneTable(table)
    async with app.run_test(size=(60, 10)) as pilot:
        table.add_columns("Line", "Status")
        table.add_rows([("1", "ok"), ("2", "ok"), ("3", "rejected")])
        await pilot.pause()
        narrow = row_fill(table, 40)
        assert len(narrow) == 40 and narrow[-1] == narrow[0]  # the stripe reaches the last column
        wide = row_fill(table, 44)
        assert len(wide) == 44
        assert wide[-1] == wide[0], "the last columns kept the narrower table's rows: unstyled"
