"""Editing the inventory: `roi task`, `step`, `plan`, `time` (the stopwatch and the log)
and `flags`."""

from __future__ import annotations

import json
import shlex
from datetime import UTC, date, datetime, timedelta
from typing import Any

import click
from pydantic import ValidationError
from rich.table import Table
from rich.text import Text

from roi.cli.console import at_terminal, console
from roi.cli.ranking import verdict_text
from roi.clock import today
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
from roi.fmt import fmt, fmt_weeks
from roi.models import (
    CATEGORIES,
    STATUSES,
    Flag,
    RoiError,
    Step,
    Task,
    describe_error,
    range_fields,
)
from roi.quantities import BUILD_HOURS, HOURS_PER_WEEK, MINUTES, PER_WEEK, parse_range, parse_share
from roi.quantities import parse as parse_quantity
from roi.ranking import RankedTask, far_off_measurements
from roi.textsafe import visible


def number(value: str | None, field: str, *, fraction: bool = False) -> float | None:
    """A number from the command line, or a one-line error naming the option and value."""
    if value is None:
        return None
    text = value.strip()
    try:
        if fraction and text.endswith("%"):
            return float(text[:-1]) / 100.0
        return float(text)
    except ValueError:
        kind = "a share such as 0.8 or 80%" if fraction else "a number"
        raise RoiError(f"{field} must be {kind} (got {value!r})") from None


RANGE_KINDS = {"per_week": PER_WEEK, "minutes": MINUTES, "overhead": MINUTES, "build_hours": BUILD_HOURS}


def range_option(value: str | None, field: str, option: str) -> dict[str, float | None]:
    """The stored fields of an option given as '8', '8h' or '4:8:30' ({} when not given),
    read with the option's unit (roi.quantities)."""
    if value is None:
        return {}
    return range_fields(field, parse_range(value, RANGE_KINDS[field], option))


# --- task ---------------------------------------------------------------------------------


@click.group()
def task() -> None:
    """Add, list, show, edit and remove tasks."""


@task.command("add")
@click.argument("name")
@click.option("--category", "-c", type=click.Choice(CATEGORIES, case_sensitive=False), default="other", show_default=True)
@click.option("--per-week", "-f", metavar="F", help="Times a week: 10, 5/day (7 days a week), 5/workday (5 a week), 2/month (12 a year), or LOW:LIKELY:HIGH.")
@click.option("--tags", metavar="a,b", default="", help="Comma-separated tags.")
@click.option("--notes", default="", help="Free text.")
@click.pass_context
def task_add(ctx: click.Context, name: str, category: str, per_week: str | None, tags: str, notes: str) -> None:
    """Add a task (a recurring chore) to the inventory."""
    store = ctx.obj.store()
    freq = range_option(per_week, "per_week", "--per-week")
    try:
        new = Task(name=name, category=category, tags=tags, notes=notes, per_week=freq.get("per_week"))  # type: ignore[arg-type]
    except ValidationError as exc:
        raise RoiError(describe_error(exc)) from None
    task_id = store.add_task(new)
    if freq.get("per_week_low") is not None:
        store.update_task(task_id, **freq)
    console().print(Text(f"Added task {task_id}: {visible(new.name)}"))


@task.command("edit")
@click.argument("task_ref", metavar="TASK")
@click.option("--name")
@click.option("--category", "-c", type=click.Choice(CATEGORIES, case_sensitive=False))
@click.option("--per-week", "-f", metavar="F", help="Times a week: 10, 5/day (7 days a week), 5/workday (5 a week), 2/month (12 a year), or LOW:LIKELY:HIGH.")
@click.option("--pin-frequency/--measure-frequency", default=None,
              help="Keep the stated frequency even when the log measures another.")
