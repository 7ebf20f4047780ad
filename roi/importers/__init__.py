"""Import task logs from the time trackers people already use.

Public API (the CLI and the TUI call these):

- `detect_format(path) -> Detection`: the format, from the content, with a note of what
  was decided (date order, time zone, skipped buckets, ...).
- `preview(path, format="auto", tz=None, limit=10, **mapping) -> list[PreviewRow]`.
- `run_import(store, path, format="auto", tz=None, dry_run=False, task_from=None,
  step_from=None, mapping=None, progress=None) -> ImportSummary`; `progress` is called
  as progress(done_rows, total_rows_or_None).
- `FORMATS`: the names accepted by `format=`; `REGISTRY` maps them to their FormatInfo,
  and `register()` adds a source (an ICS calendar, later).

Unusable input raises `NotATaskLog` (exit code 2 in the CLI), with nothing written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from roi.importers import (  # noqa: F401  (each module registers its format)
    activitywatch,
    clockify,
    generic,
    harvest,
    timewarrior,
    toggl,
    watson,
)
from roi.importers.base import (
    REGISTRY,
    Detection,
    FormatInfo,
    ImportSummary,
    NotATaskLog,
    PreviewRow,
    register,
)

if TYPE_CHECKING:
    from roi.importers.writer import detect_format, preview, run_import

FORMATS = ("toggl", "clockify", "harvest", "timewarrior", "watson", "activitywatch", "generic")

__all__ = [
    "FORMATS",
    "REGISTRY",
    "Detection",
    "FormatInfo",
    "ImportSummary",
    "NotATaskLog",
    "PreviewRow",
    "detect_format",
    "preview",
    "register",
    "run_import",
]


def __getattr__(name: str) -> Any:
    # The storing side (sqlite-utils, the pydantic models) loads on first use, not with
    # the package: the import's reading process needs only the parsers.
    if name in ("detect_format", "preview", "run_import"):
        from roi.importers import writer

        return getattr(writer, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
