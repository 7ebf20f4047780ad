"""One coding-agent session file, read line by line into a `SessionRead`.

The two formats, as their tools write them:

- `claude-code`: ~/.claude/projects/<project-path-with-dashes>/<session id>.jsonl (and
  <session id>/subagents/*.jsonl for sub-agents). One JSON object a line with `type`
  (user, assistant, system, summary, file-history-snapshot, ...), `timestamp`,
  `sessionId`, `cwd`, `isSidechain`; an assistant line's `message` has `model`, `id` and
  `usage` {input_tokens, output_tokens, cache_creation_input_tokens,
  cache_read_input_tokens}. A reply split into several content blocks is written as
  several lines with the same message id, request id and usage: counted once.
- `codex`: ~/.codex/sessions/YYYY/MM/DD/rollout-<time>-<id>.jsonl. Each line is
  {timestamp, type, payload}; `session_meta` carries the id and cwd, `turn_context` the
  model, and `event_msg` lines whose payload type is `token_count` carry
  `info.total_token_usage` (running totals) and `info.last_token_usage` (the last turn).
  Codex's input_tokens include the cached ones (cached_input_tokens) and its
  output_tokens include the reasoning ones, so: input = input - cached, cache read =
  cached, output = output.

Only timestamps, ids, the working directory, model names and token counts are read; the
text of prompts, replies, code and tool output is parsed past and never kept. A line is
never held whole past `MAX_LINE` bytes (a longer one is skipped in chunks and reported),
so memory stays bounded whatever the file's size.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, BinaryIO

CLAUDE = "claude-code"
CODEX = "codex"
FORMATS = (CLAUDE, CODEX)
TITLES = {CLAUDE: "Claude Code session log", CODEX: "Codex CLI session log"}

MAX_LINE = 32 * 1024 * 1024  # bytes of one line held at most; a longer line is skipped
SNIFF_LINES = 20  # lines read to tell whether a file is a session log
SNIFF_LINE = 1024 * 1024  # bytes of each of those lines
PROGRESS_EVERY = 1024 * 1024  # bytes between two progress reports

_CLAUDE_TYPES = frozenset({"user", "assistant", "system", "summary", "file-history-snapshot", "queue-operation"})
_CODEX_TYPES = frozenset({"session_meta", "response_item", "event_msg", "turn_context", "compacted"})


@dataclass
class Usage:
    """Tokens of one model in one session, by kind."""

    input: int = 0
    output: int = 0
    cache_write: int = 0
    cache_read: int = 0

    def add(self, other: Usage) -> None:
        self.input += other.input
        self.output += other.output
        self.cache_write += other.cache_write
        self.cache_read += other.cache_read

    @property
    def total(self) -> int:
        return self.input + self.output + self.cache_write + self.cache_read


@dataclass(frozen=True)
class Problem:
    line: int
    reason: str


@dataclass
class SessionRead:
    """What one session file says: the figures roi keeps, and the lines it rejected."""

    source: str
    session_id: str
    file: str
    size: int
    mtime_ns: int
    started: datetime | None = None
    ended: datetime | None = None
    events: int = 0
    active_s: float = 0.0
    cwd: str = ""
    sidechain: bool = False
    usage: dict[str, Usage] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    lines: int = 0


class _Clock:
    """Start, end and active time from the events' times, in one pass: a gap shorter than
    the idle threshold is time the person was there; a longer one, time away."""

    def __init__(self, idle_s: float) -> None:
        self.idle_s = idle_s
        self.first: float | None = None
        self.last: float | None = None
        self.active = 0.0
        self.events = 0

    def tick(self, t: float) -> None:
        self.events += 1
        if self.last is None or self.first is None:
            self.first = self.last = t
            return
        gap = t - self.last
        if gap > 0:
            if gap < self.idle_s:
                self.active += gap
            self.last = t
        elif t < self.first:  # an event out of order: it can only move the start
            self.first = t


def read_lines(fh: BinaryIO, limit: int | None = None) -> Iterator[tuple[int, bytes | None]]:
    """(1-based line number, the line's bytes) for each line of a file, streamed. A line
    longer than `limit` bytes (default MAX_LINE) is read past in chunks and yields None."""
    limit = limit or MAX_LINE
    number = 0
    while True:
        chunk = fh.readline(limit)
        if not chunk:
            return
        number += 1
        if len(chunk) >= limit and not chunk.endswith(b"\n"):
            while True:  # the rest of the long line, a chunk at a time
                more = fh.readline(limit)
                if not more or more.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, chunk


def _when(value: Any) -> float | None:
    """Seconds since the epoch of an ISO-8601 time (UTC when it has no offset); None when
    it is not one."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    t = moment.timestamp()
    return t if math.isfinite(t) else None


def _count(raw: dict[str, Any], key: str, where: str) -> int:
    value = raw.get(key, 0)
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0 or not math.isfinite(value):
        raise ValueError(f"{where}.{key} is not a token count (got {str(value)[:40]!r})")
    return int(value)


def _kind(obj: Any) -> str | None:
    if not isinstance(obj, dict):
        return None
    kind = obj.get("type")
    if "payload" in obj and kind in _CODEX_TYPES:
        return CODEX
    if kind in _CLAUDE_TYPES and ("sessionId" in obj or "uuid" in obj or "leafUuid" in obj):
        return CLAUDE
    return None


def sniff(path: Path) -> str | None:
    """`claude-code` or `codex` when the file's first lines are that tool's session log,
    else None (also for a file that cannot be read)."""
    try:
        with path.open("rb") as fh:
            for number, raw in read_lines(fh, SNIFF_LINE):
                if number > SNIFF_LINES:
                    break
                if raw is None or not raw.strip():
                    continue
                try:
                    found = _kind(json.loads(raw))
                except ValueError:
                    continue
                if found:
                    return found
    except OSError:
        return None
    return None


def session_files(root: Path) -> Iterator[Path]:
    """The .jsonl files under a folder (sorted, symlinked folders not followed), or the
    file itself."""
    if not root.is_dir():
        yield root
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".jsonl"):
                path = Path(folder) / name
                if path.is_file():
                    yield path


