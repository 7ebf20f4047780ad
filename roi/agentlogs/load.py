"""`roi import PATH` for coding-agent logs: one session file, a project folder, or the
whole ~/.claude/projects or ~/.codex/sessions tree, into the agent_session table.

Each file is streamed line by line (roi.agentlogs.parse); what is kept of a session is a
few figures, so memory stays bounded by the longest line, not by the tree. A file whose
size and modification time are those of its last import (read with the same idle gap)
is not read again; one that grew is read again and its session's row updated, never
duplicated. Everything is written in one transaction: a crash leaves the database as
it was."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from roi.agentlogs.parse import SessionRead, read_session, session_files, sniff
from roi.agentlogs.prices import AttachRule, attach_rules
from roi.db import agents as db
from roi.db.store import Store
from roi.errors import RoiError
from roi.textsafe import visible

Progress = Callable[[int, int | None], None]


class NotSessionLogs(RoiError):
    """The path holds no Claude Code or Codex session log: nothing written, exit code 2
    (as for any input that is not a task log)."""

    exit_code = 2


@dataclass(frozen=True)
class Attached:
    task: str
    role: str
    sessions: int
    hours: float  # active hours of those sessions


@dataclass
class AgentImport:
    """What one import of agent logs did."""

    formats: set[str] = field(default_factory=set)
    files: int = 0  # session files found
    added: int = 0
    updated: int = 0  # a known session whose file grew (or was read with another idle gap)
    unchanged: int = 0
    not_logs: int = 0  # .jsonl files that are no session log
    hours: float = 0.0  # active hours of the sessions added or updated
    lines: int = 0  # lines read (of the files read again or for the first time)
    errors: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, reason)
    attached: list[Attached] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def format(self) -> str:
        return "+".join(sorted(self.formats)) or "none"


@dataclass(frozen=True)
class _Found:
    """One session met by this import: its key, where it ran, its task so far, its time."""

    source: str
    session_id: str
    cwd: str
    task_id: int | None
    active_s: float

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.session_id


def is_agent_log(path: Path) -> bool:
    """Whether `path` is a session log of Claude Code or Codex, or a folder holding one."""
    if path.is_dir():
        return any(sniff(p) for p in session_files(path))
    return path.is_file() and sniff(path) is not None


def _task_id(store: Store, ref: str) -> int:
    return store.task_id(ref)


def _rule_for(cwd: str, rules: tuple[AttachRule, ...]) -> AttachRule | None:
    return next((r for r in rules if r.matches(cwd)), None)


def import_agent_logs(
    store: Store, path: Path, *, build: str | None = None, runs: str | None = None,
    dry_run: bool = False, progress: Progress | None = None,
) -> AgentImport:
    """Read every session file under `path` and save it; with `build` or `runs` (a task's
    id or name) attach all of them to that task; else the person's [[attach]] rules
    attach sessions with no task yet by their working directory."""
    if build and runs:
        raise RoiError("give --build or --runs, not both: a session is either the build of an automation or a run of it")
    role = "build" if build else "runs" if runs else None
    target = _task_id(store, build or runs or "") if role else None
    rules = () if role else attach_rules()
    idle_s = store.settings().agent_idle_gap * 60.0
    root = path.expanduser().resolve()
    found = list(session_files(root))
    total = 0
    for p in found:
        try:
            total += p.stat().st_size
        except OSError:
            pass
    done = 0

    def advance(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done, total)

    result = AgentImport(dry_run=dry_run)
    stored = db.stored_files(store)
    read: list[SessionRead] = []
    by_key = {(f.source, f.session_id): f for f in stored.values()}
    keys: list[_Found] = []  # every session of the path, read now or unchanged
    for p in found:
        try:
            info = p.stat()
        except OSError as exc:
            result.errors.append((str(p), 0, f"cannot be read ({exc.strerror or exc})"))
            continue
        known = stored.get(str(p))
        if (known is not None and known.size == info.st_size and known.mtime_ns == info.st_mtime_ns
                and known.idle_gap_s == idle_s):  # as read last time: not opened again
            result.files += 1
            result.formats.add(known.source)
            result.unchanged += 1
            keys.append(_Found(known.source, known.session_id, known.cwd, known.task_id, known.active_s))
            advance(info.st_size)
            continue
        source = sniff(p)
        if source is None:
            result.not_logs += 1
            advance(info.st_size)
            continue
        result.files += 1
        result.formats.add(source)
        try:
            session = read_session(p, source, idle_s, advance)
        except OSError as exc:
            result.errors.append((str(p), 0, f"cannot be read ({exc.strerror or exc})"))
            continue
        result.errors += [(str(p), e.line, e.reason) for e in session.problems]
        read.append(session)
        result.lines += session.lines
        result.hours += session.active_s / 3600.0
        before = by_key.get((session.source, session.session_id))
        keys.append(_Found(session.source, session.session_id, session.cwd,
                           before.task_id if before else None, session.active_s))
    if result.files == 0:
        raise NotSessionLogs(f"'{visible(str(path))}' holds no Claude Code or Codex session log (.jsonl)")
    for s in read:
        if (s.source, s.session_id) in by_key:
            result.updated += 1
        else:
            result.added += 1
    plan = _attachments(store, keys, target, role, rules, result)
    if dry_run:
        return result
    from roi.db.timelog import record_build_time

    with store.transaction():
        db.save_sessions(store, read, idle_s)
        built = db.build_seconds(store)
        changed: set[int] = set()
        for (task_id, how), chosen in plan.items():
            changed |= db.attach(store, chosen, task_id, how)
        after = db.build_seconds(store)
        for task_id in sorted(changed):
            if task_id in built or task_id in after:  # its measured build hours moved
                record_build_time(store, task_id)
    return result


def _attachments(
    store: Store, found: list[_Found], target: int | None, role: str | None,
    rules: tuple[AttachRule, ...], result: AgentImport,
) -> dict[tuple[int, str], list[tuple[str, str]]]:
    """(task id, role) -> the sessions to attach to it: all of them to the --build/--runs
    task, else by the person's rules those that have no task yet."""
    plan: dict[tuple[int, str], list[_Found]] = {}
    if target is not None and role is not None:
        plan[(target, role)] = list({f.key: f for f in found}.values())
    else:
        missing: set[str] = set()
        for f in found:
            rule = _rule_for(f.cwd, rules) if f.task_id is None else None
            if rule is None:
                continue
            task_id = store.find_task(rule.task)
            if task_id is None:
                missing.add(rule.task)
                continue
            plan.setdefault((task_id, rule.role), []).append(f)
        result.warnings += [f"no task named {visible(name)!r} (an [[attach]] rule of your agents file names it)"
                            for name in sorted(missing)]
    for (task_id, how), chosen in plan.items():
        name = store.list_tasks(ids=[task_id])[0].name
        result.attached.append(Attached(name, how, len(chosen), sum(f.active_s for f in chosen) / 3600.0))
    return {k: [f.key for f in v] for k, v in plan.items()}
