"""Unsaved form contents, kept per database in a small JSON file in roi's data folder,
so that what was typed survives Escape, quitting with a form open, and a crash. A new
drafts file is private to its owner (0600); an existing one keeps its mode."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator, MutableMapping
from pathlib import Path
from typing import Any

Values = dict[str, Any]
PRIVATE_MODE = 0o600  # what was typed into a form is nobody else's business


def drafts_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False)) / "tui-drafts.json"


class Drafts(MutableMapping[str, Values]):
    """form key -> values; written through to disk for file databases."""

    def __init__(self, database: str | os.PathLike[str] | None, path: Path | None = None) -> None:
        self.database = None if database in (None, ":memory:") else str(Path(database).resolve())
        self.path = path or drafts_path()
        self._data: dict[str, Values] = {}
        if self.database is not None:
            self._data = dict(self._load().get(self.database, {}))

    def _load(self) -> dict[str, dict[str, Values]]:
        try:
            data = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def _save(self) -> None:
        if self.database is None:
            return
        everything = self._load()
        if self._data:
            everything[self.database] = self._data
        else:
            everything.pop(self.database, None)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_suffix(".tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                os.chmod(tmp, self._mode())  # a left-over .tmp keeps no other mode
                fh.write(json.dumps(everything, indent=1, sort_keys=True))
            tmp.replace(self.path)
        except OSError:
            pass  # drafts are a convenience; the database is never at stake

    def _mode(self) -> int:
        """The drafts file's mode: kept when it exists, private (0600) when new."""
        try:
            return stat.S_IMODE(self.path.stat().st_mode)
        except OSError:
            return PRIVATE_MODE

    def __getitem__(self, key: str) -> Values:
        return self._data[key]

    def __setitem__(self, key: str, value: Values) -> None:
        self._data[key] = dict(value)
        self._save()

    def __delitem__(self, key: str) -> None:
        del self._data[key]
        self._save()

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)
