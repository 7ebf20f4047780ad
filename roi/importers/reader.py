"""Reading files the way real exports come: encodings, delimiters, JSON with line numbers.

One streaming pass over the bytes decides the encoding (UTF-8 with or without BOM,
UTF-16 with BOM, else Windows-1252), hashes the file and counts its lines; the parsers
then stream the text again. Nothing here holds a whole CSV in memory.
"""

from __future__ import annotations

import bisect
import codecs
import csv
import hashlib
import io
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roi.importers.base import NotATaskLog

CHUNK = 1 << 20
SAMPLE_BYTES = 64 * 1024
csv.field_size_limit(1 << 30)  # huge fields are data, not an error

_MAGIC = {
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook is one: save it as CSV first)",
    b"\x1f\x8b": "a gzip archive",
    b"SQLite format 3": "an SQLite database",
    b"\xd0\xcf\x11\xe0": "an old Office document (save it as CSV first)",
}


@dataclass
class Source:
    """A file on disk, with what one pass over its bytes told us."""

    path: Path
    size: int
    sha256: str
    encoding: str  # a Python codec name ("utf-8-sig", "utf-8", "cp1252", "utf-16")
    lines: int  # physical lines (a trailing line without newline counts)
    head: str  # the first SAMPLE_BYTES decoded (BOM removed)
    has_nul: bool = False  # NUL bytes somewhere (removed before the csv module sees them)

    @property
    def name(self) -> str:
        return self.path.name

    def open_text(self, offset: int = 0) -> io.TextIOWrapper:
        """The text from byte `offset` (a line start), streamed; newline="" as the csv
        module wants."""
        raw = open(self.path, "rb")  # noqa: SIM115 - closed with the wrapper
        encoding = self.encoding
        if offset:
            raw.seek(offset)
            encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        return io.TextIOWrapper(raw, encoding=encoding, errors="replace", newline="")

    def read_text(self) -> str:
        with self.open_text() as fh:
            return fh.read()


def open_source(path: str | Path) -> Source:
    """Inspect a file; NotATaskLog when it cannot be a task log at all."""
    p = Path(path)
    shown = str(p)
    try:
        if p.is_dir():
            raise NotATaskLog(f"{shown} is a folder, not a task log file")
        fh = open(p, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise NotATaskLog(f"{shown}: no such file") from None
    except PermissionError:
        raise NotATaskLog(f"{shown}: permission denied (cannot read it)") from None
    except OSError as exc:
        raise NotATaskLog(f"{shown}: cannot be read ({exc.strerror or exc})") from None
    with fh:
        first = fh.read(CHUNK)
        if not first.strip():
            raise NotATaskLog(f"{shown} is empty: there is nothing to import")
        for magic, what in _MAGIC.items():
            if first.startswith(magic):
                raise NotATaskLog(f"{shown} is {what}, not a task log (CSV, TSV or JSON)")
        if first.startswith(codecs.BOM_UTF8):
            encoding = "utf-8-sig"
        elif first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            encoding = "utf-16"
        else:
            encoding = "utf-8"
        if encoding != "utf-16" and b"\x00" in first[:SAMPLE_BYTES]:
            raise NotATaskLog(f"{shown} is a binary file (it contains NUL bytes), not a task log")
        # the hash in a thread of its own: hashlib lets go of the GIL, so it reads and
        # hashes the file on the other core while this loop counts and checks it
        digest = hashlib.sha256()
        failed: list[OSError] = []
        hashing = threading.Thread(target=_hash_file, args=(p, digest, failed), daemon=True)
        hashing.start()
        decoder = codecs.getincrementaldecoder(encoding)() if encoding != "utf-16" else None
        valid = True
        lines = 0
        size = 0
        has_nul = False
        chunk = first
        last = b""
        while chunk:
            size += len(chunk)
            lines += chunk.count(b"\n")
            if not has_nul and b"\x00" in chunk:
                has_nul = True
            # ASCII is valid UTF-8 unless a multi-byte character is left open before it
            if valid and decoder is not None and not (chunk.isascii() and not decoder.getstate()[0]):
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    valid = False
            last = chunk
            chunk = fh.read(CHUNK)
        hashing.join()
        if failed:  # it went away or changed its permissions since it was opened
            raise NotATaskLog(f"{shown}: cannot be read ({failed[0].strerror or failed[0]})")
        if valid and decoder is not None:
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                valid = False
        if last and not last.endswith(b"\n"):
            lines += 1
    if not valid:
        encoding = "cp1252"  # Excel on Windows; every byte decodes (undefined ones replaced)
    if encoding == "utf-16":
        head = first.decode("utf-16", errors="replace")[: SAMPLE_BYTES // 2]
    else:
        head = first[:SAMPLE_BYTES].decode(encoding, errors="replace")
    head = head.lstrip("\ufeff")
    if encoding != "utf-16" and _mostly_binary(head):
        raise NotATaskLog(f"{shown} is a binary file, not a task log")
    return Source(p, size, digest.hexdigest(), encoding, lines, head, has_nul and encoding != "utf-16")


def _hash_file(path: Path, digest: Any, failed: list[OSError]) -> None:
    try:
        with open(path, "rb") as fh:
            hashlib.file_digest(fh, lambda: digest)
    except OSError as exc:
        failed.append(exc)


def _mostly_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    odd = sum(1 for c in sample if (ord(c) < 32 and c not in "\r\n\t\f") or c == "\ufffd")
    return odd > len(sample) * 0.1


# --- CSV ---------------------------------------------------------------------------------

DELIMITERS = (",", ";", "\t", "|")


def sniff_delimiter(head: str) -> str:
    """The delimiter that splits the first lines into the most, consistent, columns."""
    lines = [ln for ln in head.splitlines()[:20]]
    text = "\n".join(lines[:-1] if len(lines) > 1 and not head.endswith("\n") else lines)
    best, best_score = ",", (0, 0)
    for delim in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delim) if r][:10]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for r in rows if len(r) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delim, score
    return best


