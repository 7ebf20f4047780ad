"""Reading files the way real exports come: encodings, delimiters, a header, JSON.

`open_source` makes one streaming pass over the bytes: it decides the encoding (UTF-8
with or without BOM, UTF-16 with BOM, else Windows-1252), hashes the file and counts its
lines. `Source.inspect` then looks at the start of the text: a CSV's delimiter and
header, or the parsed JSON (whole: JSON exports are read at once). Formats stream the
CSV text again row by row; nothing here holds a whole CSV in memory.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import stat
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roi.errors import NotATaskLog
from roi.importers.workbook import WORKBOOK_MAGIC

CHUNK = 1 << 20
NUL_RUN = b"\x00" * 4096  # where a file padded after a crash ends its text
SAMPLE_BYTES = 64 * 1024
FIELD_LIMIT = 1 << 30  # huge fields are data, not an error
DELIMITERS = (",", ";", "\t", "|")

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document (a printed report: export the detailed report as CSV or XLSX instead)",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3": "an SQLite database",
}


@dataclass
class Source:
    """A file on disk: what one pass over its bytes told, and (after `inspect`) what its
    start looks like. This is what a format's `sniff` and `open` are given."""

    path: Path
    size: int
    sha256: str
    encoding: str  # a Python codec name ("utf-8-sig", "utf-8", "cp1252", "utf-16")
    lines: int  # physical lines (a trailing line without newline counts)
    head: str  # the first SAMPLE_BYTES decoded (BOM removed)
    has_nul: bool = False  # NUL bytes somewhere (removed before the csv module sees them)
    cut: int | None = None  # bytes read: the rest is a long run of NULs (crash padding)
    cut_line: int = 0  # the line that run starts on
    # what `inspect` found
    kind: str = ""  # "csv" or "json"
    delimiter: str = ","
    header: list[str] = field(default_factory=list)
    fields: dict[str, int] = field(default_factory=dict)  # normalised header name -> column
    json_prefix: int = 0  # characters before the JSON value (a shell banner), passed over
    json_loader: Any = field(default=None, repr=False)  # parses the JSON on first use of .json
    _json: Any = field(default=None, repr=False)
    mapping: dict[str, str] = field(default_factory=dict)  # the person's --map choices
    skip: int = 0  # lines before the header: Excel's "sep=;" hint, a sheet's empty rows
    book: Any = None  # a workbook's sheet, read as a table (roi.importers.workbook)
    note: str = ""  # what reading the file decided (the sheet, a sep= hint)

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def json(self) -> Any:
        """The parsed JSON, read on first use (a big export is streamed by its format instead)."""
        if self.json_loader is not None:
            self._json, self.json_loader = self.json_loader(), None
        return self._json

    def open_text(self) -> io.TextIOWrapper:
        """The text, streamed; newline="" as the csv module wants."""
        raw: Any = open(self.path, "rb")  # noqa: SIM115 - closed with the wrapper
        if self.cut is not None:
            raw = io.BufferedReader(_Upto(raw, self.cut))
        return io.TextIOWrapper(raw, encoding=self.encoding, errors="replace", newline="")

    def read_text(self) -> str:
        with self.open_text() as fh:
            return fh.read()

    def inspect(self, mapping: dict[str, str] | None = None, sheet: str | None = None) -> Source:
        """Decide CSV, workbook or JSON and read the header or the JSON value."""
        from roi.importers.jsontext import inspect_json, looks_like_json

        self.mapping = dict(mapping or {})
        if self.encoding == "workbook":  # a sheet read as a table, its rows as texts
            from roi.importers.workbook import read_book

            self.book, self.header, self.skip, self.lines, self.note = read_book(self.path, sheet)
        elif looks_like_json(self.head) and inspect_json(self):
            return self
        else:
            try:
                first, _, rest = self.head.partition("\n")
                hint = first.strip().strip('"')
                if hint[:4].lower() == "sep=" and len(hint) == 5:  # Excel's delimiter hint, a line of its own
                    self.delimiter, self.skip, self.note = hint[4], 1, f"line 1 {hint!r} sets the delimiter"
                else:
                    self.delimiter, rest = sniff_delimiter(self.head), self.head
                self.header = read_header(rest, self.delimiter)
            except csv.Error as exc:
                raise NotATaskLog(f"{self.path} is not readable as CSV ({exc})") from None
        self.kind, self.fields = "csv", header_fields(self.header)
        return self

    @contextmanager
    def csv_reader(self) -> Iterator[Any]:
        """A csv reader of the whole text (its `line_num` counts physical lines); a CSV the
        csv module cannot read at all is not a task log."""
        with ExitStack() as opened:
            if self.book is not None:
                reader: Any = self.book.reader()
            else:
                fh = opened.enter_context(self.open_text())  # the csv module refuses NUL characters
                lines: Iterator[str] = (line.replace("\x00", "") for line in fh) if self.has_nul else fh
                reader = csv.reader(lines, delimiter=self.delimiter, strict=False)
            try:
                for _ in range(self.skip):
                    next(reader, None)
                yield reader
            except csv.Error as exc:
                raise NotATaskLog(f"{self.path}: unreadable CSV ({exc})") from None

    def physical_lines(self, first: int, last: int) -> list[str]:
        """Physical lines `first` to `last` (1-based, as csv's line_num counts them)."""
        with self.open_text() as fh:
            return [line.replace("\x00", "") for line in itertools.islice(fh, first - 1, last)]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """(first physical line of the row, fields) for every CSV row, the header included."""
        with self.csv_reader() as reader:
            before = reader.line_num
            for row in reader:
                yield before + 1, row
                before = reader.line_num


