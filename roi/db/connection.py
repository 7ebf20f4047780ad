"""The connection: where the database is, how it is opened, and how a write is wrapped.

`open_database` is the one function that opens a database: a plain `sqlite3`
connection, in autocommit mode. Every write goes through `Connection.transaction()`,
which takes the write lock up front (BEGIN IMMEDIATE) so that two processes writing at
once wait for each other instead of failing half-way with "database is locked".

Why not sqlite-utils, which this project used to wrap the connection in: every query
here is plain SQL on the connection (its insert helpers commit on their own, which
would break a surrounding transaction), so the wrapper did nothing but cost every
command its import, which loads numpy (about 90 ms before `roi time status` can answer).

Waiting for another roi is one budget (`Waits`, $ROI_BUSY_TIMEOUT seconds, 120 by
default) for everything one connection waits for the write lock: the migrations at
opening and each transaction's BEGIN IMMEDIATE. The lock is tried in short slices, so
that a front end can say, once, that it is waiting and for what (a writer that names
its activity leaves it in a small `<db>-activity` file while it holds the lock).

Nothing is lost or leaked: a new database file is created private (0600; SQLite gives
its -wal and -shm files the same mode); a database whose schema was made by a newer roi
is opened read-only, with no migration applied; a full disk, a damaged file or a busy
lock become one sentence naming the file (`database_error`).
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from roi.db.migrations import MIGRATIONS
from roi.errors import RoiError
from roi.textsafe import visible

ENV_VAR = "ROI_DB"
BUSY_TIMEOUT_ENV = "ROI_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT_S = 120.0
BUSY_TIMEOUT_MS = int(DEFAULT_BUSY_TIMEOUT_S * 1000)  # the default, for callers that read it
NOTICE_AFTER_S = 3.0  # say that we are waiting after this long (a third of a shorter budget)
LOCK_SLICE_MS = 50  # one try at the write lock waits this long inside SQLite
# PRAGMA user_version of a database migrated by this roi; a higher one was made by a newer roi
SCHEMA_VERSION = len(MIGRATIONS)
KNOWN_MIGRATIONS = frozenset(name for name, _ in MIGRATIONS)
PRIVATE_MODE = 0o600


def default_path() -> Path:
    """$ROI_DB, else roi.db in the user's data directory."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR]).expanduser()
    return data_dir() / "roi.db"


def data_dir() -> Path:
    """roi's folder in the user's data directory (created freely when needed)."""
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False))


def shown(path: str | os.PathLike[str]) -> str:
    """A path as a message shows it: quoted, control characters made visible."""
    return f"'{visible(str(path))}'"


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    """ISO-8601 UTC text, the storage form of every instant."""
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# --- errors --------------------------------------------------------------------------------


class DatabaseDamaged(RoiError):
    """The database file is damaged (SQLite: malformed, or not a database): exit 2."""

    exit_code = 2

    def __init__(self, path: str | os.PathLike[str], detail: str) -> None:
        self.path, self.detail = str(path), detail
        super().__init__(
            f"the database {shown(path)} is damaged ({detail}); `roi doctor` checks it and says how to recover"
        )


def _primary_code(exc: BaseException) -> int:
    return int(getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF


def disk_full(exc: BaseException) -> bool:
    return _primary_code(exc) == sqlite3.SQLITE_FULL


def database_error(exc: sqlite3.Error, path: str | os.PathLike[str] | None) -> RoiError:
    """One sentence, naming the file, for an error SQLite raised on the database."""
    where = shown(path if path is not None else "?")
    code = _primary_code(exc)
    if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        return DatabaseDamaged(path if path is not None else "?", str(exc))
    if code == sqlite3.SQLITE_FULL:
        return RoiError(f"the disk is full: cannot write the database {where}; nothing was changed"
                        " (free some space and try again)")
    if code == sqlite3.SQLITE_BUSY:
        return RoiError(f"the database {where} is busy (another roi is writing); try again when it has finished")
    if code == sqlite3.SQLITE_READONLY:
        return RoiError(f"the database {where} cannot be written ({exc}); check the file's permissions")
    if code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_PERM):
        return RoiError(f"cannot read or write the database {where} ({exc})")
    return RoiError(f"the database {where} could not be used: {exc}")


# --- waiting for the write lock ------------------------------------------------------------


def busy_timeout_s() -> float:
    """The total wait for another roi: $ROI_BUSY_TIMEOUT seconds, else 120."""
    text = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not text:
        return DEFAULT_BUSY_TIMEOUT_S
    try:
        value = float(text.removesuffix("s"))
    except ValueError:
        value = -1.0
    if not value >= 0 or value == float("inf"):
        raise RoiError(f"{BUSY_TIMEOUT_ENV}={visible(text)!r} is not a number of seconds (e.g. 120)")
    return value


