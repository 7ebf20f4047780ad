"""`roi time`: the stopwatch and the log of time entries (list, add, edit, rm)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import click
from rich.table import Table
from rich.text import Text

from roi.cli.console import YES_HELP, at_terminal, console, removal_confirmed
from roi.cli.inventory import step_ref_id
from roi.db.connection import iso
from roi.db.timelog import (
    MIN_STOPWATCH_SECONDS,
    LoggedEntry,
    add_entry,
    cancel_timer,
    edit_entry,
    entries,
    format_duration,
    remove_entries,
    running_timer,
    start_timer,
    stop_timer,
)
from roi.fmt import fmt
from roi.models import (
    RoiError,
)
from roi.quantities import MINUTES
from roi.quantities import parse as parse_quantity
from roi.status import FORMAT_HELP, describe, formatted
from roi.status import as_json as status_json
from roi.textsafe import json_text, visible


@click.group()
def time() -> None:
    """The stopwatch (time a task or step as you do it) and the log of time entries."""


@time.command("start")
@click.argument("task_ref", metavar="TASK")
@click.option("--step", "step_ref", metavar="STEP", help="Time one step of the task: its number in `roi task show`, or its name.")
@click.option("--build", is_flag=True, help="Time building the automation (for calibration).")
@click.pass_context
def time_start(ctx: click.Context, task_ref: str, step_ref: str | None, build: bool) -> None:
    """Start timing TASK (and STEP)."""
    store = ctx.obj.store()
    step_id = step_ref_id(store, store.task_id(task_ref), step_ref) if step_ref else None
    timer = start_timer(store, task_ref, step_id, kind="build" if build else "work")
    what = timer.task_name + (f" / {timer.step_name}" if timer.step_name else "")
    kind = "building " if build else ""
    console().print(Text(f"Timing {kind}{visible(what)} since {timer.start.astimezone():%H:%M:%S}. Stop with `roi time stop`."))


@time.command("stop")
@click.option("--keep", is_flag=True, help=f"Save the run even if it is under {MIN_STOPWATCH_SECONDS:g} seconds.")
@click.pass_context
def time_stop(ctx: click.Context, keep: bool) -> None:
    """Stop the stopwatch and save the entry (a run under 10 seconds is dropped as a
    mis-press unless --keep)."""
    stopped = stop_timer(ctx.obj.store(), keep=keep)
    timer, seconds = stopped.timer, stopped.seconds
    what = timer.task_name + (f" / {timer.step_name}" if timer.step_name else "")
    if stopped.kept:
        console().print(Text(f"Saved {format_duration(seconds)} on {visible(what)}."))
        return
    console().print(Text(
        f"Not saved: {format_duration(seconds)} on {visible(what)} is under {MIN_STOPWATCH_SECONDS:g} seconds, "
        "almost always a mis-press. To keep a run this short, stop it with `roi time stop --keep`; "
        "to log a timing by hand, `roi time add TASK --minutes M`."
    ))


@time.command("cancel")
@click.option("--yes", "-y", is_flag=True, help=YES_HELP)
@click.pass_context
def time_cancel(ctx: click.Context, yes: bool) -> None:
    """Discard the running stopwatch without saving (asks first on a terminal)."""
    store = ctx.obj.store()
    running = running_timer(store)
    if running is not None and not removal_confirmed(f"the running timer on {visible(running.task_name)!r}", yes):
        raise click.exceptions.Abort()
    timer = cancel_timer(store)
    console().print(Text(f"Discarded the timer on {visible(timer.task_name)}."))


@time.command("status")
@click.option("--json", "as_json", is_flag=True, help="Print the timer as one JSON object.")
@click.option("--format", "form", metavar="FORMAT", help=FORMAT_HELP)
@click.option("--quiet", "-q", is_flag=True, help="Print nothing when no timer runs (exit code 0).")
@click.pass_context
def time_status(ctx: click.Context, as_json: bool, form: str | None, quiet: bool) -> None:
    """Is the stopwatch running, on what, and for how long. Fast enough for a status
    line: `roi time status --format '{task} {elapsed}'` (see the README)."""
    timer = running_timer(ctx.obj.store())
    if form is not None:
        try:
            text = formatted(timer, form)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--format") from None
        if text:
            click.echo(text)
        return
    if quiet and timer is None:
        return
    if as_json:
        click.echo(status_json(timer))
        return
    console().print(Text(describe(timer)))


def _zone(store: Any) -> Any:
    """The person's time zone: the timezone setting, else the system zone."""
    import pendulum

    name = store.settings().timezone
    return pendulum.timezone(name) if name else pendulum.local_timezone()  # type: ignore[operator]


