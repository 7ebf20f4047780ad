"""A path input that completes file and folder names as you type (→ accepts)."""

from __future__ import annotations

import os
from pathlib import Path

from textual.suggester import Suggester


class PathSuggester(Suggester):
    """Suggests the first entry of the typed folder that starts with the typed name."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        if not value:
            return None
        typed = os.path.expanduser(value)
        folder, _, prefix = typed.rpartition(os.sep)
        base = Path(folder or ("/" if typed.startswith(os.sep) else "."))
        try:
            names = sorted(
                entry.name + (os.sep if entry.is_dir() else "")
                for entry in os.scandir(base)
                if entry.name.startswith(prefix) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        if not names or names[0] == prefix:
            return None
        return value[: len(value) - len(prefix)] + names[0]