def read_header(source: Source, delimiter: str) -> list[str]:
    """The first non-blank CSV row of the file (stripped of BOM and spaces)."""
    for row in csv.reader(io.StringIO(source.head, newline=""), delimiter=delimiter):
        if any(cell.strip() for cell in row):
            return [cell.strip().lstrip("\ufeff").strip() for cell in row]
    return []


def csv_reader(source: Source, fh: io.TextIOWrapper, delimiter: str) -> Any:
    return csv.reader(_nul_free(fh) if source.has_nul else fh, delimiter=delimiter, strict=False)


def iter_csv(source: Source, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(first physical line of the row, fields) for every row, the header included."""
    with source.open_text() as fh:
        reader = csv_reader(source, fh, delimiter)
        prev = 0
        for row in reader:
            yield prev + 1, row
            prev = reader.line_num


def _nul_free(fh: io.TextIOWrapper) -> Iterator[str]:
    """Lines with NUL characters removed (the csv module refuses them)."""
    for line in fh:
        yield line.replace("\x00", "") if "\x00" in line else line


def raw_row(row: list[str], delimiter: str) -> str:
    """A row written back as CSV text (for the import_error table)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(row)
    return out.getvalue()[:2000]


# --- JSON with line numbers ----------------------------------------------------------------

_decoder = json.JSONDecoder()
_WS = " \t\n\r"


class LineIndex:
    """Offset -> 1-based line number."""

    def __init__(self, text: str) -> None:
        self.newlines = [i for i, c in enumerate(text) if c == "\n"] if len(text) < 1 << 16 else _newlines(text)

    def line(self, offset: int) -> int:
        return bisect.bisect_left(self.newlines, offset) + 1


def _newlines(text: str) -> list[int]:
    out = []
    pos = text.find("\n")
    while pos != -1:
        out.append(pos)
        pos = text.find("\n", pos + 1)
    return out


class Located(list):  # type: ignore[type-arg]
    """A JSON array that remembers the file line of each element."""

    lines: list[int]


def json_start(text: str) -> int | None:
    """Offset where the JSON value starts: the first `{` or `[` from which a whole JSON
    document parses (so a banner printed before `timew export`'s `[` is passed over)."""
    stripped = len(text) - len(text.lstrip(_WS + "\ufeff"))
    if stripped < len(text) and text[stripped] in "[{":
        return stripped
    tries = 0
    pos = 0
    while tries < 50:
        candidates = [p for p in (text.find("\n[", pos), text.find("\n{", pos)) if p != -1]
        if not candidates:
            return None
        pos = min(candidates) + 1
        tries += 1
        try:
            _, end = _decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            continue
        if not text[end:].strip():
            return pos
    return None


def load_json(text: str, start: int, depth: int = 4) -> Any:
    """Parse JSON from `start`; arrays down to `depth` become `Located` lists that know
    the line of each element. Raises ValueError on malformed input or trailing junk."""
    index = LineIndex(text)
    value, end = _walk(text, start, depth, index, _SharingDecoder())
    if text[end:].strip(_WS + "\x00"):
        raise ValueError(f"unexpected text after the JSON value at line {index.line(end)}")
    return value


def _skip(text: str, pos: int) -> int:
    n = len(text)
    while pos < n and text[pos] in _WS:
        pos += 1
    return pos


class _SharingDecoder(json.JSONDecoder):
    """A decoder that gives equal keys, and equal short texts, one string object. An export
    of many events repeats the same keys and app names in each: as separate copies they
    were half the memory of the parsed file (288 MB against 136 MB for an ActivityWatch
    export of 300,000 events, 47 MB), at the same speed. The memo lives as long as the
    decoder, one load_json."""

    SHORT = 40  # longer texts (titles, URLs, timestamps with zones) rarely repeat

    def __init__(self) -> None:
        memo: dict[str, str] = {}
        self.share = memo.setdefault
        share, short = self.share, self.SHORT

        def shared(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            return {share(k, k): (share(v, v) if type(v) is str and len(v) <= short else v) for k, v in pairs}

        super().__init__(object_pairs_hook=shared)

    def value(self, text: str, pos: int) -> tuple[Any, int]:
        """raw_decode, with a text value shared too (the hook sees only objects)."""
        value, end = self.raw_decode(text, pos)
        if type(value) is str and len(value) <= self.SHORT:
            value = self.share(value, value)
        return value, end


def _walk(text: str, pos: int, depth: int, index: LineIndex, decoder: _SharingDecoder) -> tuple[Any, int]:
    pos = _skip(text, pos)
    if depth <= 0 or pos >= len(text) or text[pos] not in "[{":
        return decoder.value(text, pos)
    if text[pos] == "[":
        out = Located()
        out.lines = []
        pos = _skip(text, pos + 1)
        if pos < len(text) and text[pos] == "]":
            return out, pos + 1
        while True:
            pos = _skip(text, pos)
            out.lines.append(index.line(pos))
            value, pos = _walk(text, pos, depth - 1, index, decoder)
            out.append(value)
            pos = _skip(text, pos)
            if pos < len(text) and text[pos] == ",":
                pos += 1
                continue
            if pos < len(text) and text[pos] == "]":
                return out, pos + 1
            raise ValueError(f"malformed JSON array at line {index.line(pos)}")
    obj: dict[str, Any] = {}
    pos = _skip(text, pos + 1)
    if pos < len(text) and text[pos] == "}":
        return obj, pos + 1
    while True:
        pos = _skip(text, pos)
        key, pos = decoder.value(text, pos)
        if not isinstance(key, str):
            raise ValueError(f"malformed JSON object at line {index.line(pos)}")
        pos = _skip(text, pos)
        if pos >= len(text) or text[pos] != ":":
            raise ValueError(f"malformed JSON object at line {index.line(pos)}")
        value, pos = _walk(text, pos + 1, depth - 1, index, decoder)
        obj[key] = value
        pos = _skip(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos += 1
            continue
        if pos < len(text) and text[pos] == "}":
            return obj, pos + 1
        raise ValueError(f"malformed JSON object at line {index.line(pos)}")


def lines_of(value: Any) -> list[int]:
    return list(getattr(value, "lines", [])) or [0] * len(value)