class _Reader:
    """The state of one file being read; `line(obj)` takes one parsed line."""

    def __init__(self, session: SessionRead, idle_s: float) -> None:
        self.s = session
        self.clock = _Clock(idle_s)
        self.seen: set[tuple[Any, Any]] = set()  # Claude Code: (message id, request id) counted
        self.session_id: str | None = None
        self.model: str | None = None  # Codex: the model of the current turn
        self.totals: dict[str, int] | None = None  # Codex: the last running totals

    def use(self, model: Any, usage: Usage) -> None:
        if usage.total == 0:
            return
        name = model.strip() if isinstance(model, str) and model.strip() else "unknown"
        self.s.usage.setdefault(name[:200], Usage()).add(usage)

    def common(self, obj: dict[str, Any]) -> None:
        t = _when(obj.get("timestamp"))
        if t is not None:
            self.clock.tick(t)
        elif "timestamp" in obj:
            raise ValueError(f"timestamp is not a date and time (got {str(obj.get('timestamp'))[:40]!r})")

    def claude(self, obj: dict[str, Any]) -> None:
        self.common(obj)
        if self.session_id is None and isinstance(obj.get("sessionId"), str):
            self.session_id = obj["sessionId"]
            self.s.sidechain = obj.get("isSidechain") is True
        if not self.s.cwd and isinstance(obj.get("cwd"), str):
            self.s.cwd = obj["cwd"]
        message = obj.get("message")
        if obj.get("type") != "assistant" or not isinstance(message, dict):
            return
        raw = message.get("usage")
        if not isinstance(raw, dict):
            return
        key = (message.get("id"), obj.get("requestId"))
        if key != (None, None):
            if key in self.seen:
                return
            self.seen.add(key)
        self.use(message.get("model"), Usage(
            input=_count(raw, "input_tokens", "usage"), output=_count(raw, "output_tokens", "usage"),
            cache_write=_count(raw, "cache_creation_input_tokens", "usage"),
            cache_read=_count(raw, "cache_read_input_tokens", "usage"),
        ))

    def codex(self, obj: dict[str, Any]) -> None:
        self.common(obj)
        kind, payload = obj.get("type"), obj.get("payload")
        if not isinstance(payload, dict):
            return
        if kind == "session_meta":
            if self.session_id is None and isinstance(payload.get("id"), str):
                self.session_id = payload["id"]
            if isinstance(payload.get("cwd"), str):
                self.s.cwd = payload["cwd"]
            source = payload.get("source")
            self.s.sidechain = isinstance(source, dict) and "subagent" in source
        elif kind == "turn_context":
            if isinstance(payload.get("model"), str):
                self.model = payload["model"]
            if not self.s.cwd and isinstance(payload.get("cwd"), str):
                self.s.cwd = payload["cwd"]
        elif kind == "event_msg" and payload.get("type") == "token_count":
            self.tokens(payload)

    def tokens(self, payload: dict[str, Any]) -> None:
        info = payload.get("info")
        if not isinstance(info, dict):
            return  # a token_count with only rate limits
        total, last = info.get("total_token_usage"), info.get("last_token_usage")
        fields = ("input_tokens", "cached_input_tokens", "output_tokens", "cache_write_input_tokens")
        if isinstance(total, dict):
            now = {f: _count(total, f, "info.total_token_usage") for f in fields}
            before = self.totals or dict.fromkeys(fields, 0)
            delta = {f: max(now[f] - before[f], 0) for f in fields}
            self.totals = now
        elif isinstance(last, dict):
            delta = {f: _count(last, f, "info.last_token_usage") for f in fields}
        else:
            return
        cached = min(delta["cached_input_tokens"], delta["input_tokens"])
        written = min(delta["cache_write_input_tokens"], delta["input_tokens"] - cached)
        model = info.get("model") or payload.get("model") or self.model
        self.use(model, Usage(input=delta["input_tokens"] - cached - written, output=delta["output_tokens"],
                              cache_write=written, cache_read=cached))


