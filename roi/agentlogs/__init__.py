"""Coding-agent session logs (Claude Code, Codex CLI) as measurements: when a session ran,
how much of it the person was active, which models it used and how many tokens of each
kind. Nothing of the prompts, code or tool output is kept.

- `parse`: one session file, streamed line by line, to a `SessionRead` (and its problems);
- `prices`: the price table (seeds/prices.toml and the person's own agents.toml);
- `runs`: what a task's `--runs` sessions measure (pure values the ranking reads);
- `load`: a file, a project folder or a whole tree into the database, attached to a task.

Importing this package imports none of them.
"""
