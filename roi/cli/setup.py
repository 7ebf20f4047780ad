"""Setting up: `roi demo`, `roi seed demo` and `roi config list|get|set`."""

from __future__ import annotations

from pathlib import Path

import click
from rich.table import Table

from roi.cli.console import console
from roi.cli.ranking import print_ranking
from roi.cli.state import State, open_tui, pass_state
from roi.models import SETTING_HELP, RoiError
from roi.textsafe import json_text


def demo_path() -> Path:
    from roi.db.connection import data_dir

    return data_dir() / "demo.db"


@click.command()
@click.option("--reset", is_flag=True,
              help="Start from a fresh demo database (only ever a demo database: one `roi demo` made, or an empty file).")
@click.option("--no-open", is_flag=True, help="Load the demo and print the ranking instead of opening the app.")
@click.pass_context
def demo(ctx: click.Context, reset: bool, no_open: bool) -> None:
    """Load the demo inventory into its own demo database and open the app.

    Your own database is never touched; with --db the demo goes there instead, and
    --reset deletes that file only if it is a demo database or empty."""
    from roi.db.health import is_empty, mark_demo
    from roi.demo import seed_demo

    state: State = ctx.obj
    # Only an explicit --db redirects the demo: ROI_DB names the person's own inventory,
    # which the demo must never write into.
    explicit = ctx.parent is not None and ctx.parent.get_parameter_source("db") == click.core.ParameterSource.COMMANDLINE
    path = Path(state.db_path) if explicit and state.db_path else demo_path()
    if reset and path.exists():
        _reset_demo(path, own=not explicit)
    state.db_path = str(path)
    state.default_location = not explicit  # roi's own demo.db: its folder is made freely
    store = state.store()
    fresh = is_empty(store)
    seed_demo(store)
    if fresh or not explicit:
        mark_demo(store)
    if no_open:
        print_ranking(store, by="payback", horizon=None)
        click.echo(f"demo database: {path}", err=True)
        return
    open_tui(store)


def _reset_demo(path: Path, *, own: bool) -> None:
    """Delete the demo database at `path` (with its -wal and -shm), and nothing else: a
    --db file must be a demo database (marked by `roi demo`) or empty."""
    from roi.db.connection import shown
    from roi.db.health import database_kind

    if not own:
        kind = database_kind(path)
        if kind not in ("missing", "empty", "demo"):
            why = "cannot be read as one" if kind == "unreadable" else "holds data `roi demo` did not make"
            raise RoiError(
                f"not resetting {shown(path)}: it is not a demo database (it {why}); nothing was"
                " deleted (to start a demo there, give a new file name)"
            )
    for suffix in ("", "-wal", "-shm"):
        try:
            Path(str(path) + suffix).unlink(missing_ok=True)
        except OSError as exc:
            raise RoiError(f"cannot reset the demo database {shown(str(path) + suffix)}: {exc.strerror}") from None


@click.group()
def seed() -> None:
    """Load shipped data into the current database."""


@seed.command("demo")
@pass_state
def seed_demo_command(state: State) -> None:
    """Load the demo inventory (tasks already there by name are left alone)."""
    from roi.demo import seed_demo

    added = seed_demo(state.store())
    click.echo(f"Added {added} demo task{'s' if added != 1 else ''} to {state.path}.")


@click.group()
def config() -> None:
    """Read and change settings (horizon, overrun factor, time zone, hourly value, ...)."""


@config.command("list")
@click.option("--json", "as_json", is_flag=True)
@pass_state
def config_list(state: State, as_json: bool) -> None:
    """Show every setting with its value."""
    settings = state.store().settings()
    if as_json:
        click.echo(json_text(settings.model_dump(), indent=2))
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


@config.command("set", context_settings={"ignore_unknown_options": True})
@click.argument("key")
@click.argument("value")
@pass_state
def config_set(state: State, key: str, value: str) -> None:
    """Change one setting (an empty VALUE clears timezone, hourly_value or theme).

    \b
    Values take units where they have one:
      horizon_weeks 52 | 26w | 1y          overrun_factor 1.5 | 1.5x
      automate_within 0.25 | 25%           automate_probability 0.8 | 80%
      maybe_within 1 | 100% (up to 10)     build_budget_hours_per_week 4 | 4h/week | 1h/day
      currency $ | € | £ | EUR | CHF ...   theme one of the terminal app's themes
    A value that starts with a dash (-3) is read as a value, not an option."""
    from roi.quantities import parse_setting

    settings = state.store().set_setting(key, parse_setting(key, value))
    shown = getattr(settings, key)
    click.echo(f"{key} = {'' if shown is None else shown}")
