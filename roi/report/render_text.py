"""The text report: 80 columns, literal text, colour only on a terminal.

The report is laid out here as lines of styled pieces `(text, style)`; `render` joins the
pieces into plain text (for pipes, files, NO_COLOR and golden files) and `print_report`
turns each line into a `rich.text.Text` for a colour terminal. Data never becomes a
markup string: it is only ever the text of a piece, after `visible()` has made control
characters (terminal escapes, bells, carriage returns) visible, so `[bold]` stays
`[bold]` and ESC shows as `\\x1b`.

Why not rich.table.Table: Rich measures every cell of every row, which takes tens of
seconds for 10,000 tasks; this layout is linear and wraps by terminal cell width
(`rich.cells.cell_len`, so wide characters count double) the way Rich would.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from roi.ranking import RankedTask
from roi.report import common
from roi.report.model import Report
from roi.textsafe import visible

WIDTH = 80
VERDICT_STYLE = {"automate": "bold green", "maybe": "yellow", "skip": "red", "needs-estimate": "magenta"}

Piece = tuple[str, str]  # (text, style)
Line = list[Piece]

def _cells(text: str) -> int:
    """Terminal cells of a string (wide characters count two); ASCII is the fast path."""
    return len(text) if text.isascii() else cell_len(text)


def _fold(text: str, start: int, end: int, width: int, ascii_only: bool) -> list[tuple[int, int]]:
    """Cut text[start:end], a word wider than a line, into ranges that fit."""
    if ascii_only:
        return [(i, min(i + width, end)) for i in range(start, end, width)]
    ranges, begin, used = [], start, 0
    for i in range(start, end):
        w = cell_len(text[i])
        if used + w > width and i > begin:
            ranges.append((begin, i))
            begin, used = i, 0
        used += w
    ranges.append((begin, end))
    return ranges


_WORD = re.compile(r"[^ \n]+|\n")


def _wrap_ranges(text: str, width: int) -> list[tuple[int, int]]:
    """Greedy word wrap of plain text: (start, end) offsets of each line."""
    ascii_only = text.isascii()
    lines: list[tuple[int, int]] = []
    line_start = line_end = -1  # -1: the current line is empty
    used = 0
    for match in _WORD.finditer(text):
        a, b = match.span()
        if text[a] == "\n":
            lines.append((line_start, line_end) if line_start >= 0 else (a, a))
            line_start = line_end = -1
            used = 0
            continue
        size = b - a if ascii_only else cell_len(text[a:b])
        if line_start >= 0:
            gap = a - line_end
            if used + gap + size <= width:
                line_end = b
                used += gap + size
                continue
            lines.append((line_start, line_end))
            line_start = line_end = -1
            used = 0
        if size <= width:
            line_start, line_end, used = a, b, size
            continue
        chunks = _fold(text, a, b, width, ascii_only)
        lines.extend(chunks[:-1])
        line_start, line_end = chunks[-1]
        used = line_end - line_start if ascii_only else cell_len(text[line_start:line_end])
    if line_start >= 0 or not lines:
        lines.append((line_start, line_end) if line_start >= 0 else (0, 0))
    return lines


def wrap(pieces: Iterable[Piece], width: int) -> list[Line]:
    """Word-wrap styled pieces to `width` cells; '\\n' starts a new line. Words that run
    across pieces (a bold name followed by ':') are kept together, as Rich would."""
    pieces = list(pieces)
    text = "".join(t for t, _ in pieces)
    if len(pieces) == 1:
        style = pieces[0][1]
        return [[(text[a:b], style)] for a, b in _wrap_ranges(text, max(width, 1))]
    spans = []
    position = 0
    for part, style in pieces:
        spans.append((position, position + len(part), style))
        position += len(part)
    lines: list[Line] = []
    for a, b in _wrap_ranges(text, max(width, 1)):
        lines.append([(text[max(a, s):min(b, e)], style) for s, e, style in spans
                      if s < b and e > a and min(b, e) > max(a, s)])
    return lines


def _width(line: Line) -> int:
    return sum(_cells(t) for t, _ in line)


def _pad(line: Line, width: int, right: bool = False) -> Line:
    gap = width - _width(line)
    if gap <= 0:
        return line
    return [(" " * gap, ""), *line] if right else [*line, (" " * gap, "")]


def hanging(items: Iterable[tuple[Line, list[Piece]]], width: int, *, right: bool = True,
            marker_width: int | None = None) -> list[Line]:
    """A marker, then text whose wrapped lines stay indented under the text."""
    items = list(items)
    indent = marker_width if marker_width is not None else max((_width(m) for m, _ in items), default=0)
    out: list[Line] = []
    for marker, body in items:
        for n, line in enumerate(wrap(body, max(width - indent - 1, 20))):
            lead = _pad(marker, indent, right) if n == 0 else [(" " * indent, "")]
            out.append([*lead, (" ", ""), *line])
    return out


def _v(text: str) -> str:
    return visible(text)


# --- sections -------------------------------------------------------------------------

COLUMNS: tuple[tuple[tuple[str, str], bool], ...] = (  # (two header lines), right-justified
    (("", "#"), True),
    (("", "Task"), False),
    (("Saved", "h/wk"), True),
    (("Build", "h"), True),
    (("Upkeep", "h/wk"), True),
    (("", "Payback"), True),
    (("", "Break-even"), False),
    (("", "Net h"), True),
    (("", "ROI"), True),
    (("", "Verdict"), False),
)
TASK = 1
MIN_TASK_WIDTH = 10


def _row(r: RankedTask) -> list[Line]:
    f = common.row_figures(r)
    name: Line = [(_v(r.name), "")]
    if r.active_flags:
        name.append((" !", "yellow"))
    plain = [str(r.rank), "", f["saved"], f["build"], f["upkeep"], f["payback_short"],
             f["break_even"], f["net"], f["roi"]]
    cells: list[Line] = [[(p, "")] for p in plain]
    cells[TASK] = name
    cells.append([(r.verdict, VERDICT_STYLE.get(r.verdict, ""))])
    return cells


def ranking_table(report: Report, width: int) -> list[Line]:
    rows = [_row(r) for r in report.shown]
    columns = list(range(len(COLUMNS)))
    widths = [max(len(head[0]), len(head[1])) for head, _ in COLUMNS]
    for row in rows:
        for i, cell in enumerate(row):
            if i != TASK:
                widths[i] = max(widths[i], _width(cell))

    def fixed() -> int:
        return sum(widths[i] for i in columns if i != TASK) + len(columns) - 1

    # Very large numbers (or a needs-estimate verdict) can leave too little room for
    # names: drop the columns a reader misses least rather than run past the width:
    # the break-even date first (start + payback; the details say it), then upkeep
    # (without it, saved - upkeep = gain no longer adds up in the table).
    for droppable in (6, 4):
        if width - fixed() >= MIN_TASK_WIDTH:
            break
        columns.remove(droppable)
    longest = max((_width(row[TASK]) for row in rows), default=4)
    widths[TASK] = max(min(MIN_TASK_WIDTH, longest), min(longest, width - fixed()), 1)
    out: list[Line] = []
    for level in (0, 1):
        if not any(COLUMNS[i][0][level] for i in columns):
            continue
        line: Line = []
        for n, i in enumerate(columns):
            head, right = COLUMNS[i]
            if n:
                line.append((" ", ""))
            line.extend(_pad([(head[level], "bold")], widths[i], right))
        out.append(line)
    for row in rows:
        for k, part in enumerate(wrap(row[TASK], widths[TASK])):
            line = []
            for n, i in enumerate(columns):
                if n:
                    line.append((" ", ""))
                content = part if i == TASK else (row[i] if k == 0 else [])
                line.extend(_pad(content, widths[i], COLUMNS[i][1]))
            out.append(line)
    return out


def _detail(r: RankedTask, report: Report) -> list[Piece]:
    pieces: list[Piece] = [
        (_v(r.name), "bold"), (" - ", ""), (r.verdict, VERDICT_STYLE.get(r.verdict, "")),
        (": " + _v(r.verdict_reason), ""), ("\n" + _v(r.explanation), ""),
        ("\n" + _v(common.inputs_summary(r, report.task_logs.get(r.id))), "dim"),
    ]
    for extra in common.extra_lines(r, report):
        pieces.append(("\n" + _v(extra), ""))
    return pieces


def blocks(report: Report, width: int = WIDTH) -> list[list[Line]]:
    """The report as blocks of lines (a blank line between blocks)."""
    def heading(title: str) -> Line:
        return [(title, "bold underline")]

    header = [[(common.TITLE, "bold")]]
    labels = common.header_lines(report)
    label_width = max(len(label) for label, _ in labels)
    header += hanging((([(label, "bold")], [(_v(value), "")]) for label, value in labels),
                      width, right=False, marker_width=label_width)
    summary = [heading("Summary")]
    summary += wrap([(_v(common.totals_sentence(report.totals, report.currency,
                                                report.horizon_weeks)), "")], width)
    if report.totals.tasks:
        summary += wrap([(common.counts_sentence(report.totals), "")], width)
    out = [header, summary]
    if not report.ranked:
        return out
    out.append(spent_block(report, width))
    if report.agents is not None:
        from roi.report import agents

        lines = agents.text_lines(report.agents, width)
        out.append([[(lines[0], "bold underline")], *([(text, "")] for text in lines[1:])])
    table = [heading("Ranking"), *ranking_table(report, width)]
    note = "! = flagged low-ROI; " if any(r.active_flags for r in report.shown) else ""
    unknown = "? = not estimated yet; " if report.needs_estimate else ""
    table += wrap([(note + unknown + "payback in days (d) or weeks (wk); ROI = net hours / build cost "
                    "over the horizon.", "dim")], width)
    out.append(table)
    details = [heading("How each number was worked out")]
    details += hanging((([(f"{r.rank}.", "")], _detail(r, report)) for r in report.shown), width)
    out.append(details)
    if report.flagged:
        flags = [heading("Flags")]
        flags += hanging((
            ([("!", "yellow")], [(_v(r.name), "bold"), (" - " + common.flag_label(_v(f.code), f.dismissed)
                                                        + ": ", ""), (_v(f.reason), "dim")])
            for r in report.flagged for f in r.flags
        ), width)
        out.append(flags)
    if report.roadmap is not None:
        plan = [heading(common.ROADMAP)]
        plan += wrap([(_v(common.roadmap_intro(report)), "")], width)
        plan += hanging((
            ([(f"{rank}.", "")], [(_v(name), "bold"),
                                  (f": build {build} h from {start} to {finish}; break-even {even}; "
                                   f"{net} h net by the horizon", "")])
            for rank, name, build, start, finish, even, net in common.roadmap_rows(report)
        ), width)
        out.append(plan)
    if report.needs_estimate:
        pending = [heading(common.NEEDS_ESTIMATE)]
        pending += hanging((
            ([("?", "magenta")], [(_v(r.name), "bold"), (": " + _v(r.explanation), "")])
            for r in report.needs_estimate
        ), width)
        out.append(pending)
    skipped = [heading(common.NOT_WORTH)]
    if not report.not_worth:
        skipped += wrap([("Every listed task is worth automating or worth a closer look.", "")], width)
    else:
        skipped += hanging((
            ([("-", "")], [(_v(r.name), "bold"),
                           (": " + _v(r.verdict_reason) + ". " + _v(r.explanation), "")])
            for r in report.not_worth
        ), width)
    out.append(skipped)
    return out


def spent_block(report: Report, width: int) -> list[Line]:
    """"Where the time goes": the intro, then a table of the top rows."""
    block = [[(common.SPENT, "bold underline")]]
    block += wrap([(_v(common.spent_intro(report)), "")], width)
    rows = [common.spent_cells(r) for r in report.spent_rows]
    if not rows:
        return block
    heads = ("Task", "Hours", "h/week", "Share", "State")
    widths = [max(len(heads[i]), *(len(row[i]) for row in rows)) for i in range(1, 5)]
    name_width = max(width - sum(widths) - 4, MIN_TASK_WIDTH)
    name_width = min(name_width, max(4, *(_cells(_v(row[0])) for row in rows)))
    head: Line = _pad([(heads[0], "bold")], name_width)
    for i, w in enumerate(widths, start=1):
        head += [(" ", ""), *_pad([(heads[i], "bold")], w, i < 4)]
    block.append(head)
    for row, r in zip(rows, report.spent_rows, strict=True):
        for k, part in enumerate(wrap([(_v(row[0]), "")], name_width)):
            line: Line = _pad(part, name_width)
            for i, w in enumerate(widths, start=1):
                style = VERDICT_STYLE.get(r.state or "", "") if i == 4 else ""
                line += [(" ", ""), *_pad([(row[i], style)] if k == 0 else [], w, i < 4)]
            block.append(line)
    return block


def render(report: Report, width: int = WIDTH) -> str:
    """Plain text: no colour, no escape sequences, lines of at most `width` cells."""
    lines = []
    for n, block in enumerate(blocks(report, width)):
        if n:
            lines.append("")
        lines += ["".join(t for t, _ in line).rstrip() for line in block]
    return "\n".join(lines) + "\n"


def print_report(report: Report, console: Console) -> None:
    """The same lines on a Rich console, with styles (Rich drops them under NO_COLOR)."""
    for n, block in enumerate(blocks(report, min(console.width, WIDTH))):
        if n:
            console.print()
        text = Text("\n").join(Text.assemble(*line) for line in block)
        text.rstrip()
        console.print(text, soft_wrap=True)


def make_console(file: IO[str] | None = None, *, width: int = WIDTH, color: bool = False) -> Console:
    return Console(file=file, width=width, highlight=False, markup=False, emoji=False,
                   force_terminal=color, no_color=not color, color_system="standard" if color else None)
