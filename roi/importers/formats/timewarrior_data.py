"""Timewarrior's own data files, read without `timew export`.

``~/.timewarrior/data/YYYY-MM.data`` holds one interval a line, as Timewarrior's
``Interval::serialize`` writes it::

    inc 20230120T182500Z - 20230120T190000Z # email "tag two" # "the annotation"
    inc 20230121T080000Z # email                      (open: still running)

(tags sorted, quoted when they hold a space or a quote; the annotation after a second
``#``, quoted by Timewarrior 1.1 and later, bare before; ``exc`` lines of old versions
are exclusions, not intervals). One such file, or a folder of them (a backed-up data
folder, or ``~/.timewarrior`` itself), is read in month order; the folder's other files
(``undo.data``, ``tags.data``, ``backlog.data``, ...) are not intervals and are left out,
and the note says so. Each line becomes the record `timew export` would give for it, so
that a data folder and an export of the same intervals are the same entries (the
`timewarrior` format reads both; a re-import of either adds nothing).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.errors import NotATaskLog, RowError
from roi.importers.source import SAMPLE_BYTES, Source

TITLE = "Timewarrior data file"
FOLDER_TITLE = "Timewarrior data folder"
MONTH_FILE = re.compile(r"\d{4}-\d{2}\.data")
_STAMP = r"\d{8}T\d{6}Z"
_INTERVAL = re.compile(rf"inc(?: {_STAMP}(?: - {_STAMP})?)?(?: #.*)?")
_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\'|(\S+)')
_ESCAPE = re.compile(r"\\(.)")


def looks_raw(head: str) -> bool:
    """The text's first lines are mostly interval lines (`inc ...`, or `exc ...` of old
    versions): a damaged line among them is that line's error, not the file's."""
    lines = head.splitlines()
    if len(head) >= SAMPLE_BYTES - 4:
        lines = lines[:-1]  # the head may end inside a line
    lines = [line.strip() for line in lines[:50] if line.strip()]
    ours = sum(line.startswith(("inc", "exc")) for line in lines)
    return bool(lines) and ours >= 0.8 * len(lines) and any(_INTERVAL.fullmatch(line) for line in lines)


def sniff(source: Any) -> int:
    if isinstance(source, DataFolder):
        return 95
    return 96 if source.kind == "csv" and looks_raw(source.head) else 0


def tokens(line: str) -> list[tuple[str, bool]]:
    """A line's words as Timewarrior's lexer reads them: (text, was quoted)."""
    out = []
    for m in _TOKEN.finditer(line):
        quoted = m.group(1) if m.group(1) is not None else m.group(2)
        out.append((_ESCAPE.sub(r"\1", quoted), True) if quoted is not None else (m.group(3), False))
    return out


def interval(line: str) -> dict[str, Any] | None:
    """The `timew export` record of an `inc` line (None: an `exc` line). As Timewarrior's
    IntervalFactory reads it: `inc [START [- END]] [# TAG ...] [# ANNOTATION ...]`."""
    words = tokens(line)
    if words and words[0] == ("exc", False):
        return None
    if not words or words[0] != ("inc", False):
        raise RowError(f"not an interval line (it should start with 'inc'): {line[:80]!r}")
    record: dict[str, Any] = {}
    i = 1
    if len(words) > 1 and len(words[1][0]) == 16 and not words[1][1]:
        record["start"], i = words[1][0], 2
        if len(words) > 3 and words[2] == ("-", False) and len(words[3][0]) == 16:
            record["end"], i = words[3][0], 4
    if i < len(words) and words[i] != ("#", False):
        raise RowError(f"unexpected {words[i][0]!r} after the times (a tag list starts with '#'): {line[:80]!r}")
    i += 1
    tags = []
    while i < len(words) and words[i] != ("#", False):
        tags.append(words[i][0])
        i += 1
    if tags:
        record["tags"] = tags
    annotation = " ".join(w for w, _ in words[i + 1:])
    if annotation:
        record["annotation"] = annotation
    if "start" not in record:
        raise RowError(f"interval has no start: {line[:80]!r}")
    return record


@dataclass
class DataFolder(Source):
    """A folder of Timewarrior data files, as one source (its hash: every month file's
    name and bytes, so an unchanged backup is recognised as imported before)."""

    files: list[Path] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)

    def inspect(self, mapping: dict[str, str] | None = None, *_: Any, **__: Any) -> DataFolder:
        self.mapping = dict(mapping or {})
        self.kind = "timewarrior-data"
        return self


def _data_files(path: Path) -> list[Path]:
    """The *.data files of a folder (or of its data/ folder: `~/.timewarrior` holds one)."""
    folder = path / "data" if (path / "data").is_dir() and not any(path.glob("*.data")) else path
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".data")
    except OSError:
        return []


def holds_data(path: Path) -> bool:
    """A folder with Timewarrior month files (YYYY-MM.data) in it, or in its data/."""
    return any(MONTH_FILE.fullmatch(p.name) for p in _data_files(path))


def folder_source(path: Path) -> DataFolder:
    """A Timewarrior data folder as one source; NotATaskLog when it holds no month files."""
    names = _data_files(path)
    files = [p for p in names if MONTH_FILE.fullmatch(p.name)]
    if not files:
        raise NotATaskLog(f"{path} is a folder, not a task log file (nor a Timewarrior data folder:"
                          " no YYYY-MM.data files in it)")
    digest, size, lines, head = hashlib.sha256(), 0, 0, ""
    for p in files:
        try:
            data = p.read_bytes()
        except OSError as exc:
            raise NotATaskLog(f"{p}: cannot be read ({exc.strerror or exc})") from None
        digest.update(p.name.encode() + b"\x00" + data + b"\x00")
        size += len(data)
        lines += data.count(b"\n") + (not data.endswith(b"\n") and bool(data))
        head = head or data[:SAMPLE_BYTES].decode("utf-8", "replace")
    return DataFolder(path, size, digest.hexdigest(), "utf-8", lines, head,
                      files=files, ignored=[p.name for p in names if p not in files])


def records(source: Any) -> tuple[Iterator[tuple[int, Any]], str]:
    """(line, (file name or "", line text)) for every line with text, and the note."""
    if isinstance(source, DataFolder):
        months = source.files
        note = f"{len(months)} month file{'s' * (len(months) != 1)} ({months[0].name} to {months[-1].name})"
        if source.ignored:
            note += f"; not intervals, not read: {', '.join(source.ignored)}"
    else:
        months, note = [source.path], "Timewarrior's own data file (read without `timew export`)"

    def read() -> Iterator[tuple[int, Any]]:
        for path in months:
            name = path.name if isinstance(source, DataFolder) else ""
            with (source.open_text() if not name else open(path, encoding="utf-8", errors="replace")) as fh:
                for number, text in enumerate(fh, 1):
                    if text.strip():
                        yield number, (name, text.strip("\r\n"))

    return read(), note
