"""`roi time status`, fit for a status line: what it says, and a fast path for it.

A prompt or a tmux/polybar status line runs `roi time status` every few seconds, so it
must answer in about the time Python takes to start. `fast(argv)` (called by roi.entry
before the command line is loaded) answers it with sqlite3 alone: no click, rich or
pydantic, no migration and no write. Whenever it cannot be sure to answer as the full
command would (another option, no database yet, a schema this version would migrate or
did not make, any SQLite error) it returns None and the full command runs.

The words are made here once, for both paths: `describe` (text), `as_json`, and
`formatted` (`--format '{task} {step} {elapsed}'`; empty when nothing runs).
"""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path
from typing import Any

from roi.db.connection import ENV_VAR, default_path
from roi.db.stopwatch import RunningTimer, format_duration, running_if_current
from roi.textsafe import json_text, visible

FIELDS = ("task", "step", "elapsed", "minutes", "kind", "task_id", "step_id")
FORMAT_HELP = ("Print the timer in this form, e.g. '{task} {elapsed}' (fields: " + ", ".join(FIELDS)
               + "); nothing when no timer runs.")


def describe(timer: RunningTimer | None) -> str:
    if timer is None:
        return "The stopwatch is not running."
    what = timer.task_name + (f" / {timer.step_name}" if timer.step_name else "")
    return f"Timing {visible(what)}: {format_duration(timer.elapsed_seconds())} so far."


def as_json(timer: RunningTimer | None) -> str:
    data = None if timer is None else {
        "task_id": timer.task_id, "task": timer.task_name, "step_id": timer.step_id,
        "step": timer.step_name, "kind": timer.kind, "start": timer.start.isoformat(),
        "elapsed_seconds": round(timer.elapsed_seconds(), 1),
    }
    return json_text({"running": timer is not None, "timer": data}, indent=2)


def formatted(timer: RunningTimer | None, form: str) -> str:
    """The timer in the person's form; "" when none runs. Text from the data is escaped.
    Raises ValueError naming a field that does not exist (running or not)."""
    seconds = timer.elapsed_seconds() if timer is not None else 0.0
    values = {
        "task": visible(timer.task_name) if timer else "", "step": visible(timer.step_name or "") if timer else "",
        "elapsed": format_duration(seconds), "minutes": f"{seconds / 60:.0f}", "kind": timer.kind if timer else "",
        "task_id": timer.task_id if timer else "", "step_id": timer.step_id if timer and timer.step_id is not None else "",
    }
    try:
        text = form.format_map(values)
    except KeyError as exc:
        raise ValueError(f"--format has no field {exc.args[0]!r} (fields: {', '.join(FIELDS)})") from None
    except (ValueError, IndexError, AttributeError) as exc:
        raise ValueError(f"--format {form!r} is not a format ({exc})") from None
    return text if timer is not None else ""


def fast(argv: list[str]) -> int | None:
    """Answer `roi [--db PATH] time status [--json | --format F | --quiet]` with sqlite3
    alone and return the exit code; None when the full command must answer."""
    args = _parse(argv)
    if args is None:
        return None
    path, options = args
    try:
        timer = running_if_current(path)
    except (sqlite3.Error, OSError, ValueError):
        return None
    if timer is False:
        return None
    running = timer if isinstance(timer, RunningTimer) else None
    if "format" in options:
        try:
            text = formatted(running, options["format"])
        except ValueError:
            return None  # the full command says what is wrong with it
        if text:
            _write(text)
        return 0
    if options.get("quiet") and running is None:
        return 0
    _write(as_json(running) if options.get("json") else describe(running))
    return 0


def _parse(argv: list[str]) -> tuple[Path, dict[str, Any]] | None:
    db: str | None = None
    rest = list(argv)
    while rest and rest[0].startswith("--db"):
        if rest[0] == "--db" and len(rest) > 1:
            db, rest = rest[1], rest[2:]
        elif rest[0].startswith("--db="):
            db, rest = rest[0][5:], rest[1:]
        else:
            return None
    if rest[:2] != ["time", "status"]:
        return None
    options: dict[str, Any] = {}
    tail = rest[2:]
    while tail:
        arg = tail.pop(0)
        if arg == "--json":
            options["json"] = True
        elif arg in ("--quiet", "-q"):
            options["quiet"] = True
        elif arg == "--format" and tail:
            options["format"] = tail.pop(0)
        elif arg.startswith("--format="):
            options["format"] = arg[len("--format="):]
        else:
            return None  # --help, --db after the command, a typo: the full command
    if db is None and os.environ.get(ENV_VAR):
        db = os.environ[ENV_VAR]
    if db == ":memory:":
        return None
    return (Path(db).expanduser() if db else default_path()), options


def _write(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()
