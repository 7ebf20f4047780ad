"""The text report: Rich renderables, 80 columns, literal text.

Every string from the data goes into a `rich.text.Text` (never a markup string) after
`visible()`, so `[bold]` stays `[bold]` and a terminal escape shows as `\\x1b`. `render`
returns plain text; the CLI prints the same renderables with colour on a terminal.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from roi.ranking import RankedTask
from roi.report import common
from roi.report.model import Report
from roi.textsafe import visible

WIDTH = 80
VERDICT_STYLE = {"automate": "bold green", "maybe": "yellow", "skip": "red"}


def _t(text: str, style: str = "") -> Text:
    return Text(visible(text), style=style)


def _heading(title: str) -> Text:
    return Text(title, style="bold underline")


def _header(report: Report) -> RenderableType:
    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in common.header_lines(report):
        grid.add_row(label, _t(value))
    return grid


def ranking_table(report: Report) -> Table:
    table = Table(box=None, padding=(0, 1, 0, 0), pad_edge=False, header_style="bold",
                  show_edge=False, collapse_padding=True)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("Task", overflow="fold", ratio=1, min_width=12)
    table.add_column("Saved\nh/wk", justify="right", no_wrap=True)
    table.add_column("Build\nh", justify="right", no_wrap=True)
    table.add_column("Upkeep\nh/wk", justify="right", no_wrap=True)
    table.add_column("Payback", justify="right", no_wrap=True)
    table.add_column("Break-even", no_wrap=True)
    table.add_column("Net h", justify="right", no_wrap=True)
    table.add_column("ROI", justify="right", no_wrap=True)
    table.add_column("Verdict", no_wrap=True)
    for r in report.shown:
        o = r.outcome
        name = _t(r.name)
        if r.active_flags:
            name.append(" !", style="yellow")
        table.add_row(
            str(r.rank),
            name,
            common.hours(o.weekly_hours_saved),
            common.hours(r.build_hours),
            common.hours(r.upkeep_hours_per_week),
            common.payback_short(o.payback_weeks),
            common.date_text(r.break_even),
            common.hours(o.net_hours),
            common.roi_text(o.roi),
            Text(r.verdict, style=VERDICT_STYLE.get(r.verdict, "")),
        )
    return table


def _hanging() -> Table:
    """A two-column grid: a marker, then text whose wrapped lines stay indented."""
    grid = Table.grid(padding=(0, 1, 0, 0))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column(overflow="fold")
    return grid


def _task_detail(r: RankedTask, report: Report) -> RenderableType:
    body: list[RenderableType] = [
        Text.assemble((visible(r.name), "bold"), " - ",
                      (r.verdict, VERDICT_STYLE.get(r.verdict, "")), ": ", visible(r.verdict_reason)),
        _t(r.explanation),
        _t(common.inputs_summary(r, report.task_logs.get(r.id)), "dim"),
    ]
    for extra in (common.uncertainty_line(r), common.money_line(r, report)):
        if extra:
            body.append(_t(extra))
    return Group(*body)


def renderables(report: Report) -> Iterator[RenderableType]:
    yield Text(common.TITLE, style="bold")
    yield _header(report)
    yield Text()
    yield _heading("Summary")
    yield _t(common.totals_sentence(report.totals, report.currency, report.horizon_weeks))
    yield _t(common.counts_sentence(report.totals))
    if not report.ranked:
        return
    yield Text()
    yield _heading("Ranking")
    yield ranking_table(report)
    yield Text("! = flagged low-ROI; payback in days (d) or weeks (wk); ROI = net hours / build "
               "cost over the horizon.", style="dim")
    yield Text()
    yield _heading("How each number was worked out")
    details = _hanging()
    for r in report.shown:
        details.add_row(f"{r.rank}.", _task_detail(r, report))
    yield details
    if report.flagged:
        yield Text()
        yield _heading("Flags")
        flags = _hanging()
        for r in report.flagged:
            for f in r.flags:
                flags.add_row(Text("!", style="yellow"), Text.assemble(
                    (visible(r.name), "bold"), " - ", common.flag_label(f.code, f.dismissed), ": ",
                    (visible(f.reason), "dim")))
        yield flags
    yield Text()
    yield _heading(common.NOT_WORTH)
    if not report.not_worth:
        yield Text("Every listed task is worth automating or worth a closer look.")
        return
    skipped = _hanging()
    for r in report.not_worth:
        skipped.add_row("-", Text.assemble((visible(r.name), "bold"), ": ",
                                           visible(r.verdict_reason), ". ", visible(r.explanation)))
    yield skipped


def make_console(file: Any = None, *, width: int = WIDTH, color: bool = False) -> Console:
    return Console(
        file=file, width=width, highlight=False, markup=False, emoji=False,
        force_terminal=color, no_color=not color, color_system="standard" if color else None,
        soft_wrap=False, legacy_windows=False,
    )


def print_report(report: Report, console: Console) -> None:
    for item in renderables(report):
        console.print(item)


def render(report: Report) -> str:
    buffer = io.StringIO()
    print_report(report, make_console(buffer))
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"
