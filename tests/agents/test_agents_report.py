"""The report's "Coding agents" section: in every format when sessions were imported,
absent otherwise; anyone's text escaped."""

from __future__ import annotations

import json
from pathlib import Path

from tests.agents.logs import claude_session

HOSTILE = "/w/<script>alert(1)</script>/[b]x[/b]"


def _with_sessions(roi, tmp_path: Path) -> None:
    roi("task", "add", "Bot", "--per-week", "2")
    roi("step", "add", "Bot", "do", "--minutes", "10")
    folder = tmp_path / "projects" / "-w"
    claude_session(folder, "s1", [0, 2, 4], cwd=HOSTILE, tokens=(1_000_000, 0, 0, 0))
    claude_session(folder, "s2", [0, 1], cwd=HOSTILE, model="mystery-9")
    assert roi("import", folder).exit_code == 0


def test_the_section_in_every_format(roi, tmp_path: Path):
    _with_sessions(roi, tmp_path)
    text = roi("report", "--format", "text").stdout
    assert "Coding agents" in text and "No price for model mystery-9" in " ".join(text.split())
    assert "[b]x[/b]" in text and all(len(line) <= 80 for line in text.splitlines())
    page = roi("report", "--format", "html").stdout
    assert '<section id="agents">' in page and "<script>alert" not in page and "&lt;script&gt;" in page
    md = roi("report", "--format", "md").stdout
    assert "## Coding agents" in md
    data = json.loads(roi("report", "--format", "json").stdout)["agents"]
    assert data["sessions"] == 2 and data["cost"] == 2 * 3.0 and data["unpriced_models"] == ["mystery-9"]
    assert data["rows"][0]["key"] == HOSTILE


def test_no_sessions_no_section(roi):
    roi("task", "add", "Bot", "--per-week", "2")
    assert "Coding agents" not in roi("report", "--format", "text").stdout
    assert "agents" not in json.loads(roi("report", "--format", "json").stdout)
