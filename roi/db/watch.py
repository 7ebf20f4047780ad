"""Has someone else changed the database? For a front end that stays open (the terminal
app) while `roi` commands, a second app or an import worker write to the same file.

SQLite's `PRAGMA data_version` is a counter kept per connection that moves when another
connection commits a change to the file (this connection's own commits leave it where it
is). Reading it touches no table and takes no write lock, so polling it twice a second
costs nothing; comparing two readings says "something changed", not what.
"""

from __future__ import annotations

import sqlite3

from roi.db.connection import Connection


def data_version(store: Connection) -> int | None:
    """The connection's data version, or None when it cannot be read now (the database
    is closed, locked past the busy timeout, or damaged): the caller tries again later."""
    try:
        row = store.conn.execute("PRAGMA data_version").fetchone()
    except sqlite3.Error:
        return None
    return int(row[0]) if row is not None else None
