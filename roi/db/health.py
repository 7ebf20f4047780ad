"""How a database file is, read without changing it: its schema, SQLite's integrity check
and its row counts (`roi doctor`), and whether it is a demo database that `roi demo
--reset` may delete.

A demo database says so: `roi demo` records a `_demo_database` row in its setting table
when it loaded the demo into an empty database (the Settings model never reads it).
Nothing here migrates, creates or repairs: a file that is not there stays not there.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from roi.db.connection import KNOWN_MIGRATIONS, SCHEMA_VERSION, Connection, iso, utc_now

# The tables a person's data is in (and _migrations aside): what `roi doctor` counts.
MAIN_TABLES = ("task", "step", "plan", "time_entry", "measurement", "import_batch", "import_error",
               "flag_dismissal", "setting")
DEMO_KEY = "_demo_database"
SHOW_PROBLEMS = 10

Kind = Literal["missing", "empty", "demo", "inventory", "unreadable"]


@dataclass
class Health:
    """What `roi doctor` found. None is unknown (could not be read), never zero."""

    path: str
    exists: bool
    problem: str | None = None  # why the file could not be read at all
    user_version: int | None = None
    migrations: list[str] | None = None
    unknown_migrations: list[str] = field(default_factory=list)
    integrity: list[str] | None = None  # ["ok"], or SQLite's messages
    rows: dict[str, int | None] = field(default_factory=dict)
    demo: bool | None = None
    check: str = "integrity_check"

    @property
    def healthy(self) -> bool:
        return self.exists and self.problem is None and self.integrity == ["ok"]

    @property
    def newer(self) -> bool:
        return bool(self.unknown_migrations) or (self.user_version or 0) > SCHEMA_VERSION

    def to_json(self) -> dict[str, Any]:
        return {
            "database": self.path, "exists": self.exists, "healthy": self.healthy,
            "problem": self.problem, "check": self.check,
            "integrity": self.integrity, "schema_version": self.user_version,
            "known_schema_version": SCHEMA_VERSION, "migrations": self.migrations,
            "unknown_migrations": self.unknown_migrations, "newer_roi": self.newer,
            "rows": self.rows, "demo": self.demo,
        }


def _reader(path: Path) -> sqlite3.Connection:
    """A connection that only reads (the file must exist: connect would create it)."""
    conn = sqlite3.connect(str(path), isolation_level=None, timeout=5)
    conn.execute("PRAGMA query_only = ON")
    return conn


def check_database(path: str | Path, *, quick: bool = False) -> Health:
    """Read everything `roi doctor` shows; never raises for a damaged file."""
    target = Path(path).expanduser()
    health = Health(str(target.absolute()), exists=target.is_file(), check="quick_check" if quick else "integrity_check")
    if not health.exists:
        health.problem = "is a folder, not a file" if target.is_dir() else None
        return health
    try:
        with open(target, "rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        health.problem = f"cannot be read ({exc.strerror})"
        return health
    if head and not head.startswith(b"SQLite format 3"):
        health.problem = "is not an SQLite database"
        return health
    try:
        conn = _reader(target)
    except sqlite3.Error as exc:
        health.problem = f"cannot be opened ({exc})"
        return health
    try:
        _read_into(health, conn, quick)
    finally:
        conn.close()
    return health


def _read_into(health: Health, conn: sqlite3.Connection, quick: bool) -> None:
    try:
        pragma = "quick_check" if quick else "integrity_check"
        rows = conn.execute(f"PRAGMA {pragma}({SHOW_PROBLEMS})").fetchall()
        found = [line for r in rows for line in str(r[0]).splitlines() if line.strip()]
        health.integrity = found or ["no answer"]
    except sqlite3.Error as exc:
        health.integrity = [str(exc)]
    try:
        health.user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.Error as exc:
        health.problem = health.problem or f"cannot be read ({exc})"
        health.rows = dict.fromkeys(MAIN_TABLES)
        return
    if "_migrations" in tables:
        try:
            health.migrations = [r[0] for r in conn.execute("SELECT name FROM _migrations ORDER BY name")]
            health.unknown_migrations = sorted(set(health.migrations) - KNOWN_MIGRATIONS)
        except sqlite3.Error:
            health.migrations = None
    else:
        health.migrations = []
    for table in MAIN_TABLES:
        if table not in tables:
            health.rows[table] = 0 if not tables - {"sqlite_sequence"} else None
            continue
        try:
            health.rows[table] = int(conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0])
        except sqlite3.Error:
            health.rows[table] = None
    health.demo = _has_demo_mark(conn) if "setting" in tables else False


def _has_demo_mark(conn: sqlite3.Connection) -> bool | None:
    try:
        return conn.execute("SELECT 1 FROM setting WHERE key = ?", [DEMO_KEY]).fetchone() is not None
    except sqlite3.Error:
        return None


def database_kind(path: str | Path) -> Kind:
    """missing, empty (a new file, or no rows of data), demo (marked by `roi demo`),
    inventory (someone's data), or unreadable (cannot tell: treat as someone's data)."""
    target = Path(path).expanduser()
    if not target.exists():
        return "missing"
    if not target.is_file():
        return "unreadable"
    if target.stat().st_size == 0:
        return "empty"
    health = check_database(target, quick=True)
    if health.problem is not None or health.integrity != ["ok"] or health.newer:
        return "unreadable"
    if health.demo:
        return "demo"
    if None in health.rows.values():
        return "unreadable"
    return "empty" if not any(health.rows.values()) else "inventory"


def is_empty(store: Connection) -> bool:
    """No row of data in any main table (a database just made)."""
    return not any(store.count(table) for table in MAIN_TABLES)


def mark_demo(store: Connection) -> None:
    """Record that this database holds the demo (and may be reset by `roi demo --reset`)."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO setting (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            [DEMO_KEY, json.dumps({"made_by": "roi demo", "at": iso(utc_now())})],
        )
