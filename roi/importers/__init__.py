"""Import task logs from the time trackers people already use.

Public API (the CLI and the TUI call these):

- `detect_format(path) -> Detection`: the format, from the content, with a note of what
  was decided (date order, time zone, skipped buckets, ...).
- `preview(path, format="auto", tz=None, limit=10, **mapping) -> list[PreviewRow]`.
- `run_import(store, path, format="auto", tz=None, dry_run=False, task_from=None,
  step_from=None, mapping=None, progress=None) -> ImportSummary`; `progress` is called
  as progress(done_rows, total_rows_or_None).
- `list_batches`, `get_batch`, `rejected_lines`, `undo_batch`: past imports.
- `all_formats()`: every format by name, the built-ins and those of the entry-point group
  `roi.importers` (the contract is in `roi.importers.api`); `FORMATS`: the built-ins.

Where things are: `api` (the contract: Entry, Problem, Format, the registry), `source`
(a file's bytes, encoding, CSV header or JSON), `csvlog` and `jsontext` (the engines the
built-in formats share), `formats/` (one tracker a module), `load` (an import, end to
end); the commands are in roi.cli.imports. Unusable input raises `NotATaskLog` (exit
code 2 in the CLI), with nothing written.
"""

from __future__ import annotations

from roi.db.imports import Batch, Undone, get_batch, list_batches, rejected_lines, undo_batch
from roi.importers.api import (
    REGISTRY,
    Detection,
    Entry,
    Format,
    FormatInfo,
    ImportSummary,
    NotATaskLog,
    Options,
    PreviewRow,
    Problem,
    all_formats,
    register,
)
from roi.importers.formats import BUILT_IN as FORMATS
from roi.importers.load import detect_format, preview, run_import

__all__ = [
    "FORMATS",
    "REGISTRY",
    "Batch",
    "Detection",
    "Entry",
    "Format",
    "FormatInfo",
    "ImportSummary",
    "NotATaskLog",
    "Options",
    "PreviewRow",
    "Problem",
    "Undone",
    "detect_format",
    "all_formats",
    "get_batch",
    "list_batches",
    "preview",
    "register",
    "rejected_lines",
    "run_import",
    "undo_batch",
]
