"""Toasts coalesce repeats and stay off the detail panel; screenshots are saved beside
the database (no ~/Downloads needed) with a key, and say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from roi.db.store import Store
from tests.conftest import TODAY
from tests.tui.helpers import pilot_test, until
from tui.app import create_app


@pilot_test
async def test_repeated_toasts_coalesce_with_a_count(demo_store: Store) -> None:
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(3):
            app.notify("No task selected.", severity="warning")
        app.notify("Something else.")
        await pilot.pause()
        app.notify("No task selected.", severity="warning")
        await pilot.pause()
        messages = [n.message for n in app._notifications]  # noqa: SLF001
        assert messages.count("No task selected. (×4)") == 1
        assert not any(m == "No task selected." for m in messages)
        assert "Something else." in messages
        app.notify("No task selected.", severity="error")  # another severity: its own toast
        await pilot.pause()
        assert len(list(app._notifications)) == 2  # noqa: SLF001 - the oldest made room


@pilot_test
async def test_toasts_never_cover_the_detail_panel(demo_store: Store) -> None:
    from textual.widgets._toast import Toast

    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        for n in range(3):
            app.notify(f"Toast number {n}, long enough to wrap over two lines of a toast box.")
        assert await until(pilot, lambda: len(app.screen.query(Toast)) >= 1)
        await pilot.pause()
        detail = app.screen.query_one("#detail").region
        toasts = list(app.screen.query(Toast))
        assert "Toast number 2" in str(toasts[-1].render())  # the newest shows
        for toast in toasts:
            assert not toast.region.overlaps(detail), (toast.region, detail)


@pilot_test
async def test_a_screenshot_is_saved_beside_the_database_and_says_where(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home-without-downloads"))
    assert demo_store.path is not None
    folder = Path(str(demo_store.path)).resolve().parent
    app = create_app(demo_store, today=TODAY)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        shots = list(folder.glob("*.svg"))
        assert len(shots) == 1 and shots[0].read_text().lstrip().startswith("<svg")
        toast = next(iter(app._notifications)).message  # noqa: SLF001
        assert str(shots[0]) in toast


def test_screenshots_go_to_the_current_folder_without_a_database_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(":memory:")
    monkeypatch.chdir(tmp_path)
    app = create_app(store, today=TODAY)
    assert app.screenshot_folder() == tmp_path
