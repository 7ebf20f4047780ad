"""The connection: where the database is, how it is opened, and how a write is wrapped.

`open_database` is the one function that constructs a `sqlite_utils.Database`. The
connection runs in autocommit mode and every write goes through
`Connection.transaction()`, which takes the write lock up front (BEGIN IMMEDIATE) so
that two processes writing at once wait for each other (busy timeout) instead of failing
half-way with "database is locked". Writes use plain SQL on the connection:
sqlite-utils' own insert helpers commit on their own, which would break a surrounding
transaction.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from roi.db.migrations import MIGRATIONS
from roi.errors import RoiError

BUSY_TIMEOUT_MS = 120_000
ENV_VAR = "ROI_DB"


def default_path() -> Path:
    """$ROI_DB, else roi.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False)) / "roi.db"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 UTC text, the storage form of every instant."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def open_database(path: str | Path | None = None, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database: foreign keys, busy timeout, WAL, migrations.

    `path` None means the default location; ":memory:" gives a private in-memory database.
    """
    target = ":memory:" if str(path) == ":memory:" else Path(path or default_path()).expanduser()
    if isinstance(target, Path):
        if target.is_dir():
            raise RoiError(f"database path {str(target)!r} is a directory, not a file")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RoiError(f"cannot create the folder for database {str(target)!r}: {exc.strerror}") from None
        if target.exists() and target.stat().st_size > 0:
            with open(target, "rb") as fh:
                if not fh.read(16).startswith(b"SQLite format 3"):
                    raise RoiError(f"{str(target)!r} is not an roi database (not SQLite)")
    try:
        conn = sqlite3.connect(
            str(target),
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,  # autocommit: transactions are explicit
            check_same_thread=False,  # the TUI reads from worker threads, one at a time
        )
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if isinstance(target, Path):
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise RoiError(f"cannot open database {str(target)!r}: {exc}") from None
    db = sqlite_utils.Database(conn)
    if migrate:
        apply_migrations(db)
    return db


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL: readers never wait for a writer. A very large import leaves WAL while it runs
    (roi.importers.bulk.rollback_journal) and comes back to it; meanwhile the switch is
    refused ("database is locked") and this connection works in that import's mode: its
    reads see the database as it was before the import until the import starts writing
    pages, then wait for its commit (the busy timeout)."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply the named migrations that have not run yet; return their names."""
    conn = db.conn
    conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while we waited for the lock.
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                conn.execute("COMMIT")
                continue
            migration(db)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", [name, iso(utc_now())])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


class Connection:
    """One open database: its connection, its path, and write transactions. `Store` and
    the other storage modules build their queries on it."""

    def __init__(self, db: sqlite_utils.Database, path: str | Path | None = None) -> None:
        self.db = db
        self.conn = db.conn
        self.path = path
        self._depth = 0

    def close(self) -> None:
        self.conn.close()

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """The rows of one query, each readable by column name."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        return cursor.execute(sql, params).fetchall()

    def row(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Row | None:
        """The first row of one query (by column name), or None."""
        cursor = self.conn.cursor()
        cursor.row_factory = sqlite3.Row
        found: sqlite3.Row | None = cursor.execute(sql, params).fetchone()
        return found

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; nested calls join the outer one."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise RoiError(f"the database is busy (another roi is writing): {exc}") from None
        self._depth = 1
        try:
            yield self.conn
        except BaseException:
            self._depth = 0
            self.conn.execute("ROLLBACK")
            raise
        self._depth = 0
        self.conn.execute("COMMIT")

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
