"""The errors a person can fix, apart from the modules that raise them (no dependencies)."""


class RoiError(Exception):
    """A problem the person can fix; shown as one line, never as a traceback."""


class NotATaskLog(RoiError):
    """Unusable input to an import: not a task log, unreadable, or no recognisable
    columns (exit 2, nothing written)."""

    exit_code = 2


class RowError(ValueError):
    """One row of a task log cannot be used; the message names the field and the value."""
