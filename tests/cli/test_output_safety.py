"""Every output is safe for every character (issue 15): a name or an imported description
holding a terminal escape (ESC[31m, the one-byte CSI U+009B, an OSC title), bidi
overrides and isolates (U+202E, U+2066..), a lone `[bold]`/`[/]` and 100,000 characters
goes through every command's text and --json output and every report format; no raw
control or bidi character reaches stdout, stderr or the file, every JSON loads back to
the original string, markup is shown literally, and nothing raises.
"""

from __future__ import annotations

import io
import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from roi.cli.console import console, safe_text
from roi.textsafe import UNSAFE, has_unsafe, json_text, visible

# What may never reach an output raw (newline and tab are checked separately).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
HOSTILE = ("Inv\x1b[31mred\x9b2J\u202eevil\u2066iso\u2069\u200f [bold]b[/] [/] "
           "\x1b]0;pwned\x07end\r")
_UNIT = HOSTILE.replace("\r", "") + " "
LONG = (_UNIT * (100_000 // len(_UNIT) + 1))[:100_000]
NAME = HOSTILE.replace("\r", "")  # a task name (stripped of the trailing \r by the CLI or not)
EMAIL = "Mail\u202e\x9b [/] inbox"


def _raw(text: str, *, allow: str = "\n") -> list[str]:
    return [repr(ch) for ch in RAW.findall(text) if ch not in allow]


def assert_safe(result: Any, what: str = "", *, allow: str = "\n") -> None:
    for name, text in (("stdout", result.stdout), ("stderr", result.stderr)):
        assert _raw(text, allow=allow) == [], f"{what}: raw control or bidi characters on {name}"
        assert "Traceback" not in text, f"{what}: a traceback on {name}"


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


# --- the escaping functions over arbitrary text ---------------------------------------

any_text = st.text() | st.lists(st.integers(0, 0x10FFFF)).map(lambda cs: "".join(map(chr, cs)))


@given(any_text)
@settings(max_examples=300, deadline=None)
def test_visible_leaves_no_control_or_bidi_character(text: str) -> None:
    assert UNSAFE.search(visible(text)) is None
    kept = visible(text, keep_newlines=True)
    assert has_unsafe(kept, newlines=True) is False
    assert set(RAW.findall(kept)) <= set()
    assert visible(kept, keep_newlines=True) == kept  # escaping is done once, not again


@given(any_text)
@settings(max_examples=300, deadline=None)
def test_json_text_escapes_and_round_trips(text: str) -> None:
    flat = json_text({"k": text, text: [text]})
    assert UNSAFE.search(flat) is None  # one line: not even a raw newline
    assert json.loads(flat) == {"k": text, text: [text]}
    indented = json_text([text, {"x": text}], indent=2)
    assert _raw(indented) == []
    assert json.loads(indented) == [text, {"x": text}]


def test_json_text_keeps_other_characters_readable() -> None:
    assert json_text({"name": "Café ☕ 日本 \u202e\x9b"}) == '{"name": "Café ☕ 日本 \\u202e\\u009b"}'
    assert json_text([1, None, 2.5], indent=None) == "[1, null, 2.5]"


def test_visible_escapes_each_kind() -> None:
    assert visible("a\x1b[31m\x9b\u202e\u2066\u200f\u061c\u2028\ud800\tb\n") == (
        "a\\x1b[31m\\x9b\\u202e\\u2066\\u200f\\u061c\\u2028\\ud800 b\\n")


# --- the console: whatever it is given ------------------------------------------------


def _console_output(*renderables: Any, color: bool) -> str:
    out = console(width=60)
    buffer = io.StringIO()
    out.file = buffer
    if color:
        out._force_terminal = True
        out._color_system = out._detect_color_system()
        out.no_color = False
    for r in renderables:
        out.print(r)
    return buffer.getvalue()


@pytest.mark.parametrize("color", [False, True])
def test_the_console_escapes_tables_texts_strings_and_unknown_renderables(color: bool) -> None:
    table = Table(title=NAME, caption=NAME)
    table.add_column(NAME)
    table.add_column("Hours")
    table.add_row(Text(NAME, style="bold"), "1.5")
    table.add_row(NAME, Text("2"))
    styled = Text.assemble(("lead ", "green"), (NAME, "red"))
    printed = _console_output(table, styled, NAME, Panel(NAME, title=Text(NAME)), color=color)
    for hostile in ("\x9b", "\u202e", "\u2066", "\u2069", "\u200f", "\x1b[31mred", "\x1b]0;pwned"):
        assert hostile not in printed
    assert "\\x1b[31mred\\x9b2J\\u202eevil\\u2066iso\\u2069" in printed
    assert "[bold]b[/] [/]" in printed  # markup shown, not interpreted
    if not color:
        assert _raw(printed) == []


def test_safe_text_keeps_styles_and_escapes_in_the_style_of_the_character() -> None:
    text = Text.assemble(("ok ", "green"), ("a\u202eb", "red"))
    safe = safe_text(text)
    assert safe.plain == "ok a\\u202eb"
    styles = [{str(s.style) for s in safe.spans if s.start <= i < s.end} for i in range(len(safe))]
    assert styles == [{"green"}] * 3 + [{"red"}] * 8
    plain = Text("nothing to do")
    assert safe_text(plain) is plain


# --- every command, text and --json ---------------------------------------------------


def _toggl(path: Path, descriptions: list[str]) -> Path:
    lines = ["Description,Start date,Start time,End date,End time,Duration"]
    for i, d in enumerate(descriptions):
        quoted = '"' + d.replace('"', '""') + '"'
        lines.append(f"{quoted},2026-11-{10 + i:02d},09:00:00,2026-11-{10 + i:02d},09:30:00,00:30:00")
    lines.append(f'"{NAME}",2026-11-31,09:00:00,2026-11-31,09:30:00,00:30:00')  # rejected: no such date
    lines.append(f'"{LONG}",2026-02-30,09:00:00,2026-02-30,09:30:00,00:30:00')  # rejected, 100k raw
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def hostile(roi, tmp_path: Path) -> dict[str, Any]:
    """A database whose names, notes, tags, steps, imports and file names are hostile."""
    steps = [
        ("task", "add", NAME, "--notes", LONG, "--tags", f"{NAME},x", "-f", "3"),
        ("task", "add", EMAIL, "--category", "email", "-f", "10"),
        ("step", "add", NAME, NAME, "--minutes", "10"),
        ("step", "add", EMAIL, NAME, "--minutes", "2"),
        ("plan", NAME, "--build-hours", "2"),
        ("plan", EMAIL, "--build-hours", "1", "--actual-build-hours", "3"),
        ("time", "add", NAME, "--minutes", "5", "--step", NAME),
    ]
    for args in steps:
        r = roi(*args)
        assert r.exit_code == 0, (args[:2], r.output[:500])
        assert_safe(r, " ".join(args[:2]))
    log = _toggl(tmp_path / f"log {NAME[:3]}\u202e\x9b[bold].csv", [NAME, NAME, EMAIL, LONG])
    first = roi("import", log, "--tz", "UTC")
    assert first.exit_code == 1, first.output[:500]  # two rows rejected, the good ones kept
    assert_safe(first, "import")
    again = roi("import", log, "--tz", "UTC", "--json", "--dry-run")
    assert_safe(again, "import --json")
    data = json.loads(again.stdout)
    assert data["errors"] and all(isinstance(e["reason"], str) for e in data["errors"])
    return {"log": log}


TEXT_COMMANDS = [
    ("rank",), ("rank", "--explain"), ("task", "list"), ("task", "show", NAME), ("task", "show", EMAIL),
    ("time", "list"), ("imports", "list"), ("imports", "show", "1"), ("flags", "list"),
    ("roadmap",), ("calibrate",), ("time", "start", NAME, "--step", NAME), ("time", "status"),
    ("time", "stop"), ("flags", "dismiss", EMAIL, "email"), ("flags", "restore", EMAIL, "email"),
    ("imports", "undo", "1", "--dry-run"), ("xkcd",), ("config", "list"),
]
JSON_COMMANDS = [
    ("rank", "--json"), ("task", "list", "--json"), ("task", "show", NAME, "--json"),
    ("time", "list", "--json"), ("time", "status", "--json"), ("imports", "list", "--json"),
    ("imports", "show", "1", "--json"), ("roadmap", "--json"), ("calibrate", "--json"),
    ("imports", "undo", "1", "--dry-run", "--json"), ("report", "-f", "json"),
]


def test_every_text_command_shows_hostile_text_escaped(roi, hostile: dict[str, Any]) -> None:
    seen_markup = False
    for args in TEXT_COMMANDS:
        r = roi(*args)
        assert r.exit_code in (0, 1), (args, r.output[:500])
        assert_safe(r, " ".join(args[:3]))
        seen_markup |= "[bold]b[/] [/]" in r.stdout
        if r.exit_code == 1:
            assert r.stderr.count("\n") == 1 and r.stderr.startswith("Error: "), (args, r.stderr[:300])
    assert seen_markup


def test_every_json_output_escapes_and_round_trips(roi, hostile: dict[str, Any]) -> None:
    found: set[str] = set()
    assert roi("time", "start", NAME, "--step", NAME).exit_code == 0  # for `time status --json`
    for args in JSON_COMMANDS:
        r = roi(*args)
        assert r.exit_code == 0, (args, r.output[:500])
        assert_safe(r, " ".join(args))
        assert "\\u202e" in r.stdout or "\\u009b" in r.stdout, args  # escaped, not dropped
        strings = _strings(json.loads(r.stdout))
        found |= {s for s in strings if s in (NAME, LONG, EMAIL, str(hostile["log"].resolve()))}
    assert found == {NAME, LONG, EMAIL, str(hostile["log"].resolve())}


@pytest.mark.parametrize("fmt", ["text", "md", "html", "csv", "json"])
def test_every_report_format_is_safe(roi, hostile: dict[str, Any], tmp_path: Path, fmt: str) -> None:
    allow = "\n\r" if fmt == "csv" else "\n"  # CSV ends its lines with \r\n
    shown = roi("report", "-f", fmt)
    assert shown.exit_code == 0, shown.output[:500]
    assert_safe(shown, f"report -f {fmt}", allow=allow)
    target = tmp_path / f"report.{fmt}"
    written = roi("report", "-f", fmt, "-o", target)
    assert written.exit_code == 0, written.output[:500]
    assert_safe(written, f"report -o {fmt}")
    body = target.read_bytes().decode("utf-8")
    assert _raw(body, allow=allow) == []
    assert body == shown.stdout
    if fmt == "json":
        assert {NAME, EMAIL} <= set(_strings(json.loads(body)))
    if fmt == "html":
        assert "<bold>" not in body and "[bold]b[/]" in body
        assert "\\u202e" in body
    if fmt == "md":
        assert "\\[bold\\]b\\[/\\]" in body  # literal in Markdown, not a link or markup
    if fmt == "csv":
        assert "\\x1b[31mred\\x9b" in body


def test_errors_about_hostile_text_are_one_escaped_line(roi, hostile: dict[str, Any], tmp_path: Path) -> None:
    cases = [
        ("task", "add", LONG),  # too long a name: the value is quoted back
        ("task", "show", NAME + "?"),  # no such task
        ("step", "add", NAME, LONG, "--minutes", "1"),
        ("import", tmp_path / f"missing {NAME}.csv"),
        ("task", "add", "x", "--category", NAME),
        ("plan", NAME, "--build-hours", NAME),
    ]
    for args in cases:
        r = roi(*args)
        assert r.exit_code in (1, 2), (args[:2], r.output[:300])
        assert_safe(r, " ".join(str(a)[:20] for a in args[:2]))
        assert r.stdout == ""
        assert r.stderr.startswith("Error: ") and r.stderr.count("\n") == 1, r.stderr[:300]


def test_imported_rows_and_file_names_come_out_escaped(roi, hostile: dict[str, Any]) -> None:
    shown = roi("imports", "show", "1")
    assert "line " in shown.stdout and "\\u202e" in shown.stdout
    assert_safe(shown, "imports show")
    data = json.loads(roi("imports", "show", "1", "--json").stdout)
    assert any((e["raw"] or "").startswith(LONG[:1000]) for e in data["errors"])  # the raw row is cut
    assert data["file"] == str(hostile["log"].resolve())


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_the_import_progress_bar_shows_a_hostile_file_name_literally(tmp_path: Path) -> None:
    """On a terminal the import draws a progress bar whose description is Rich markup:
    a file name with `[bold red]` must be shown, not taken as a style, and its control
    and bidi characters must not reach the terminal raw."""
    log = _toggl(tmp_path / f"[bold red]{NAME.replace('/', '')}.csv", [NAME])
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "roi.cli", "--db", str(tmp_path / "tty.db"), "import", str(log), "--tz", "UTC"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave, close_fds=True,
        env={**os.environ, "ROI_DEBUG": "", "COLUMNS": "200"},
    )
    os.close(slave)
    seen = b""
    try:
        while True:  # to the end of the terminal's output (the child exits on its own)
            ready, _, _ = select.select([master], [], [], 30)
            assert ready, f"no end of output: {seen[-300:]!r}"
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
        out = proc.stdout.read().decode() if proc.stdout else ""
        assert proc.wait(timeout=30) == 1  # two rows rejected
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
        os.close(master)
    terminal = seen.decode("utf-8", "replace")
    assert "Traceback" not in terminal and "MarkupError" not in terminal and "internal error" not in terminal
    assert "Importing [bold red]Inv\\x1b[31mred\\x9b2J\\u202e" in terminal  # the bar, literally
    for raw in ("\x9b", "\u202e", "\u2066", "\x1b[31mred", "\x1b]0;pwned"):
        assert raw not in terminal and raw not in out
    assert "Imported 1 of 3 rows" in out
