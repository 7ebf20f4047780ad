"""What every command is handed: the database it works on (opened on first use), and
the one way to open the terminal app."""

from __future__ import annotations

from pathlib import Path

import click

from roi.clock import today
from roi.db.store import Store, default_path


class State:
    def __init__(self, db: str | None) -> None:
        self.db_path = db
        self._store: Store | None = None

    @property
    def path(self) -> Path | str:
        return self.db_path if self.db_path == ":memory:" else Path(self.db_path or default_path())

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.path)
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()


pass_state = click.make_pass_decorator(State)


def open_tui(store: Store) -> None:
    import importlib

    # The terminal app (and Textual with it) is loaded only here, when it is opened.
    importlib.import_module("tui.app").run_app(store, today=today())