def open_source(path: str | Path) -> Source:
    """Inspect a file's bytes; NotATaskLog when it cannot be a task log at all."""
    csv.field_size_limit(FIELD_LIMIT)
    p = Path(path)
    try:
        mode = p.stat().st_mode  # follows symlinks: a loop or a dangling one is an OSError
        if stat.S_ISDIR(mode):
            raise NotATaskLog(f"{p} is a folder, not a task log file")
        if not stat.S_ISREG(mode):  # a FIFO or a device would block or never end
            raise NotATaskLog(f"{p} is not a regular file (a pipe or a device); to read standard input, give -")
        fh = open(p, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise NotATaskLog(f"{p}: no such file") from None
    except PermissionError:
        raise NotATaskLog(f"{p}: permission denied (cannot read it)") from None
    except OSError as exc:
        raise NotATaskLog(f"{p}: cannot be read ({exc.strerror or exc})") from None
    with fh:
        first = fh.read(CHUNK)
        if first.startswith(WORKBOOK_MAGIC):  # a spreadsheet: read as a table, its bytes hashed
            fh.seek(0)
            digest = hashlib.file_digest(fh, "sha256")
            return Source(p, fh.tell(), digest.hexdigest(), "workbook", 0, "")
        text = first[: first.find(NUL_RUN)] if NUL_RUN in first else first  # crash padding left out
        if not text.strip():
            raise NotATaskLog(f"{p} is empty: there is nothing to import" + (" (only NUL bytes)" if first.strip() else ""))
        for magic, what in _MAGIC.items():
            if first.startswith(magic):
                raise NotATaskLog(f"{p} is {what}, not a task log (CSV, TSV or JSON)")
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # its NULs are text
            encoding, text = "utf-16", first
        else:
            encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
            if b"\x00" in text[:SAMPLE_BYTES]:
                raise NotATaskLog(f"{p} is a binary file (it contains NUL bytes), not a task log")
        source = Source(p, 0, "", encoding, 0, "")
        valid = _scan(fh, first, source)
    if encoding == "utf-16":  # as its BOM says (not checked)
        source.head = text.decode("utf-16", errors="replace")[: SAMPLE_BYTES // 2].lstrip("\ufeff")
        return source
    if not valid:
        source.encoding = "cp1252"  # Excel on Windows; every byte decodes (undefined ones replaced)
    source.head = text[:SAMPLE_BYTES].decode(source.encoding, errors="replace").lstrip("\ufeff")
    if _mostly_binary(source.head):
        raise NotATaskLog(f"{p} is a binary file, not a task log")
    return source


def _scan(fh: Any, first: bytes, source: Source) -> bool:
    """One pass over the bytes from `first` on: the source's size, lines, SHA-256 and NULs,
    and whether they are valid in its encoding (UTF-8 checked, in a streaming way: a
    character may be cut across reads; UTF-16 trusted). It stops at the first long run of
    NULs (crash padding: the rest is not text)."""
    encoding, digest, valid = source.encoding, hashlib.sha256(), True
    decoder = codecs.getincrementaldecoder(encoding)() if encoding != "utf-16" else None
    chunk, last = first, b""
    while chunk:
        if b"\x00" in chunk and encoding != "utf-16":
            source.has_nul = True
            tail = last[1 - len(NUL_RUN):]  # a run may begin in the chunk before
            at = (tail + chunk).find(NUL_RUN) - len(tail)
            if at >= -len(tail):
                chunk = chunk[: max(at, 0)]
                source.cut, source.cut_line = source.size + at, source.lines + chunk.count(b"\n") + 1
        # ASCII is valid UTF-8 unless a multi-byte character is left open before it
        if valid and decoder is not None and not (chunk.isascii() and not decoder.getstate()[0]):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                valid = False
        digest.update(chunk)
        source.size += len(chunk)
        source.lines += chunk.count(b"\n")
        last, chunk = chunk, b"" if source.cut is not None else fh.read(CHUNK)
    if valid and decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            valid = False
    if last and not last.endswith(b"\n"):
        source.lines += 1
    source.sha256 = digest.hexdigest()
    return valid


def _mostly_binary(text: str) -> bool:
    sample = text[:4096]
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t\f") or c == "\ufffd")
    return odd > len(sample) * 0.1


# --- CSV -------------------------------------------------------------------------------------


def norm(name: str) -> str:
    """A header name as formats look it up: trimmed, lower case, one space between words."""
    return " ".join(name.strip().lstrip("\ufeff").strip().strip('"').lower().split())


def header_fields(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(header):
        if key := norm(name):
            out.setdefault(key, i)  # the first column of a name
    return out


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the first lines into the most, consistent, columns."""
    lines = head.splitlines()[:20]
    text = "\n".join(lines[:-1] if len(lines) > 1 and not head.endswith("\n") else lines)

    def score(delim: str) -> tuple[int, int]:  # (rows as wide as the first, its width)
        try:
            rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if r][:10]
        except csv.Error:
            return (0, 0)
        width = len(rows[0]) if rows else 0
        return (sum(1 for r in rows if len(r) == width), width) if width >= 2 else (0, 0)

    return max(DELIMITERS, key=score)  # the first of the best: "," when none splits a line


def read_header(head: str, delimiter: str) -> list[str]:
    """The first non-blank CSV row of the text (stripped of BOM and spaces)."""
    for row in csv.reader(io.StringIO(head, newline=""), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            return [cell.strip().lstrip("\ufeff").strip() for cell in row]
    return []


class _Upto(io.RawIOBase):
    """The first `limit` bytes of a binary file, read in pieces."""

    def __init__(self, raw: Any, limit: int) -> None:
        self.raw, self.left = raw, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(memoryview(buffer)[: min(len(buffer), self.left)]) if self.left > 0 else 0
        self.left -= n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def raw_row(row: list[str], delimiter: str) -> str:
    """A row written back as CSV text (for the import_error table)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(row)
    return out.getvalue()[:2000]