@click.option("--tags", metavar="a,b")
@click.option("--notes")
@click.option("--status", type=click.Choice(STATUSES))
@click.option("--learning/--no-learning", default=None, help="Worth building for what it teaches (keeps it out of skip).")
@click.option("--learning-note")
@click.pass_context
def task_edit(ctx: click.Context, task_ref: str, **options: Any) -> None:
    """Change a task's fields."""
    store = ctx.obj.store()
    fields: dict[str, Any] = {}
    mapping = {"pin_frequency": "per_week_pinned", "learning": "learning_value"}
    for key, value in options.items():
        if value is None:
            continue
        if key == "per_week":
            fields.update(range_option(value, "per_week", "--per-week"))
            continue
        fields[mapping.get(key, key)] = value
    if not fields:
        raise RoiError("nothing to change: give at least one option (see `roi task edit --help`)")
    updated = store.update_task(task_ref, **fields)
    console().print(Text(f"Updated task {updated.id}: {visible(updated.name)}"))


@task.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def task_list(ctx: click.Context, as_json: bool) -> None:
    """List the tasks."""
    tasks = ctx.obj.store().list_tasks()
    if as_json:
        click.echo(json.dumps([t.model_dump(mode="json") for t in tasks], indent=2, ensure_ascii=False))
        return
    out = console()
    if not tasks:
        out.print("No tasks yet. Add one with `roi task add NAME`, or try `roi seed demo`.")
        return
    table = Table(box=None, header_style="bold")
    for column, justify in (("Id", "right"), ("Task", "left"), ("Category", "left"),
                            ("Per week", "right"), ("Steps", "right"), ("Status", "left")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for t in tasks:
        table.add_row(str(t.id), Text(visible(t.name)), t.category,
                      "" if t.per_week is None else fmt(t.per_week, 2), str(len(t.steps)), t.status)
    out.print(table)


@task.command("show")
@click.argument("task_ref", metavar="TASK")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def task_show(ctx: click.Context, task_ref: str, as_json: bool) -> None:
    """Show a task: its steps (estimated and measured), plan, numbers and flags."""
    from roi.inventory import rank_store, task_json

    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    ranked = next(r for r in rank_store(store, today=today()) if r.id == task_id)
    if as_json:
        click.echo(json.dumps(task_json(ranked), indent=2, ensure_ascii=False))
        return
    out = console()
    t = ranked.task
    out.print(Text.assemble((visible(t.name), "bold"), f"  (id {t.id}, {t.category}, {t.status})"))
    if t.tags:
        out.print(Text("tags: " + visible(", ".join(t.tags))))
    if t.notes:
        out.print(Text(visible(t.notes, keep_newlines=True), style="dim"))
    if "per_week" in ranked.missing:
        out.print("frequency: not given yet")
    else:
        out.print(f"frequency: {fmt(ranked.per_week, 2)} a week ({ranked.per_week_source})")
    min_samples = store.settings().min_samples
    table = Table(box=None, header_style="bold")
    for column in ("#", "Step", "Manual min", "Source", "Automation", "Overhead", "Failure", "Saved min"):
        table.add_column(column, justify="left" if column in ("Step", "Source") else "right")
    for i, s in enumerate(ranked.steps, start=1):
        source = s.manual_source + (f" ({s.samples}x)" if s.samples else "")
        table.add_row(str(i), Text(visible(s.name)), fmt(s.manual, 2), source,
                      f"{fmt(s.automation * 100, 0)}%", fmt(s.overhead, 2) + ("*" if s.overhead_source == "flag default" else ""),
                      f"{fmt(s.failure_rate * 100, 0)}%", fmt(s.saved, 2))
    if ranked.steps:
        out.print(table)
    for s in ranked.steps:
        if s.samples and s.measured_minutes is None:  # logged, but too few times to use
            out.print(Text(f"{visible(s.name)}: logged {s.samples} of {min_samples} samples; the estimate "
                           f"stands until the log has {min_samples}.", style="dim"))
    plan_ = t.plan
    if plan_ is not None:
        line = f"plan: build {fmt(plan_.build_hours)} h, upkeep {fmt(plan_.upkeep_hours_per_week, 2)} h/week"
        if plan_.actual_build_hours is not None:
            line += f", actually built in {fmt(plan_.actual_build_hours)} h"
        out.print(line)
    out.print(Text(ranked.explanation))
    out.print(Text.assemble("verdict: ", verdict_text(ranked.verdict), f" ({ranked.verdict_reason})"))
    if ranked.break_even and not ranked.missing:
        out.print(f"break-even: {ranked.break_even.isoformat()} (payback {fmt_weeks(ranked.payback_weeks)})")
    for warning in far_off_measurements(ranked):
        out.print(Text.assemble(("! ", "yellow"), warning))
    for f in ranked.flags:
        state = " (dismissed)" if f.dismissed else ""
        out.print(Text.assemble(("! ", "yellow"), f"{f.code}{state}", " (", flag_match_text(f), "): ", f.reason))
    if any(s.overhead_source == "flag default" for s in ranked.steps):
        out.print(Text("* overhead assumed equal to the manual time by the flag; give --overhead to override", style="dim"))


@task.command("rm")
@click.argument("task_ref", metavar="TASK")
@click.option("--yes", "-y", is_flag=True, help="Do not ask; needed when no terminal is there to ask on.")
@click.pass_context
def task_rm(ctx: click.Context, task_ref: str, yes: bool) -> None:
    """Remove a task with its steps, plan and time entries (asks first on a terminal)."""
    store = ctx.obj.store()
    doomed = store.get_task(task_ref)
    what = f"task {doomed.id} {visible(doomed.name)!r} with its {len(doomed.steps)} step(s), plan and time entries"
    if not yes:
        if not at_terminal():
            raise RoiError(f"not removing {what}: no terminal to confirm on; add --yes to remove it")
        if not click.confirm(f"Remove {what}?", default=False):
            raise click.exceptions.Abort()
    removed = store.remove_task(doomed.id if doomed.id is not None else task_ref)
    console().print(Text(f"Removed task {removed.id}: {visible(removed.name)}"))


# --- step ---------------------------------------------------------------------------------


def step_ref_id(store: Any, task_id: int, ref: str) -> int:
    """The step a person names as `task show` shows it: its number 1..n there, or its
    name (a name wins over a number, so a step called "2" is still reachable by name)."""
    steps = store.get_task(task_id).steps
    text = ref.strip()
    for s in steps:
        if s.name.casefold() == text.casefold() and s.id is not None:
            return int(s.id)
    if text.isdigit() and 1 <= int(text) <= len(steps) and steps[int(text) - 1].id is not None:
        return int(steps[int(text) - 1].id or 0)
    if not steps:
        raise RoiError(f"step {text!r} not found: the task has no steps yet (add one with `roi step add`)")
    raise RoiError(f"step {text!r} not found: give its number 1 to {len(steps)} as `roi task show` "
                   "numbers them, or its name")


def _step_fields(minutes: str | None, automation: str | None, overhead: str | None,
                 failure_rate: str | None, running_cost: str | None) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    fields.update(range_option(minutes, "minutes", "--minutes"))
    fields.update(range_option(overhead, "overhead", "--overhead"))
    if automation is not None:
        fields["automation"] = parse_share(automation, "--automation")
    if failure_rate is not None:
        fields["failure_rate"] = parse_share(failure_rate, "--failure-rate")
    if running_cost is not None:
        fields["running_cost"] = number(running_cost, "--running-cost")
    return fields


_step_options = [
    click.option("--automation", "-a", metavar="A", help="Share of the step the automation takes over: 0.8 or 80% (default 100%; a bare 80 is refused)."),
    click.option("--overhead", "-o", metavar="MIN", help="Time you still spend per occurrence (request, check): 1 (minutes), 30s, or LOW:LIKELY:HIGH."),
    click.option("--failure-rate", "-p", metavar="P", help="Share of occurrences done by hand anyway: 0.1 or 10%."),
    click.option("--running-cost", metavar="MONEY", help="Money per occurrence (API, subscription); needs hourly_value."),
]


def step_options(fn: Any) -> Any:
    for option in reversed(_step_options):
        fn = option(fn)
    return fn


@click.group()
def step() -> None:
    """Add, edit, reorder and remove the steps of a task.

    STEP is the step's number as `roi task show` numbers them (1, 2, ...), or its name."""


@step.command("add")
@click.argument("task_ref", metavar="TASK")
@click.argument("name")
@click.option("--minutes", "-m", required=True, metavar="M", help="Time by hand per occurrence: 5 (minutes), 90s, 1h30m, or LOW:LIKELY:HIGH such as 3m:5m:12m.")
@step_options
@click.pass_context
def step_add(ctx: click.Context, task_ref: str, name: str, minutes: str, automation: str | None,
             overhead: str | None, failure_rate: str | None, running_cost: str | None) -> None:
    """Add a step to a task."""
    store = ctx.obj.store()
    fields = _step_fields(minutes, automation, overhead, failure_rate, running_cost)
    try:
        new = Step(name=name, **fields)
    except ValidationError as exc:
        raise RoiError(describe_error(exc)) from None
    task_id = store.task_id(task_ref)
    step_id = store.add_step(task_id, new)
    console().print(Text(f"Added step {step_id}: {visible(new.name)}"))


@step.command("edit")
@click.argument("task_ref", metavar="TASK")
@click.argument("step_ref", metavar="STEP")  # its number in `task show`, or its name
@click.option("--name")
@click.option("--minutes", "-m", metavar="M", help="Time by hand per occurrence: 5 (minutes), 90s, 1h30m, or LOW:LIKELY:HIGH such as 3m:5m:12m.")
@step_options
@click.option("--pin/--unpin", default=None, help="Keep the estimate even when the log measures another.")
@click.pass_context
def step_edit(ctx: click.Context, task_ref: str, step_ref: str, name: str | None, minutes: str | None,
              automation: str | None, overhead: str | None, failure_rate: str | None,
              running_cost: str | None, pin: bool | None) -> None:
    """Change a step."""
    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    step_id = step_ref_id(store, task_id, step_ref)
    fields = _step_fields(minutes, automation, overhead, failure_rate, running_cost)
    if name is not None:
        fields["name"] = name
    if pin is not None:
        fields["pinned"] = pin
    if not fields:
        raise RoiError("nothing to change: give at least one option (see `roi step edit --help`)")
    updated = store.update_step(step_id, **fields)
    console().print(Text(f"Updated step {step_id}: {visible(updated.name)}"))


@step.command("rm")
@click.argument("task_ref", metavar="TASK")
@click.argument("step_ref", metavar="STEP")  # its number in `task show`, or its name
@click.pass_context
def step_rm(ctx: click.Context, task_ref: str, step_ref: str) -> None:
    """Remove a step."""
    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    step_id = step_ref_id(store, task_id, step_ref)
    store.remove_step(step_id)
    console().print(f"Removed step {step_id}.")


@step.command("move")
@click.argument("task_ref", metavar="TASK")
@click.argument("step_ref", metavar="STEP")  # its number in `task show`, or its name
@click.option("--up", "offset", flag_value=-1, help="One place earlier.")
@click.option("--down", "offset", flag_value=1, help="One place later.")
@click.pass_context
def step_move(ctx: click.Context, task_ref: str, step_ref: str, offset: int | None) -> None:
    """Move a step one place up or down."""
    if not offset:
        raise RoiError("say --up or --down")
    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    store.move_step(step_ref_id(store, task_id, step_ref), offset)


# --- plan ---------------------------------------------------------------------------------


@click.command()
@click.argument("task_ref", metavar="TASK")
@click.option("--build-hours", "-b", metavar="H",
              help="Time to build the automation: 3 (hours), 90m, 3h, 2d (a working day of 8 h; 1w = 5 days), "
                   "or LOW:LIKELY:HIGH such as 2h:3h:1d.")
@click.option("--upkeep", "-u", metavar="H/WEEK",
              help="Time a week to keep it working: 0.5 (hours a week), 30m/week, 2h/month, 10m/day (7 days a week).")
@click.option("--start", metavar="DATE", help="When the automation goes live (YYYY-MM-DD; default today).")
@click.option("--actual-build-hours", metavar="H", help="What the build really took, like --build-hours: 5, 5h, 2d (for calibration).")
@click.option("--live", is_flag=True,
              help="The automation is live: status automated (same as `roi task edit TASK --status automated`).")
@click.pass_context
def plan(ctx: click.Context, task_ref: str, build_hours: str | None, upkeep: str | None,
         start: str | None, actual_build_hours: str | None, live: bool) -> None:
    """Set a task's build and upkeep estimate, record what the build really took, or
    say that the automation is live (recording the build does not: it may not be)."""
    store = ctx.obj.store()
    fields: dict[str, Any] = {}
    fields.update(range_option(build_hours, "build_hours", "--build-hours"))
    if upkeep is not None:
        fields["upkeep_hours_per_week"] = parse_quantity(upkeep, HOURS_PER_WEEK, "--upkeep")
    if start is not None:
        try:
            fields["start_date"] = date.fromisoformat(start.strip())
        except ValueError:
            raise RoiError(f"--start must be a date YYYY-MM-DD (got {start!r})") from None
    if actual_build_hours is not None:
        fields["actual_build_hours"] = parse_quantity(actual_build_hours, BUILD_HOURS, "--actual-build-hours")
    if not fields and not live:
        raise RoiError("nothing to change: give --build-hours, --upkeep, --start, --actual-build-hours or --live")
    task_id = store.task_id(task_ref)
    with store.transaction():
        saved = store.set_plan(task_id, **fields) if fields else store.get_task(task_id).plan
        task_now = store.update_task(task_id, status="automated") if live else store.get_task(task_id)
    out = console()
    if saved is not None and fields:
        text = f"Plan for task {task_id}: build {saved.build_range} h, upkeep {fmt(saved.upkeep_hours_per_week, 2)} h/week"
        if saved.actual_build_hours is not None:
            text += f", actual build {fmt(saved.actual_build_hours)} h"
        out.print(text)
    if live:
        out.print(Text(f"{visible(task_now.name)} is live (status automated): the roadmap no longer schedules it, "
                       "and time logged from today on measures the automated task."))
    elif actual_build_hours is not None and not task_now.live:
        out.print(Text(f"Recorded the build; the status stays {task_now.status}. When the automation is live: "
                       f"`roi plan {shlex.quote(task_now.name)} --live` "
                       "(or `roi task edit TASK --status automated`).", style="dim"))


# --- time (stopwatch) ---------------------------------------------------------------------


@click.group()
def time() -> None:
    """The stopwatch (time a task or step as you do it) and the log of time entries."""


@time.command("start")
@click.argument("task_ref", metavar="TASK")
@click.option("--step", "step_ref", metavar="STEP", help="Time one step of the task.")
@click.option("--build", is_flag=True, help="Time building the automation (for calibration).")
@click.pass_context
def time_start(ctx: click.Context, task_ref: str, step_ref: str | None, build: bool) -> None:
    """Start timing TASK (and STEP)."""
    timer = start_timer(ctx.obj.store(), task_ref, step_ref, kind="build" if build else "work")
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
@click.pass_context
def time_cancel(ctx: click.Context) -> None:
    """Discard the running stopwatch without saving."""
    timer = cancel_timer(ctx.obj.store())
    console().print(Text(f"Discarded the timer on {visible(timer.task_name)}."))


@time.command("status")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def time_status(ctx: click.Context, as_json: bool) -> None:
    """Is the stopwatch running, on what, and for how long."""
    timer = running_timer(ctx.obj.store())
    if as_json:
        data = None if timer is None else {
            "task_id": timer.task_id, "task": timer.task_name, "step_id": timer.step_id,
            "step": timer.step_name, "kind": timer.kind, "start": timer.start.isoformat(),
            "elapsed_seconds": round(timer.elapsed_seconds(), 1),
        }
        click.echo(json.dumps({"running": timer is not None, "timer": data}, indent=2, ensure_ascii=False))
        return
    out = console()
    if timer is None:
        out.print("The stopwatch is not running.")
        return
    what = timer.task_name + (f" / {timer.step_name}" if timer.step_name else "")
    out.print(Text(f"Timing {visible(what)}: {format_duration(timer.elapsed_seconds())} so far."))


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
        if not value.strip().isdigit():
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


def interactive() -> bool:
    """Whether a person is at a terminal to answer a question."""
    import sys

    return sys.stdin.isatty()


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
        click.echo(json.dumps({"entries": [entry_json(e) for e in found]}, indent=2, ensure_ascii=False))
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
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def time_rm(ctx: click.Context, ids: tuple[str, ...], yes: bool) -> None:
    """Remove time entries (ids from `roi time list`); the measurements follow."""
    store = ctx.obj.store()
    wanted = entry_ids(ids)
    zone = _zone(store)
    out = console()
    if not yes and interactive():
        found = {e.id: e for e in entries(store) if e.id in set(wanted)}
        for i in wanted:
            if i in found:
                out.print(entry_line(found[i], zone))
        if not click.confirm(f"Remove {len(wanted)} time entr{'y' if len(wanted) == 1 else 'ies'}?", default=False):
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
        store, entry_id, minutes=number(minutes, "--minutes"),
        start=None if start is None else moment(start, "--start", zone),
        end=None if end is None else moment(end, "--end", zone),
    )
    out = console()
    out.print(Text.assemble("Was:  ", entry_line(before, zone)))
    out.print(Text.assemble("Now:  ", entry_line(after, zone)))


