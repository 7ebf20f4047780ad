"""Reading a large CSV in two parts, by two processes, stored in file order.

Reading (the csv module, dates, hashes) is the longest part of a large import, and it
splits: one process reads the file up to a cut a third of the way in, another from the cut to
the end, while this one, which holds the write lock, stores. The second reader writes
to a spool file, so it never waits; this process stores the first part as it comes,
then the second from the spool. Storing in file order keeps the single reader's results:

- The cut is a line start with an even number of quote characters before it, so no quoted
  field is open there in a well-formed CSV. The first reader checks it: a row must end
  exactly on the line before the cut. If not (a stray quote), or if a blank line came
  before the cut (rows after one read differently), it reads on to the end of the file
  and the second part is thrown away unread.
- The second reader does not know which tasks the first part made, so it names new tasks
  and steps with provisional ids (-1, -2, ...) that are mapped here onto the first part's
  by name, or onto new ids.
- Identical rows get an ordinal in their hash (the n-th of them in the file). The first
  reader sends the keys of all its rows; a second-part row whose key the first part holds
  c times has its ordinal moved up by c.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from roi.importers.base import Parser
from roi.importers.convert import KEEP_SKIPS, Chunk, Known
from roi.importers.reader import CHUNK, Source
from roi.importers.seen import count_in
from roi.importers.worker import ChunkSource, Reader, SpoolReader

SEARCH_BYTES = 1 << 20  # how far past the cut's byte to look for a line start outside quotes
# Where the cut goes, as a share of the file. Less than half: this process can store only
# the first part while both read, so the second reader gets more, and this process stores
# its rows from the spool while that reader is still at work.
FIRST_PART = 1 / 3


@dataclass(frozen=True)
class Cut:
    offset: int  # byte where the second part starts: the start of a line
    lines_before: int  # physical lines before it


def find_cut(source: Source) -> Cut | None:
    """A line start a FIRST_PART into the file with an even number of `"` before it, or
    None: UTF-16 text, line breaks that are a lone CR, or no such line close enough."""
    if source.encoding == "utf-16":
        return None
    middle = int(source.size * FIRST_PART)
    quotes = lines = pos = 0
    with open(source.path, "rb") as fh:
        while pos < middle:
            block = fh.read(min(CHUNK, middle - pos))
            if not block:
                return None
            if block.endswith(b"\r"):
                block += fh.read(1)
            if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
                return None  # a lone CR ends a line for the csv module but not in this count
            quotes += block.count(b'"')
            lines += block.count(b"\n")
            pos += len(block)
        window = fh.read(SEARCH_BYTES)
    start = 0
    while (end := window.find(b"\n", start)) != -1:
        piece = window[start : end + 1]
        if b"\r" in piece and piece.count(b"\r") != piece.count(b"\r\n"):
            return None
        quotes += piece.count(b'"')
        lines += 1
        if quotes % 2 == 0:
            offset = pos + end + 1
            return Cut(offset, lines) if offset < source.size else None
        start = end + 1
    return None


class SplitChunks(ChunkSource):
    """The chunks of both parts, in file order, with final ids and hashes."""

    def __init__(self, parser: Parser, known: Known, size: int, cut: Cut) -> None:
        self.note = parser.detection.note
        self.used_tasks = set()
        self.tasks = dict(known.tasks)  # lower-cased name -> id, as the first part adds them
        self.steps = dict(known.steps)
        self.next_task = known.next_task_id
        self.next_step = known.next_step_id
        self.task_map: dict[int, int] = {}  # provisional id of the second part -> id
        self.step_map: dict[int, int] = {}
        self.kept_skips = 0
        self.read_whole = False  # the first reader went on to the end of the file
        self.head = Reader(parser, known, size, ("head", cut.lines_before))
        try:
            self.tail = SpoolReader(parser, known.provisional(), size, ("tail", cut.offset, cut.lines_before))
        except BaseException:
            self.head.close()
            raise

    def __iter__(self) -> Iterator[Chunk]:
        try:
            for chunk in self.head.chunks():
                self._learn(chunk)
                yield chunk
            used, self.note, (cut_ok, keys) = self.head.done
            self.used_tasks = set(used)
            if not cut_ok:
                self.read_whole = True
                return
            first_keys = np.frombuffer(keys, dtype=np.uint64)
            for chunk in self.tail.chunks():
                yield self._mapped(chunk, first_keys)
            used, _, _ = self.tail.done
            self.used_tasks |= {self.task_map.get(t, t) for t in used}
        finally:
            self.close()

    def _learn(self, chunk: Chunk) -> None:
        """What the first part made: its tasks and steps keep their ids."""
        for tid, name in chunk.new_tasks:
            self.tasks[name.lower()] = tid
            self.next_task = max(self.next_task, tid + 1)
        for sid, tid, name in chunk.new_steps:
            self.steps[(tid, name.lower())] = sid
            self.next_step = max(self.next_step, sid + 1)
        self.kept_skips += len(chunk.skips)

    def _mapped(self, chunk: Chunk, first_keys: np.ndarray) -> Chunk:
        """A second-part chunk with its provisional ids mapped and its twins' ordinals moved up."""
        new_tasks = []
        for prov, name in chunk.new_tasks:
            tid = self.tasks.get(name.lower())
            if tid is None:
                tid = self.tasks[name.lower()] = self.next_task
                self.next_task += 1
                new_tasks.append((tid, name))
            self.task_map[prov] = tid
        chunk.new_tasks = new_tasks
        new_steps = []
        for prov, prov_tid, name in chunk.new_steps:
            tid = self.task_map.get(prov_tid, prov_tid)
            sid = self.steps.get((tid, name.lower()))
            if sid is None:
                sid = self.steps[(tid, name.lower())] = self.next_step
                self.next_step += 1
                new_steps.append((sid, tid, name))
            self.step_map[prov] = sid
        chunk.new_steps = new_steps
        if self.task_map:
            get = self.task_map.get
            chunk.task_ids = [get(t, t) for t in chunk.task_ids]
        if self.step_map:
            sget = self.step_map.get
            chunk.step_ids = [s if s is None else sget(s, s) for s in chunk.step_ids]
        for idx, before in count_in(first_keys, chunk.keys):
            base, _, n = chunk.hashes[idx].partition("~")
            chunk.hashes[idx] = f"{base}~{before + (int(n) if n else 1)}"
        room = max(0, KEEP_SKIPS - self.kept_skips)
        chunk.skips = chunk.skips[:room]
        self.kept_skips += len(chunk.skips)
        return chunk

    def close(self) -> None:
        self.head.close()
        self.tail.close()
