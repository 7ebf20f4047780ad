"""The payback chart as inline SVG, drawn by hand: cumulative net hours over the horizon
for the best-ranked tasks, with each break-even point marked. No script, no fonts to
fetch, nothing from the data outside escaped text nodes."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from roi.ranking import RankedTask, fmt
from roi.report.model import Report
from roi.spent import Spent
from roi.textsafe import visible

# Okabe-Ito colours (distinguishable with colour-blindness), each with its own dash
# pattern so the lines stay apart on a black-and-white printout.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 2", "12 4", "1 2")

WIDTH, HEIGHT = 720, 340
LEFT, RIGHT, TOP, BOTTOM = 64, 18, 16, 52


@dataclass(frozen=True)
class Series:
    task: RankedTask
    color: str
    dash: str
    points: list[tuple[float, float]]  # (weeks from the report date, cumulative net hours)
    break_even_weeks: float | None  # weeks from the report date, when inside the horizon


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 times a power of ten) covering low..high."""
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high - 1e-9:
        ticks.append(round(value, 10))
    return ticks


def series(report: Report) -> list[Series]:
    out = []
    horizon = report.horizon_weeks
    for index, r in enumerate(report.charted):
        offset = (r.start_date - report.today).days / 7.0
        weeks, values = r.payback_curve(points=53)
        points = [(offset + w, v) for w, v in zip(weeks, values, strict=True)
                  if 0.0 <= offset + w <= horizon + 1e-9]
        if offset > 0:  # before the build starts nothing is spent or saved
            points.insert(0, (0.0, 0.0))
            points.insert(1, (offset, 0.0))
        pb = r.payback_weeks
        be = offset + pb if pb is not None and 0 <= offset + pb <= horizon else None
        out.append(Series(r, PALETTE[index % len(PALETTE)], DASHES[index % len(DASHES)], points, be))
    return out


