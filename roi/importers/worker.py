"""Where an import's chunks come from: this process, or reading processes beside it.

Reading a large CSV (parsing, dates, hashes) costs more than storing it, and the two can
overlap: a spawned process reads and converts (roi.importers.convert) while this one,
which holds the write lock, stores each chunk as it arrives (roi.importers.split runs two
readers over two parts of the file). A reader sends framed messages over a pipe, which
holds a chunk or two at most, so memory stays flat; or to a spool file when this process
will read its output later. A reader writes nothing to the database: if it dies, this
process raises and the import's transaction rolls back; if this one is killed, a piped
reader's next send fails and a spooling one sees its parent gone, and each exits.
"""

from __future__ import annotations

import marshal
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any, BinaryIO

from roi.errors import RoiError
from roi.importers.base import Options, Parser, usable_cpus
from roi.importers.convert import Chunk, Converter, Known, items_of
from roi.importers.reader import Source

# Below this many rows the reading stays in this process: starting another interpreter
# (about a third of a second) would cost more than the overlap saves.
WORKER_MIN_ROWS = 100_000
# From this many rows the file is read in two parts by two processes (roi.importers.split).
SPLIT_MIN_ROWS = 200_000


class ChunkSource:
    """Chunks of one import; after iteration, the tasks it used and the detection note."""

    used_tasks: set[int]
    note: str

    def __iter__(self) -> Iterator[Chunk]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        """Stop producing (the import failed or is done); safe to call twice."""


class InlineChunks(ChunkSource):
    def __init__(self, parser: Parser, known: Known, size: int) -> None:
        self.parser = parser
        self.converter = Converter(parser, known)
        self.size = size
        self.used_tasks = self.converter.used_tasks
        self.note = parser.detection.note

    def __iter__(self) -> Iterator[Chunk]:
        yield from self.converter.chunks(items_of(self.parser), self.size)
        self.note = self.parser.detection.note


# What part of the file a reading process reads: all of it (None), the first part up to
# the row ending on a line ("head", lines), or the rest from a byte ("tail", offset, lines before).
Part = tuple[Any, ...] | None


class Reader:
    """A reading process: `python -m roi.importers.worker`, fed its job on stdin, sending
    framed messages (`send`) to `out` (a pipe by default, or a spool file)."""

    def __init__(self, parser: Parser, known: Known, size: int, part: Part = None, out: BinaryIO | None = None) -> None:
        # A fresh interpreter: no fork (the TUI imports from a thread) and no re-import of
        # the caller's main module (as multiprocessing's spawn does), so it works from any
        # program that calls run_import.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        # The job goes in a file, not a pipe: writing it to a pipe would wait until the new
        # interpreter has loaded its modules and reads it (a third of a second, each reader).
        job = (parser.source, parser.name, parser.options, known, size, part, os.getpid())  # type: ignore[attr-defined]
        with tempfile.TemporaryFile() as job_file:
            pickle.dump(job, job_file, protocol=pickle.HIGHEST_PROTOCOL)
            job_file.seek(0)
            try:
                self.process = subprocess.Popen(
                    [sys.executable, "-m", "roi.importers.worker"],
                    stdin=job_file, stdout=out if out is not None else subprocess.PIPE, stderr=self.errors, env=env,
                )
            except OSError:
                self.errors.close()
                raise
        self.file = parser.source.name  # type: ignore[attr-defined]
        self.done: Any = None

    def _take(self, n: int) -> bytes:
        """n bytes of output; fewer only if the reader has exited."""
        assert self.process.stdout is not None
        return self.process.stdout.read(n)

    def messages(self) -> Iterator[tuple[str, Any]]:
        while True:
            head = self._take(8)
            size = int.from_bytes(head, "little")
            data = self._take(size) if len(head) == 8 else b""
            if len(head) == 8 and len(data) == size:
                try:
                    yield unframe(data)
                    continue
                except (pickle.UnpicklingError, EOFError, ValueError, TypeError):
                    pass
            raise RoiError(f"reading {self.file} stopped unexpectedly ({self._why()}); nothing was imported")

    def chunks(self) -> Iterator[Chunk]:
        """The chunks; then `done` holds what the reader said at the end."""
        for kind, payload in self.messages():
            if kind == "chunk":
                yield payload
            elif kind == "done":
                self.done = payload
                return
            else:
                raise payload

    def _why(self) -> str:
        code = self.process.wait(timeout=10)
        self.errors.seek(0)
        lines = [x for x in self.errors.read().decode(errors="replace").splitlines() if x.strip()]
        return f"the reading process exited with code {code}" + (f": {lines[-1].strip()}" if lines else "")

    def close(self) -> None:
        """Stop it (the import failed, or no longer needs it); safe to call twice."""
        if self.process.stdout is not None:
            self.process.stdout.close()
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        self.errors.close()


