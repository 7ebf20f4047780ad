"""`roi report`: the printed ranking report, in text, Markdown, HTML, CSV or JSON."""

from __future__ import annotations

import os
from datetime import datetime

import click
from rich.text import Text

from roi.cli.console import console
from roi.clock import today
from roi.report.model import FORMATS, build_report, frozen_generated
from roi.textsafe import visible


def _generated() -> datetime | None:
    """A frozen clock (ROI_TODAY) freezes the report's timestamp too, so reports made for
    golden files and examples are byte-for-byte repeatable."""
    return frozen_generated(today()) if os.environ.get("ROI_TODAY") else None


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o file name, else text).")
@click.option("--output", "-o", metavar="FILE",
              help="Write to FILE (atomically: a temporary file, then a rename) instead of stdout.")
@click.option("--by", type=click.Choice(["payback", "net", "confidence"]), default="payback",
              show_default=True, help="Rank by payback time, net hours over the horizon, or expected net hours.")
@click.option("--horizon", type=click.FloatRange(min=0, min_open=True), metavar="WEEKS",
              help="Horizon in weeks (default: the horizon_weeks setting).")
@click.option("--top", type=click.IntRange(min=1), metavar="N",
              help="List only the N best-ranked tasks (totals still count every task).")
@click.option("--budget", metavar="HOURS",
              help="Weekly build budget for the roadmap section, e.g. 4h/week (default: the setting).")
@click.pass_context
def report(ctx: click.Context, fmt: str | None, output: str | None, by: str,
           horizon: float | None, top: int | None, budget: str | None) -> None:
    """Write the ranking report: assumptions, ranked table, each task's arithmetic, flags,
    what is not worth automating and why, and totals.

    \b
    Examples:
      roi report                      # text on the terminal
      roi report -o roi-report.html   # a page to print or send (format from the name)
      roi report -f md --top 5        # Markdown for your notes
      roi report -f csv -o roi.csv    # for a spreadsheet
    """
    from roi.report import format_for, render
    from roi.report.render_text import WIDTH, print_report
    from roi.report.render_text import render as render_text
    from roi.report.writer import atomic_write

    to_file = output not in (None, "-")
    if fmt is None:
        fmt = (format_for(output) if to_file and output else None) or "text"
    store = ctx.obj.store()
    from roi.roadmap import parse_budget

    built = build_report(store, today=today(), by=by, horizon_weeks=horizon, top=top,
                         generated=_generated(),
                         budget_hours_per_week=parse_budget(budget) if budget else None)
    if to_file and output:
        path = atomic_write(output, render(built, fmt))
        err = console(stderr=True)
        shown = len(built.shown)
        err.print(Text(f"Wrote the {fmt} report ({shown} task{'s' if shown != 1 else ''}) to "
                       f"{visible(str(path))}."))
        return
    if fmt == "text":
        out = console()
        if out.is_terminal:  # at most 80 columns, fewer on a narrower terminal
            width = min(out.width, WIDTH)
            if os.environ.get("NO_COLOR"):
                click.echo(render_text(built, width), nl=False)
            else:  # styles only on a terminal, and only without NO_COLOR
                print_report(built, console(width=width))
            return
    click.echo(render(built, fmt), nl=False)
