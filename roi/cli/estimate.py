"""`roi estimate`: a task with measured time (or stated minutes) estimated as a whole, in
one step, from the options or a category template."""

from __future__ import annotations

import click
from rich.table import Table
from rich.text import Text

from roi.cli.console import console
from roi.cli.ranking import verdict_text
from roi.clock import today
from roi.errors import RoiError
from roi.fmt import fmt
from roi.quantities import BUILD_HOURS, MINUTES, PER_WEEK, parse, parse_range, parse_share
from roi.textsafe import json_text, visible


def _templates_table() -> None:
    from roi.estimate import load_templates, range_text

    out = console()
    table = Table(box=None, header_style="bold")
    for column in ("Template", "Automation", "Overhead", "Failure", "Build h", "From"):
        table.add_column(column, justify="left" if column in ("Template", "From") else "right",
                         overflow="fold")
    for t in sorted(load_templates().values(), key=lambda t: t.name):
        overhead = (f"{fmt(t.overhead_minutes, 2)} min" if t.overhead_minutes is not None
                    else f"{fmt((t.overhead_share or 0) * 100, 0)}% of manual")
        table.add_row(Text(visible(t.name)), f"{fmt(t.automation * 100, 0)}%", overhead,
                      f"{fmt(t.failure_rate * 100, 0)}%", range_text(t.build),
                      Text("shipped" if t.source.startswith("shipped") else visible(t.source)))
    out.print(table)


@click.command()
@click.argument("task_ref", metavar="TASK", required=False)
@click.option("--like", metavar="TEMPLATE", help="Take the figures not given from a category template "
              "(writing, coding, data, admin, research, media, email, calendar, meetings, other, or your own).")
@click.option("--automation", "-a", metavar="A", help="Share of the work the automation takes over: 0.6 or 60%.")
@click.option("--overhead", "-o", metavar="MIN", help="Your time per occurrence on the automated part: 2 (minutes), 90s, 2m.")
@click.option("--failure-rate", "-p", metavar="P", help="Share of occurrences done by hand anyway: 0.1 or 10% (default 0).")
@click.option("--build-hours", "-b", metavar="H", help="Time to build it: 4 (hours), 90m, 1d, or LOW:LIKELY:HIGH such as 2h:4h:1d.")
@click.option("--minutes", "-m", metavar="M",
              help="Time by hand per occurrence, for a task with no measured time (with measured time it is pinned against the log).")
@click.option("--per-week", "-f", metavar="F", help="Times a week, when the log cannot tell yet: 10, 5/day, 2/month.")
@click.option("--templates", "list_templates", is_flag=True, help="List the templates and exit.")
@click.option("--json", "as_json", is_flag=True, help="Print the estimated task as `roi task show --json` does.")
@click.pass_context
def estimate(ctx: click.Context, task_ref: str | None, like: str | None, automation: str | None,
             overhead: str | None, failure_rate: str | None, build_hours: str | None, minutes: str | None,
             per_week: str | None, list_templates: bool, as_json: bool) -> None:
    """Estimate a task as a whole in one step: one step of its measured minutes, its degree of automation, overhead and build hours, or a category template's.

    For a task that has logged time but no steps (an imported one, say): the step is
    named after the task and its manual minutes are the log's median. Options given
    override the template's figures; every output says which figures came from a
    template until you change them. Running it again redoes the estimate.

    \b
    Examples:
      roi estimate "Weekly report" --automation 60% --overhead 2m --build-hours 4
      roi estimate "Weekly report" --like writing
      roi estimate "Expenses" --like admin --minutes 20 --per-week 2
    """
    if list_templates:
        _templates_table()
        return
    if task_ref is None:
        raise RoiError("give the TASK to estimate (its id or exact name), or --templates to list the templates")
    from roi.estimate import Estimate, describe, estimate_task
    from roi.inventory import rank_store, task_json
    from roi.template_marks import template_marks

    given = Estimate(
        automation=None if automation is None else parse_share(automation, "--automation"),
        overhead=None if overhead is None else parse(overhead, MINUTES, "--overhead"),
        failure_rate=None if failure_rate is None else parse_share(failure_rate, "--failure-rate"),
        build=None if build_hours is None else parse_range(build_hours, BUILD_HOURS, "--build-hours"),
        minutes=None if minutes is None else parse(minutes, MINUTES, "--minutes"),
        per_week=None if per_week is None else parse(per_week, PER_WEEK, "--per-week"),
        like=like,
    )
    if given.minutes is not None and given.minutes <= 0:
        raise RoiError(f"--minutes must be more than 0 (got {minutes!r})")
    store = ctx.obj.store()
    done = estimate_task(store, task_ref, given)
    task_id = int(done.task.id or 0)
    ranked = next(r for r in rank_store(store, today=today()) if r.id == task_id)
    if as_json:
        click.echo(json_text(task_json(ranked, templates=template_marks(store)), indent=2))
        return
    out = console()
    out.print(Text(describe(done)))
    out.print(Text.assemble("verdict: ", verdict_text(ranked.verdict), f" ({visible(ranked.verdict_reason)})"))
    out.print(Text(visible(ranked.explanation)))
    if done.from_template:
        out.print(Text("Change a template's figure with `roi step edit` or `roi plan`; it is then yours.", style="dim"))
