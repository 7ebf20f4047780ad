"""The `roi` command: the group, its error boundary (`main`), and the one list of commands.

Each command lives in the module of its concern and is imported only when it runs (see
`COMMANDS` and roi.cli.lazy), so `roi rank` loads neither the importers nor the report
renderers, and no command imports Textual: only `roi` (no command) and `roi demo` open
the TUI, and they import it inside the function that starts it.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
import sys
from typing import NoReturn

import click

from roi.cli.lazy import LazyGroup
from roi.cli.state import State, open_tui
from roi.db.connection import ENV_VAR, DatabaseDamaged, database_error, default_path
from roi.errors import RoiError
from roi.textsafe import visible

__all__ = ["COMMANDS", "cli", "main"]

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}

# Every command of `roi`: name -> "module:attribute", imported on first use.
COMMANDS = {
    "task": "roi.cli.inventory:task",
    "step": "roi.cli.inventory:step",
    "plan": "roi.cli.inventory:plan",
    "time": "roi.cli.timing:time",
    "flags": "roi.cli.flags:flags",
    "rank": "roi.cli.ranking:rank",
    "xkcd": "roi.cli.ranking:xkcd",
    "calibrate": "roi.cli.planning:calibrate",
    "roadmap": "roi.cli.planning:roadmap",
    "config": "roi.cli.setup:config",
    "demo": "roi.cli.setup:demo",
    "seed": "roi.cli.setup:seed",
    "import": "roi.cli.imports:import_command",
    "imports": "roi.cli.imports:imports_group",
    "report": "roi.cli.report:report",
    "spent": "roi.cli.spent:spent",
    "estimate": "roi.cli.estimate:estimate",
    "doctor": "roi.cli.doctor:doctor",
    "agents": "roi.cli.agents:agents",
}


# What `roi --help` says of each command (their docstrings' first sentences: a test keeps
# them equal), so that listing the commands loads none of them.
SUMMARIES = {
    "task": "Add, list, show, edit and remove tasks.",
    "step": "Add, edit, reorder and remove the steps of a task.",
    "plan": "Set a task's build and upkeep estimate, record what the build really took, or say that the automation is live (recording the build does not: it may not be).",
    "time": "The stopwatch (time a task or step as you do it) and the log of time entries.",
    "flags": "Low-ROI flags: list the rules, dismiss or restore a flag on a task.",
    "rank": "Rank the tasks by what automating them gives back.",
    "xkcd": "The xkcd 1205 \"Is It Worth the Time?\" table, computed by roi's own arithmetic.",
    "calibrate": "How your build estimates err, and what automations really save.",
    "roadmap": "Schedule the automations worth building, in rank order, within a weekly budget.",
    "config": "Read and change settings (horizon, overrun factor, time zone, hourly value, ...).",
    "demo": "Load the demo inventory into its own demo database and open the app.",
    "seed": "Load shipped data into the current database.",
    "import": "Import a task log (Toggl, Clockify, Harvest, Timewarrior, Watson, ActivityWatch or a CSV/TSV of your own); FILE - reads standard input.",
    "imports": "Past imports: list them, show the rows one rejected, undo one (to import a file again with other options: re-importing the same file adds nothing until then).",
    "report": "Write the ranking report: assumptions, ranked table, each task's arithmetic, flags, what is not worth automating and why, and totals.",
    "spent": "Where the time goes: logged hours per task, step, source or category, a week and as a share, with each task's state.",
    "estimate": "Estimate a task as a whole in one step: one step of its measured minutes, its degree of automation, overhead and build hours, or a category template's.",
    "agents": "Coding-agent sessions: how many, your active hours in them, their tokens and cost.",
    "doctor": "Check the database: where it is, its schema, SQLite's integrity check and how many rows each table holds; for a damaged one, how to recover.",
}


@click.group(
    cls=LazyGroup, lazy_subcommands=COMMANDS, summaries=SUMMARIES, context_settings=CONTEXT_SETTINGS,
    invoke_without_command=True,
)
@click.option(
    "--db",
    metavar="PATH",
    envvar=ENV_VAR,
    help=f"Database file (default: roi.db in your data folder; also ${ENV_VAR}). Its folder must"
         " exist (see --create).",
)
@click.option(
    "--create", is_flag=True,
    help="Make the folder of a --db or $ROI_DB path that does not exist yet (without it, a"
         " mistyped path is refused instead of starting an empty inventory).",
)
@click.version_option(package_name="roi", prog_name="roi")
@click.pass_context
def cli(ctx: click.Context, db: str | None, create: bool) -> None:
    """Which recurring chores are worth handing to an agent, and which would cost more
    than they save. With no command, opens the terminal app.

    New database files (and reports) are private to you (mode 0600). `roi doctor`
    checks a database and says how to recover a damaged one."""
    state = State(db, create=create)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        open_tui(state.store())


def _error(message: str) -> None:
    """One line on stderr, never wrapped (a pipe or a log keeps it whole)."""
    from rich.text import Text  # here, not above: `roi --help` needs no Rich

    from roi.cli.console import console

    console(stderr=True).print(Text(visible(message)), soft_wrap=True)


def _damaged(exc: DatabaseDamaged) -> str:
    """The damaged-database sentence, with the `roi doctor` line that checks this file."""
    doctor = "roi doctor"
    if exc.path != str(default_path()):
        doctor = f"roi --db {shlex.quote(exc.path)} doctor"
    return str(exc).replace("`roi doctor`", f"`{doctor}`")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; problems become one line on stderr and a non-zero exit, never a traceback."""
    State.current = None
    try:
        cli.main(args=argv, prog_name="roi", standalone_mode=False)
    except DatabaseDamaged as exc:
        _error(f"Error: {_damaged(exc)}")
        sys.exit(exc.exit_code)
    except RoiError as exc:
        _error(f"Error: {exc}")
        sys.exit(getattr(exc, "exit_code", 1))
    except click.exceptions.Abort:
        _error("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        hint = getattr(exc, "ctx", None)
        see = f" (see `{hint.command_path} --help`)" if hint is not None else ""
        _error(f"Error: {exc.format_message()}{see}")
        sys.exit(exc.exit_code)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except sqlite3.Error as exc:
        if isinstance(exc, sqlite3.IntegrityError | sqlite3.ProgrammingError | sqlite3.InterfaceError):
            _internal(exc)  # a query roi got wrong, not the database's state
        state = State.current
        problem = database_error(exc, state.path if state is not None else None)
        store = state.opened if state is not None else None
        if store is not None and store.read_only is not None and not isinstance(problem, DatabaseDamaged):
            problem = RoiError(store.read_only)  # a write the schema check did not catch
        _error(f"Error: {_damaged(problem) if isinstance(problem, DatabaseDamaged) else problem}")
        sys.exit(getattr(problem, "exit_code", 1))
    except KeyboardInterrupt:
        _error("Interrupted.")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, unless debugging
        _internal(exc)


def _internal(exc: Exception) -> NoReturn:
    if os.environ.get("ROI_DEBUG"):
        raise exc
    _error(f"Error: internal error ({type(exc).__name__}: {exc}); set ROI_DEBUG=1 for details")
    sys.exit(70)
