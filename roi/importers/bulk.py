"""Large imports: append the entries with time_entry's indexes dropped, then build them.

Keeping three indexes current row by row (the content hash takes random inserts) costs
about as much again as storing the rows; building each index once at the end is one
sort. It all happens inside the import's transaction, so a crash or a kill leaves the
indexes exactly as they were, like everything else.

With the unique hash index gone, INSERT OR IGNORE cannot drop the rows that an earlier
import already holds, so after the append those are deleted in one statement. Rows of
the file itself never collide: a repeated row gets an ordinal in its hash (SeenKeys).

A large import also stores with foreign-key checks off (`unchecked_ids`): they are a sixth
of the time per inserted row, and the importer checks the few distinct ids it stored
instead (`missing_ids`), inside the transaction, so a wrong id still stores nothing.

A very large import writes with the rollback journal instead of the write-ahead log
(`rollback_journal`). In WAL mode every new page is written twice, to the log and, at the
commit's checkpoint, to the database: about a second per million rows. The rollback
journal keeps only the pages the import changes that were there before, which for an
append is a few; the new pages go straight into the file, and a crash truncates them
away again. The price: while such an import runs, other processes wait to read.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from roi.importers.base import usable_cpus

# Below this many rows the indexes are kept and updated as rows go in: rebuilding them
# costs a sort of the whole table, which only a large import pays back.
BULK_MIN_ROWS = 20_000
# From here the checkpoint's second copy of every page costs a noticeable time, worth
# making other processes wait for the import instead of reading the state before it.
JOURNAL_MIN_ROWS = 200_000


@dataclass
class Bulk:
    indexes: list[tuple[str, str]]  # (name, CREATE INDEX sql), as found in the schema
    had_entries: bool


def begin(conn: sqlite3.Connection, expected_rows: int | None) -> Bulk | None:
    """Drop time_entry's indexes when an import of `expected_rows` is worth a rebuild: at
    least BULK_MIN_ROWS, and at least twice the rows the table holds (a rebuild sorts the
    whole table; a re-import of the same file is cheaper with the indexes kept). None:
    keep them."""
    if expected_rows is None or expected_rows < BULK_MIN_ROWS:
        return None
    existing = conn.execute("SELECT count(*) FROM time_entry").fetchone()[0]
    if existing * 2 > expected_rows:
        return None
    indexes = drop_indexes(conn)
    return None if indexes is None else Bulk(indexes, existing > 0)


def drop_indexes(conn: sqlite3.Connection) -> list[tuple[str, str]] | None:
    """Drop time_entry's full indexes; return them for build_indexes, or None (and drop
    nothing) when one was made by a constraint and cannot be dropped."""
    rows = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'time_entry'"
    ).fetchall()
    if any(sql is None for _, sql in rows):
        return None
    # A partial index (time_entry_open: the running stopwatch) admits next to none of the
    # imported rows, so keeping it costs nothing, while building it again reads the table.
    rows = [(name, sql) for name, sql in rows if " WHERE " not in sql.upper()]
    for name, _ in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return rows


def finish(conn: sqlite3.Connection, bulk: Bulk, batch_id: int) -> int:
    """Remove this batch's rows that an earlier import already holds, build the indexes
    again; return how many rows were removed as duplicates."""
    removed = 0
    if bulk.had_entries:
        removed = conn.execute(
            "DELETE FROM time_entry WHERE batch_id = ? AND hash IN"
            " (SELECT hash FROM time_entry WHERE batch_id IS NOT ? AND hash IS NOT NULL)",
            [batch_id, batch_id],
        ).rowcount
    build_indexes(conn, bulk.indexes)
    return removed


def build_indexes(conn: sqlite3.Connection, indexes: list[tuple[str, str]]) -> None:
    """Create the indexes drop_indexes dropped. Each build sorts the whole table; SQLite's
    sorter can use helper threads, and the other cores are idle by now (the reading
    processes of an import are done)."""
    threads = conn.execute("PRAGMA threads").fetchone()[0]
    conn.execute(f"PRAGMA threads = {min(usable_cpus(), 4)}")
    try:
        for _, sql in indexes:
            conn.execute(sql)
    finally:
        conn.execute(f"PRAGMA threads = {int(threads)}")


@contextmanager
def unchecked_ids(conn: sqlite3.Connection, expected_rows: int | None) -> Iterator[bool]:
    """Around the transaction of an import of `expected_rows`: foreign-key checks off when
    the import is large (yields True: the caller must check its ids with missing_ids before
    committing). The setting cannot change inside a transaction, so an import that joins
    one keeps the checks (yields False)."""
    if expected_rows is None or expected_rows < BULK_MIN_ROWS or conn.in_transaction:
        yield False
        return
    before = int(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    if not before:
        yield False
        return
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield True
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def missing_ids(conn: sqlite3.Connection, table: str, ids: Iterable[int | None]) -> list[int]:
    """Which of `ids` (None aside) have no row in `table`: what the foreign-key checks of
    the stored entries would have refused."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return []
    rows = conn.execute(
        f"SELECT value FROM json_each(?) WHERE value NOT IN (SELECT id FROM {table})", [json.dumps(wanted)]
    )
    return [int(v) for (v,) in rows]


@contextmanager
def rollback_journal(conn: sqlite3.Connection, expected_rows: int | None) -> Iterator[bool]:
    """Around the transaction of an import of `expected_rows`: the rollback journal instead
    of WAL when the import is very large and nobody else has the database open (leaving
    WAL needs that; yields whether it was left). WAL comes back afterwards (a connection
    opened meanwhile does not prevent it); if it cannot, because another connection holds
    a lock at that moment, the next open_database sets it."""
    if expected_rows is None or expected_rows < JOURNAL_MIN_ROWS or conn.in_transaction:
        yield False
        return
    try:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        left = mode == "wal" and conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
    except sqlite3.OperationalError:  # "database is locked": another connection is open
        left = False
    if not left:
        yield False
        return
    # NORMAL is safe against power loss with WAL, not with a rollback journal on every
    # file system: FULL syncs the journal before the database is written
    sync = int(conn.execute("PRAGMA synchronous").fetchone()[0])
    conn.execute("PRAGMA synchronous = FULL")
    try:
        yield True
    finally:
        try:
            conn.execute(f"PRAGMA synchronous = {sync}")
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError:  # locked by a new connection, or left inside a transaction
            pass
