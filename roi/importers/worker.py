"""Where an import's chunks come from: this process, or a reading process beside it.

Reading a large CSV (parsing, dates, hashes) costs about as much as storing it, and the
two can overlap: a spawned process reads and converts (roi.importers.convert) while this
one, which holds the write lock, stores each chunk as it arrives. The pipe between them
holds a chunk or two at most, so memory stays flat. The reading process writes nothing: if
it dies, this one raises and the import's transaction rolls back; if this one is killed,
the reader's next send fails and it exits.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from roi.errors import RoiError
from roi.importers.base import Options, Parser
from roi.importers.convert import Chunk, Converter, Known, items_of
from roi.importers.reader import Source

# Below this many rows the reading stays in this process: starting another interpreter
# (about a third of a second) would cost more than the overlap saves.
WORKER_MIN_ROWS = 100_000


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


class WorkerChunks(ChunkSource):
    def __init__(self, parser: Parser, known: Known, size: int) -> None:
        # A fresh interpreter run as `python -m roi.importers.worker`: no fork (the TUI
        # imports from a thread) and no re-import of the caller's main module (as
        # multiprocessing's spawn does), so it works from any program that calls run_import.
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        package_root = str(Path(__file__).resolve().parents[2])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH", "")) if p)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "roi.importers.worker"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.errors, env=env,
        )
        assert self.process.stdin is not None and self.process.stdout is not None
        job = (parser.source, parser.name, parser.options, known, size)  # type: ignore[attr-defined]
        try:
            pickle.dump(job, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died at once; reading its output says so
        self.stream = self.process.stdout
        self.used_tasks = set()
        self.note = parser.detection.note
        self.file = parser.source.name  # type: ignore[attr-defined]

    def __iter__(self) -> Iterator[Chunk]:
        try:
            while True:
                try:
                    kind, payload = pickle.load(self.stream)
                except (EOFError, pickle.UnpicklingError, ValueError):
                    raise RoiError(f"reading {self.file} stopped unexpectedly ({self._why()}); nothing was imported") from None
                if kind == "chunk":
                    yield payload
                elif kind == "done":
                    self.used_tasks, self.note = payload
                    return
                else:
                    raise payload
        finally:
            self.close()

    def _why(self) -> str:
        code = self.process.wait(timeout=10)
        self.errors.seek(0)
        lines = [x for x in self.errors.read().decode(errors="replace").splitlines() if x.strip()]
        return f"the reading process exited with code {code}" + (f": {lines[-1].strip()}" if lines else "")

    def close(self) -> None:
        self.stream.close()
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=10)
        self.errors.close()  # closing twice is harmless


def _read(source: Source, name: str, options: Options, known: Known, size: int, out: BinaryIO) -> None:
    """The reading process: parse and convert, send each chunk, then what was used."""
    from roi.importers.detect import open_parser

    def send(message: tuple[str, Any]) -> None:
        pickle.dump(message, out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()

    try:
        parser = open_parser(source, name, options)
        converter = Converter(parser, known)
        for chunk in converter.chunks(items_of(parser), size):
            send(("chunk", chunk))
        send(("done", (converter.used_tasks, parser.detection.note)))
    except (BrokenPipeError, ConnectionResetError):  # the importing process is gone
        return
    except RoiError as exc:
        send(("error", exc))
    except Exception as exc:  # noqa: BLE001 - reported by the importing process, never lost
        send(("error", RoiError(f"reading {source.name} failed: {type(exc).__name__}: {exc}")))


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def chunk_source(parser: Parser, known: Known, size: int) -> ChunkSource:
    from roi.importers.csvplan import CsvParser

    if isinstance(parser, CsvParser) and (parser.total or 0) >= WORKER_MIN_ROWS and _cpus() > 1 and sys.executable:
        try:
            return WorkerChunks(parser, known, size)
        except OSError:  # no second interpreter to start here: read in this process
            pass
    return InlineChunks(parser, known, size)


if __name__ == "__main__":
    _source, _name, _options, _known, _size = pickle.load(sys.stdin.buffer)
    try:
        _read(_source, _name, _options, _known, _size, sys.stdout.buffer)
    except BrokenPipeError:
        pass
    finally:
        try:
            sys.stdout.buffer.close()
        except BrokenPipeError:
            pass
