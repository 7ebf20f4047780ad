"""The Monte Carlo's figures, kept between commands: table monte_carlo_cache.

Sampling 10,000 draws of every ranged task costs more than the rest of `roi rank` put
together (numpy alone takes about a tenth of a second to load). The figures depend only
on what goes into the sampling, so they are kept under a hash of exactly that (see
`roi.uncertainty.simulation_key`): a changed step, another setting, an edit from another
process all give another key, and a kept figure can never be stale. Only the newest
`KEEP` keys stay. Keeping is a courtesy: it never waits for another roi's write lock and
never fails a command (a busy or read-only database is simply not written)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from roi.db.connection import Connection, Waits, iso, utc_now
from roi.errors import RoiError

__all__ = ["KEEP", "cached_figures", "keep_figures"]

KEEP = 8  # a person alternates between a few views (--horizon 26, the report, the app)


def cached_figures(store: Connection, key: str) -> list[dict[str, Any]] | None:
    """The figures kept under `key` (one dict per task, in order), or None."""
    row = store.row("SELECT figures FROM monte_carlo_cache WHERE key = ?", [key])
    return None if row is None else list(json.loads(row["figures"]))


def keep_figures(store: Connection, key: str, figures: list[dict[str, Any]]) -> bool:
    """Keep `figures` under `key`, dropping all but the newest KEEP; False when the
    database is busy with another roi, read-only, or in a transaction of its own."""
    if store.read_only is not None or store.conn.in_transaction:
        return False
    waits, store.waits = store.waits, Waits(total_s=0.0)
    try:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO monte_carlo_cache (key, figures, kept_at) VALUES (?, ?, ?)"
                " ON CONFLICT(key) DO UPDATE SET kept_at = excluded.kept_at",
                [key, json.dumps(figures), iso(utc_now())],
            )
            conn.execute(
                "DELETE FROM monte_carlo_cache WHERE key NOT IN"
                " (SELECT key FROM monte_carlo_cache ORDER BY kept_at DESC, rowid DESC LIMIT ?)",
                [KEEP],
            )
        return True
    except (RoiError, sqlite3.Error):
        return False
    finally:
        store.waits = waits
