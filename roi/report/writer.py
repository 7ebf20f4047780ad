"""Atomic writes: a temporary file in the target's folder, fsync, then os.replace, so an
interrupted report never leaves half a file (the old file stays until the new one is whole).
A new report is private to its owner (0600); an existing one keeps its mode."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path

from roi.models import RoiError

NEW_FILE_MODE = 0o600  # a report shows what a person does all week: theirs to share


def _mode_for(target: Path) -> int:
    """An existing report keeps its mode; a new one is private (0600)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return NEW_FILE_MODE


def atomic_write(path: str | os.PathLike[str], text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically and return the path."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise RoiError(f"{str(target)!r} is a folder; give a file name for the report")
    folder = target.parent
    if not folder.is_dir():
        raise RoiError(f"cannot write {str(target)!r}: the folder {str(folder)!r} does not exist")
    data = text.encode("utf-8")
    try:
        fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise RoiError(f"cannot write {str(target)!r}: {exc.strerror}") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, OSError):
            raise RoiError(f"cannot write {str(target)!r}: {exc.strerror}") from None
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable where supported
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    return target
