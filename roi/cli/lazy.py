"""Click's documented LazyGroup pattern: subcommands named as "module:attribute" and
imported on first use, so `roi rank` never loads the importers or the report renderers,
and `roi --help` lists them from their summaries without loading any.

The group's own options that take a value (`--db PATH`) may also come after the
subcommand, as the README promises (`roi rank --db X`): they are moved to the front
before click parses the line."""

from __future__ import annotations

import importlib
from typing import Any

import click


class LazyGroup(click.Group):
    def __init__(
        self, *args: Any, lazy_subcommands: dict[str, str] | None = None,
        summaries: dict[str, str] | None = None, **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = dict(lazy_subcommands or {})
        self.summaries = dict(summaries or {})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Click's command list, with a summary instead of loading a command that has one."""
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in self.summaries:
                rows.append((name, click.Command(name, help=self.summaries[name]).get_short_help_str(limit)))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, self.hoist_global_options(args))

    def hoist_global_options(self, args: list[str]) -> list[str]:
        """`rank --db X --json` -> `--db X rank --json`; nothing after a `--` moves, and a
        later `--db` still wins over an earlier one."""
        names = {
            opt
            for param in self.params
            if isinstance(param, click.Option) and not param.is_flag and not param.is_eager
            for opt in param.opts
            if opt.startswith("--")
        }
        front: list[str] = []
        rest: list[str] = []
        i = 0
        while i < len(args):
            arg = args[i]
            if arg == "--":
                rest.extend(args[i:])
                break
            if arg in names and i + 1 < len(args):
                front += [arg, args[i + 1]]
                i += 2
                continue
            if arg.split("=", 1)[0] in names and "=" in arg:
                front.append(arg)
            else:
                rest.append(arg)
            i += 1
        return front + rest

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy_subcommands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy_subcommands:
            return self._load(cmd_name)
        return super().get_command(ctx, cmd_name)

    def _load(self, cmd_name: str) -> click.Command:
        module_name, _, attribute = self.lazy_subcommands[cmd_name].partition(":")
        command = getattr(importlib.import_module(module_name), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.lazy_subcommands[cmd_name]} is not a click command")
        return command
