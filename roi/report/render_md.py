"""The Markdown report: GitHub-flavoured, with every string from the data escaped so a
name can neither break a table (`|`) nor turn into markup, a link, HTML or math."""

from __future__ import annotations

import re

from roi.report import common
from roi.report.model import Report
from roi.textsafe import visible

# Characters with inline meaning in GFM (emphasis, code, links and images, HTML, entities,
# strikethrough, math, table cells) and the backslash itself. Data never starts a line
# here (every line begins with our own prefix), so block markers such as `#`, `-` or
# `1.` cannot take effect and are left readable.
_INLINE = re.compile(r"([\\`*_\[\]<|~&$])")  # a lone '>' is harmless once '<' is escaped


def esc(text: str) -> str:
    """Literal Markdown for one line of text from the data (safe inside a table cell)."""
    return _INLINE.sub(r"\\\1", visible(text))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def render(report: Report) -> str:
    out: list[str] = [f"# {common.TITLE}", ""]
    for label, value in common.header_lines(report):
        out.append(f"- **{label}:** {esc(value)}")
    out += ["", "## Summary", "", esc(common.totals_sentence(report.totals, report.currency,
                                                            report.horizon_weeks)),
            ""]
    if report.totals.tasks:
        out += [esc(common.counts_sentence(report.totals)), ""]
    if not report.ranked:
        return "\n".join(out)
    out += [f"## {common.SPENT}", "", esc(common.spent_intro(report)), ""]
    if report.spent_rows:
        out += [_row(["Task", "Hours", "h/week", "Share", "State"]), _row([":--", "--:", "--:", "--:", ":--"])]
        out += [_row([esc(name), h, per_week, share, state])
                for name, h, per_week, share, state in map(common.spent_cells, report.spent_rows)]
        out.append("")
    if report.agents is not None:
        from roi.report import agents

        out += agents.markdown(report.agents, esc)
    money = bool(report.hourly_value)
    chance = any(common.informative(r) for r in report.shown)
    header = ["#", "Task", "Saved h/wk", "Build h", "Upkeep h/wk", "Payback", "Break-even",
              "Net h", "ROI", "Verdict"]
    align = ["--:", ":--", "--:", "--:", "--:", "--:", ":--", "--:", "--:", ":--"]
    if money:
        header.append(f"Net {esc(report.currency)}")
        align.append("--:")
    if chance:
        header.append("Chance to pay back")
        align.append("--:")
    out += ["## Ranking", "", _row(header), _row(align)]
    for r in report.shown:
        o = r.outcome
        fig = common.row_figures(r)
        name = esc(r.name) + (" ⚠" if r.active_flags else "")
        cells = [str(r.rank), name, fig["saved"], fig["build"], fig["upkeep"], fig["payback_long"],
                 fig["break_even"], fig["net"], esc(fig["roi"]),
                 f"**{r.verdict}**" if r.verdict == "automate" else r.verdict]
        if money and report.hourly_value and r.missing:
            cells.append("-")
        elif money and report.hourly_value:
            cells.append(esc(common.money(o.net_hours * report.hourly_value, report.currency)))
        if chance:
            cells.append(common.chance_text(r))
        out.append(_row(cells))
    note = "⚠ = flagged low-ROI (see Flags). " if any(r.active_flags for r in report.shown) else ""
    note += "? = not estimated yet. " if report.needs_estimate else ""
    out += ["", note + "ROI = net hours over the horizon / build cost.", ""]
    out += ["## How each number was worked out", ""]
    for r in report.shown:
        out.append(f"{r.rank}. **{esc(r.name)}**: {r.verdict}, {esc(r.verdict_reason)}.  ")
        out.append(f"   {esc(r.explanation)}  ")
        lines = [common.inputs_summary(r, report.task_logs.get(r.id)), *common.extra_lines(r, report)]
        out.append("  \n".join(f"   *{esc(line)}*" if i == 0 else f"   {esc(line)}"
                                for i, line in enumerate(lines)))
    out.append("")
    if report.flagged:
        out += ["## Flags", ""]
        for r in report.flagged:
            for f in r.flags:
                out.append(f"- **{esc(r.name)}**: {esc(f.code)}" + (" (dismissed)" if f.dismissed else "")
                           + f": {esc(f.reason)}")
        out.append("")
    if report.roadmap is not None:
        out += [f"## {common.ROADMAP}", "", esc(common.roadmap_intro(report)), ""]
        rows = common.roadmap_rows(report)
        if rows:
            out += [_row(["#", "Task", "Build h", "Start", "Finish", "Break-even", "Net h by horizon"]),
                    _row(["--:", ":--", "--:", ":--", ":--", ":--", "--:"])]
            out += [_row([rank, esc(name), build, start, finish, even, net])
                    for rank, name, build, start, finish, even, net in rows]
            out.append("")
    if report.needs_estimate:
        out += [f"## {esc(common.NEEDS_ESTIMATE)}", ""]
        out += [f"- **{esc(r.name)}**: {esc(r.explanation)}" for r in report.needs_estimate]
        out.append("")
    out += [f"## {esc(common.NOT_WORTH)}", ""]
    if not report.not_worth:
        out.append("Every listed task is worth automating or worth a closer look.")
    for r in report.not_worth:
        out.append(f"- **{esc(r.name)}**: {esc(r.verdict_reason)}. {esc(r.explanation)}")
    out.append("")
    return "\n".join(out)
