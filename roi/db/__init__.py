"""The storage layer: the one place that opens SQLite and the only place with SQL.

- `connection`: `open_database` (the one function that opens the database: pragmas, WAL,
  migrations, private new files, a newer schema opened read-only), `Connection` (write
  transactions, rows by column name), the wait budget for the write lock (`Waits`),
  SQLite's errors as one sentence naming the file (`database_error`), time helpers.
- `migrations`: the named schema migrations, oldest first.
- `store`: `Store`, the inventory's queries (tasks, steps, plans, settings, flag
  dismissals, finished builds), one column list per table.
- `measurements`: the measurement cache made from the time log.
- `timelog`: time entries, the stopwatch, and what the report and the calibration read
  from the log.
- `imports`: what an import writes (its batch, entries, rejected rows) and its undo.
- `health`: a database read without changing it: integrity, schema, row counts (`roi
  doctor`), and whether it is a demo database (`roi demo --reset`).

Modules depend downwards only: connection <- measurements <- store <- timelog. Everything
above this layer calls named functions and gets named rows (dataclasses or models) back;
none of it builds SQL.
"""
