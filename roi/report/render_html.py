"""The HTML report: one self-contained page (inline CSS and SVG, no script, nothing
fetched), readable on screen and printable on A4 or Letter. Every string from the data
goes through `h()` (control characters made visible, then HTML-escaped)."""

from __future__ import annotations

from html import escape

from roi.ranking import RankedTask
from roi.report import common, svg
from roi.report.model import Report
from roi.textsafe import visible

CSS = """
:root { --ink: #1d232b; --muted: #5b6573; --rule: #d7dce2; --band: #f5f7f9;
        --automate: #0b6b3a; --maybe: #8a5a00; --skip: #a1262b; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.45;
       font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 66rem; margin: 0 auto; padding: 1.5rem 1.25rem 3rem; }
h1 { font-size: 1.6em; margin: 0 0 .25rem; }
h2 { font-size: 1.2em; margin: 2rem 0 .6rem; padding-bottom: .2rem; border-bottom: 2px solid var(--ink); }
p { margin: .4rem 0; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .75rem 0 0;
        font-size: .9em; }
.meta dt { font-weight: 600; color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.totals { font-size: 1.1em; background: var(--band); border-left: 4px solid var(--automate);
          padding: .6rem .9rem; margin: .6rem 0; }
.counts, .note { color: var(--muted); font-size: .9em; }
figure { margin: 1rem 0 0; }
svg.chart { width: 100%; height: auto; display: block; }
.legend { list-style: none; padding: 0; margin: .5rem 0 0; display: flex; flex-wrap: wrap; gap: .3rem 1.4rem;
          font-size: .9em; }
.legend li { display: flex; align-items: center; gap: .4rem; }
.swatch { flex: none; }
figcaption { color: var(--muted); font-size: .85em; margin-top: .4rem; }
table { border-collapse: collapse; width: 100%; font-size: .88em; font-variant-numeric: tabular-nums; }
th, td { padding: .3rem .45rem; border-bottom: 1px solid var(--rule); vertical-align: top; text-align: right; }
th { background: var(--band); border-bottom: 2px solid var(--ink); font-weight: 600; vertical-align: bottom; }
th.l, td.l { text-align: left; }
td.task { text-align: left; overflow-wrap: break-word; word-break: break-word; min-width: 10em; }
td.date { white-space: nowrap; text-align: left; }
td.nowrap { white-space: nowrap; }
td.neg { color: var(--skip); }
tbody tr:nth-child(even) { background: #fafbfc; }
.verdict { display: inline-block; padding: 0 .45rem; border-radius: .6rem; font-weight: 600; font-size: .8em;
           border: 1px solid currentColor; white-space: nowrap; }
.verdict.automate { color: var(--automate); background: #e6f4ec; }
.verdict.maybe { color: var(--maybe); background: #fdf3df; }
.verdict.skip { color: var(--skip); background: #fbe9ea; }
.verdict.needs-estimate { color: #6b3fa0; background: #f1eafa; }
.verdict.flagged { color: var(--maybe); background: #fdf3df; }
.verdict.live { color: #1f4e8c; background: #e8f0fa; }
svg.bars { width: 100%; max-width: 40rem; height: auto; display: block; }
.flag { color: var(--maybe); font-size: .78em; white-space: nowrap; }
ol.details { padding-left: 2rem; }
ol.details li { margin: 0 0 .8rem; }
.explain { margin: .1rem 0; }
.inputs { color: var(--muted); font-size: .9em; margin: .1rem 0; }
ul.flags li, ul.skips li { margin: 0 0 .6rem; }
code { font-size: .85em; background: var(--band); padding: 0 .2rem; border-radius: 3px; }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8em; }
@page { margin: 14mm 12mm; }
@media print {
  body { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  h2 { margin-top: 0; break-after: avoid; }
  section.first h2 { margin-top: 1.2em; }
  section { break-before: page; }
  section.first { break-before: auto; }
  thead { display: table-header-group; }
  tfoot { display: table-footer-group; }
  tr, li, figure, .totals { break-inside: avoid; }
  table { font-size: 8.5pt; }
  th, td { padding: .2rem .3rem; }
  .verdict, .totals, th, tbody tr { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def h(text: str) -> str:
    """Text from the data, shown literally."""
    return escape(visible(text), quote=True)


def _num(value: float, text: str) -> str:
    cls = ' class="neg"' if value < 0 else ""
    return f"<td{cls}>{h(text)}</td>"


def _verdict(verdict: str) -> str:
    return f'<span class="verdict {h(verdict)}">{h(verdict)}</span>'


def _table(report: Report) -> list[str]:
    money = bool(report.hourly_value)
    chance = any(common.informative(r) for r in report.shown)
    heads = [("#", ""), ("Task", "l"), ("Saved\nh/wk", ""), ("Build\nh", ""), ("Upkeep\nh/wk", ""),
             ("Payback", ""), ("Break-\neven", "l"), ("Net h", ""), ("ROI", ""), ("Verdict", "l")]
    if money:
        heads.append((f"Net {report.currency}", ""))
    if chance:
        heads.append(("Chance to\npay back", ""))
    out = ['<table class="ranking">', "<thead><tr>"]
    for label, cls in heads:
        attr = f' class="{cls}"' if cls else ""
        out.append(f'<th scope="col"{attr}>{"<br>".join(h(part) for part in label.split(chr(10)))}</th>')
    out += ["</tr></thead>", "<tbody>"]
    for r in report.shown:
        o = r.outcome
        fig = common.row_figures(r)
        flag = ' <span class="flag">&#9888; low-ROI flag</span>' if r.active_flags else ""
        cells = [
            f"<td>{r.rank}</td>",
            f'<td class="task">{h(r.name)}{flag}</td>',
            _num(o.weekly_hours_saved, fig["saved"]),
            f"<td>{h(fig['build'])}</td>",
            f"<td>{h(fig['upkeep'])}</td>",
            f'<td class="nowrap">{h(fig["payback_long"])}</td>',
            f'<td class="date">{h(fig["break_even"])}</td>',
            _num(o.net_hours, fig["net"]),
            _num(o.roi or 0.0, fig["roi"]),
            f'<td class="l">{_verdict(r.verdict)}</td>',
        ]
        if money and report.hourly_value and r.missing:
            cells.append("<td>-</td>")
        elif money and report.hourly_value:
            value = o.net_hours * report.hourly_value
            cells.append(_num(value, common.money(value, report.currency)))
        if chance:
            cells.append(f"<td>{h(common.chance_text(r))}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>"]
    return out


def _detail(r: RankedTask, report: Report) -> str:
    parts = [
        f"<li value=\"{r.rank}\"><p><strong>{h(r.name)}</strong> {_verdict(r.verdict)} "
        f"{h(r.verdict_reason)}</p>",
        f'<p class="explain">{h(r.explanation)}</p>',
        f'<p class="inputs">{h(common.inputs_summary(r, report.task_logs.get(r.id)))}</p>',
    ]
    for extra in common.extra_lines(r, report):
        parts.append(f'<p class="explain">{h(extra)}</p>')
    parts.append("</li>")
    return "".join(parts)


def _spent(report: Report) -> list[str]:
    """"Where the time goes": the intro, a bar chart of hours a week, the top rows with
    a sparkline of each one's weeks."""
    out = ['<section id="where-the-time-goes">', f"<h2>{h(common.SPENT)}</h2>",
           f"<p>{h(common.spent_intro(report))}</p>"]
    rows = report.spent_rows
    if report.spent is None or not rows:
        return [*out, "</section>"]
    out += ['<figure class="spent">', svg.weekly_bars(report.spent),
            f"<figcaption>Hours logged each week from {h(str(report.spent.since))}, every task and source."
            "</figcaption>", "</figure>",
            '<table class="spent">',
            '<thead><tr><th scope="col" class="l">Task</th><th scope="col">Hours</th><th scope="col">h/week</th>'
            '<th scope="col">Share</th><th scope="col" class="l">Weeks</th><th scope="col" class="l">State</th>'
            "</tr></thead>", "<tbody>"]
    for r in rows:
        name, hours, per_week, share, state = common.spent_cells(r)
        out.append(f'<tr><td class="task">{h(name)}</td><td>{h(hours)}</td><td>{h(per_week)}</td>'
                   f'<td>{h(share)}</td><td class="l">{svg.sparkline(r.weekly, r.name)}</td>'
                   f'<td class="l">{_verdict(state) if state else ""}</td></tr>')
    out += ["</tbody>", "</table>", "</section>"]
    return out


