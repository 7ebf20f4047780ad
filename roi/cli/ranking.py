"""Reading the ranking: `roi rank` and `roi xkcd`."""

from __future__ import annotations

from typing import Any

import click
from rich.table import Table
from rich.text import Text

from roi import payback
from roi.cli.console import console
from roi.cli.state import State, pass_state
from roi.clock import today
from roi.db.store import Store
from roi.fmt import fmt, fmt_weeks
from roi.inventory import rank_store, ranking_json
from roi.ranking import RankedTask, far_off_measurements
from roi.textsafe import json_text, visible


def verdict_text(verdict: str) -> Text:
    style = {"automate": "bold green", "maybe": "yellow", "skip": "red", "needs-estimate": "magenta"}.get(verdict, "")
    return Text(verdict, style=style)


def hours(value: float) -> str:
    return f"{value:,.1f}" if abs(value) >= 0.05 or value == 0 else f"{value:.2f}"


def ranking_table(ranked: list[RankedTask], width: int) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Task", overflow="fold", ratio=1)
    table.add_column("Gain h/wk", justify="right")
    table.add_column("Build h", justify="right")
    table.add_column("Payback", justify="right")
    wide = width >= 100
    if wide:
        table.add_column("Break-even")
    table.add_column("Net h", justify="right")
    table.add_column("Verdict")
    table.add_column("Flags")
    for r in ranked:
        o = r.outcome
        unknown = set(r.missing)
        flags = Text(", ".join(f.code.split(":")[-1] + (" (dismissed)" if f.dismissed else "") for f in r.flags))
        if unknown:  # unknown is not zero: no figure that needs the missing input
            gain = "?" if unknown & {"steps", "per_week"} else hours(o.net_weekly_gain)
            row: list[Any] = [str(r.rank), Text(visible(r.name)), gain,
                              "?" if "build_hours" in unknown else hours(r.build_hours), "-"]
            row += ["-"] if wide else []
            row += ["-", verdict_text(r.verdict), flags]
            table.add_row(*row)
            continue
        row = [
            str(r.rank),
            Text(visible(r.name)).append(" (live)" if r.task.live else "", style="dim"),
            hours(o.net_weekly_gain),
            hours(r.build_hours),
            fmt_weeks(o.payback_weeks).replace(" weeks", " wk").replace(" week", " wk"),
        ]
        if wide:
            row.append(r.break_even.isoformat() if r.break_even else "never")
        row += [hours(o.net_hours), verdict_text(r.verdict), flags]
        table.add_row(*row)
    return table


def print_ranking(store: Store, *, by: str, horizon: float | None, explain: bool = False) -> None:
    ranked = rank_store(store, today=today(), by=by, horizon_weeks=horizon)  # type: ignore[arg-type]
    out = console()
    if not ranked:
        out.print("No tasks yet. Add one with `roi task add NAME`, or try `roi seed demo`.")
        return
    settings = store.settings()
    u = ranked[0].uncertainty
    source = " (calibrated from your builds)" if u and u.overrun_source.startswith("calibrated") else ""
    out.print(
        Text(
            f"Ranked by {by} over {fmt(horizon or settings.horizon_weeks)} weeks, "
            f"overrun factor {fmt(ranked[0].overrun_factor, 2)}{source}",
            style="dim",
        )
    )
    out.print(ranking_table(ranked, out.width))
    out.print(Text("Gain h/wk: hours saved a week after upkeep; payback = build h x overrun factor / gain.",
                   style="dim"))
    pending = [r for r in ranked if r.missing]
    if pending and not explain:
        out.print(Text(
            f"{len(pending)} task{'s need' if len(pending) != 1 else ' needs'} an estimate before "
            f"{'they' if len(pending) != 1 else 'it'} can be ranked (listed last, left out of every total):",
            style="dim",
        ))
        for r in pending:
            out.print(Text.assemble(("? ", "magenta"), visible(r.name), ": ", visible(r.explanation)))
    from roi.template_marks import marks_note, template_marks

    marks = template_marks(store, [r.task for r in ranked])
    for r in ranked:
        note = marks_note(marks.get(r.id))
        if note:
            out.print(Text.assemble(("~ ", "cyan"), f"{visible(r.name)}: {note} (until you change them)"))
        for warning in far_off_measurements(r):
            out.print(Text.assemble(("! ", "yellow"), f"{visible(r.name)}: ", visible(warning)))
        if explain:
            money = r.money_sentence()
            out.print(Text.assemble((f"{r.rank}. ", "bold"), visible(r.name), ": ", r.explanation,
                                    (" " + money) if money else ""))
        for f in r.flags:
            if f.dismissed:
                continue
            matched = f" ({visible(f.matched.describe())})" if f.matched is not None else ""
            out.print(Text.assemble(("! ", "yellow"), f"{visible(r.name)}: {f.code}{matched}: ", (f.reason, "dim")))


@click.command()
@click.option("--by", type=click.Choice(["payback", "net", "confidence"]), default="payback",
              show_default=True, help="Rank by payback time, net hours over the horizon, or expected net hours.")
@click.option("--horizon", type=click.FloatRange(min=0, min_open=True), metavar="WEEKS",
              help="Horizon in weeks (default: the horizon_weeks setting).")
@click.option("--explain", is_flag=True, help="Show each task's arithmetic under the table.")
@click.option("--json", "as_json", is_flag=True, help="Print the ranking as JSON.")
@pass_state
def rank(state: State, by: str, horizon: float | None, explain: bool, as_json: bool) -> None:
    """Rank the tasks by what automating them gives back."""
    store = state.store()
    if as_json:
        ranked = rank_store(store, today=today(), by=by, horizon_weeks=horizon)  # type: ignore[arg-type]
        from roi.template_marks import template_marks

        settings = store.settings()
        data = ranking_json(ranked, horizon_weeks=horizon or settings.horizon_weeks, hourly_value=settings.hourly_value,
                            templates=template_marks(store, [r.task for r in ranked]))
        click.echo(json_text(data, indent=2))
        return
    print_ranking(store, by=by, horizon=horizon, explain=explain)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the table as JSON.")
def xkcd(as_json: bool) -> None:
    """The xkcd 1205 "Is It Worth the Time?" table, computed by roi's own arithmetic.

    Each cell: how long you can spend making a task faster before you spend more time
    than you save over 5 years."""
    table = payback.xkcd_table()
    if as_json:
        data = [
            {"shaved": c.shaved, "how_often": c.frequency, "hours": round(c.hours, 6),
             "computed": payback.humanize_hours(c.hours), "chart": c.label}
            for row in table for c in row
        ]
        click.echo(json_text(data, indent=2))
        return
    out = console()
    grid = Table(title="How long can you work on making a routine task more efficient",
                 caption="before you're spending more time than you save? (across five years)",
                 box=None, header_style="bold")
    grid.add_column("Shave off")
    for label, _ in payback.XKCD_FREQUENCIES:
        grid.add_column(label, justify="right")
    for row in table:
        cells = []
        for c in row:
            short = payback.humanize_hours(c.hours)
            for long, abbreviation in ((" seconds", " sec"), (" second", " sec"), (" minutes", " min"), (" minute", " min")):
                short = short.replace(long, abbreviation)
            cells.append(short if c.label else Text("-", style="dim"))
        grid.add_row(row[0].shaved, *cells)
    out.print(grid)
