"""A parser's items -> rows ready for time_entry, in chunks, without touching the database.

The converter names tasks and steps, writes the ISO-8601 UTC text, makes the content
hash (with an ordinal for the n-th identical row of the file) and collects rejected and
skipped lines. It is handed the tasks and steps that exist and the next free ids, and
hands back the new ones with each chunk: so it can run in a worker process while the
importing process, which holds the write lock, only stores what it receives.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from roi.importers.base import NotATaskLog, Parser, Piece, Problem, RowBatch, RowError
from roi.importers.seen import SeenKeys, twin_keys
from roi.importers.timeparse import LocalClock

NAME_MAX = 300
STEP_MAX = 200
KEEP_SKIPS = 1000
UNNAMED = "(no description)"
TASK_CACHE_LIMIT = 50_000


@dataclass
class Known:
    """What the database holds when the import starts (read under the write lock)."""

    tasks: dict[str, int]  # lower-cased name -> id
    steps: dict[tuple[int, str], int]  # (task id, lower-cased name) -> id
    next_task_id: int
    next_step_id: int
    id_step: int = 1  # -1: new ids are provisional (-1, -2, ...), for the importing process to map

    def provisional(self) -> Known:
        """The same names, new ids counted down from -1: for a reader of the second part of a
        file, whose new tasks the importing process maps onto those the first part made."""
        return Known(self.tasks, self.steps, -1, -1, -1)


@dataclass
class Chunk:
    """What one stretch of the file adds; new tasks and steps come before the rows that use
    them. The rows travel column by column (cheaper to send, and the importing process can
    map a column of ids in one pass); `rows()` zips them into time_entry parameters."""

    task_ids: list[int] = field(default_factory=list)
    step_ids: list[int | None] = field(default_factory=list)
    starts: list[str] = field(default_factory=list)  # ISO-8601 UTC
    ends: list[str] = field(default_factory=list)
    durations: list[float] = field(default_factory=list)  # seconds
    descriptions: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)  # JSON arrays
    hashes: list[str] = field(default_factory=list)  # content hash, '~n' for the n-th identical row
    keys: bytes = b""  # the rows' twin keys (8 bytes each, SeenKeys), when the converter is asked for them
    new_tasks: list[tuple[int, str]] = field(default_factory=list)  # (id, name)
    new_steps: list[tuple[int, int, str]] = field(default_factory=list)  # (id, task id, name)
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (line, reason, raw)
    skips: list[tuple[int, str]] = field(default_factory=list)  # (line, reason), the first KEEP_SKIPS
    read: int = 0  # rows of the file this chunk covers
    skipped: int = 0

    def __len__(self) -> int:
        return len(self.task_ids)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """Parameters for INSERT INTO time_entry (task_id, step_id, start, "end",
        duration_s, description, tags, hash); the source and batch, the same for every
        row, are written into the statement (each bound parameter costs time per row)."""
        return zip(
            self.task_ids, self.step_ids, self.starts, self.ends, self.durations,
            self.descriptions, self.tags, self.hashes, strict=True,
        )


class Converter:
    def __init__(self, parser: Parser, known: Known, keys: bool = False) -> None:
        self.src = parser.name
        self.tasks = known.tasks
        self.steps = known.steps
        self.next_task = known.next_task_id
        self.next_step = known.next_step_id
        self.id_step = known.id_step
        self.task_ids: dict[str, int] = {}  # raw task text -> id
        self.step_ids: dict[tuple[int, str], int] = {}  # (task id, raw step text) -> id
        self.used_tasks: set[int] = set()
        clock = getattr(parser, "clock", None)
        self.clock: LocalClock = clock if clock is not None else LocalClock(parser.options.tz)  # type: ignore[attr-defined]
        # every content hash starts from the source's name; copying this state is cheaper
        # than making a new hash object with its arguments for each row
        self.hasher = hashlib.blake2b((self.src + "\x1f").encode(), digest_size=12)
        self.seen = SeenKeys()
        self.send_keys = keys
        self.kept_skips = 0
        self.chunk = Chunk()
        self.digests: list[bytes] = []  # of the chunk's rows; final hashes are made in `take`

    # -- naming ---------------------------------------------------------------------------

    def task_id(self, raw: str) -> int:
        tid = self.task_ids.get(raw)
        if tid is not None:
            return tid
        name = raw.strip() or UNNAMED
        if len(name) > NAME_MAX:
            name = name[: NAME_MAX - 1] + "…"
        key = name.lower()
        found = self.tasks.get(key)
        if found is None:
            found = self.next_task
            self.next_task += self.id_step
            self.tasks[key] = found
            self.chunk.new_tasks.append((found, name))
        if len(self.task_ids) > TASK_CACHE_LIMIT:
            self.task_ids.clear()
        self.task_ids[raw] = found
        self.used_tasks.add(found)
        return found

    def step_id(self, tid: int, raw: str) -> int:
        sid = self.step_ids.get((tid, raw))
        if sid is not None:
            return sid
        name = raw.strip()[:STEP_MAX]
        found = self.steps.get((tid, name.lower()))
        if found is None:
            found = self.next_step
            self.next_step += self.id_step
            self.steps[(tid, name.lower())] = found
            self.chunk.new_steps.append((found, tid, name))
        self.step_ids[(tid, raw)] = found
        return found

    # -- items --------------------------------------------------------------------------

    def problem(self, item: Problem) -> None:
        chunk = self.chunk
        chunk.read += 1
        if item.skipped:
            chunk.skipped += 1
            if self.kept_skips < KEEP_SKIPS:
                self.kept_skips += 1
                chunk.skips.append((item.line, item.reason))
        else:
            chunk.errors.append((item.line, item.reason, item.raw))

    def entry(self, item: tuple[Any, ...], counted: bool = True) -> None:
        line, start, end, task, step, desc, tags, ident = item
        chunk = self.chunk
        chunk.read += counted
        try:
            s_iso, e_iso = self.clock.iso(start), self.clock.iso(end)
        except RowError as exc:  # an instant outside what dates can hold
            chunk.errors.append((line, str(exc), ident[:2000]))
            return
        tid = self.task_id(task)
        sid = self.step_id(tid, step) if step is not None else None
        chunk.task_ids.append(tid)
        chunk.step_ids.append(sid)
        chunk.starts.append(s_iso)
        chunk.ends.append(e_iso)
        chunk.durations.append(end - start)
        chunk.descriptions.append(desc)
        chunk.tags.append(tags)
        self.digests.append(self.digest(ident))

    def batch(self, rows: RowBatch) -> None:
        chunk = self.chunk
        chunk.read += len(rows)
        get = self.task_ids.get
        tids = [get(t) or self.task_id(t) for t in rows.tasks]
        chunk.task_ids.extend(tids)
        if any(s is not None for s in rows.steps):
            chunk.step_ids.extend(
                None if s is None else self.step_id(t, s) for t, s in zip(tids, rows.steps, strict=True)
            )
        else:
            chunk.step_ids.extend([None] * len(tids))
        chunk.starts.extend(rows.start_isos)
        chunk.ends.extend(rows.end_isos)
        chunk.durations.extend(rows.durations)
        chunk.descriptions.extend(rows.descriptions)
        chunk.tags.extend(rows.tags)
        self.digests.extend(self.digests_of(rows.identities))

    def digest(self, identity: str) -> bytes:
        """The content digest of a row: blake2b-96 of the source name, 0x1F, the row's text
        (surrogates from JSON escapes kept as they are)."""
        h = self.hasher.copy()
        h.update(identity.encode("utf-8", "surrogatepass"))
        return h.digest()

    def digests_of(self, identities: list[str]) -> list[bytes]:
        """digest() of each; the plain encode is the fast path, the same bytes for any text
        without lone surrogates (a CSV decoded with errors='replace' has none)."""
        base = self.hasher
        out: list[bytes] = []
        append = out.append
        try:
            for identity in identities:
                h = base.copy()
                h.update(identity.encode())
                append(h.digest())
        except UnicodeEncodeError:
            return [self.digest(i) for i in identities]
        return out

    def feed(self, item: Any) -> None:
        if type(item) is tuple:
            self.entry(item)
        elif type(item) is RowBatch:
            self.batch(item)
        elif type(item) is Piece:
            self.entry(item, counted=False)
        else:
            self.problem(item)

    def pending(self) -> int:
        return len(self.chunk.task_ids) + len(self.chunk.errors)

    def take(self) -> Chunk:
        """The chunk so far, with final content hashes (hex; '~n' for the n-th identical row)."""
        chunk, self.chunk = self.chunk, Chunk()
        digests, self.digests = self.digests, []
        if digests:
            hexes = [d.hex() for d in digests]
            keys = twin_keys(digests)
            for idx, n in self.seen.ordinals(keys):
                hexes[idx] = f"{hexes[idx]}~{n}"
            chunk.hashes = hexes
            if self.send_keys:
                chunk.keys = keys
        return chunk

    def chunks(self, items: Iterator[Any], size: int) -> Iterator[Chunk]:
        feed, pending = self.feed, self.pending
        for item in items:
            feed(item)
            if pending() >= size:
                yield self.take()
        yield self.take()


def items_of(parser: Parser) -> Iterator[Any]:
    """The parser's items; a CSV the csv module cannot read at all is not a task log."""
    try:
        yield from parser.items()
    except csv.Error as exc:
        path = getattr(getattr(parser, "source", None), "path", None)
        raise NotATaskLog(f"{path}: unreadable CSV ({exc})") from None
