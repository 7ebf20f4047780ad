"""A format from another package, registered through the `roi.importers` entry-point
group, is detected and imported like a built-in one. The format is the README's own
example, so the README cannot drift from what works."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.importers import api, detect_format, run_import

README = Path(__file__).resolve().parents[2] / "README.md"
LOG = "MYTRACKER 1\n2024-03-04;09:00;30;Write the weekly report\n2024-03-05;10:00;15;Triage [b]mail[/b]\nnot a row\n"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    block = re.search(r"```python\n(# my_tracker\.py.*?)```", text, re.S)
    assert block, "the README's plugin example is gone"
    return block.group(1)


def install(site: Path, module: str, code: str, entry: str) -> None:
    """A package on sys.path with its distribution metadata, as pip would leave it."""
    (site / f"{module}.py").write_text(code, encoding="utf-8")
    info = site / f"{module}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {module}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[roi.importers]\n{entry}\n")


@pytest.fixture
def plugin_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    site = tmp_path / "site"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setattr(api, "_plugins_loaded", False)
    monkeypatch.setattr(api, "REGISTRY", dict(api.REGISTRY))
    monkeypatch.setattr(api, "PLUGIN_PROBLEMS", [])
    yield site
    importlib.invalidate_caches()


def test_the_readme_format_is_found_detected_and_imported(plugin_site: Path, store: Store, tmp_path: Path) -> None:
    install(plugin_site, "my_tracker", readme_example(), "mytracker = my_tracker:FORMAT")
    importlib.invalidate_caches()
    log = tmp_path / "week.log"
    log.write_text(LOG, encoding="utf-8")
    assert detect_format(log).format == "mytracker"
    s = run_import(store, log, tz="Europe/Berlin")
    assert (s.format, s.rows_read, s.imported, s.rejected, s.hours) == ("mytracker", 3, 2, 1, 0.75)
    assert s.errors[0][0] == 4 and "not a MYTRACKER row" in s.errors[0][1]
    starts = [r[0] for r in store.conn.execute("SELECT start FROM time_entry ORDER BY start")]
    assert starts == ["2024-03-04T08:00:00Z", "2024-03-05T09:00:00Z"]  # --tz: Berlin is UTC+1 in March
    assert sorted(s.tasks_created) == ["Triage [b]mail[/b]", "Write the weekly report"]
    again = run_import(store, log, tz="Europe/Berlin")
    assert (again.imported, again.duplicates) == (0, 2)


def test_the_cli_takes_a_plugin_format_by_name(plugin_site: Path, roi, tmp_path: Path) -> None:
    install(plugin_site, "my_tracker", readme_example(), "mytracker = my_tracker:FORMAT")
    importlib.invalidate_caches()
    log = tmp_path / "week.log"
    log.write_text(LOG, encoding="utf-8")
    r = roi("import", log, "--format", "mytracker", "--tz", "UTC", "--json")
    assert r.exit_code == 1, r.output  # one row rejected
    assert json.loads(r.stdout)["imported"] == 2
    r = roi("import", log, "--format", "nosuchformat")
    assert r.exit_code == 2 and "unknown format 'nosuchformat'" in r.stderr and "mytracker" in r.stderr


def test_a_broken_plugin_is_named_and_the_built_ins_still_work(plugin_site: Path, store: Store, tmp_path: Path) -> None:
    install(plugin_site, "broken_tracker", "raise ImportError('missing dependency')\n", "broken = broken_tracker:FORMAT")
    install(plugin_site, "odd_tracker", "FORMAT = 42\n", "odd = odd_tracker:FORMAT")
    importlib.invalidate_caches()
    log = tmp_path / "log.csv"
    log.write_text("date,task,minutes\n2024-03-04,Inbox,30\n")
    assert run_import(store, log, tz="UTC").imported == 1
    problems = " | ".join(api.PLUGIN_PROBLEMS)
    assert "'broken'" in problems and "missing dependency" in problems
    assert "'odd'" in problems and "not a format" in problems
