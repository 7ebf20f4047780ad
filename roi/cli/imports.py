"""`roi import FILE` and `roi imports list|show|undo`: the command line face of roi.importers."""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from roi.cli.console import YES_HELP, console, removal_confirmed
from roi.db.imports import Batch, get_batch, list_batches, rejected_lines, undo_batch
from roi.importers import FORMATS, NotATaskLog, api, run_import
from roi.importers.api import ImportSummary
from roi.textsafe import json_text, visible

SHOW_ERRORS = 50


def task_names(names: list[str], shown: int = 10) -> str:
    """'3 tasks: A, B, C', shown literally, the first `shown` names and how many more."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    listed = ", ".join(visible(n) for n in names[:shown])
    return f"{len(names)} task{'s' if len(names) != 1 else ''}: {listed}{more}"


def _mapping(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise click.BadParameter(f"{pair!r} is not key=Column (e.g. --map task=Aufgabe)", param_hint="--map")
        out[key.strip()] = value.strip()
    return out


class _Bar:
    """A rich progress bar on stderr: rows per second and time left."""

    def __init__(self, label: str) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} rows/s"),
            TimeRemainingColumn(),
            console=console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task(label, total=None, rate="0")
        self.started = time.monotonic()
        self.progress.start()

    def __call__(self, done: int, total: int | None) -> None:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        self.progress.update(self.task, completed=done, total=total, rate=f"{done / elapsed:,.0f}")

    def stop(self) -> None:
        self.progress.stop()


@click.command("import")
@click.argument("file", type=click.Path(path_type=Path, allow_dash=True))
@click.option("--format", "fmt", metavar="FORMAT", default="auto", show_default=True,
              help=f"Source format: auto (detected from the content), {', '.join(FORMATS)}, or one an"
                   " installed package adds (entry-point group roi.importers).")
@click.option("--tz", metavar="ZONE", help="Time zone of times without an offset (default: the timezone setting, else the system zone).")
@click.option("--dry-run", is_flag=True, help="Show what would be imported without writing anything.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON object.")
@click.option("--task-from", metavar="FIELD", help="Column or field that names the task (default: description, Watson project, Timewarrior tags).")
@click.option("--step-from", metavar="FIELD", help="Column or field that names the step (default: none).")
@click.option("--map", "maps", metavar="KEY=COLUMN", multiple=True,
              help="Name a column: date, start, end, duration, minutes, hours, seconds, task, step, description, project, tags, zone;"
                   " or date_order=dmy|mdy, duration_unit=s|min|h.")
@click.option("--sheet", metavar="NAME", help="The sheet of a workbook (.xlsx, .xls, .ods) to read (default: the first).")
@click.option("--me", metavar="ADDRESS", help="Calendar and mailbox: your email address (default: the me setting).")
@click.option("--build", metavar="TASK", help="Agent session logs: their active hours are TASK's actual build hours.")
@click.option("--runs", metavar="TASK", help="Agent session logs: each session is one run of TASK's automation (measured overhead and cost).")
@click.pass_context
def import_command(
    ctx: click.Context, file: Path, fmt: str, tz: str | None, dry_run: bool, as_json: bool,
    task_from: str | None, step_from: str | None, maps: tuple[str, ...], sheet: str | None,
    build: str | None = None, runs: str | None = None, me: str | None = None,
) -> None:
    """Import a task log (Toggl, Clockify, Harvest, Timewarrior, Watson, ActivityWatch or a
    CSV/TSV of your own); FILE - reads standard input. Exit code 0: all rows imported or knowingly skipped; 1: some rows
    rejected (listed, the good ones kept); 2: not a usable task log (nothing written)."""
    import signal

    from rich.markup import escape

    from roi.cli import agents  # Claude Code / Codex session logs (roi.agentlogs)

    if agents.is_agent_path(file, fmt):
        return agents.import_agent_logs(ctx.obj.store(), file, build=build, runs=runs, dry_run=dry_run, as_json=as_json)
    if build or runs:
        raise click.UsageError("--build and --runs take coding-agent session logs (Claude Code, Codex)")

    mapping = _mapping(maps)
    err = console(stderr=True)
    store = ctx.obj.store()
    batches = store.count("import_batch")
    # SIGTERM stops an import the way ctrl-C does: the exception unwinds the one
    # transaction (rolled back), and the same sentence is said; the exit code is 128 + N.
    stopped_by = [signal.SIGINT]

    def terminate(signum: int, _frame: object) -> None:
        stopped_by[0] = signal.Signals(signum)
        raise KeyboardInterrupt

    try:
        previous, handled = signal.signal(signal.SIGTERM, terminate), True
    except ValueError:  # not the main thread: leave signals alone
        previous, handled = None, False
    bar = None
    stdin = str(file) == "-"
    shown = Path("standard input") if stdin else file
    try:
        if not as_json and sys.stderr.isatty():  # the bar's description is markup: escape it
            bar = _Bar(f"Importing {escape(visible(shown.name))}")
        with _readable(file) as path:
            try:
                summary = run_import(store, path, format=fmt, tz=tz, dry_run=dry_run, task_from=task_from,
                                     step_from=step_from, mapping=mapping, progress=bar, sheet=sheet, me=me,
                                     name="(standard input)" if stdin else None)
            except NotATaskLog as exc:
                raise NotATaskLog(str(exc).replace(str(path), str(shown))) from None
    except NotATaskLog as exc:
        if bar:
            bar.stop()
        err.print(Text(f"Error: {visible(str(exc))}"), soft_wrap=True)  # one line, never wrapped
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        if bar:
            bar.stop()
        if not store.conn.in_transaction and store.count("import_batch") > batches:  # it had just committed
            err.print(Text("Stopped: the import had finished and was kept (see `roi imports list`)."))
        else:
            err.print(Text("Stopped: nothing was imported."))
        raise SystemExit(128 + stopped_by[0]) from None
    finally:
        if handled:
            signal.signal(signal.SIGTERM, previous if previous is not None else signal.SIG_DFL)
        if bar:
            bar.stop()
        for problem in api.PLUGIN_PROBLEMS:
            err.print(Text(f"Warning: {visible(problem)}"))
    if as_json:
        click.echo(json_text(summary.to_json()))
    else:
        _report(summary, shown)
    if summary.exit_code:
        raise SystemExit(summary.exit_code)


@contextmanager
def _readable(file: Path) -> Iterator[Path]:
    """The file to read. Standard input (`-`) is copied to a private temporary file
    first: an import reads its file twice (once to look at it, once to store it)."""
    if str(file) != "-":
        yield file
        return
    with tempfile.TemporaryDirectory(prefix="roi-stdin-") as folder:
        path = Path(folder) / "stdin"
        stream = sys.stdin.buffer
        with open(path, "wb") as fh:
            while chunk := stream.read(1 << 20):
                fh.write(chunk)
        yield path


def _skip_kinds(s: ImportSummary) -> str:
    """'2 blank lines, 1 zero-length entry': every skipped row, by kind of reason."""
    return ", ".join(f"{n:,} {kind}" for kind, n in Counter(s.skip_kinds).most_common())


def _report(s: ImportSummary, file: Path) -> None:
    out = console()
    verb = "Would import" if s.dry_run else "Imported"
    out.print(Text(
        f"{verb} {s.imported} of {s.rows_read} row{'s' if s.rows_read != 1 else ''} from "
        f"{visible(str(file))} ({s.format}): {s.hours:,.2f} h logged."
    ))
    if s.note:
        out.print(Text(visible(s.note), style="dim"))
    parts = []
    if s.duplicates:
        parts.append(f"{s.duplicates} already imported (duplicates)")
    if s.skipped:
        parts.append(f"{s.skipped} skipped ({_skip_kinds(s)})")
    if s.rejected:
        parts.append(f"{s.rejected} rejected")
    if s.warnings:
        parts.append(f"{len(s.warnings)} imported with a warning")
    if parts:
        out.print(Text("; ".join(parts) + "."))
    if s.rows_read and s.imported == 0 and s.duplicates and not s.rejected:
        if s.earlier_batch is not None and not s.dry_run:
            out.print(Text(
                f"Nothing new: this file was imported before (import {s.earlier_batch}). To import it again"
                f" with other options, undo that import first: roi imports undo {s.earlier_batch}"
            ))
        else:
            out.print(Text("Nothing new: this file was imported before."))
    if s.tasks_created:
        verb2 = "Would create" if s.dry_run else "Created"
        out.print(Text(f"{verb2} {task_names(s.tasks_created)}."))
    _lines_of(f"Rejected rows of {visible(str(file))}:", s.errors, "all are kept in the import_error table")
    _lines_of(f"Imported, but worth a look ({visible(str(file))}):", s.warnings, "roi import --json lists them")
    if s.dry_run:
        out.print(Text("Dry run: nothing was written.", style="dim"))


def _lines_of(title: str, lines: list[tuple[int, str]], rest: str) -> None:
    """A title and the first SHOW_ERRORS (line, reason) pairs, on stderr."""
    if not lines:
        return
    err = console(stderr=True)
    err.print(Text(title))
    for line, reason in lines[:SHOW_ERRORS]:
        err.print(Text(f"  line {line}: {visible(reason)}"))
    if len(lines) > SHOW_ERRORS:
        err.print(Text(f"  ... and {len(lines) - SHOW_ERRORS} more ({rest})"))


# --- roi imports: past imports ----------------------------------------------------------


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
        click.echo(json_text([b.to_json() for b in batches], indent=2))
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
        click.echo(json_text(doc, indent=2))
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
@click.option("--yes", "-y", is_flag=True, help=YES_HELP)
@click.pass_context
def imports_undo(ctx: click.Context, batch_id: int, dry_run: bool, as_json: bool, yes: bool) -> None:
    """Remove an import: its entries, its rejected rows, and the tasks and steps it created
    unless something else holds on to them (other entries, a plan, a dismissed flag, steps
    added by hand, or a change you made). The file can then be imported again. Asks first
    on a terminal (--dry-run says what would go)."""
    store = ctx.obj.store()
    if not dry_run:
        batch = get_batch(store, batch_id)
        what = f"import {batch_id} ({visible(Path(batch.file).name)}) and its {batch.entries:,} entries"
        if not removal_confirmed(what, yes):
            raise click.exceptions.Abort()
    if as_json or not sys.stderr.isatty():
        undone = undo_batch(store, batch_id, dry_run=dry_run)
    else:  # a million entries take seconds: say what is going on
        with console(stderr=True).status(Text(f"{'Checking' if dry_run else 'Removing'} import {batch_id}...")):
            undone = undo_batch(store, batch_id, dry_run=dry_run)
    if as_json:
        click.echo(json_text(undone.to_json()))
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

