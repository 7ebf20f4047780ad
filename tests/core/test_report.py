"""The report: literal text in every format, CSV formula neutralising, atomic writes,
the CLI, totals and money, Monte Carlo figures, and a 10,000-task inventory."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from roi.db.store import Store
from roi.models import Plan, Step, Task
from roi.ranking import Uncertainty
from roi.report import FORMATS, build_report, render, write_report
from roi.report import writer as writer_module
from roi.report.render_csv import neutralise
from roi.report.render_md import esc
from roi.report.render_text import wrap

TODAY = date(2026, 11, 28)

HOSTILE = [
    "[bold red]x[/]",
    "tty \x1b[31mred\x1b[0m \x1b]0;owned\x07 bell",
    '=HYPERLINK("http://evil.example/?q=1","click me")',
    "+SUM(1,2)",
    "@cmd",
    "<script>alert(1)</script>",
    "pipe | in *the* name_with `code` & [link](x)",
    "-2+3 minus",
    "\tTabbed start",
]


def add_hostile(store: Store) -> None:
    for n, name in enumerate(HOSTILE):
        store.add_task(Task(
            name=name,
            category="other",
            per_week=2 + n,
            steps=[Step(name=f"step {name}", minutes=10 + n, automation=0.8, overhead=1)],
            plan=Plan(build_hours=1 + n * 4),
        ))


@pytest.fixture
def hostile_store(demo_store: Store) -> Store:
    add_hostile(demo_store)
    return demo_store


def report_of(store: Store, **options):
    return build_report(store, today=TODAY, **options)


# --- literal text -----------------------------------------------------------------------


def test_text_shows_hostile_names_literally(hostile_store: Store) -> None:
    text = render(report_of(hostile_store), "text")
    assert "\x1b" not in text and "\x07" not in text
    assert "\\x1b[31mred\\x1b[0m" in text  # the escape is shown, not run
    flat = re.sub(r"\s+", " ", text)
    for name in ("[bold red]x[/]", "+SUM(1,2)", "@cmd", "<script>alert(1)</script>",
                 '=HYPERLINK("http://evil.example/?q=1","click me")'):
        assert name in flat
    assert all(len(line) <= 80 for line in text.splitlines())


def test_text_on_a_colour_terminal_keeps_markup_literal(hostile_store: Store) -> None:
    from roi.report.render_text import make_console, print_report

    buffer = io.StringIO()
    print_report(report_of(hostile_store, top=13), make_console(buffer, color=True))
    out = buffer.getvalue()
    assert "\x1b[1;32m" in out or "\x1b[32m" in out  # verdict colour is on
    assert "[bold red]x[/]" in out
    assert "\x1b[31mred" not in out  # the data's own escape never reaches the terminal
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert all(len(line) <= 80 for line in plain.splitlines())


def test_csv_neutralises_formulas_but_keeps_numbers(hostile_store: Store) -> None:
    text = render(report_of(hostile_store), "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    names = {row["task"] for row in rows}
    assert "'=HYPERLINK(\"http://evil.example/?q=1\",\"click me\")" in names
    assert "'+SUM(1,2)" in names
    assert "'@cmd" in names
    assert "'-2+3 minus" in names
    assert "[bold red]x[/]" in names and "<script>alert(1)</script>" in names
    number = re.compile(r"-?\d+(\.\d+)?")
    for row in rows:
        for key, cell in row.items():
            if number.fullmatch(cell):
                continue  # a real number, '-12.9' included, stays a number
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                pytest.fail(f"unneutralised cell {key}={cell!r}")
    assert any(row["net_hours"].startswith("-") for row in rows)
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2}|", row["break_even"]) for row in rows)


@pytest.mark.parametrize(("cell", "expected"), [
    ("=1+1", "'=1+1"), ("+1 (555)", "'+1 (555)"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("  =1", "'  =1"), ("-12.5", "-12.5"), ("+3", "+3"),
    ("1e5", "1e5"), ("plain", "plain"), ("", ""),
])
def test_neutralise(cell: str, expected: str) -> None:
    assert neutralise(cell) == expected


def test_html_escapes_everything_and_has_no_script(hostile_store: Store) -> None:
    page = render(report_of(hostile_store), "html")
    assert "<script" not in page.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page and "\x07" not in page
    assert "[bold red]x[/]" in page
    assert "=HYPERLINK(&quot;http://evil.example/?q=1&quot;,&quot;click me&quot;)" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "").replace(
        "http://evil.example", "")  # nothing fetched: the only URL is the SVG namespace
    assert "<svg" in page and "<table" in page
    assert re.search(r"\son\w+=", page) is None  # no event handlers


def test_markdown_table_stays_a_table(hostile_store: Store) -> None:
    text = render(report_of(hostile_store), "md")
    lines = text.splitlines()
    start = lines.index("## Ranking") + 2
    table = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        table.append(line)
    assert len(table) == 2 + 10 + len(HOSTILE)
    unescaped_pipes = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
    assert unescaped_pipes == {len(table[0].split(" | ")) + 1}
    assert re.search(r"(?<!\\)<", text) is None  # every '<' from the data is escaped
    assert "\\<script>alert(1)\\</script>" in text
    assert "\\[bold red\\]x\\[/\\]" in text
    assert "\x1b" not in text


def test_markdown_escape() -> None:
    assert esc("a|b*c_d`e<f>[g](h)&i$j~k\\") == "a\\|b\\*c\\_d\\`e\\<f>\\[g\\](h)\\&i\\$j\\~k\\\\"
    assert esc("line\nbreak") == "line\\\\nbreak"


def test_json_is_the_rank_contract_plus_assumptions(hostile_store: Store, roi) -> None:
    data = json.loads(render(report_of(hostile_store), "json"))
    assert data["schema_version"] == 1
    assert {"generated", "horizon_weeks", "tasks", "assumptions", "totals", "sources"} <= set(data)
    required = {"id", "name", "category", "rank", "weekly_hours_saved", "build_hours",
                "upkeep_hours_per_week", "payback_weeks", "break_even", "net_hours", "roi",
                "verdict", "flags"}
    for task in data["tasks"]:
        assert required <= set(task)
        assert task["verdict"] in ("automate", "maybe", "skip")
    names = {t["name"] for t in data["tasks"]}
    assert {n.strip() for n in HOSTILE} <= names  # JSON keeps the data exactly (as stored)
    assert [t["rank"] for t in data["tasks"]] == list(range(1, len(data["tasks"]) + 1))
    ranked = json.loads(roi("rank", "--json", db=Path(str(hostile_store.path))).stdout)
    assert [t["id"] for t in ranked["tasks"]] == [t["id"] for t in data["tasks"]]
    assert data["assumptions"]["overrun_factor"] == 1.0


# --- content --------------------------------------------------------------------------------


def test_totals_sentence_and_no_money_without_hourly_value(demo_store: Store) -> None:
    report = report_of(demo_store)
    t = report.totals
    assert t.automate == 5
    automate = [r for r in report.ranked if r.verdict == "automate"]
    assert t.build_cost_hours == pytest.approx(sum(r.outcome.build_cost for r in automate))
    text = render(report, "text")
    flat = re.sub(r"\s+", " ", text)
    assert "Automating the 5 tasks marked automate costs 24.3 hours to build" in flat
    assert "break-even on 2026-12-26" in flat
    for fmt in FORMATS:
        out = render(report, fmt)
        assert "$" not in out, fmt
    demo_store.set_setting("hourly_value", 50)
    flat = re.sub(r"\s+", " ", render(report_of(demo_store), "text"))
    assert "Hourly value $50 an hour" in flat and "worth $" in flat


def test_not_worth_section_says_why(demo_store: Store) -> None:
    text = render(report_of(demo_store), "text")
    section = text.split("Not worth automating (yet)")[1]
    flat = re.sub(r"\s+", " ", section)
    assert "- Email triage: flagged low-roi:email" in flat
    assert "- Expense receipts: never pays back" in flat
    assert "Video trimming" not in section


def test_measured_inputs_name_their_log(demo_store: Store) -> None:
    from tests.core.test_report_golden import log_entries

    starts = [date(2026, 10, d) for d in (1, 8, 15, 22)]
    from datetime import UTC, datetime

    log_entries(demo_store, "Candidate triage", "clockify.csv", "clockify",
                [datetime(d.year, d.month, d.day, 9, tzinfo=UTC) for d in starts], [1.5, 1.2, 1.4, 1.3])
    report = report_of(demo_store)
    flat = re.sub(r"\s+", " ", render(report, "text"))
    assert "clockify.csv (clockify file, 4 entries, 2026-10-01 to 2026-10-22)" in flat
    assert "Measured: frequency" in flat and "from clockify.csv, 4 entries 2026-10-01 to 2026-10-22" in flat
    assert "estimates for the other 9" in flat


def test_uncertainty_appears_when_informative(demo_store: Store) -> None:
    report = report_of(demo_store)
    report.ranked[0] = replace(report.ranked[0], uncertainty=Uncertainty(
        payback_probability=0.73, payback_weeks_p50=2.0, payback_weeks_p90=9.5,
        expected_net_hours=41.0, overrun_source="setting", samples=10_000))
    flat = re.sub(r"\s+", " ", render(report, "text"))
    assert ("The payback above is at the likely values. Over 10,000 draws of the ranges: 73% chance of "
            "paying back within the horizon; median payback 2 weeks, P90 9.5 weeks") in flat
    md = render(report, "md")
    assert "Chance to pay back" in md and "| 73% |" in md
    assert "Chance to<br>pay back" in render(report, "html")
    rows = list(csv.DictReader(io.StringIO(render(report, "csv"))))
    assert rows[0]["payback_probability"] == "0.73"
    assert json.loads(render(report, "json"))["tasks"][0]["payback_probability"] == 0.73


def test_top_and_by_net(demo_store: Store) -> None:
    report = report_of(demo_store, by="net", top=3)
    assert [r.rank for r in report.shown] == [1, 2, 3]
    assert report.shown[0].name == "Blog post pipeline"
    data = json.loads(render(report, "json"))
    assert len(data["tasks"]) == 3 and data["totals"]["tasks"] == 10
    assert len(list(csv.DictReader(io.StringIO(render(report, "csv"))))) == 3


def test_wrap_keeps_words_and_folds_long_ones() -> None:
    lines = wrap([("Name", "bold"), (": a reason that wraps", "")], 12)
    assert ["".join(t for t, _ in line) for line in lines] == ["Name: a", "reason that", "wraps"]
    lines = wrap([("x" * 25, "")], 10)
    assert ["".join(t for t, _ in line) for line in lines] == ["x" * 10, "x" * 10, "x" * 5]
    wide = wrap([("表" * 9, "")], 10)  # wide characters take two cells
    assert ["".join(t for t, _ in line) for line in wide] == ["表" * 5, "表" * 4]


# --- writing --------------------------------------------------------------------------------


def test_write_report_is_atomic(demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "report.html"
    target.write_text("the previous report\n")
    real_fsync = os.fsync

    def interrupted(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(writer_module.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_report(demo_store, target, "html", today=TODAY)
    assert target.read_text() == "the previous report\n"
    assert sorted(p.name for p in tmp_path.iterdir() if "report" in p.name) == ["report.html"]
    monkeypatch.setattr(writer_module.os, "fsync", real_fsync)
    path = write_report(demo_store, target, "html", today=TODAY)
    assert path == target and target.read_text().startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_write_report_keeps_mode_and_reports_bad_paths(demo_store: Store, tmp_path: Path) -> None:
    from roi.models import RoiError

    target = tmp_path / "r.csv"
    target.write_text("old")
    target.chmod(0o640)
    write_report(demo_store, target, "csv", today=TODAY)
    assert target.stat().st_mode & 0o777 == 0o640
    with pytest.raises(RoiError, match="does not exist"):
        write_report(demo_store, tmp_path / "missing" / "r.csv", "csv", today=TODAY)
    with pytest.raises(RoiError, match="is a folder"):
        write_report(demo_store, tmp_path, "csv", today=TODAY)
    with pytest.raises(RoiError, match="unknown report format"):
        write_report(demo_store, target, "pdf", today=TODAY)


# --- CLI --------------------------------------------------------------------------------------


def test_cli_report_formats_and_output(roi, tmp_path: Path) -> None:
    assert roi("seed", "demo").exit_code == 0
    result = roi("report")
    assert result.exit_code == 0
    assert result.stdout.startswith("Automation ROI report\nDate           2026-11-28")
    assert "\x1b[" not in result.stdout  # plain when piped
    out = tmp_path / "out.html"
    result = roi("report", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert "Wrote the html report (10 tasks)" in result.stderr
    assert out.read_text().startswith("<!DOCTYPE html>")
    result = roi("report", "--format", "md", "--top", "2", "--by", "net", "--horizon", "26")
    assert result.exit_code == 0 and "| 1 | Blog post pipeline |" in result.stdout
    assert "26 weeks" in result.stdout
    data = json.loads(roi("report", "-f", "json").stdout)
    assert data["generated"] == "2026-11-28T00:00:00Z"  # the frozen clock freezes the stamp


def test_cli_report_errors_are_one_line(roi, tmp_path: Path) -> None:
    result = roi("report", "-o", str(tmp_path / "nope" / "r.md"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: cannot write") and "Traceback" not in result.stderr
    result = roi("report", "--top", "0")
    assert result.exit_code == 2
    result = roi("report", "--format", "pdf")
    assert result.exit_code == 2


def test_cli_hostile_names_via_task_add(roi) -> None:
    for name in HOSTILE[:6]:
        assert roi("task", "add", name, "--per-week", "3").exit_code == 0
        assert roi("step", "add", name, "work", "--minutes", "12", "--automation", "0.8").exit_code == 0
        assert roi("plan", name, "--build-hours", "2").exit_code == 0
    text = roi("report").stdout
    assert "\x1b" not in text and "[bold red]x[/]" in text
    page = roi("report", "-f", "html").stdout
    assert "<script" not in page.lower()


# --- scale ------------------------------------------------------------------------------------


def test_thousands_of_tasks_render_in_every_format(tmp_path: Path) -> None:
    """An inventory far past anyone's (bench/report_bench.py times 10,000 tasks)."""
    TASKS = 2_500  # noqa: N806
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "report_bench", Path(__file__).resolve().parents[2] / "bench" / "report_bench.py")
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    build_inventory = bench.build_inventory

    db = tmp_path / "big.db"
    build_inventory(db, TASKS)
    store = Store.open(db)
    try:
        report = build_report(store, today=TODAY)
        assert len(report.ranked) == TASKS
        outputs = {fmt: render(report, fmt) for fmt in FORMATS}
        for out in outputs.values():
            assert f"Task {TASKS - 1:05d}" in out
        assert max(len(line) for line in outputs["text"].splitlines()) <= 80
        assert len(list(csv.DictReader(io.StringIO(outputs["csv"])))) == TASKS
        assert len(json.loads(outputs["json"])["tasks"]) == TASKS
        ranking_table = outputs["html"].split('<table class="ranking">')[1].split("</table>")[0]
        assert ranking_table.count("<tr>") == TASKS + 1
    finally:
        store.close()


def test_markdown_parses_as_tables_without_html(hostile_store: Store) -> None:
    """A real CommonMark + GFM-table parser (markdown-it-py, which Rich depends on) sees the
    ranking table with a row per task (and the roadmap's table after it), the hostile names
    as text, and no raw HTML anywhere."""
    from markdown_it import MarkdownIt

    text = render(report_of(hostile_store), "md")
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    tokens = parser.parse(text)
    types = [t.type for t in tokens]
    assert types.count("table_open") == 2  # the ranking, then the roadmap
    first_table = types[: types.index("table_close") + 1]
    assert first_table.count("tr_open") == 1 + 10 + len(HOSTILE)
    html = parser.render(text)
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "[bold red]x[/]" in html
    assert "<a " not in html and "<em>" not in html.split("<h2>How each")[0].split("<table>")[1]

    def inline_types(token_list):  # every inline child, recursively
        for t in token_list:
            yield t.type
            yield from inline_types(t.children or [])

    assert "html_inline" not in set(inline_types(tokens))
    assert "html_block" not in {t.type for t in tokens}