def moment(value: str, option: str, zone: Any, *, day_time: tuple[int, int] = (0, 0)) -> datetime:
    """A date or date and time from the command line (YYYY-MM-DD, 'YYYY-MM-DD HH:MM', or
    ISO-8601 with an offset), in the person's zone when it has none; a bare date is
    at `day_time` (hour, minute)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            parsed = datetime(day.year, day.month, day.day, *day_time)
        else:
            parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RoiError(f"{option} must be a date YYYY-MM-DD or 'YYYY-MM-DD HH:MM' (got {value!r})") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return parsed


def entry_ids(values: tuple[str, ...]) -> list[int]:
    ids = []
    for value in values:
        if not value.strip().isdecimal():
            raise RoiError(f"ID must be a time entry id, a whole number from `roi time list` (got {value!r})")
        ids.append(int(value))
    return ids


def entry_json(e: LoggedEntry) -> dict[str, Any]:
    return {
        "id": e.id, "task": e.task, "step": e.step, "start": iso(e.start), "end": iso(e.end),
        "minutes": round(e.minutes, 4), "source": e.source,
    }


def entry_line(e: LoggedEntry, zone: Any) -> Text:
    """'12  2026-11-27 09:00-09:05  5 min  Task / Step  (stopwatch)', names literally."""
    what = e.task + (f" / {e.step}" if e.step else "")
    start, end = e.start.astimezone(zone), e.end.astimezone(zone)
    return Text(
        f"{e.id}  {start:%Y-%m-%d %H:%M}-{end:%H:%M}  {fmt(e.minutes, 2)} min  {visible(what)}"
        f"  ({e.source}{', build' if e.kind == 'build' else ''})"
    )


@time.command("list")
@click.argument("task_ref", metavar="[TASK]", required=False)
@click.option("--since", metavar="DATE", help="Only entries started on or after DATE (YYYY-MM-DD, your time zone).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def time_list(ctx: click.Context, task_ref: str | None, since: str | None, as_json: bool) -> None:
    """The logged time entries (of TASK), oldest first, with the ids `time rm` and
    `time edit` take."""
    store = ctx.obj.store()
    zone = _zone(store)
    task_id = None if task_ref is None else store.task_id(task_ref)
    after = None if since is None else moment(since, "--since", zone)
    found = entries(store, task_id=task_id, since=after)
    if as_json:
        click.echo(json_text({"entries": [entry_json(e) for e in found]}, indent=2))
        return
    out = console()
    if not found:
        out.print("No time entries" + (" match." if task_ref or since else " yet: time one with `roi time start TASK`."))
        return
    table = Table(box=None, header_style="bold")
    for column, justify in (("Id", "right"), ("Start", "left"), ("End", "left"), ("Minutes", "right"),
                            ("Task / step", "left"), ("Source", "left")):
        table.add_column(column, justify=justify, overflow="fold")  # type: ignore[arg-type]
    for e in found:
        what = Text(visible(e.task))
        if e.step:
            what.append(" / " + visible(e.step))
        start, end = e.start.astimezone(zone), e.end.astimezone(zone)
        table.add_row(str(e.id), f"{start:%Y-%m-%d %H:%M}", f"{end:%H:%M}" if end.date() == start.date()
                      else f"{end:%Y-%m-%d %H:%M}", fmt(e.minutes, 2), what,
                      e.source + (" (build)" if e.kind == "build" else ""))
    out.print(table)
    out.print(Text(f"{len(found)} entr{'y' if len(found) == 1 else 'ies'}, {fmt(sum(e.minutes for e in found) / 60, 2)} h. "
                   "Correct one with `roi time edit ID`, remove with `roi time rm ID`.", style="dim"))


@time.command("rm")
@click.argument("ids", metavar="ID...", nargs=-1, required=True)
@click.option("--yes", "-y", is_flag=True, help=YES_HELP)
@click.pass_context
def time_rm(ctx: click.Context, ids: tuple[str, ...], yes: bool) -> None:
    """Remove time entries (ids from `roi time list`; asks first on a terminal); the
    measurements follow."""
    store = ctx.obj.store()
    wanted = entry_ids(ids)
    zone = _zone(store)
    out = console()
    if not yes and at_terminal():
        found = {e.id: e for e in entries(store) if e.id in set(wanted)}
        for i in wanted:
            if i in found:
                out.print(entry_line(found[i], zone))
    if not removal_confirmed(f"{len(wanted)} time entr{'y' if len(wanted) == 1 else 'ies'}", yes):
        out.print("Nothing removed.")
        return
    removed = remove_entries(store, wanted)
    out.print(Text(f"Removed {len(removed)} time entr{'y' if len(removed) == 1 else 'ies'}:"))
    for e in removed:
        out.print(Text.assemble("  ", entry_line(e, zone)))


@time.command("edit")
@click.argument("entry_ref", metavar="ID")
@click.option("--minutes", "-m", metavar="M", help="The entry's length in minutes (kept from its start).")
@click.option("--start", metavar="DATE", help="When it started: 'YYYY-MM-DD HH:MM' (your time zone).")
@click.option("--end", metavar="DATE", help="When it ended: 'YYYY-MM-DD HH:MM' (your time zone).")
@click.pass_context
def time_edit(ctx: click.Context, entry_ref: str, minutes: str | None, start: str | None, end: str | None) -> None:
    """Correct a time entry: its length, or its start and end."""
    if minutes is None and start is None and end is None:
        raise RoiError("nothing to change: give --minutes, --start or --end")
    store = ctx.obj.store()
    zone = _zone(store)
    (entry_id,) = entry_ids((entry_ref,))
    before, after = edit_entry(
        store, entry_id, minutes=None if minutes is None else parse_quantity(minutes, MINUTES, "--minutes"),
        start=None if start is None else moment(start, "--start", zone),
        end=None if end is None else moment(end, "--end", zone),
    )
    out = console()
    out.print(Text.assemble("Was:  ", entry_line(before, zone)))
    out.print(Text.assemble("Now:  ", entry_line(after, zone)))


@time.command("add")
@click.argument("task_ref", metavar="TASK")
@click.option("--step", "step_ref", metavar="STEP", help="The step it timed: its number in `roi task show`, or its name.")
@click.option("--minutes", "-m", required=True, metavar="M", help="How long it took: 5 (minutes), 90s, 1h30m.")
@click.option("--at", metavar="DATE", help="When it started: 'YYYY-MM-DD HH:MM' or a date (noon); default: it just ended.")
@click.option("--build", is_flag=True, help="Time spent building the automation (for calibration).")
@click.pass_context
def time_add(ctx: click.Context, task_ref: str, step_ref: str | None, minutes: str, at: str | None,
             build: bool) -> None:
    """Log a timing done on paper (or on another clock)."""
    store = ctx.obj.store()
    length = parse_quantity(minutes, MINUTES, "--minutes")
    if not length > 0:
        raise RoiError(f"--minutes must be a number of minutes more than 0 (got {minutes!r})")
    task_id = store.task_id(task_ref)
    step_id = step_ref_id(store, task_id, step_ref) if step_ref else None
    zone = _zone(store)
    if at is None:
        end = datetime.now(UTC)
        begin = end - timedelta(minutes=length)
    else:
        begin = moment(at, "--at", zone, day_time=(12, 0))
        end = begin + timedelta(minutes=length)
    entry_id = add_entry(store, task_id, begin, end, step_id=step_id, source="manual",
                         kind="build" if build else "work")
    (added,) = [e for e in entries(store, task_id=task_id) if e.id == entry_id]
    console().print(Text.assemble("Added ", entry_line(added, zone)))


# --- flags --------------------------------------------------------------------------------
