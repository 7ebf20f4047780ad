"""Where the shipped data lives (`seeds/` in a checkout, `roi/_seeds` inside the wheel), and
how a person's own data file beside it (flag rules, templates) is read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def seed_path(name: str) -> Path:
    """Path of a shipped seed file such as 'flags.toml' or 'demo.toml'."""
    for folder in (_PACKAGE / "_seeds", _PACKAGE.parent / "seeds"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"seed file {name!r} is missing from this installation")


def read_own_file(path: Path, refuse: Callable[[str], Exception]) -> str:
    """The UTF-8 text of a person's own data file; `refuse(problem)` makes the one-line
    error for one that is a folder, cannot be read, or is not UTF-8."""
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise refuse("is a folder, not a file") from None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"is not UTF-8 text (byte {exc.start + 1})") from None


def own_file_stamp(path: Path, refuse: Callable[[str], Exception]) -> int | None:
    """When a person's own data file last changed (ns), None when there is none: the key
    under which its parsed contents are cached, so an edit is read at the next use."""
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise refuse(f"cannot be read ({exc.strerror or exc})") from None
