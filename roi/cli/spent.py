"""`roi spent`: where the time goes, from every source, as the list of candidates."""

from __future__ import annotations

from datetime import date

import click
from rich.table import Table
from rich.text import Text

from roi.cli.console import console
from roi.cli.ranking import verdict_text
from roi.clock import today
from roi.errors import RoiError
from roi.fmt import fmt
from roi.textsafe import json_text, visible

BY = ("task", "step", "source", "category")


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise RoiError(f"{option} must be a date YYYY-MM-DD (got {value!r})") from None


def _hours(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.1f}" if value == 0 or abs(value) >= 0.05 else f"{value:.2f}"


@click.command()
@click.option("--since", metavar="DATE", help="First day counted (YYYY-MM-DD, your time zone; default: the first entry's day).")
@click.option("--until", metavar="DATE", help="Last day counted (YYYY-MM-DD; default: today).")
@click.option("--by", type=click.Choice(BY), default="task", show_default=True,
              help="One row per task, step, source (stopwatch, toggl, ...) or category.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.pass_context
def spent(ctx: click.Context, since: str | None, until: str | None, by: str, as_json: bool) -> None:
    """Where the time goes: logged hours per task, step, source or category, a week and as a share, with each task's state.

    Counts finished work entries from every source (the stopwatch, `roi time add`,
    imports). A task with no time logged in the period is listed last, with no hours
    (not 0). State: live, flagged, needs-estimate, or the ranking's verdict; a task that
    needs an estimate can get one in one step with `roi estimate TASK --like CATEGORY`."""
    from roi.spent import spent_json, where_time_goes

    store = ctx.obj.store()
    found = where_time_goes(store, today=today(), since=_day(since, "--since"), until=_day(until, "--until"),
                            by=by)  # type: ignore[arg-type]
    if as_json:
        click.echo(json_text(spent_json(found), indent=2))
        return
    out = console()
    if found.total_hours is None:
        if found.since is None:
            out.print("No time logged yet: time a task with `roi time start TASK` or import a log with `roi import FILE`.")
        else:
            out.print(f"No time logged from {found.since.isoformat()} to {found.until.isoformat()}.")
        if not found.rows:
            return
    else:
        assert found.since is not None
        out.print(Text(
            f"From {found.since.isoformat()} to {found.until.isoformat()} ({fmt(found.weeks)} "
            f"week{'' if fmt(found.weeks) == '1' else 's'}): "
            f"{_hours(found.total_hours)} h logged, {_hours(found.total_hours_per_week)} h a week.",
            style="dim",
        ))
    table = Table(box=None, header_style="bold")
    table.add_column({"task": "Task", "step": "Task / step", "source": "Source", "category": "Category"}[by],
                     overflow="fold", ratio=1)
    for column in ("Hours", "h/week", "Share", "Entries"):
        table.add_column(column, justify="right")
    with_state = by in ("task", "step")
    if with_state:
        table.add_column("State")
    for r in found.rows:
        cells: list[Text | str] = [
            Text(visible(r.name)), _hours(r.hours), _hours(r.hours_per_week),
            "-" if r.share is None else f"{r.share * 100:.1f}%",
            "not logged" if r.hours is None else f"{r.entries:,}",
        ]
        if with_state:
            cells.append(verdict_text(r.state) if r.state else "")
        table.add_row(*cells)
    out.print(table)
    pending = [r for r in found.logged if r.state == "needs-estimate"]
    if pending:
        out.print(Text(f"{len(pending)} of them need{'s' if len(pending) == 1 else ''} an estimate: "
                       "`roi estimate TASK --like CATEGORY` makes one step from the measured time.", style="dim"))
