"""The report's "Where the time goes" section in every format, and its marks of figures
from a template, through `roi report`."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.cli.test_spent import write_toggl

HOSTILE = "<b>&amp;</b> [bold]x[/bold] | *y* \x1b[31m \u202eevil"


@pytest.fixture
def logged(roi, tmp_path: Path) -> None:
    assert roi("import", str(write_toggl(tmp_path))).exit_code == 0
    roi("task", "add", HOSTILE)
    roi("time", "add", HOSTILE, "--at", "2026-11-20 08:00", "--minutes", "20")
    roi("task", "add", "Never timed")
    assert roi("estimate", "Weekly report", "--like", "writing").exit_code == 0


def report(roi, fmt: str) -> str:
    r = roi("report", "-f", fmt)
    assert r.exit_code == 0, r.output
    return r.stdout


def test_text_and_markdown_list_the_top_rows(roi, logged) -> None:
    text = report(roi, "text")
    section = text.split("Where the time goes\n", 1)[1].split("\n\n", 1)[0]
    assert "From 2026-10-05 to 2026-11-28" in section and "1 task has no time logged" in " ".join(section.split())
    lines = section.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Task "))
    assert lines[header + 1].startswith("Weekly report") and lines[header + 2].startswith("Code review")
    assert "\\x1b[31m" in section and "\\u202eevil" in section and "\x1b" not in text
    assert "Never timed" not in section  # listed as missing in `roi spent`, counted here
    flat = " ".join(text.split())
    assert "Automation, overhead, failure rate and build hours from the writing template (until you change them)." in flat
    md = report(roi, "md")
    assert "## Where the time goes" in md and "| Task | Hours | h/week | Share | State |" in md
    assert r"\<b>\&amp;\</b> \[bold\]x\[/bold\] \| \*y\*" in md


def test_html_has_an_svg_chart_and_escapes_names(roi, logged) -> None:
    page = report(roi, "html")
    section = page.split('<section id="where-the-time-goes">', 1)[1].split("</section>", 1)[0]
    assert "<h2>Where the time goes</h2>" in section
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in section and "<b>&amp;</b>" not in section
    assert "\x1b" not in page and "\u202e" not in page
    svgs = [part.split("</svg>", 1)[0] + "</svg>" for part in section.split("<svg")[1:]]
    assert len(svgs) == 1 + 4  # the weekly bars and one sparkline a row
    for markup in svgs:
        ET.fromstring("<svg" + markup)  # well-formed, data escaped
    assert 'class="bars"' in svgs[0] and svgs[0].count("<rect") == 8  # 2026-10-05 .. 11-28: 8 weeks


def test_csv_and_json_carry_the_logged_hours(roi, logged) -> None:
    spent = json.loads(roi("spent", "--json").stdout)
    logged_hours = {row["name"]: row["hours"] for row in spent["rows"]}
    rows = {row["task"]: row for row in csv.DictReader(io.StringIO(report(roi, "csv")))}
    assert float(rows["Weekly report"]["logged_hours"]) == logged_hours["Weekly report"]
    assert rows["Never timed"]["logged_hours"] == ""  # unknown, not 0
    assert rows["Weekly report"]["from_template"] == (
        "automation=writing;build_hours=writing;failure_rate=writing;overhead_minutes=writing")
    data = json.loads(report(roi, "json"))
    section = data["where_the_time_goes"]
    assert {k: section[k] for k in ("since", "until", "total_hours")} == \
        {k: spent[k] for k in ("since", "until", "total_hours")}
    assert section["rows"] == spent["rows"][:10]
    assert sum(section["weekly_hours"]) == pytest.approx(spent["total_hours"], abs=1e-3)
    task = next(t for t in data["tasks"] if t["name"] == "Weekly report")
    assert task["from_template"]["build_hours"] == "writing"


def test_a_report_without_logged_time_says_so(roi) -> None:
    roi("task", "add", "Idea")
    text = report(roi, "text")
    assert "Where the time goes\nNo time logged yet" in text
    page = report(roi, "html")
    assert "No time logged yet" in page and 'class="bars"' not in page
