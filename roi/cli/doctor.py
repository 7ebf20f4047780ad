"""`roi doctor`: is the database whole, which schema is it, what does it hold, and how to
recover a damaged one. It only reads: nothing is migrated, created or repaired.

Exit code 0 when the database is healthy, 2 when it is damaged or cannot be read, 1 when
there is no database at that path."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import click
from rich.text import Text

from roi.cli.console import console
from roi.cli.state import State, pass_state
from roi.db.connection import SCHEMA_VERSION
from roi.db.health import Health, check_database
from roi.textsafe import visible


def recovery_steps(path: str) -> list[str]:
    """What to do about a damaged database, as commands a person can paste."""
    target = Path(path)
    fixed = target.with_name(f"{target.stem}-recovered{target.suffix or '.db'}")
    q, qf = shlex.quote(path), shlex.quote(str(fixed))
    return [
        f"Stop every roi that uses it, and copy the file (with any {target.name}-wal beside it) somewhere safe first.",
        f"If you have a backup copy of {target.name}, restore it: put it in place of {q}.",
        f"Otherwise let SQLite salvage what it can read: sqlite3 {q} \".recover\" | sqlite3 {qf}",
        f"Check the result with: roi --db {qf} doctor; then use it (roi --db {qf} ...) or move it in place of {q}.",
    ]


@click.command()
@click.option("--quick", is_flag=True, help="A faster, shallower check (SQLite's quick_check).")
@click.option("--json", "as_json", is_flag=True, help="Print the findings as one JSON object.")
@pass_state
def doctor(state: State, quick: bool, as_json: bool) -> None:
    """Check the database: where it is, its schema, SQLite's integrity check and how many
    rows each table holds; for a damaged one, how to recover. Changes nothing.

    Exit code 0: healthy; 2: damaged or unreadable; 1: no database there."""
    path = state.path
    if str(path) == ":memory:":
        raise click.UsageError("an in-memory database has nothing to check; give --db PATH")
    health = check_database(Path(path), quick=quick)
    code = 0 if health.healthy else (1 if not health.exists and health.problem is None else 2)
    if as_json:
        doc = health.to_json() | {"recover": [] if health.healthy or code == 1 else recovery_steps(health.path)}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        _print(health, code)
    if code:
        raise SystemExit(code)


def _count(n: int | None) -> str:
    return "unreadable" if n is None else f"{n:,}"


def _print(h: Health, code: int) -> None:
    out = console()
    out.print(Text(f"database: {visible(h.path)}"), soft_wrap=True)  # a path is never cut
    if code == 1:
        out.print(Text("no database there (roi creates one on first use)."))
        return
    if h.problem is not None:
        out.print(Text(f"problem: the file {h.problem}"))
    if h.migrations is not None or h.user_version is not None:
        version = "unknown" if h.user_version is None else str(h.user_version)
        count = "unknown" if h.migrations is None else str(len(h.migrations))
        last = f", last {h.migrations[-1]}" if h.migrations else ""
        out.print(Text(f"schema: version {version} (this roi: {SCHEMA_VERSION}); {count} migrations{last}"))
    if h.newer:
        unknown = ", ".join(h.unknown_migrations) or f"schema version {h.user_version}"
        out.print(Text(f"made by a newer roi ({visible(unknown)}): this roi only reads it; upgrade roi to change it"))
    if h.integrity is not None:
        verdict = "ok" if h.integrity == ["ok"] else "DAMAGED"
        out.print(Text(f"integrity ({h.check}): {verdict}"))
        if h.integrity != ["ok"]:
            for line in h.integrity:
                out.print(Text(f"  {visible(line)}"))
    if h.rows:
        out.print(Text("rows: " + ", ".join(f"{t} {_count(n)}" for t, n in h.rows.items())))
    if h.demo:
        out.print(Text("a demo database (made by `roi demo`)"))
    if h.healthy:
        out.print(Text("healthy."))
        return
    out.print(Text("To recover:"))
    for step in recovery_steps(h.path):
        out.print(Text(f"  - {visible(step)}"), soft_wrap=True)