@time.command("add")
@click.argument("task_ref", metavar="TASK")
@click.option("--step", "step_ref", metavar="STEP", help="The step it timed.")
@click.option("--minutes", "-m", required=True, metavar="M", help="How long it took, in minutes.")
@click.option("--at", metavar="DATE", help="When it started: 'YYYY-MM-DD HH:MM' or a date (noon); default: it just ended.")
@click.option("--build", is_flag=True, help="Time spent building the automation (for calibration).")
@click.pass_context
def time_add(ctx: click.Context, task_ref: str, step_ref: str | None, minutes: str, at: str | None,
             build: bool) -> None:
    """Log a timing done on paper (or on another clock)."""
    store = ctx.obj.store()
    length = number(minutes, "--minutes")
    if length is None or not length > 0 or length != length:
        raise RoiError(f"--minutes must be a number of minutes more than 0 (got {minutes!r})")
    task_id = store.task_id(task_ref)
    step_id = store.step_id(task_id, step_ref) if step_ref else None
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


@click.group()
def flags() -> None:
    """Low-ROI flags: list the rules, dismiss or restore a flag on a task."""


@flags.command("list")
@click.argument("task_ref", metavar="[TASK]", required=False)
@click.pass_context
def flags_list(ctx: click.Context, task_ref: str | None) -> None:
    """The flag rules in force, then the flags raised on your tasks (or on TASK), each
    with the field and word that raised it."""
    from roi.flags import load_rules
    from roi.inventory import evaluate_store

    out = console()
    if task_ref is None:
        for rule in load_rules():
            out.print(Text.assemble((rule.code, "bold"), f"  ({rule.source})"))
            if rule.categories:
                out.print(Text("  categories: " + ", ".join(rule.categories)))
            if rule.words:
                out.print(Text("  words: " + ", ".join(rule.words)))
            out.print(Text("  " + rule.reason, style="dim"))
    store = ctx.obj.store()
    ids = None if task_ref is None else [store.task_id(task_ref)]
    raised = [(r, f) for r in sorted(evaluate_store(store, today=today(), ids=ids, simulate=False),
                                      key=lambda r: r.id) for f in r.flags]
    if task_ref is not None and not raised:
        out.print("No flags on this task.")
        return
    if not raised:
        return
    if task_ref is None:
        out.print()
    out.print(Text("Flags on your tasks (dismiss one with `roi flags dismiss TASK FLAG`):", style="bold"))
    for r, f in raised:
        out.print(Text.assemble(
            ("! ", "yellow"), visible(r.name), ": ", (f.short_code, "bold"), ", ", flag_match_text(f),
            (f"; {flag_effect(f)}", "dim"),
        ))


