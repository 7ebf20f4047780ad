"""What the TUI tests share: running a Pilot test without an async plugin, the text a
screen shows (as a terminal would get it), and waiting for something with a deadline."""

from __future__ import annotations

import asyncio
import functools
import io
import time
from collections.abc import Callable
from typing import Any

from rich.console import Console
from textual.app import App


def pilot_test(coro_fn):  # noqa: ANN001, ANN201
    """Run an async test without an async pytest plugin (fixtures still resolve)."""

    @functools.wraps(coro_fn)
    def run(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(coro_fn(*args, **kwargs))

    return run


def screen_text(app: App[Any]) -> str:
    """Every character of the current screen (dialogs over their screen, toasts included)
    as the terminal would receive it, styles left out: what `export_screenshot` draws."""
    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
        record=True, legacy_windows=False, safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))  # noqa: SLF001
    return console.export_text(styles=False)


async def until(pilot: Any, condition: Callable[[], object], *, within: float = 3.0) -> bool:  # noqa: ANN401
    """Let the app run until `condition()` holds, for at most `within` seconds."""
    deadline = time.monotonic() + within
    while True:
        if condition():
            return True
        if time.monotonic() >= deadline:
            return False
        await pilot.pause(0.02)
