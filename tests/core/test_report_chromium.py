"""The HTML report in a real browser: headless Chromium renders the table and the chart,
takes a screenshot and prints a PDF. Skipped when Chromium is not installed.

To look at the results yourself, keep them:  ROI_REPORT_SHOTS=/tmp/shots .venv/bin/pytest
tests/core/test_report_chromium.py  (then open /tmp/shots/report.png and report.pdf).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.report import build_report, render
from roi.report.model import frozen_generated
from tests.core.test_report import add_hostile
from tests.core.test_report_golden import TODAY, golden_inventory

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(BROWSER is None, reason="headless Chromium is not installed"),
]


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        str(BROWSER), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--hide-scrollbars", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture
def page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    store = Store.open(Path("roi.db"))
    try:
        golden_inventory(store)
        add_hostile(store)
        report = build_report(store, today=TODAY, generated=frozen_generated(TODAY))
        path = tmp_path / "report.html"
        path.write_text(render(report, "html"), "utf-8")
    finally:
        store.close()
    return path


def keep(path: Path) -> None:
    folder = os.environ.get("ROI_REPORT_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(folder) / path.name)


def test_chromium_renders_table_and_chart(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert dom.returncode == 0, dom.stderr[-2000:]
    html = dom.stdout
    assert re.search(r'<table class="ranking">', html)
    # the payback chart's five lines (the where-the-time-goes sparklines are thinner)
    assert html.count('stroke-width="2.5"') == 5 and "<circle" in html
    assert "<script" not in html.lower()  # the hostile name stayed text in the parsed page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    shot = tmp_path / "report.png"
    result = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1100,1500", page.as_uri())
    assert shot.exists(), result.stderr[-2000:]
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 30_000  # a page, not a blank
    keep(shot)


def test_chromium_prints_the_page(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    result = chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert pdf.exists(), result.stderr[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", data))
    assert pages >= 4  # a page break between sections: summary, ranking, details, flags...
    keep(pdf)