def read_session(
    path: Path, source: str, idle_gap_s: float, progress: Callable[[int], None] | None = None
) -> SessionRead:
    """Read one session file of the given format (see `sniff`), streaming it line by line.
    A line that is not JSON, not an object, or has a bad timestamp or token count is a
    `Problem` with its line number; the other lines still count. `progress(bytes)` is
    called with the bytes read since its last call."""
    info = path.stat()
    session = SessionRead(source=source, session_id="", file=str(path), size=info.st_size,
                          mtime_ns=info.st_mtime_ns)
    reader = _Reader(session, idle_gap_s)
    handle = reader.claude if source == CLAUDE else reader.codex
    unreported = 0
    with path.open("rb") as fh:
        for number, raw in read_lines(fh):
            session.lines = number
            if raw is None:
                session.problems.append(Problem(number, f"line longer than {MAX_LINE // (1024 * 1024)} MB, skipped"))
                continue
            unreported += len(raw)
            if progress is not None and unreported >= PROGRESS_EVERY:
                progress(unreported)
                unreported = 0
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except ValueError as exc:
                reason = f"not JSON ({exc.msg} at column {exc.colno})" if isinstance(exc, json.JSONDecodeError) \
                    else "not UTF-8 text"
                session.problems.append(Problem(number, reason))
                continue
            if not isinstance(obj, dict):
                session.problems.append(Problem(number, f"not a JSON object (a {type(obj).__name__})"))
                continue
            try:
                handle(obj)
            except ValueError as exc:
                session.problems.append(Problem(number, str(exc)))
    if progress is not None and unreported:
        progress(unreported)
    clock = reader.clock
    session.events = clock.events
    session.active_s = clock.active
    if clock.first is not None and clock.last is not None:
        session.started = datetime.fromtimestamp(clock.first, UTC)
        session.ended = datetime.fromtimestamp(clock.last, UTC)
    stem = path.stem
    sid = reader.session_id
    if source == CLAUDE:
        session.session_id = stem if sid in (None, stem) else f"{sid}/{stem}"
    else:
        session.session_id = sid or stem
    session.session_id = session.session_id[:300]
    return session
