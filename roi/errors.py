"""The error a person can fix. On its own so that light processes (the import's reading
process) can raise it without loading the pydantic models."""


class RoiError(Exception):
    """A problem the person can fix; shown as one line, never as a traceback."""
