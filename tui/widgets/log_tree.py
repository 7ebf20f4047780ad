"""The import screen's file tree: only folders and files a time log can be in, and
backspace (or the ".." entry) goes to the parent folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.binding import Binding
from textual.widgets import DirectoryTree

#: File endings of the logs roi reads (CSV and TSV exports, JSON, Timewarrior data,
#: workbooks, calendars, mailboxes).
LOG_SUFFIXES = frozenset({
    ".csv", ".tsv", ".txt", ".json", ".jsonl", ".ndjson", ".data", ".xlsx", ".ics", ".mbox", ".eml",
})


class LogTree(DirectoryTree):
    """A DirectoryTree of folders and time logs; hidden files are left out."""

    BINDINGS = [
        Binding("backspace", "parent", "Parent folder", id="log_tree.parent"),
    ]

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            p for p in paths
            if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in LOG_SUFFIXES)
        ]

    def action_parent(self) -> None:
        """Show the folder above this one (the tree's root moves up)."""
        here = Path(self.path).resolve()
        if here.parent != here:
            self.path = here.parent
