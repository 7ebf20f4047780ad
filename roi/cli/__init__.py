"""The `roi` command: the group, its error boundary (`main`), and the one list of commands.

Each command lives in the module of its concern and is imported only when it runs (see
`COMMANDS` and roi.cli.lazy), so `roi rank` loads neither the importers nor the report
renderers, and no command imports Textual: only `roi` (no command) and `roi demo` open
the TUI, and they import it inside the function that starts it.
"""

from __future__ import annotations

import os
import sqlite3
import sys

import click
from rich.text import Text

from roi.cli.console import console
from roi.cli.lazy import LazyGroup
from roi.cli.state import State, open_tui
from roi.db.store import ENV_VAR
from roi.models import RoiError
from roi.textsafe import visible

__all__ = ["COMMANDS", "cli", "console", "main"]

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
}


@click.group(
    cls=LazyGroup, lazy_subcommands=COMMANDS, context_settings=CONTEXT_SETTINGS,
    invoke_without_command=True,
)
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
    state = State(db)
    ctx.obj = state
    ctx.call_on_close(state.close)
    if ctx.invoked_subcommand is None:
        open_tui(state.store())


def _error(message: str) -> None:
    """One line on stderr, never wrapped (a pipe or a log keeps it whole)."""
    console(stderr=True).print(Text(visible(message)), soft_wrap=True)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; problems become one line on stderr and a non-zero exit, never a traceback."""
    try:
        cli.main(args=argv, prog_name="roi", standalone_mode=False)
    except RoiError as exc:
        _error(f"Error: {exc}")
        sys.exit(1)
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
    except sqlite3.OperationalError as exc:
        _error(f"Error: the database could not be used: {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        _error("Interrupted.")
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # a bug: still one line, unless debugging
        if os.environ.get("ROI_DEBUG"):
            raise
        _error(f"Error: internal error ({type(exc).__name__}: {exc}); set ROI_DEBUG=1 for details")
        sys.exit(70)
