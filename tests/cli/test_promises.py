"""The CLI keeps the README's promises: global options anywhere, steps addressed as
shown, tables in 80 columns, one-line errors, report formats from the file name, a
confirmed `task rm`, and a method document the clone really has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ok(r):
    assert r.exit_code == 0, r.output
    return r


# --- global options after the subcommand -----------------------------------------------------


def test_db_works_after_the_subcommand(roi, tmp_path):
    other = tmp_path / "other.db"
    ok(roi("task", "add", "Elsewhere", "--per-week", "2", "--db", str(other), db=None))
    ok(roi("step", "add", "Elsewhere", "s", "--db", str(other), "--minutes", "5", db=None))
    data = json.loads(ok(roi("rank", "--db", str(other), "--json", db=None)).stdout)
    assert [t["name"] for t in data["tasks"]] == ["Elsewhere"]
    assert json.loads(ok(roi("task", "list", f"--db={other}", "--json", db=None)).stdout)[0]["name"] == "Elsewhere"
    # the default database (ROI_DB) was not touched
    assert json.loads(ok(roi("task", "list", "--json", db=None)).stdout) == []


def test_a_later_db_wins_and_nothing_after_double_dash_moves(roi, tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    ok(roi("task", "add", "In b", "--db", str(b), db=a))
    assert json.loads(ok(roi("task", "list", "--json", db=b)).stdout)[0]["name"] == "In b"
    assert json.loads(ok(roi("task", "list", "--json", db=a)).stdout) == []
    ok(roi("task", "add", "--", "--db", db=a))  # a task named "--db"
    assert json.loads(ok(roi("task", "list", "--json", db=a)).stdout)[0]["name"] == "--db"


# --- steps are addressed as shown --------------------------------------------------------------


def test_steps_are_addressed_by_the_number_task_show_prints(roi):
    ok(roi("task", "add", "A"))
    for name in ("a1", "a2", "a3"):
        ok(roi("step", "add", "A", name, "--minutes", "1"))
    ok(roi("task", "add", "B"))
    for name in ("b1", "b2", "b3"):  # step ids 4, 5, 6: not their numbers in B
        ok(roi("step", "add", "B", name, "--minutes", "1"))
    shown = ok(roi("task", "show", "B")).stdout
    assert re.search(r"^\s*2\s+b2\b", shown, re.M)
    ok(roi("step", "edit", "B", "2", "--minutes", "7"))
    steps = json.loads(ok(roi("task", "show", "B", "--json")).stdout)["steps"]
    assert [(s["name"], s["estimated_minutes"]) for s in steps] == [("b1", 1), ("b2", 7), ("b3", 1)]
    ok(roi("step", "move", "B", "3", "--up"))
    steps = json.loads(ok(roi("task", "show", "B", "--json")).stdout)["steps"]
    assert [s["name"] for s in steps] == ["b1", "b3", "b2"]
    ok(roi("step", "rm", "B", "1", "--yes"))
    steps = json.loads(ok(roi("task", "show", "B", "--json")).stdout)["steps"]
    assert [s["name"] for s in steps] == ["b3", "b2"]
    ok(roi("step", "rm", "B", "b2", "--yes"))  # the name still works
    r = roi("step", "rm", "B", "5", "--yes")
    assert r.exit_code == 1 and "give its number 1 to 1 as `roi task show` numbers them, or its name" in r.stderr
    a_steps = json.loads(ok(roi("task", "show", "A", "--json")).stdout)["steps"]
    assert [s["name"] for s in a_steps] == ["a1", "a2", "a3"]  # A untouched


# --- tables fit 80 columns ---------------------------------------------------------------------


def test_tables_fit_80_columns_and_never_cut_a_number(roi, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    ok(roi("seed", "demo"))
    ok(roi("task", "add", "A rather long task name that keeps going well past any column", "-f", "150:200:300"))
    ok(roi("step", "add", "A rather long task name that keeps going well past any column", "s", "--minutes", "1000",
           "--overhead", "100:120:400"))
    ok(roi("plan", "A rather long task name that keeps going well past any column", "-b", "1000:2000:99999",
           "-u", "0.5"))
    outputs = [ok(roi(*args)).stdout for args in (
        ("rank", "--horizon", "100000"), ("rank", "--by", "confidence", "--horizon", "100000"),
        ("rank", "--explain"), ("task", "list"), ("task", "show", "Email triage"), ("config", "list"),
        ("roadmap",), ("xkcd",),
    )]
    for text in outputs:
        assert max(len(line) for line in text.splitlines()) <= 80, text
        assert not re.search(r"[\d,.]…", text), text  # a number cut to "22.…"
    assert re.search(r"\b\d{1,3}(,\d{3}){2,}\.\d\b", outputs[1])  # 293 million net hours, whole


# --- errors are one line when piped -------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ("step", "add", "T", "a step", "--minutes", "five and a half minutes, roughly, give or take"),
    ("rank", "--no-such-option"),
    ("task", "show", "a task name long enough that the error about it runs well past eighty columns"),
])
def test_an_error_is_one_line_when_piped(roi, args):
    roi("task", "add", "T")
    r = roi(*args)
    assert r.exit_code != 0
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), r.stderr


# --- report -o FILE ----------------------------------------------------------------------------


@pytest.mark.parametrize("name,start", [("r.md", "# "), ("r.html", "<!doctype html"), ("r.json", "{"),
                                         ("r.csv", "rank,"), ("r.txt", ""), ("r", "")])
def test_report_takes_its_format_from_the_extension(roi, tmp_path, name, start):
    ok(roi("seed", "demo"))
    out = tmp_path / name
    r = ok(roi("report", "-o", str(out)))
    text = out.read_text(encoding="utf-8")
    assert text.lower().startswith(start)
    fmt = {"r.md": "md", "r.html": "html", "r.json": "json", "r.csv": "csv"}.get(name, "text")
    assert f"Wrote the {fmt} report" in r.stderr


@pytest.mark.parametrize("args,needle", [
    (("-o", "x.pdf"), "cannot write a .pdf report; give a file ending in"),
    (("-o", "x.docx", "-f", "text"), "cannot write a .docx report"),
    (("-o", "x.html", "-f", "md"), "names the html format but --format says md"),
])
def test_report_refuses_a_file_it_cannot_write(roi, tmp_path, args, needle):
    ok(roi("seed", "demo"))
    args = tuple(str(tmp_path / a) if "." in a else a for a in args)
    r = roi("report", *args)
    assert r.exit_code == 1 and needle in r.stderr
    assert list(tmp_path.glob("x.*")) == []


# --- task rm asks first -------------------------------------------------------------------------


def names(roi) -> list[str]:
    return [t["name"] for t in json.loads(roi("task", "list", "--json").stdout)]


def test_task_rm_without_a_terminal_needs_yes(roi):
    ok(roi("task", "add", "Keep me"))
    r = roi("task", "rm", "Keep me")
    assert r.exit_code == 1
    assert "no terminal to confirm on; add --yes to remove it" in r.stderr
    assert names(roi) == ["Keep me"]
    ok(roi("task", "rm", "Keep me", "--yes"))
    assert names(roi) == []


def test_task_rm_asks_on_a_terminal(roi, monkeypatch):
    import importlib

    monkeypatch.setattr(importlib.import_module("roi.cli.console"), "at_terminal", lambda: True)
    ok(roi("task", "add", "Maybe"))
    ok(roi("step", "add", "Maybe", "s", "--minutes", "3"))
    r = roi("task", "rm", "Maybe", input="n\n")
    assert r.exit_code != 0 and "Remove task 1 'Maybe' with its 1 step(s), plan and time entries?" in r.stdout
    assert names(roi) == ["Maybe"]
    r = ok(roi("task", "rm", "Maybe", input="y\n"))
    assert "Removed task 1: Maybe" in r.stdout
    assert names(roi) == []


# --- the method is in the project ---------------------------------------------------------------


def test_the_readme_points_at_the_method_in_the_project():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../shared" not in readme
    assert "docs/METHOD.md" in readme
    method = (ROOT / "docs" / "METHOD.md").read_text(encoding="utf-8")
    for needle in ("a × m × (1 − p) − o", "xkcd 1205", "low-roi:email", "overrun", "LOW:LIKELY:HIGH",
                   "calibrat", "Dettmers"):
        assert needle in method, needle
    for link in re.findall(r"\]\(([^)#]+)\)", readme + method):  # relative links resolve
        if not link.startswith(("http://", "https://", "mailto:")):
            base = ROOT if link in readme else ROOT / "docs"
            assert (base / link).exists() or (ROOT / link).exists(), link


def test_nothing_is_removed_without_asking(roi, db_path, monkeypatch):
    """Every command that deletes asks on a terminal, and with no terminal to ask on
    refuses unless --yes says so."""
    import importlib

    ok(roi("task", "add", "Keep"))
    ok(roi("step", "add", "Keep", "s", "--minutes", "3"))
    ok(roi("time", "add", "Keep", "--minutes", "5"))
    entry = json.loads(ok(roi("time", "list", "--json")).stdout)["entries"][0]["id"]
    log = db_path.parent / "log.csv"
    log.write_text("Date,Minutes,Task\n2024-01-02,30,Imported\n")
    ok(roi("import", log))
    ok(roi("time", "start", "Keep"))
    for args in (["task", "rm", "Keep"], ["step", "rm", "Keep", "s"], ["time", "rm", str(entry)],
                 ["time", "cancel"], ["imports", "undo", "1"]):
        r = roi(*args)
        assert r.exit_code == 1 and "no terminal to confirm on; add --yes" in r.stderr, (args, r.output)
    monkeypatch.setattr(importlib.import_module("roi.cli.console"), "at_terminal", lambda: True)
    for args in (["step", "rm", "Keep", "s"], ["time", "cancel"], ["imports", "undo", "1"]):
        r = roi(*args, input="n\n")
        assert "Remove " in r.stdout and r.exit_code != 0, (args, r.output)
    assert sorted(names(roi)) == ["Imported", "Keep"]
    assert json.loads(ok(roi("task", "show", "Keep", "--json")).stdout)["steps"]
    assert json.loads(ok(roi("time", "status", "--json")).stdout)["running"]
    ok(roi("imports", "undo", "1", input="y\n"))
    assert names(roi) == ["Keep"]