def flag_match_text(f: Flag) -> Text:
    """'step "send email" matched "email"', literally (names are data)."""
    return Text(visible(f.matched.describe()) if f.matched is not None else "")


def flag_effect(f: Flag) -> str:
    if f.dismissed:
        return "dismissed: ranked on its own numbers"
    if f.scope == "step":
        return "overhead assumed on that step"
    return "verdict skip; overhead assumed on every step"


@flags.command("path")
def flags_path() -> None:
    """Where your own flag rules are read from."""
    from roi.flags import user_rules_path

    click.echo(str(user_rules_path()))


def _flag_change(ctx: click.Context, task_ref: str, code: str, dismissed: bool) -> None:
    from roi.flags import find_code
    from roi.inventory import evaluate_store

    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    (before,) = evaluate_store(store, today=today(), ids=[task_id])
    codes = [f.code for f in before.flags]
    full = find_code(code, codes)
    if full is None:
        shown = ", ".join(f"{f.short_code} ({f.code})" for f in before.flags) or "none"
        raise RoiError(f"task {visible(before.name)!r} has no flag {code!r} (its flags: {shown})")
    store.dismiss_flag(task_id, full, dismissed)
    (after,) = evaluate_store(store, today=today(), ids=[task_id])
    verb = "Dismissed" if dismissed else "Restored"
    out = console()
    out.print(Text(f"{verb} {full} on {visible(after.name)}."))
    for line in flag_change_lines(before, after):
        out.print(Text("  " + line))


