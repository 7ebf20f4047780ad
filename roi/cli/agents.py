"""`roi agents` (what the coding-agent sessions took: hours, tokens, cost) and the part of
`roi import PATH` that reads agent session logs (roi.agentlogs)."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from roi.cli.console import console
from roi.errors import RoiError
from roi.fmt import fmt
from roi.textsafe import json_text, visible

BY = ("project", "task", "model", "week")
SHOW_ERRORS = 50


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RoiError(f"--since must be a date YYYY-MM-DD (got {value!r})") from None


def _zone(name: str | None) -> Any:
    if not name:
        return None
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def money(value: float | None) -> str:
    if value is None:
        return "-"
    return f"${value:,.2f}" if value >= 0.01 or value == 0 else f"${value:.4f}"


def tokens(n: int) -> str:
    return f"{n:,}"


@click.command()
@click.option("--since", metavar="DATE", help="Sessions started on or after this day (YYYY-MM-DD, your time zone).")
@click.option("--by", type=click.Choice(BY), default="project", show_default=True,
              help="One row per project (working directory), task (with build or runs), model or ISO week.")
@click.option("--json", "as_json", is_flag=True, help="Print the totals and rows as JSON.")
@click.pass_context
def agents(ctx: click.Context, since: str | None, by: str, as_json: bool) -> None:
    """Coding-agent sessions: how many, your active hours in them, their tokens and cost.

    Read from Claude Code and Codex session logs with `roi import PATH`. Active hours are
    the gaps between a session's events shorter than the agent_idle_gap setting (default
    5 minutes); cost is in US dollars from the price table (seeds/prices.toml, and your own
    agents.toml), a model without a price is named, never counted as free."""
    from roi.agents import summarize, summary_json, unpriced_sentence

    store = ctx.obj.store()
    found = summarize(store, by=by, since=_day(since), tz=_zone(store.settings().timezone))  # type: ignore[arg-type]
    if as_json:
        click.echo(json_text(summary_json(found), indent=2))
        return
    out = console()
    t = found.total
    if not t.sessions:
        out.print("No agent sessions" + (f" since {found.since}" if found.since else "") +
                  ". Import some with `roi import ~/.claude/projects` or `roi import ~/.codex/sessions`.")
        return
    table = Table(box=None, header_style="bold")
    widest = max(len(r.key) for r in found.rows)
    table.add_column(by.capitalize(), min_width=min(widest, 40), overflow="fold")
    for column in ("Sessions", "Active h", "Input", "Output", "Cache write", "Cache read", "Cost"):
        table.add_column(column, justify="right")
    for r in [*found.rows, t]:
        u = r.tokens
        table.add_row(Text(visible(r.key)), str(r.sessions), fmt(r.active_hours, 2), tokens(u.input),
                      tokens(u.output), tokens(u.cache_write), tokens(u.cache_read),
                      money(r.cost) + (" +?" if r.unpriced_models else ""),
                      end_section=r is found.rows[-1])
    out.print(table)
    if t.unpriced_models:
        sentence = unpriced_sentence(t.unpriced_models)
        out.print(Text(visible(sentence[:1].upper() + sentence[1:]) + "."))
    if found.prices_taken:
        out.print(f"Prices of {', '.join(found.prices_taken)} (seeds/prices.toml; yours in agents.toml).")


class _Bar:
    """A rich progress bar on stderr over the bytes of the session files."""

    def __init__(self, label: str) -> None:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                                 TimeRemainingColumn(), console=console(stderr=True), transient=True)
        self.task = self.progress.add_task(label, total=None)
        self.started = time.monotonic()
        self.progress.start()

    def __call__(self, done: int, total: int | None) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def stop(self) -> None:
        self.progress.stop()


def is_agent_path(file: Path, fmt: str) -> bool:
    """Whether `roi import FILE` means agent session logs: --format claude-code or codex, or
    (auto) a folder or a .jsonl file whose first lines are a Claude Code or Codex log."""
    if fmt in ("claude-code", "codex"):
        return True
    if fmt != "auto" or str(file) == "-" or not (file.is_dir() or file.suffix.lower() == ".jsonl"):
        return False
    from roi.agentlogs.load import is_agent_log

    return is_agent_log(file)


def import_agent_logs(
    store: Any, path: Path, *, build: str | None, runs: str | None, dry_run: bool, as_json: bool,
) -> None:
    """`roi import PATH` for a Claude Code or Codex session log, or a folder of them. Exit
    code 0, or 1 when some lines were rejected (listed with file and line; the rest kept)."""
    from rich.markup import escape

    from roi.agentlogs.load import import_agent_logs as run

    bar = None
    if not as_json and sys.stderr.isatty():
        bar = _Bar(f"Reading {escape(visible(path.name or str(path)))}")
    try:
        result = run(store, path, build=build, runs=runs, dry_run=dry_run, progress=bar)
    finally:
        if bar:
            bar.stop()
    errors = [{"file": f, "line": line, "reason": reason} for f, line, reason in result.errors]
    if as_json:
        click.echo(json_text({
            # the keys of every import's summary (DESIGN's contract), in sessions and lines
            "format": result.format, "rows_read": result.lines, "imported": result.added + result.updated,
            "duplicates": result.unchanged, "skipped": result.not_logs, "hours": round(result.hours, 4),
            "files": result.files, "sessions_added": result.added,
            "sessions_updated": result.updated, "unchanged": result.unchanged, "not_session_logs": result.not_logs,
            "active_hours": round(result.hours, 4), "dry_run": dry_run, "rejected": len(errors), "errors": errors,
            "attached": [{"task": a.task, "role": a.role, "sessions": a.sessions, "active_hours": round(a.hours, 4)}
                         for a in result.attached],
            "warnings": result.warnings,
        }))
    else:
        out = console()
        verb = "Would read" if dry_run else "Read"
        out.print(Text(
            f"{verb} {result.files} {result.format} session file{'s' if result.files != 1 else ''}: "
            f"{result.added} new session{'s' if result.added != 1 else ''}, {result.updated} updated (grown), "
            f"{result.unchanged} unchanged; {fmt(result.hours, 2)} active hours read."
            + (f" {result.not_logs} other .jsonl file{'s' if result.not_logs != 1 else ''} skipped." if result.not_logs else "")
        ))
        for a in result.attached:
            what = "build hours (calibration uses them)" if a.role == "build" else \
                "runs: each one an occurrence (measured overhead and running cost)"
            out.print(Text(f"{a.sessions} session{'s' if a.sessions != 1 else ''} ({fmt(a.hours, 2)} h) "
                           f"attached to {visible(a.task)!r} as its {what}."))
        for w in result.warnings:
            out.print(Text(f"Warning: {visible(w)}"))
        if errors:
            out.print(Text(f"{len(errors)} line{'s' if len(errors) != 1 else ''} rejected (the rest kept):"))
            for name, line, reason in result.errors[:SHOW_ERRORS]:
                out.print(Text(f"  {visible(name)} line {line}: {visible(reason)}"))
            if len(errors) > SHOW_ERRORS:
                out.print(f"  ... and {len(errors) - SHOW_ERRORS} more")
    if errors:
        raise SystemExit(1)