class Waits:
    """How long one connection may wait, in all, for another roi's write lock, and who
    is told (once) that it is waiting: `on_wait(activity)`, activity None when unknown."""

    def __init__(
        self,
        total_s: float | None = None,
        notice_after_s: float | None = None,
        on_wait: Callable[[str | None], None] | None = None,
    ) -> None:
        self.total = busy_timeout_s() if total_s is None else total_s
        self.notice_after = min(NOTICE_AFTER_S, self.total / 3) if notice_after_s is None else notice_after_s
        self.on_wait = on_wait
        self.spent = 0.0
        self.noticed = False

    def remaining_ms(self) -> int:
        return max(1, int((self.total - self.spent) * 1000))


def take_lock(conn: sqlite3.Connection, statement: str, waits: Waits, path: str | Path | None) -> None:
    """Run `statement` (BEGIN IMMEDIATE), waiting for another writer within the budget."""
    started = time.monotonic()
    conn.execute(f"PRAGMA busy_timeout = {LOCK_SLICE_MS}")
    try:
        while True:
            try:
                conn.execute(statement)
                return
            except sqlite3.OperationalError as exc:
                if _primary_code(exc) != sqlite3.SQLITE_BUSY:
                    raise
            waited = time.monotonic() - started
            if not waits.noticed and waited >= waits.notice_after:
                waits.noticed = True
                if waits.on_wait is not None:
                    waits.on_wait(holder_activity(path))
            if waits.spent + waited >= waits.total:
                holder = holder_activity(path)
                raise RoiError(
                    f"the database {shown(path or '?')} is busy: another roi"
                    f"{f' ({holder})' if holder else ''} held it for the {waits.total:g} s this one waits;"
                    f" try again when it has finished (${BUSY_TIMEOUT_ENV} sets the wait)"
                )
    finally:
        waits.spent += time.monotonic() - started
        conn.execute(f"PRAGMA busy_timeout = {waits.remaining_ms()}")


def _activity_file(path: str | Path | None) -> Path | None:
    return None if path is None or str(path) == ":memory:" else Path(f"{path}-activity")


