"""The wheel ships the seeds (demo and flag rules), so a non-editable install works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        capture_output=True, text=True,
    )
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here: {build.stderr.strip()[-300:]}")
    return next(out.glob("roi-*.whl"))


def test_wheel_contains_packages_and_seeds(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"roi/_seeds/demo.toml", "roi/_seeds/flags.toml", "roi/cli/__init__.py", "tui/app.py"} <= names
    entry = next(n for n in names if n.endswith("entry_points.txt"))
    assert "roi = roi.entry:main" in zipfile.ZipFile(wheel).read(entry).decode()


def test_installed_wheel_seeds_and_ranks_away_from_the_checkout(wheel: Path, tmp_path: Path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    db = tmp_path / "x.db"
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "-c", "import sys; from roi.cli import main; main(sys.argv[1:])", *args],
        capture_output=True, text=True, cwd=tmp_path, env=env,
    )
    where = run("--version")
    assert where.returncode == 0
    seeded = run("--db", str(db), "seed", "demo")
    assert seeded.returncode == 0, seeded.stderr
    ranked = run("--db", str(db), "rank", "--json")
    data = json.loads(ranked.stdout)
    codes = {f["code"] for t in data["tasks"] for f in t["flags"]}
    assert {"low-roi:email", "low-roi:calendar"} <= codes
    probe = subprocess.run([sys.executable, "-c", "import roi.seeds; print(roi.seeds.seed_path('demo.toml'))"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    assert str(site) in probe.stdout  # the seeds came from the wheel, not the checkout
