"""The report's "Coding agents" section: the agent sessions imported from Claude Code and
Codex logs (roi.agents), by project, with your active hours, tokens and cost. Present
only when there are sessions, so a report without them is unchanged. Each format's
renderer takes its part from here (text lines, Markdown, HTML, JSON)."""

from __future__ import annotations

import html as _html
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from roi.textsafe import visible

if TYPE_CHECKING:
    from roi.agents import AgentRow, AgentSummary
    from roi.db.connection import Connection

TITLE = "Coding agents"
HEADS = ("Project", "Sessions", "Active h", "Tokens", "Cost")
TOP = 10


def section(store: Connection, timezone: str | None = None) -> AgentSummary | None:
    """The sessions by project, or None when there are none."""
    from roi.agents import summarize

    tz = None
    if timezone:
        from zoneinfo import ZoneInfo

        tz = ZoneInfo(timezone)
    found = summarize(store, by="project", tz=tz)
    return found if found.total.sessions else None


def _money(value: float | None) -> str:
    return "-" if value is None else f"${value:,.2f}"


def cells(r: AgentRow) -> tuple[str, str, str, str, str]:
    cost = _money(r.cost) + (" +?" if r.unpriced_models else "")
    return (r.key, f"{r.sessions:,}", f"{r.active_hours:,.2f}", f"{r.tokens.total:,}", cost)


def intro(s: AgentSummary) -> str:
    from roi.agents import unpriced_sentence

    t = s.total
    text = (f"{t.sessions:,} agent session{'s' if t.sessions != 1 else ''} imported from Claude Code and Codex "
            f"logs: {t.active_hours:,.2f} hours of your active time in them (gaps between events shorter than the "
            f"agent_idle_gap setting), {t.tokens.total:,} tokens, {_money(t.cost)} at list prices"
            + (f" of {', '.join(s.prices_taken)}" if s.prices_taken else "") + ".")
    if t.unpriced_models:
        sentence = unpriced_sentence(t.unpriced_models)
        text += " " + sentence[:1].upper() + sentence[1:] + "."
    more = len(s.rows) - TOP
    if more > 0:
        text += f" The {TOP} projects with the most active hours are listed ({more} more: `roi agents`)."
    return text + " The cost is money, shown beside the hours and never counted as hours."


def rows(s: AgentSummary) -> list[tuple[str, str, str, str, str]]:
    return [cells(r) for r in s.rows[:TOP]] + [cells(s.total)]


def text_lines(s: AgentSummary, width: int) -> list[str]:
    """Plain lines of at most `width` cells: the intro, then a table (a long project name
    folds onto lines of its own)."""
    out = [TITLE, *textwrap.wrap(visible(intro(s)), width)]
    table = rows(s)
    widths = [max(len(HEADS[i]), *(len(r[i]) for r in table)) for i in range(1, 5)]
    name = max(min(width - sum(widths) - 4, max(len(HEADS[0]), *(len(visible(r[0])) for r in table))), 8)

    def line(first: str, rest: tuple[str, ...]) -> str:
        return first.ljust(name) + "".join(" " + v.rjust(w) for v, w in zip(rest, widths, strict=True))

    out.append(line(HEADS[0], HEADS[1:]))
    for r in table:
        parts = textwrap.wrap(visible(r[0]), name, break_on_hyphens=False) or [""]
        for extra in parts[:-1]:
            out.append(extra)
        out.append(line(parts[-1], r[1:]))
    return out


def markdown(s: AgentSummary, esc: Callable[[str], str]) -> list[str]:
    def row(values: list[str]) -> str:
        return "| " + " | ".join(values) + " |"

    out = [f"## {TITLE}", "", esc(intro(s)), "", row(list(HEADS)), row([":--", "--:", "--:", "--:", "--:"])]
    out += [row([esc(r[0]), *r[1:]]) for r in rows(s)]
    return [*out, ""]


def html(s: AgentSummary) -> list[str]:
    def h(text: str) -> str:
        return _html.escape(visible(text))

    num = ' class="num"'
    out = ['<section id="agents">', f"<h2>{TITLE}</h2>", f"<p>{h(intro(s))}</p>", '<table class="agents">',
           "<thead><tr>" + "".join(f"<th{num if i else ''}>{h(c)}</th>" for i, c in enumerate(HEADS))
           + "</tr></thead>", "<tbody>"]
    for r in rows(s):
        out.append("<tr>" + "".join(f"<td{num if i else ''}>{h(c)}</td>" for i, c in enumerate(r)) + "</tr>")
    return [*out, "</tbody>", "</table>", "</section>"]


def json(s: AgentSummary) -> dict[str, Any]:
    from roi.agents import summary_json

    data = summary_json(s)
    data["rows"] = data["rows"][:TOP]
    return data
