"""The storage layer: the one place that opens SQLite and the only place with SQL.

- `store`: `open_database` (pragmas, WAL, migrations) and `Store`, the inventory's
  queries (tasks, steps, plans, settings, flags).
- `migrations`: the named schema migrations, oldest first.
- `timelog`: time entries, the stopwatch and the measurements made from the log.
- `imports`: what an import writes (its batch, entries, rejected rows) and its undo.

Everything above this layer calls named functions and gets named rows (dataclasses or
models) back; none of it builds SQL.
"""