def _n(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def chart_svg(report: Report, lines: list[Series] | None = None) -> str:
    """The chart as an <svg> element (a string of SVG markup, data escaped)."""
    lines = series(report) if lines is None else lines
    horizon = report.horizon_weeks
    values = [v for s in lines for _, v in s.points] or [0.0]
    y_ticks = nice_ticks(min(min(values), 0.0), max(max(values), 0.0))
    x_ticks = nice_ticks(0.0, horizon, 6)
    x_ticks = [t for t in x_ticks if t <= horizon + 1e-9]
    y0, y1 = y_ticks[0], y_ticks[-1]
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(weeks: float) -> float:
        return LEFT + pw * weeks / horizon

    def y(hours: float) -> float:
        return TOP + ph * (y1 - hours) / (y1 - y0)

    names = ", ".join(visible(s.task.name) for s in lines)
    out = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="chart-title chart-desc" font-family="inherit" font-size="12">',
        '<title id="chart-title">Cumulative net hours over the horizon</title>',
        f'<desc id="chart-desc">{escape(f"Payback curves of {names}: each line starts at minus its build cost and rises by its net weekly gain; a circle marks where it crosses zero (break-even).")}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{pw}" height="{ph}" fill="#fff" stroke="#d0d4da"/>',
    ]
    for t in y_ticks:
        cls = "zero" if t == 0 else "grid"
        stroke = ' stroke="#333" stroke-width="1.5"' if t == 0 else ' stroke="#e3e6ea"'
        out.append(f'<line class="{cls}" x1="{LEFT}" x2="{LEFT + pw}" y1="{_n(y(t))}" y2="{_n(y(t))}"{stroke}/>')
        out.append(f'<text x="{LEFT - 6}" y="{_n(y(t) + 4)}" text-anchor="end" fill="#444">{escape(f"{t:,.4g}")}</text>')
    for t in x_ticks:
        out.append(f'<line x1="{_n(x(t))}" x2="{_n(x(t))}" y1="{TOP}" y2="{TOP + ph}" stroke="#eef0f2"/>')
        out.append(f'<text x="{_n(x(t))}" y="{TOP + ph + 16}" text-anchor="middle" fill="#444">{escape(fmt(t))}</text>')
    out.append(f'<text x="{LEFT + pw / 2:.0f}" y="{HEIGHT - 8}" text-anchor="middle" fill="#222">'
               f'weeks from {escape(report.today.isoformat())}</text>')
    out.append(f'<text transform="translate(14 {TOP + ph / 2:.0f}) rotate(-90)" text-anchor="middle" '
               'fill="#222">cumulative net hours</text>')
    if y0 < 0 < y1:
        out.append(f'<text x="{LEFT + pw - 4}" y="{_n(y(0) - 5)}" text-anchor="end" fill="#333" '
                   'font-size="11">break-even line</text>')
    for s in lines:
        path = " ".join(f"{_n(x(a))},{_n(y(b))}" for a, b in s.points)
        dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
        out.append(f'<polyline points="{path}" fill="none" stroke="{s.color}" stroke-width="2.5"'
                   f'{dash} stroke-linejoin="round"><title>{escape(visible(s.task.name))}</title></polyline>')
    # Break-even points: a dot on the zero line, and the task's rank in a label above it.
    # Labels that would overlap climb one level each, with a leader line to their dot.
    marks = sorted((s for s in lines if s.break_even_weeks is not None),
                   key=lambda s: s.break_even_weeks or 0.0)
    levels: list[float] = []  # x of the last label on each level
    for s in marks:
        cx, cy = x(s.break_even_weeks or 0.0), y(0.0)
        level = next((i for i, last in enumerate(levels) if cx - last >= 24), len(levels))
        if level == len(levels):
            levels.append(cx)
        levels[level] = cx
        ly = cy - 22 - 20 * level
        if ly < TOP + 10:  # no room above: hang the labels below the line instead
            ly = cy + 22 + 20 * level
        name = escape(visible(s.task.name))
        when = escape(str(s.task.break_even))
        out.append(f'<g class="break-even"><title>{name}: break-even {when}</title>')
        out.append(f'<line x1="{_n(cx)}" y1="{_n(cy)}" x2="{_n(cx)}" y2="{_n(ly)}" stroke="{s.color}" stroke-width="1"/>')
        out.append(f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="4" fill="{s.color}" stroke="#fff" stroke-width="1"/>')
        out.append(f'<circle cx="{_n(cx)}" cy="{_n(ly)}" r="9" fill="#fff" stroke="{s.color}" stroke-width="2"/>')
        out.append(f'<text x="{_n(cx)}" y="{_n(ly + 4)}" text-anchor="middle" font-size="11" '
                   f'font-weight="bold" fill="#111">{s.task.rank}</text></g>')
    out.append("</svg>")
    return "\n".join(out)


def swatch(s: Series) -> str:
    dash = f' stroke-dasharray="{s.dash}"' if s.dash else ""
    return (f'<svg class="swatch" viewBox="0 0 36 12" width="36" height="12" aria-hidden="true">'
            f'<line x1="1" y1="6" x2="35" y2="6" stroke="{s.color}" stroke-width="3"{dash}/></svg>')


# --- where the time goes: hours a week --------------------------------------------------

BARS_WIDTH, BARS_HEIGHT, BARS_LEFT, BARS_BOTTOM = 560, 120, 40, 18


def weekly_bars(spent: Spent) -> str:
    """A small bar chart of the hours logged in each week of the period."""
    weeks = list(spent.weekly) or [0.0]
    top = nice_ticks(0.0, max(max(weeks), 0.1), 2)[-1]
    pw, ph = BARS_WIDTH - BARS_LEFT - 4, BARS_HEIGHT - BARS_BOTTOM - 6
    step = pw / len(weeks)
    since = escape(str(spent.since))
    out = [
        f'<svg class="bars" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BARS_WIDTH} {BARS_HEIGHT}" '
        f'role="img" aria-label="Hours logged each week from {since}" font-family="inherit" font-size="11">',
        f'<line x1="{BARS_LEFT}" x2="{BARS_LEFT + pw}" y1="{6 + ph}" y2="{6 + ph}" stroke="#333"/>',
        f'<text x="{BARS_LEFT - 4}" y="10" text-anchor="end" fill="#444">{escape(fmt(top))} h</text>',
        f'<text x="{BARS_LEFT - 4}" y="{6 + ph}" text-anchor="end" fill="#444">0</text>',
    ]
    for i, value in enumerate(weeks):
        height = ph * value / top if top else 0.0
        out.append(f'<rect x="{_n(BARS_LEFT + i * step + step * 0.1)}" y="{_n(6 + ph - height)}" '
                   f'width="{_n(max(step * 0.8, 0.5))}" height="{_n(height)}" fill="#0072B2">'
                   f'<title>week {i + 1}: {escape(fmt(value, 2))} h</title></rect>')
    out.append(f'<text x="{BARS_LEFT}" y="{BARS_HEIGHT - 4}" fill="#444">week 1</text>')
    out.append(f'<text x="{BARS_LEFT + pw}" y="{BARS_HEIGHT - 4}" text-anchor="end" fill="#444">'
               f'week {len(weeks)}</text>')
    out.append("</svg>")
    return "\n".join(out)


def sparkline(weekly: tuple[float, ...], name: str, width: int = 90, height: int = 18) -> str:
    """One row's hours a week as a small line (its name in the title, escaped)."""
    values = list(weekly) or [0.0]
    top = max(values) or 1.0
    step = width / max(len(values) - 1, 1)
    points = " ".join(f"{_n(i * step)},{_n(height - 1 - (height - 2) * v / top)}" for i, v in enumerate(values))
    return (f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
            f'aria-label="{escape(visible(name))}: hours each week">'
            f'<polyline points="{points}" fill="none" stroke="#0072B2" stroke-width="1.5"/></svg>')
