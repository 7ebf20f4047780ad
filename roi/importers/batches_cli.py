"""`roi imports list|show|undo`: past imports on the command line (registered by roi.importers.cli)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from roi.db.imports import Batch, get_batch, list_batches, rejected_lines, undo_batch
from roi.importers.cli import console, task_names
from roi.textsafe import visible


def _when(iso_text: str | None) -> str:
    """'2026-11-29T02:40:12Z' -> '2026-11-29 02:40' (UTC, as stored)."""
    return "" if not iso_text else iso_text[:16].replace("T", " ")


@click.group("imports")
def imports_group() -> None:
    """Past imports: list them, show the rows one rejected, undo one (to import a file
    again with other options: re-importing the same file adds nothing until then)."""


@imports_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the imports as a JSON list.")
@click.pass_context
def imports_list(ctx: click.Context, as_json: bool) -> None:
    """Every recorded import, oldest first, with the hours of its entries still in the database."""
    batches = list_batches(ctx.obj.store())
    if as_json:
        click.echo(json.dumps([b.to_json() for b in batches], indent=2, ensure_ascii=False))
        return
    out = console()
    if not batches:
        out.print("No imports yet. Import a task log with `roi import FILE`.")
        return
    table = Table(box=None, header_style="bold", pad_edge=False, caption="Times are UTC.", caption_justify="left")
    table.add_column("Id", justify="right", no_wrap=True)
    table.add_column("Started", no_wrap=True)
    table.add_column("Format", no_wrap=True)
    table.add_column("File", overflow="ellipsis", no_wrap=True, max_width=30)
    for column in ("Imported", "Rejected", "Hours"):  # hours: of its entries still there
        table.add_column(column, justify="right", no_wrap=True)
    for b in batches:
        table.add_row(str(b.id), _when(b.started), b.format, Text(visible(Path(b.file).name)), f"{b.imported:,}",
                      f"{b.rejected:,}", f"{b.hours:,.2f}")
    out.print(table)


@imports_group.command("show")
@click.argument("batch_id", metavar="ID", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print the import and its rejected rows as one JSON object.")
@click.pass_context
def imports_show(ctx: click.Context, batch_id: int, as_json: bool) -> None:
    """One import: its counts and each row it rejected (line, reason, the row as read)."""
    store = ctx.obj.store()
    batch = get_batch(store, batch_id)
    rejected = rejected_lines(store, batch_id)
    if as_json:
        doc = batch.to_json() | {"errors": [{"line": r.line, "reason": r.reason, "raw": r.raw} for r in rejected]}
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    out = console()
    _describe(out, batch)
    if not rejected:
        out.print("No rows were rejected.")
        return
    out.print(Text(f"Rejected rows ({len(rejected)}):"))
    for r in rejected:
        out.print(Text(f"  line {r.line}: {visible(r.reason)}"))
        if r.raw:
            out.print(Text(f"    {visible(r.raw)}", style="dim"))


def _describe(out: Console, b: Batch) -> None:
    out.print(Text(f"Import {b.id}: {visible(b.file)} ({b.format}), started {_when(b.started)} UTC"))
    out.print(Text(
        f"{b.rows_read:,} rows read: {b.imported:,} imported, {b.duplicates:,} duplicates, {b.skipped:,} skipped,"
        f" {b.rejected:,} rejected; {b.entries:,} of its entries ({b.hours:,.2f} h) are in the database now."
    ))


@imports_group.command("undo")
@click.argument("batch_id", metavar="ID", type=int)
@click.option("--dry-run", is_flag=True, help="Say what would be removed without removing anything.")
@click.option("--json", "as_json", is_flag=True, help="Print what was removed as one JSON object.")
@click.pass_context
def imports_undo(ctx: click.Context, batch_id: int, dry_run: bool, as_json: bool) -> None:
    """Remove an import: its entries, its rejected rows, and the tasks and steps it created
    unless something else holds on to them (other entries, a plan, a dismissed flag, steps
    added by hand, or a change you made). The file can then be imported again."""
    store = ctx.obj.store()
    if as_json or not sys.stderr.isatty():
        undone = undo_batch(store, batch_id, dry_run=dry_run)
    else:  # a million entries take seconds: say what is going on
        with console(stderr=True).status(Text(f"{'Checking' if dry_run else 'Removing'} import {batch_id}...")):
            undone = undo_batch(store, batch_id, dry_run=dry_run)
    if as_json:
        click.echo(json.dumps(undone.to_json(), ensure_ascii=False))
        return
    out = console()
    verb = "Would remove" if dry_run else "Removed"
    out.print(Text(
        f"{verb} import {batch_id} ({visible(Path(undone.batch.file).name)}): {undone.entries:,}"
        f" entr{'y' if undone.entries == 1 else 'ies'} ({undone.hours:,.2f} h)."
    ))
    if undone.tasks_removed:
        out.print(Text(f"{verb} {task_names(undone.tasks_removed)} (it created them)."))
    if undone.steps_removed:
        out.print(Text(f"{verb} {undone.steps_removed} step{'s' if undone.steps_removed != 1 else ''} it created."))
    if undone.tasks_kept:
        keep = "Would keep" if dry_run else "Kept"
        out.print(Text(
            f"{keep} {task_names(undone.tasks_kept)} (it created them; something else holds on to"
            " them: other entries, a plan, steps or your changes)."
        ))
    if dry_run:
        out.print(Text("Dry run: nothing was removed.", style="dim"))

