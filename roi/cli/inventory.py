"""Editing the inventory: `roi task`, `step` and `plan` (the stopwatch and the log are
in roi.cli.timing, the flags in roi.cli.flags)."""

from __future__ import annotations

import shlex
from datetime import date
from typing import Any

import click
from pydantic import ValidationError
from rich.table import Table
from rich.text import Text

from roi.cli.console import YES_HELP, console, removal_confirmed
from roi.cli.ranking import verdict_text
from roi.clock import today
from roi.explanation import occurrence_sentence
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
from roi.ranking import far_off_measurements
from roi.textsafe import json_text, visible


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
        click.echo(json_text([t.model_dump(mode="json") for t in tasks], indent=2))
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
    from roi.template_marks import marks_note, template_marks

    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    ranked = next(r for r in rank_store(store, today=today()) if r.id == task_id)
    marks = template_marks(store, [ranked.task])
    if as_json:
        click.echo(json_text(task_json(ranked, templates=marks), indent=2))
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
    if rule := occurrence_sentence(ranked):
        out.print(Text(rule, style="dim"))
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
        build = f"build {fmt(plan_.build_hours)} h" if plan_.build_given else "build not estimated yet"
        line = f"plan: {build}, upkeep {fmt(plan_.upkeep_hours_per_week, 2)} h/week"
        if plan_.actual_build_hours is not None:
            from roi.agents import build_source

            line += (f", actually built in {fmt(plan_.actual_build_hours)} h"
                     f", {build_source(store, task_id, plan_.actual_build_hours)}")
        out.print(line)
    note = marks_note(marks.get(task_id))
    if note:
        out.print(Text(f"{note[0].upper()}{note[1:]} (until you change them)", style="dim"))
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
@click.option("--yes", "-y", is_flag=True, help=YES_HELP)
@click.pass_context
def task_rm(ctx: click.Context, task_ref: str, yes: bool) -> None:
    """Remove a task with its steps, plan and time entries (asks first on a terminal)."""
    store = ctx.obj.store()
    doomed = store.get_task(task_ref)
    what = f"task {doomed.id} {visible(doomed.name)!r} with its {len(doomed.steps)} step(s), plan and time entries"
    if not removal_confirmed(what, yes):
        raise click.exceptions.Abort()
    removed = store.remove_task(doomed.id if doomed.id is not None else task_ref)
    console().print(Text(f"Removed task {removed.id}: {visible(removed.name)}"))


# --- step ---------------------------------------------------------------------------------


def flag_match_text(f: Flag) -> Text:
    """'step "send email" matched "email"', literally (names are data)."""
    return Text(visible(f.matched.describe()) if f.matched is not None else "")


def step_ref_id(store: Any, task_id: int, ref: str) -> int:
    """The step a person names as `task show` shows it: its number 1..n there, or its
    name (a name wins over a number, so a step called "2" is still reachable by name)."""
    steps = store.get_task(task_id).steps
    text = ref.strip()
    for s in steps:
        if s.name.casefold() == text.casefold() and s.id is not None:
            return int(s.id)
    if text.isdecimal() and 1 <= int(text) <= len(steps) and steps[int(text) - 1].id is not None:
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
@click.option("--yes", "-y", is_flag=True, help=YES_HELP)
@click.pass_context
def step_rm(ctx: click.Context, task_ref: str, step_ref: str, yes: bool) -> None:
    """Remove a step (asks first on a terminal)."""
    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    step_id = step_ref_id(store, task_id, step_ref)
    name = next((st.name for st in store.get_task(str(task_id)).steps if st.id == step_id), str(step_id))
    if not removal_confirmed(f"step {step_id} {visible(name)!r} of task {task_id}", yes):
        raise click.exceptions.Abort()
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
        build = f"build {saved.build_range} h" if saved.build_given else "build not estimated yet (--build-hours H)"
        text = f"Plan for task {task_id}: {build}, upkeep {fmt(saved.upkeep_hours_per_week, 2)} h/week"
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
