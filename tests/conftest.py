"""Shared fixtures: a fresh database per test, the demo inventory, a CLI runner, and the
real sample exports of ../shared/samples (tests that read them skip when it is absent)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import settings

from roi.db.store import Store
from roi.demo import seed_demo

ROOT = Path(__file__).resolve().parent.parent
SHARED_SAMPLES = ROOT.parent / "shared" / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TODAY = date(2026, 11, 28)


# Property tests draw the same examples on every run and every machine (derandomize), so
# a run is reproducible and CI cannot fail on an example no one has seen; set
# HYPOTHESIS_PROFILE=explore to draw new ones (and add what they find as a test).
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def pytest_configure(config: pytest.Config) -> None:
    """Where PYTHONDONTWRITEBYTECODE is set (this machine sets it), no run leaves bytecode
    behind, so every `roi` a test starts as a process (and every xdist worker) compiles all
    of roi from source first: about 0.2 s each time. The controller compiles roi and tui
    once, before the workers start (compileall skips what is up to date); reading the
    bytecode is still allowed, and a person's installed roi has its bytecode too."""
    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not hasattr(config, "workerinput"):
        import compileall

        for package in ("roi", "tui"):
            compileall.compile_dir(ROOT / package, quiet=1)


@pytest.hookimpl(hookwrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[None]:
    """pytest rewrites the asserts of every test module as it imports it, and keeps the
    result as bytecode only where bytecode may be written: under PYTHONDONTWRITEBYTECODE
    each worker rewrote all hundred test modules on every run, about 5 s of CPU each
    before its first test. While collecting, the rewritten modules (and the test helpers
    they import) are kept in __pycache__ (git ignores it); pytest writes them atomically,
    so two workers can, and it rewrites a module again when its source changes."""
    keep = sys.dont_write_bytecode
    sys.dont_write_bytecode = False
    try:
        yield
    finally:
        sys.dont_write_bytecode = keep


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads the developer's own data, flag rules or clock."""
    monkeypatch.setenv("ROI_DB", str(tmp_path / "env-default.db"))
    monkeypatch.setenv("ROI_FLAGS", str(tmp_path / "no-user-flags.toml"))
    monkeypatch.setenv("ROI_TODAY", TODAY.isoformat())
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ROI_DEBUG", raising=False)
    _no_animations(monkeypatch)


def _no_animations(monkeypatch: pytest.MonkeyPatch) -> None:
    """The apps the tests drive do not animate (as TEXTUAL_ANIMATIONS=none): a scroll or a
    fade then lands at once where it would end. Pilot waits for the animations after every
    key it presses, and the tests look at where things end, so the animations only cost
    time (about a tenth of the TUI tests' run). Textual reads the variable when it is first
    imported, which pytest-textual-snapshot does before this file: the constant each App
    copies is set too."""
    import textual.constants

    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    monkeypatch.setattr(textual.constants, "TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "roi.db"


@pytest.fixture
def store(db_path: Path):
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture
def demo_store(store: Store) -> Store:
    seed_demo(store)
    return store


@pytest.fixture
def samples() -> Path:
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is absent")
    return SHARED_SAMPLES


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def roi(db_path: Path):
    """Run `roi --db DB ARGS...` through the real entry point (errors included)."""
    from roi.cli import main

    def run(*args: str, input: str | None = None, db: Path | None = db_path) -> Result:
        runner = CliRunner()
        argv = (["--db", str(db)] if db is not None else []) + [str(a) for a in args]
        code = 0
        with runner.isolation(input=input) as streams:
            try:
                main(argv)
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
            out = streams[0].getvalue().decode("utf-8", "replace")
            err = streams[1].getvalue().decode("utf-8", "replace")
        return Result(code, out, err)

    return run