def flag_change_lines(before: RankedTask, after: RankedTask) -> list[str]:
    """What dismissing or restoring a flag changed in the numbers: the assumed overhead
    per step, the weekly hours saved, payback and the verdict (before -> after)."""
    lines = []
    for b, a in zip(before.steps, after.steps, strict=False):
        was, now = b.overhead_source == "flag default", a.overhead_source == "flag default"
        if was and not now:
            lines.append(f"step {visible(a.name)!r}: the assumed overhead of {fmt(b.overhead, 2)} min "
                         f"goes away ({fmt(b.overhead, 2)} -> {fmt(a.overhead, 2)} min per occurrence)")
        elif now and not was:
            lines.append(f"step {visible(a.name)!r}: overhead assumed equal to the manual time again "
                         f"({fmt(b.overhead, 2)} -> {fmt(a.overhead, 2)} min per occurrence)")
    bo, ao = before.outcome, after.outcome
    lines.append(f"hours saved a week: {bo.weekly_hours_saved:.2f} -> {ao.weekly_hours_saved:.2f}")
    lines.append(f"payback: {fmt_weeks(bo.payback_weeks)} -> {fmt_weeks(ao.payback_weeks)}")
    verdict = f"verdict: {before.verdict} -> {after.verdict}"
    if after.verdict != before.verdict or after.verdict_reason != before.verdict_reason:
        verdict += f" ({after.verdict_reason})"
    lines.append(verdict)
    return lines


@flags.command("dismiss")
@click.argument("task_ref", metavar="TASK")
@click.argument("code")
@click.pass_context
def flags_dismiss(ctx: click.Context, task_ref: str, code: str) -> None:
    """Dismiss flag CODE (e.g. email or low-roi:email) for TASK: rank it on its own
    numbers, without the flag's assumed overhead (the flag stays visible)."""
    _flag_change(ctx, task_ref, code, True)


@flags.command("restore")
@click.argument("task_ref", metavar="TASK")
@click.argument("code")  # e.g. email or low-roi:email
@click.pass_context
def flags_restore(ctx: click.Context, task_ref: str, code: str) -> None:
    """Undo a dismissal."""
    _flag_change(ctx, task_ref, code, False)
