"""Spreadsheets (.xlsx, .xlsm, .xls, .ods) read as a table, through python-calamine.

A workbook is a table like a CSV: its first sheet (or the one `--sheet NAME` chooses)
becomes a Source whose header is the sheet's first row of two cells or more (a title
may stand above it) and whose rows are
texts, so every CSV format (Toggl, Clockify, Harvest, Jira, Redmine, generic) reads a
workbook export with the same column logic. Line numbers are the spreadsheet's row
numbers. Cells become the text a CSV export would hold: dates ISO (``2023-01-20``,
``2023-01-20 18:25:00``), times ``18:25:00``, durations ``30:15:00``, whole numbers
without ``.0``. python-calamine is imported here only, when a workbook is opened.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from roi.errors import NotATaskLog

WORKBOOK_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (a ZIP), .xls (an OLE file)


def cell_text(value: Any) -> str:
    """A cell as the text a CSV export of it holds."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="microseconds" if value.microsecond else "seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = round(value.total_seconds())
        sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
        return f"{sign}{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return str(value)


class SheetReader:
    """A sheet's rows as lists of texts, with `line_num` (the spreadsheet row number of
    the last row read) as the csv module's reader has it."""

    def __init__(self, rows: Iterator[list[Any]]) -> None:
        self.rows = rows
        self.line_num = 0

    def __iter__(self) -> SheetReader:
        return self

    def __next__(self) -> list[str]:
        row = next(self.rows)
        self.line_num += 1
        return [cell_text(v) for v in row]


class Book:
    """One sheet of a workbook, reopened for each pass over its rows."""

    def __init__(self, path: Any, sheet: str) -> None:
        self.path, self.sheet = path, sheet

    def reader(self) -> SheetReader:
        from python_calamine import CalamineWorkbook

        return SheetReader(iter(CalamineWorkbook.from_path(str(self.path)).get_sheet_by_name(self.sheet).iter_rows()))


def read_book(path: Path, sheet: str | None) -> tuple[Book, list[str], int, int, str]:
    """A workbook's sheet (the first, or `sheet`): the Book, its header, the rows above
    the header, its last row's number and a note saying which sheet was read."""
    what = _kind(path)
    try:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        names = list(workbook.sheet_names)
    except ImportError:
        raise NotATaskLog(f"{path} is {what}; reading it needs python-calamine (pip install python-calamine),"
                          " or save it as CSV") from None
    except Exception as exc:  # calamine raises its own errors for a file it cannot read
        raise NotATaskLog(f"{path} is {what} that cannot be read ({type(exc).__name__}: {exc});"
                          " save it as CSV from the spreadsheet") from None
    if not names:
        raise NotATaskLog(f"{path} is a workbook without sheets")
    chosen = sheet or names[0]
    if chosen not in names:
        raise NotATaskLog(f"{path} has no sheet {chosen!r} (its sheets: {', '.join(map(repr, names))})")
    data = workbook.get_sheet_by_name(chosen)
    book, header, skip = Book(path, chosen), [], 0
    reader = book.reader()
    for row in reader:  # the header: the first row of two cells or more (a report's title is above it)
        if sum(1 for cell in row if cell.strip()) >= 2:
            header, skip = [cell.strip() for cell in row], reader.line_num - 1
            break
    others = f" of {len(names)}: --sheet NAME for another ({', '.join(repr(n) for n in names if n != chosen)})"
    note = f"sheet {chosen!r}" + (others if len(names) > 1 else "") + ", lines are its row numbers"
    return book, header, skip, data.height + (data.start or (0, 0))[0], note


def _kind(path: Path) -> str:
    """What the bytes say the file is: a workbook, or another ZIP archive."""
    with open(path, "rb") as fh:
        magic = fh.read(4)
    if magic == WORKBOOK_MAGIC[1]:
        return "an old Office document (an Excel 97-2003 .xls workbook)"
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, OSError):
        return "a damaged ZIP archive or workbook"
    if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
        return "an Excel workbook (.xlsx)"
    if "content.xml" in names:
        return "an OpenDocument spreadsheet (.ods)"
    raise NotATaskLog(f"{path} is a ZIP archive (of {len(names)} files), not a workbook or a task log")
