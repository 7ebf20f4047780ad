"""Where the shipped data lives: `seeds/` in a checkout, `roi/_seeds` inside the wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def seed_path(name: str) -> Path:
    """Path of a shipped seed file such as 'flags.toml' or 'demo.toml'."""
    for folder in (_PACKAGE / "_seeds", _PACKAGE.parent / "seeds"):
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"seed file {name!r} is missing from this installation")
