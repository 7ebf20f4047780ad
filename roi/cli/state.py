"""What every command is handed: the database it works on (opened on first use), and
the one way to open the terminal app.

An explicit database (--db or $ROI_DB) whose folder does not exist is refused unless
--create is given: a typo is not an empty inventory. The default location is created
freely. A command waits for another roi's write lock at most $ROI_BUSY_TIMEOUT seconds
in all, and says once on stderr that it is waiting."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import click

from roi.db.connection import Waits, default_path, shown

if TYPE_CHECKING:  # the store (and pydantic with it) loads when a command opens it
    from roi.db.store import Store

# What a command's writes are called for another roi that waits for them.
ACTIVITIES = {
    "roi import": "an import",
    "roi imports undo": "an undo of an import",
    "roi demo": "loading the demo",
    "roi seed demo": "loading the demo",
}


class State:
    # The State of the command running now, for the error boundary (roi.cli.main) to
    # name its database.
    current: ClassVar[State | None] = None

    def __init__(self, db: str | None, *, create: bool = False) -> None:
        self.db_path = db
        self.create = create  # --create: make an explicit path's folder
        self.default_location = db is None  # roi's own data folder: created freely
        self._store: Store | None = None
        self._closed = False
        State.current = self

    @property
    def path(self) -> Path | str:
        return self.db_path if self.db_path == ":memory:" else Path(self.db_path or default_path())

    @property
    def explicit(self) -> bool:
        return not self.default_location

    def store(self) -> Store:
        if self._store is None:
            from roi.db.store import Store

            waits = Waits(on_wait=self._waiting)
            self._store = Store.open(self.path, create_folder=self.create or self.default_location, waits=waits)
            ctx = click.get_current_context(silent=True)
            if ctx is not None:
                command = ctx.command_path
                self._store.activity = ACTIVITIES.get(command, f"`{command}`")
        return self._store

    def _waiting(self, activity: str | None) -> None:
        what = f" ({activity})" if activity else ""
        _note(f"waiting for another roi to finish{what} with {shown(self.path)}…")

    @property
    def opened(self) -> Store | None:
        """The store if a command opened it (it stays named after closing)."""
        return self._store

    def close(self) -> None:
        if self._store is not None and not self._closed:
            self._closed = True
            store = self._store
            if store.read_only is not None and not store.refused_write:
                _note(f"Note: {store.read_only.removesuffix('; upgrade roi to change it')}:"
                      " it was only read (upgrade roi to change it)")
            store.close()


def _note(message: str) -> None:
    from rich.text import Text  # here, not above: `roi --help` needs no Rich

    from roi.cli.console import console

    console(stderr=True).print(Text(message), soft_wrap=True)


pass_state = click.make_pass_decorator(State)


def open_tui(store: Store) -> None:
    import importlib

    from roi.clock import today

    # The terminal app (and Textual with it) is loaded only here, when it is opened.
    importlib.import_module("tui.app").run_app(store, today=today())
