"""Coding-agent sessions in the database (tables agent_session and agent_usage, migration
0008_agent_sessions): saving what roi.agentlogs read, attaching sessions to a task as its
build or its runs, and reading them back for `roi agents`, the ranking and calibration."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from roi.db.connection import Connection, iso, parse_iso, utc_now

if TYPE_CHECKING:  # the ranking reads this module; it need not load the log parser
    from roi.agentlogs.parse import SessionRead, Usage

__all__ = ["StoredFile", "StoredSession", "attach", "build_seconds", "has_runs", "save_sessions", "sessions",
           "stored_files"]

_COLUMNS = ("source", "session_id", "file", "file_size", "file_mtime_ns", "started", "ended", "events",
            "active_s", "idle_gap_s", "cwd", "sidechain")


@dataclass(frozen=True)
class StoredFile:
    """What was read of a file last time: enough to tell it has not changed since."""

    source: str
    session_id: str
    size: int
    mtime_ns: int
    idle_gap_s: float
    cwd: str = ""
    task_id: int | None = None
    active_s: float = 0.0


@dataclass(frozen=True)
class StoredSession:
    id: int
    source: str
    session_id: str
    file: str
    started: datetime | None
    ended: datetime | None
    events: int
    active_s: float
    cwd: str
    sidechain: bool
    task_id: int | None
    task_name: str | None
    role: str | None
    usage: dict[str, Usage] = field(default_factory=dict)


def stored_files(store: Connection) -> dict[str, StoredFile]:
    """Each file already read, by its path."""
    return {
        r["file"]: StoredFile(r["source"], r["session_id"], r["file_size"], r["file_mtime_ns"], r["idle_gap_s"],
                              r["cwd"], r["task_id"], r["active_s"])
        for r in store.rows("SELECT file, source, session_id, file_size, file_mtime_ns, idle_gap_s, cwd, task_id,"
                            " active_s FROM agent_session")
    }


def save_sessions(store: Connection, read: Iterable[SessionRead], idle_gap_s: float) -> tuple[int, int]:
    """Insert new sessions and replace the figures of known ones (same source and session
    id: a file that grew), in one transaction; their task and role are kept. Returns
    (added, updated)."""
    added = updated = 0
    now = iso(utc_now())
    placeholders = ", ".join("?" * len(_COLUMNS))
    updates = ", ".join(f"{c}=excluded.{c}" for c in _COLUMNS[2:])
    with store.transaction() as conn:
        for s in read:
            known = conn.execute("SELECT id FROM agent_session WHERE source = ? AND session_id = ?",
                                 [s.source, s.session_id]).fetchone()
            values = [s.source, s.session_id, s.file, s.size, s.mtime_ns,
                      iso(s.started) if s.started else None, iso(s.ended) if s.ended else None,
                      s.events, s.active_s, idle_gap_s, s.cwd, int(s.sidechain)]
            row = conn.execute(
                f"INSERT INTO agent_session ({', '.join(_COLUMNS)}, imported_at, updated_at)"
                f" VALUES ({placeholders}, ?, ?) ON CONFLICT(source, session_id) DO UPDATE SET {updates},"
                " updated_at=excluded.updated_at RETURNING id",
                [*values, now, now],
            ).fetchone()
            session = int(row[0])
            conn.execute("DELETE FROM agent_usage WHERE session = ?", [session])
            conn.executemany(
                "INSERT INTO agent_usage (session, model, input, output, cache_write, cache_read)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [(session, m, u.input, u.output, u.cache_write, u.cache_read) for m, u in s.usage.items()],
            )
            if known is None:
                added += 1
            else:
                updated += 1
    return added, updated


def attach(store: Connection, keys: Iterable[tuple[str, str]], task_id: int, role: str) -> set[int]:
    """Attach these sessions (source, session id) to a task as its build or its runs, in
    the caller's transaction. Returns the tasks whose sessions changed (this one and any
    they were attached to before)."""
    changed = {task_id}
    conn = store.conn
    for source, session_id in keys:
        before = conn.execute("SELECT task_id FROM agent_session WHERE source = ? AND session_id = ?",
                              [source, session_id]).fetchone()
        if before is not None and before[0] is not None:
            changed.add(int(before[0]))
        conn.execute("UPDATE agent_session SET task_id = ?, role = ? WHERE source = ? AND session_id = ?",
                     [task_id, role, source, session_id])
    return changed


def build_seconds(store: Connection) -> dict[int, tuple[int, float]]:
    """Task id -> (sessions, active seconds) of the sessions attached as its build."""
    return {
        int(r["task_id"]): (int(r["n"]), float(r["seconds"]))
        for r in store.rows(
            "SELECT task_id, count(*) AS n, coalesce(sum(active_s), 0) AS seconds FROM agent_session"
            " WHERE task_id IS NOT NULL AND role = 'build' GROUP BY task_id"
        )
    }


def has_runs(store: Connection) -> bool:
    """Is any session attached to a task as its runs? (Most inventories have none, and
    their ranking then loads none of the agent-log code.)"""
    return store.row("SELECT 1 FROM agent_session WHERE role = 'runs' AND task_id IS NOT NULL LIMIT 1") is not None


def sessions(store: Connection, *, since: datetime | None = None, role: str | None = None) -> list[StoredSession]:
    """The stored sessions (started at or after `since`; of one role), oldest first, with
    their tokens by model."""
    where, params = [], []
    if since is not None:
        where.append("s.started >= ?")
        params.append(iso(since))
    if role is not None:
        where.append("s.role = ? AND s.task_id IS NOT NULL")
        params.append(role)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    found: dict[int, StoredSession] = {}
    for r in store.rows(
        "SELECT s.id, s.source, s.session_id, s.file, s.started, s.ended, s.events, s.active_s, s.cwd,"
        " s.sidechain, s.task_id, t.name AS task_name, s.role FROM agent_session s"
        f" LEFT JOIN task t ON t.id = s.task_id{clause} ORDER BY s.started IS NULL, s.started, s.id",
        params,
    ):
        found[r["id"]] = StoredSession(
            id=r["id"], source=r["source"], session_id=r["session_id"], file=r["file"],
            started=parse_iso(r["started"]) if r["started"] else None,
            ended=parse_iso(r["ended"]) if r["ended"] else None, events=r["events"],
            active_s=r["active_s"], cwd=r["cwd"], sidechain=bool(r["sidechain"]), task_id=r["task_id"],
            task_name=r["task_name"], role=r["role"] if r["task_id"] is not None else None,
        )
    if found:
        from roi.agentlogs.parse import Usage

        for u in store.rows("SELECT session, model, input, output, cache_write, cache_read FROM agent_usage"
                            " ORDER BY session, model"):
            owner = found.get(u["session"])
            if owner is not None:
                owner.usage[u["model"]] = Usage(u["input"], u["output"], u["cache_write"], u["cache_read"])
    return list(found.values())