def holder_activity(path: str | Path | None) -> str | None:
    """What the roi that holds the write lock said it is doing, if it said and still runs."""
    sidecar = _activity_file(path)
    if sidecar is None:
        return None
    try:
        data = json.loads(sidecar.read_text("utf-8"))
        pid, activity = int(data["pid"]), str(data["activity"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if os.name == "posix":
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None  # left by a roi that was killed
        except OSError:
            pass
    return activity


def _unlink(sidecar: Path | None) -> None:
    if sidecar is not None:
        with contextlib.suppress(OSError):
            sidecar.unlink()


def _announce(path: str | Path | None, activity: str | None) -> Path | None:
    """Leave what this writer does beside the database while it holds the lock."""
    sidecar = _activity_file(path)
    if sidecar is None or not activity:
        return None
    with contextlib.suppress(OSError):
        fd = os.open(sidecar, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"pid": os.getpid(), "activity": activity}, fh)
        return sidecar
    return None


# --- opening -------------------------------------------------------------------------------


def _prepare_file(target: Path, create_folder: bool) -> None:
    """The file's folder exists (made only when allowed), and a new file is private."""
    if target.is_dir():
        raise RoiError(f"database path {shown(target)} is a directory, not a file")
    folder = target.parent
    if not folder.is_dir():
        if folder.exists():
            raise RoiError(f"cannot use database {shown(target)}: {shown(folder)} is not a folder")
        if not create_folder:
            raise RoiError(
                f"no folder {shown(folder)} for database {shown(target)}; check the path,"
                " or add --create (roi --db PATH --create ...) to make it"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RoiError(f"cannot create the folder for database {shown(target)}: {exc.strerror}") from None
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_MODE))
    except FileExistsError:
        pass
    except OSError as exc:
        raise RoiError(f"cannot create database {shown(target)}: {exc.strerror}") from None
    try:
        with open(target, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise RoiError(f"cannot read database {shown(target)}: {exc.strerror}") from None
    if head and not head.startswith(b"SQLite format 3"):
        raise RoiError(f"{shown(target)} is not an roi database (not SQLite)")


def open_database(
    path: str | Path | None = None,
    *,
    migrate: bool = True,
    create_folder: bool = True,
    waits: Waits | None = None,
) -> sqlite3.Connection:
    """Open (creating if needed) the database: foreign keys, busy timeout, WAL, migrations.

    `path` None means the default location; ":memory:" gives a private in-memory database.
    `create_folder` False refuses a path whose folder does not exist (a typo is not an
    empty inventory). A database made by a newer roi is opened read-only, unmigrated."""
    target = ":memory:" if str(path) == ":memory:" else Path(path or default_path()).expanduser()
    if isinstance(target, Path):
        _prepare_file(target, create_folder)
    waits = waits or Waits()
    try:
        conn = sqlite3.connect(
            str(target),
            timeout=waits.total,
            isolation_level=None,  # autocommit: transactions are explicit
            check_same_thread=False,  # the TUI reads from worker threads, one at a time
        )
    except sqlite3.Error as exc:
        raise database_error(exc, target) from None
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA busy_timeout = {waits.remaining_ms()}")
        if newer_schema(conn) is not None:
            conn.execute("PRAGMA query_only = ON")  # read what it can; change nothing
            return conn
        if isinstance(target, Path):
            _use_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
        if migrate:
            apply_migrations(conn, waits=waits, path=target)
    except sqlite3.Error as exc:
        conn.close()
        raise database_error(exc, target) from None
    except BaseException:
        conn.close()
        raise
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL: readers never wait for a writer. Switching an existing rollback-journal
    database to WAL needs it to itself: when another connection holds it ("database is
    locked"), this connection works in that database's mode."""
    try:
        conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise


def newer_schema(conn: sqlite3.Connection) -> str | None:
    """Why the database was made by a newer roi ("unknown migration 'X'"), or None."""
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    if has_table:
        unknown = sorted({r[0] for r in conn.execute("SELECT name FROM _migrations")} - KNOWN_MIGRATIONS)
        if unknown:
            return f"unknown migration {unknown[-1]!r}"
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        return f"schema version {version}, this roi knows {SCHEMA_VERSION}"
    return None


def apply_migrations(
    conn: sqlite3.Connection, *, waits: Waits | None = None, path: str | Path | None = None
) -> list[str]:
    """Apply the named migrations that have not run yet; return their names. Each runs in
    its own transaction with the row that records it; user_version follows."""
    waits = waits or Waits()
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")} if has_table else set()
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with _locked(conn, waits, path):
            conn.execute(
                "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            # Another process may have migrated while we waited for the lock.
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", [name]).fetchone():
                continue
            migration(conn)
            conn.execute("INSERT INTO _migrations VALUES (?, ?)", [name, iso(utc_now())])
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        applied.append(name)
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < SCHEMA_VERSION:
        with _locked(conn, waits, path):  # migrated by a roi that did not set it yet
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return applied


@contextmanager
def _locked(conn: sqlite3.Connection, waits: Waits, path: str | Path | None) -> Iterator[None]:
    """A transaction of the migrations: committed, or rolled back if SQLite has not."""
    take_lock(conn, "BEGIN IMMEDIATE", waits, path)
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled back already (a full disk)
            conn.execute("ROLLBACK")
        raise


# --- the connection ------------------------------------------------------------------------


class Connection:
    """One open database: its connection, its path, and write transactions. `Store` and
    the other storage modules build their queries on it.

    `read_only` says why writes are refused (a schema made by a newer roi), else None;
    `activity` is what this connection's writes are, for another roi that waits for them."""

    def __init__(
        self, conn: sqlite3.Connection, path: str | Path | None = None, *, waits: Waits | None = None
    ) -> None:
        self.conn = conn
        self.path = path
        self.waits = waits
        self.activity: str | None = None
        self._depth = 0
        reason = newer_schema(self.conn)
        self.read_only: str | None = None if reason is None else (
            f"{shown(path or ':memory:')} was made by a newer version of roi ({reason}); upgrade roi to change it"
        )
        self.refused_write = False

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
        """One write transaction; nested calls join the outer one. A failure rolls back
        (when SQLite has not already) and a full disk says so, naming the file."""
        if self._depth:
            self._depth += 1
            try:
                yield self.conn
            finally:
                self._depth -= 1
            return
        if self.read_only is not None:
            self.refused_write = True
            raise RoiError(self.read_only)
        take_lock(self.conn, "BEGIN IMMEDIATE", self.waits or Waits(), self.path)
        sidecar = _announce(self.path, self.activity)
        self._depth = 1
        try:
            yield self.conn
            _unlink(sidecar)  # the lock is about to go: so does the note of what holds it
            sidecar = None
            self.conn.execute("COMMIT")
        except BaseException as exc:
            _unlink(sidecar)
            if self.conn.in_transaction:  # a full disk may have rolled it back already
                self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error) and disk_full(exc):
                raise database_error(exc, self.path) from None
            raise
        finally:
            self._depth = 0

    def count(self, table: str) -> int:
        return int(self.conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
