"""The `roi` command. Imports no Textual: only `roi` (no command) and `roi demo` open the
TUI, and they import it inside the function that starts it."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from roi import payback
from roi.clock import today
from roi.db.store import ENV_VAR, Store, default_path
from roi.models import SETTING_HELP, RoiError
from roi.ranking import RankedTask, fmt, fmt_weeks
from roi.textsafe import visible

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def console(stderr: bool = False) -> Console:
    """A console that never interprets markup or highlights numbers in data."""
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


class State:
    def __init__(self, db: str | None) -> None:
        self.db_path = db
        self._store: Store | None = None

    @property
    def path(self) -> Path | str:
        return self.db_path if self.db_path == ":memory:" else Path(self.db_path or default_path())

    def store(self) -> Store:
        if self._store is None:
            self._store = Store.open(self.path)
        return self._store


pass_state = click.make_pass_decorator(State)


@click.group(context_settings=CONTEXT_SETTINGS, invoke_without_command=True)
@click.option(
    "--db",
    metavar="PATH",
    envvar=ENV_VAR,
    help=f"Database file (default: roi.db in your data folder; also ${ENV_VAR}).",
)
@click.version_option(package_name="roi", prog_name="roi")
@click.pass_context
def cli(ctx: click.Context, db: str | None) -> None:
    """Which recurring chores are worth handing to an agent, and which would cost more
    than they save. With no command, opens the terminal app."""
    ctx.obj = State(db)
    ctx.call_on_close(lambda: ctx.obj._store and ctx.obj._store.close())
    if ctx.invoked_subcommand is None:
        open_tui(ctx.obj.store())


def open_tui(store: Store) -> None:
    import importlib

    # The terminal app (and Textual with it) is loaded only here, when it is opened.
    importlib.import_module("tui.app").run_app(store, today=today())


# --- demo and seeds ---------------------------------------------------------------------


def demo_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("roi", appauthor=False)) / "demo.db"


@cli.command()
@click.option("--reset", is_flag=True, help="Start from a fresh demo database.")
@click.option("--no-open", is_flag=True, help="Load the demo and print the ranking instead of opening the app.")
@click.pass_context
def demo(ctx: click.Context, reset: bool, no_open: bool) -> None:
    """Load the demo inventory into its own demo database and open the app.

    Your own database is never touched; with --db the demo goes there instead."""
    from roi.demo import seed_demo

    state: State = ctx.obj
    # Only an explicit --db redirects the demo: ROI_DB names the person's own inventory,
    # which the demo must never write into.
    explicit = ctx.parent is not None and ctx.parent.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE
    path = Path(state.db_path) if explicit and state.db_path else demo_path()
    if reset and path.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    state.db_path = str(path)
    store = state.store()
    seed_demo(store)
    if no_open:
        print_ranking(store, by="payback", horizon=None)
        click.echo(f"demo database: {path}", err=True)
        return
    open_tui(store)


@cli.group()
def seed() -> None:
    """Load shipped data into the current database."""


@seed.command("demo")
@pass_state
def seed_demo_command(state: State) -> None:
    """Load the demo inventory (tasks already there by name are left alone)."""
    from roi.demo import seed_demo

    added = seed_demo(state.store())
    click.echo(f"Added {added} demo task{'s' if added != 1 else ''} to {state.path}.")


# --- ranking ------------------------------------------------------------------------------


def verdict_text(verdict: str) -> Text:
    style = {"automate": "bold green", "maybe": "yellow", "skip": "red"}.get(verdict, "")
    return Text(verdict, style=style)


def hours(value: float) -> str:
    return f"{value:,.1f}" if abs(value) >= 0.05 or value == 0 else f"{value:.2f}"


def ranking_table(ranked: list[RankedTask], width: int) -> Table:
    table = Table(box=None, pad_edge=False, header_style="bold", expand=False)
    table.add_column("#", justify="right")
    table.add_column("Task", overflow="fold", ratio=1)
    table.add_column("Saved h/wk", justify="right")
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
        flags = Text(", ".join(f.code.split(":")[-1] + (" (dismissed)" if f.dismissed else "") for f in r.flags))
        row: list[Any] = [
            str(r.rank),
            Text(visible(r.name)),
            hours(o.weekly_hours_saved),
            hours(r.build_hours),
            fmt_weeks(o.payback_weeks).replace(" weeks", " wk").replace(" week", " wk"),
        ]
        if wide:
            row.append(r.break_even.isoformat() if r.break_even else "never")
        row += [hours(o.net_hours), verdict_text(r.verdict), flags]
        table.add_row(*row)
    return table


def print_ranking(store: Store, *, by: str, horizon: float | None, explain: bool = False) -> None:
    from roi.inventory import rank_store

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
    bare = [r for r in ranked if not r.steps]
    if bare:
        logged = sum(1 for r in bare if r.measured_minutes is not None)
        out.print(Text(
            f"{len(bare)} task{'s have' if len(bare) != 1 else ' has'} no steps yet"
            + (f" ({logged} with enough logged time to measure)" if logged else "")
            + ": add them with `roi step add TASK NAME --minutes M --automation A` to estimate the saving.",
            style="dim",
        ))
    for r in ranked:
        if explain:
            money = r.money_sentence()
            out.print(Text.assemble((f"{r.rank}. ", "bold"), visible(r.name), ": ", r.explanation,
                                    (" " + money) if money else ""))
        for f in r.active_flags:
            out.print(Text.assemble(("! ", "yellow"), f"{visible(r.name)}: {f.code}: ", (f.reason, "dim")))


@cli.command()
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
        from roi.inventory import rank_store, ranking_json

        ranked = rank_store(store, today=today(), by=by, horizon_weeks=horizon)  # type: ignore[arg-type]
        settings = store.settings()
        data = ranking_json(ranked, horizon_weeks=horizon or settings.horizon_weeks, hourly_value=settings.hourly_value)
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    print_ranking(store, by=by, horizon=horizon, explain=explain)


@cli.command()
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
        click.echo(json.dumps(data, indent=2))
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


# --- settings -----------------------------------------------------------------------------


@cli.group()
def config() -> None:
    """Read and change settings (horizon, overrun factor, time zone, hourly value, ...)."""


@config.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def config_list(state: State, as_json: bool) -> None:
    """Show every setting with its value."""
    settings = state.store().settings()
    if as_json:
        click.echo(json.dumps(settings.model_dump(), indent=2))
        return
    table = Table(box=None, header_style="bold")
    table.add_column("Key")
    table.add_column("Value")
    table.add_column("Meaning", overflow="fold")
    for key, value in settings.model_dump().items():
        table.add_row(key, "" if value is None else str(value), SETTING_HELP.get(key, ""))
    console().print(table)


@config.command("get")
@click.argument("key")
@pass_state
def config_get(state: State, key: str) -> None:
    """Print one setting."""
    settings = state.store().settings()
    if key not in type(settings).model_fields:
        raise RoiError(f"unknown setting {key!r}; see `roi config list`")
    value = getattr(settings, key)
    click.echo("" if value is None else value)


@config.command("set")
@click.argument("key")
@click.argument("value")
@pass_state
def config_set(state: State, key: str, value: str) -> None:
    """Change one setting (an empty VALUE clears timezone or hourly_value)."""
    settings = state.store().set_setting(key, value)
    shown = getattr(settings, key)
    click.echo(f"{key} = {'' if shown is None else shown}")


# --- entry point --------------------------------------------------------------------------

from roi import cli_inventory  # noqa: E402  (registers task, step, plan, time, flags)

cli_inventory.register(cli)
# Commands that live with their own subsystems register here.
for _module in ("roi.importers.cli", "roi.report.cli", "roi.cli_planning"):
    try:
        __import__(_module)
    except ModuleNotFoundError as _exc:
        if not _module.startswith(str(_exc.name)):
            raise
    else:
        sys.modules[_module].register(cli)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; problems become one line on stderr and a non-zero exit, never a traceback."""
    err = console(stderr=True)
    try:
        cli.main(args=argv, prog_name="roi", standalone_mode=False)
    except RoiError as exc:
        err.print(Text(f"Error: {visible(str(exc))}"))
        sys.exit(1)
    except click.exceptions.Abort:
        err.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        err.print(Text(f"Error: {exc.format_message()}"))
        hint = getattr(exc, "ctx", None)
        if hint is not None:
            err.print(Text(f"See `{hint.command_path} --help`.", style="dim"))
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except sqlite3.OperationalError as exc:
        err.print(Text(f"Error: the database could not be used: {exc}"))
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("ROI_DEBUG"):
            raise
        err.print(Text(f"Error: internal error ({type(exc).__name__}: {exc}); set ROI_DEBUG=1 for details"))
        sys.exit(70)
