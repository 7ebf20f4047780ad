"""The printed ranking report: one model, one renderer per format, an atomic writer.

    report = build_report(store, today=date.today())
    text = render(report, "md")            # text | md | html | csv | json
    write_report(store, "roi.html", "html", today=date.today())
"""

from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

from roi.db.store import Store
from roi.models import RoiError
from roi.report.model import FORMATS, SCHEMA_VERSION, Report, build_report
from roi.report.writer import atomic_write

__all__ = ["FORMATS", "SCHEMA_VERSION", "Report", "atomic_write", "build_report", "render", "write_report"]

SUFFIXES = {".txt": "text", ".text": "text", ".md": "md", ".markdown": "md", ".html": "html",
            ".htm": "html", ".csv": "csv", ".json": "json"}


def render(report: Report, fmt: str) -> str:
    """The report as text in one format: text, md, html, csv or json."""
    if fmt == "text":
        from roi.report import render_text as module
    elif fmt in ("md", "markdown"):
        from roi.report import render_md as module  # type: ignore[no-redef]
    elif fmt == "html":
        from roi.report import render_html as module  # type: ignore[no-redef]
    elif fmt == "csv":
        from roi.report import render_csv as module  # type: ignore[no-redef]
    elif fmt == "json":
        from roi.report import render_json as module  # type: ignore[no-redef]
    else:
        raise RoiError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    return module.render(report)


def format_for(path: str | os.PathLike[str]) -> str | None:
    """The format a file name suggests (report.html -> html), or None."""
    return SUFFIXES.get(Path(path).suffix.lower())


def write_report(
    store: Store,
    path: str | os.PathLike[str],
    fmt: str,
    *,
    today: date,
    by: str = "payback",
    horizon_weeks: float | None = None,
    top: int | None = None,
    generated: datetime | None = None,
    budget_hours_per_week: float | None = None,
) -> Path:
    """Build, render and write the report atomically; return the path written."""
    if fmt not in FORMATS and fmt != "markdown":
        raise RoiError(f"unknown report format {fmt!r}; use one of {', '.join(FORMATS)}")
    report = build_report(store, today=today, by=by, horizon_weeks=horizon_weeks, top=top,
                          generated=generated, budget_hours_per_week=budget_hours_per_week)
    return atomic_write(path, render(report, fmt))
