"""Import task logs from the time trackers people already use.

The CLI and the TUI call `detect_format`, `preview`, `run_import` (roi.importers.load) and
`list_batches`, `get_batch`, `rejected_lines`, `undo_batch` (roi.db.imports);
`all_formats()` is every format, built-in (`FORMATS`) or from the entry-point group
`roi.importers`, whose contract is `roi.importers.api`. `source` reads a file's bytes,
`csvlog` and `jsontext` are the engines the formats of `formats/` (one tracker a module)
share. Unusable input raises `NotATaskLog`, with nothing written.
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