class SpoolReader(Reader):
    """A reader that writes to a temporary file instead of a pipe, so it never waits for
    this process, which reads the file behind it (pread at its own offset) when it is ready."""

    POLL_S = 0.005

    def __init__(self, parser: Parser, known: Known, size: int, part: Part) -> None:
        self.spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        self.offset = 0
        try:
            super().__init__(parser, known, size, part, out=self.spool)
        except OSError:
            self.spool.close()
            raise

    def _take(self, n: int) -> bytes:
        """n bytes from the spool, waiting for the writer; fewer only if it has exited."""
        data = b""
        while len(data) < n:
            exited = self.process.poll() is not None  # asked first: what it wrote before exiting is read below
            more = os.pread(self.spool.fileno(), n - len(data), self.offset + len(data))
            if more:
                data += more
            elif exited:
                break
            else:
                time.sleep(self.POLL_S)
        self.offset += len(data)
        return data

    def close(self) -> None:
        super().close()
        self.spool.close()


class WorkerChunks(ChunkSource):
    """The whole file read by one reading process while this one stores."""

    def __init__(self, parser: Parser, known: Known, size: int) -> None:
        self.reader = Reader(parser, known, size)
        self.used_tasks = set()
        self.note = parser.detection.note

    def __iter__(self) -> Iterator[Chunk]:
        try:
            yield from self.reader.chunks()
            self.used_tasks, self.note, _ = self.reader.done
        finally:
            self.close()

    def close(self) -> None:
        self.reader.close()


_CHUNK_FIELDS = [f.name for f in fields(Chunk)]


def send(out: BinaryIO, message: tuple[str, Any]) -> None:
    """One framed message: its length (8 bytes), then b"C" and a chunk's fields marshalled
    (lists of plain values: marshal writes and reads them in about half the time of pickle,
    and both ends are the same interpreter), or b"P" and any other message pickled."""
    kind, payload = message
    if kind == "chunk":
        data = b"C" + marshal.dumps(tuple(getattr(payload, name) for name in _CHUNK_FIELDS))
    else:
        data = b"P" + pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(len(data).to_bytes(8, "little"))
    out.write(data)
    out.flush()


def unframe(data: bytes) -> tuple[str, Any]:
    """A message as `send` framed it (without the length)."""
    if data[:1] == b"C":
        return "chunk", Chunk(*marshal.loads(memoryview(data)[1:]))
    if data[:1] == b"P":
        return pickle.loads(memoryview(data)[1:])  # type: ignore[no-any-return]
    raise ValueError("not a message")


def _read(source: Source, name: str, options: Options, known: Known, size: int, part: Part, parent: int,
          out: BinaryIO) -> None:
    """The reading process: parse and convert, send each chunk, then what was used (and,
    reading the first part of a split file, whether it ended at the cut and its rows' keys)."""
    from roi.importers.detect import open_parser

    try:
        parser = open_parser(source, name, options)
        if part is not None:
            if part[0] == "head":
                parser.head_lines = part[1]  # type: ignore[attr-defined]
            else:
                parser.tail_from = (part[1], part[2])  # type: ignore[attr-defined]
        converter = Converter(parser, known, keys=part is not None and part[0] == "tail")
        for chunk in converter.chunks(items_of(parser), size):
            if os.getppid() != parent:  # the importing process is gone (a spool has no reader to fail)
                return
            send(out, ("chunk", chunk))
        cut = None
        if part is not None and part[0] == "head":
            ok = bool(parser.cut_ok)  # type: ignore[attr-defined]
            cut = (ok, converter.seen.every_key().tobytes() if ok else b"")
        send(out, ("done", (converter.used_tasks, parser.detection.note, cut)))
    except (BrokenPipeError, ConnectionResetError):  # the importing process is gone
        return
    except RoiError as exc:
        send(out, ("error", exc))
    except Exception as exc:  # noqa: BLE001 - reported by the importing process, never lost
        send(out, ("error", RoiError(f"reading {source.name} failed: {type(exc).__name__}: {exc}")))


def chunk_source(parser: Parser, known: Known, size: int) -> ChunkSource:
    from roi.importers.csvplan import CsvParser
    from roi.importers.split import SplitChunks, find_cut

    if isinstance(parser, CsvParser) and (parser.total or 0) >= WORKER_MIN_ROWS and usable_cpus() > 1 and sys.executable:
        try:
            cut = find_cut(parser.source) if (parser.total or 0) >= SPLIT_MIN_ROWS else None
            if cut is not None:
                return SplitChunks(parser, known, size, cut)
            return WorkerChunks(parser, known, size)
        except OSError:  # no second interpreter to start here: read in this process
            pass
    return InlineChunks(parser, known, size)


if __name__ == "__main__":
    _source, _name, _options, _known, _size, _part, _parent = pickle.load(sys.stdin.buffer)
    try:
        _read(_source, _name, _options, _known, _size, _part, _parent, sys.stdout.buffer)
    except BrokenPipeError:
        pass
    finally:
        try:
            sys.stdout.buffer.close()
        except BrokenPipeError:
            pass