def render(report: Report) -> str:
    title = f"{common.TITLE} {report.today.isoformat()}"
    out = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="roi report">',
        f"<title>{h(title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<main>",
        '<section class="first" id="summary">',
        "<header>",
        f"<h1>{h(common.TITLE)}</h1>",
        '<dl class="meta">',
    ]
    for label, value in common.header_lines(report):
        out.append(f"<dt>{h(label)}</dt><dd>{h(value)}</dd>")
    out += ["</dl>", "</header>", "<h2>Summary</h2>",
            f'<p class="totals">{h(common.totals_sentence(report.totals, report.currency, report.horizon_weeks))}</p>',
            f'<p class="counts">{h(common.counts_sentence(report.totals))}</p>' if report.totals.tasks else ""]
    lines = svg.series(report)
    if lines:
        out += ['<figure class="payback">', svg.chart_svg(report, lines), '<ul class="legend">']
        for s in lines:
            r = s.task
            when = (f"break-even {common.date_text(r.break_even)}" if r.break_even
                    else "never breaks even")
            out.append(f"<li>{svg.swatch(s)}<span>{r.rank}. {h(r.name)} ({h(when)})</span></li>")
        out += ["</ul>",
                f"<figcaption>Cumulative net hours of the top {len(lines)} task"
                f"{'s' if len(lines) != 1 else ''}: each line starts at minus its build cost and "
                "climbs by its net weekly gain; the numbered circle is where it crosses zero "
                "(break-even).</figcaption>", "</figure>"]
    out.append("</section>")
    if report.ranked:
        out += _spent(report)
        if report.agents is not None:
            from roi.report import agents

            out += agents.html(report.agents)
        out += ['<section id="ranking">', "<h2>Ranking</h2>", *_table(report),
                '<p class="note">ROI = net hours over the horizon / build cost. Payback and '
                "break-even count from each plan's start date (today unless set).</p>", "</section>"]
        out += ['<section id="details">', "<h2>How each number was worked out</h2>", '<ol class="details">']
        out += [_detail(r, report) for r in report.shown]
        out += ["</ol>", "</section>"]
        if report.flagged:
            out += ['<section id="flags">', "<h2>Flags</h2>", '<ul class="flags">']
            for r in report.flagged:
                for f in r.flags:
                    state = " (dismissed)" if f.dismissed else ""
                    out.append(f"<li><strong>{h(r.name)}</strong> <code>{h(f.code)}</code>{h(state)}: "
                               f"{h(f.reason)}</li>")
            out += ["</ul>", "</section>"]
        if report.roadmap is not None:
            out += ['<section id="roadmap">', f"<h2>{h(common.ROADMAP)}</h2>",
                    f"<p>{h(common.roadmap_intro(report))}</p>"]
            rows = common.roadmap_rows(report)
            if rows:
                out += ['<table class="roadmap">',
                        '<thead><tr><th scope="col">#</th><th scope="col" class="l">Task</th>'
                        '<th scope="col">Build h</th><th scope="col" class="l">Start</th>'
                        '<th scope="col" class="l">Finish</th><th scope="col" class="l">Break-even</th>'
                        '<th scope="col">Net h by horizon</th></tr></thead>',
                        "<tbody>"]
                for item, (rank, name, build, start, finish, even, net) in zip(
                    common.roadmap_listed(report), rows, strict=True
                ):
                    out.append(f'<tr><td>{h(rank)}</td><td class="task">{h(name)}</td><td>{h(build)}</td>'
                               f'<td class="date">{h(start)}</td><td class="date">{h(finish)}</td>'
                               f'<td class="date">{h(even)}</td>{_num(item.hours_back_by_horizon, net)}</tr>')
                out += ["</tbody>", "</table>"]
            out.append("</section>")
        if report.needs_estimate:
            out += ['<section id="needs-estimate">', f"<h2>{h(common.NEEDS_ESTIMATE)}</h2>", '<ul class="skips">']
            out += [f"<li><strong>{h(r.name)}</strong>: {h(r.explanation)}</li>" for r in report.needs_estimate]
            out += ["</ul>", "</section>"]
        out += ['<section id="not-worth">', f"<h2>{h(common.NOT_WORTH)}</h2>"]
        if report.not_worth:
            out.append('<ul class="skips">')
            for r in report.not_worth:
                out.append(f"<li><strong>{h(r.name)}</strong>: {h(r.verdict_reason)}. "
                           f"{h(r.explanation)}</li>")
            out.append("</ul>")
        else:
            out.append("<p>Every listed task is worth automating or worth a closer look.</p>")
        out.append("</section>")
    out += [f"<footer>Made by roi on {h(report.today.isoformat())} from {h(report.database)}.</footer>",
            "</main>", "</body>", "</html>", ""]
    return "\n".join(out)
