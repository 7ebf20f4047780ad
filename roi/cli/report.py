"""`roi report`: the printed ranking report, in text, Markdown, HTML, CSV or JSON."""

from __future__ import annotations

import os
from datetime import datetime

import click
from rich.text import Text

from roi.cli.console import console
from roi.clock import today
from roi.models import RoiError
from roi.report.model import FORMATS, build_report, frozen_generated
from roi.textsafe import visible


def _generated() -> datetime | None:
    """A frozen clock (ROI_TODAY) freezes the report's timestamp too, so reports made for
    golden files and examples are byte-for-byte repeatable."""
    return frozen_generated(today()) if os.environ.get("ROI_TODAY") else None


def _file_format(output: str, given: str | None, named: str | None) -> str:
    """The format to write to OUTPUT: the one its extension names (report.html -> html);
    a file without an extension takes --format or text. An extension the report cannot
    be written as (x.pdf), or one that names another format than --format, is refused."""
    from pathlib import Path

    from roi.report import SUFFIXES

    suffix = Path(output).suffix.lower()
    if not suffix:
        return given or "text"
    known = ", ".join(sorted(SUFFIXES))
    if named is None:
        raise RoiError(f"-o {output}: cannot write a {suffix} report; give a file ending in {known}")
    if given is not None and given != named:
        raise RoiError(f"-o {output} names the {named} format but --format says {given}; "
                       "make them agree or leave one out")
    return named


@click.command()
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default=None,
              help="Output format (default: from the -o file's extension, else text).")
@click.option("--output", "-o", metavar="FILE",
              help="Write to FILE (atomically: a temporary file, then a rename) instead of stdout; its extension "
                   "(.txt, .md, .html, .csv, .json) sets the format, another one is refused.")
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
    if to_file and output:
        fmt = _file_format(output, fmt, format_for(output))
    fmt = fmt or "text"
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
