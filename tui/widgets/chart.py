"""The payback curve: cumulative net hours over the horizon, break-even marked, with
round ticks (zero labelled), a line at the horizon, and a zoom to the break-even region."""

from __future__ import annotations

import math
from datetime import date

from rich.text import Text
from textual_plotext import PlotextPlot

from roi import payback
from roi.fmt import fmt, fmt_weeks
from roi.ranking import RankedTask
from tui.display import name_text

# plotext colour names, and the rich colour that looks the same for the legend.
PALETTE = (
    ("cyan", "cyan"),
    ("orange", "dark_orange"),
    ("green", "green"),
    ("magenta", "magenta"),
    ("blue", "blue"),
    ("red", "red"),
)


def nice_step(span: float, count: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) that cuts `span` into about `count`."""
    if not math.isfinite(span) or span <= 0:
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return float(factor * power)
    return float(10 * power)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round ticks covering low..high, always with 0 among them when the range holds it
    (or touches it), so the zero line is labelled."""
    low, high = min(low, 0.0, high), max(high, 0.0, low)
    if high - low < 1e-9:
        high = low + 1.0
    step = nice_step(high - low, count)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    ticks: list[float] = [round(i * step, 10) + 0.0 for i in range(first, last + 1)]
    return ticks


def tick_count(height: int) -> int:
    """How many y ticks a plot of this many lines can label without two on one line."""
    return max(2, (height - 4) // 3)


def tick_label(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == 0 else f"{value:g}"


def breakeven_window(tasks: list[RankedTask]) -> float | None:
    """The weeks the zoom shows: a bit past the latest break-even within the horizon."""
    weeks = [r.payback_weeks for r in tasks if r.payback_weeks is not None and r.payback_weeks <= r.horizon_weeks]
    if not weeks:
        return None
    return max(max(weeks) * 1.5, 1.0)


class PaybackChart(PlotextPlot):
    """Plots the given ranked tasks; names stay out of the plot (see `legend`)."""

    def show(self, tasks: list[RankedTask], points: int = 105, *, zoom: bool = False) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.xlabel("weeks from the start")
        plt.ylabel("net hours")
        horizon = max((r.horizon_weeks for r in tasks), default=52.0)
        end = horizon
        if zoom and (window := breakeven_window(tasks)) is not None:
            end = min(window, horizon)
        plt.xlim(0, end)
        low = high = 0.0
        marks: list[tuple[float, str]] = []
        for index, r in enumerate(tasks):
            colour = PALETTE[index % len(PALETTE)][0]
            weeks, hours = r.payback_curve(points)
            if zoom:  # the same curve (roi.payback), sampled over the zoomed weeks
                step = end / max(points - 1, 1)
                weeks = [i * step for i in range(points)]
                hours = payback.cumulative_net_hours(r.outcome.net_weekly_gain, r.outcome.build_cost, weeks)
            low, high = min(low, *hours), max(high, *hours)
            plt.plot(weeks, hours, color=colour, marker="braille")
            if r.payback_weeks is not None and r.payback_weeks <= end:
                marks.append((r.payback_weeks, colour))
        for weeks_to_even, colour in marks:  # after every line, so no line hides a mark
            plt.scatter([weeks_to_even], [0.0], color=colour, marker="◆")
        yticks = nice_ticks(low, high, tick_count(self.size.height or 20))
        plt.yticks(yticks, [tick_label(t) for t in yticks])
        plt.ylim(yticks[0], yticks[-1])
        xticks = [t for t in nice_ticks(0.0, end) if 0 <= t <= end]
        plt.xticks(xticks, [tick_label(t) for t in xticks])
        plt.hline(0.0, "gray")
        if end >= horizon:
            plt.vline(horizon, "gray")  # the horizon: net hours are counted up to here
        self.refresh()

    @staticmethod
    def legend(tasks: list[RankedTask], today: date | None = None, *, zoom: bool = False) -> Text:
        """One line per task (never wrapped: cut with an ellipsis), then what the marks mean."""
        text = Text(no_wrap=True, overflow="ellipsis")
        for index, r in enumerate(tasks):
            if index:
                text.append("\n")
            text.append("━━ ", style=PALETTE[index % len(PALETTE)][1])
            text.append_text(name_text(r.name, 40))
            if r.payback_weeks is None:
                text.append("  never pays back", style="dim")
            else:
                text.append(f"  ◆ {fmt_weeks(r.payback_weeks)}", style="dim")
                if r.break_even:
                    text.append(f" ({r.break_even.isoformat()})", style="dim")
            text.append(f"  net {fmt(r.net_hours)} h", style="dim")
        horizon = max((r.horizon_weeks for r in tasks), default=52.0)
        text.append("\n")
        starts = {r.start_date for r in tasks}
        when = "today" if today is not None and starts <= {today} else "each build's start"
        text.append(
            f"◆ break-even · 0 = {when} · │ {fmt(horizon)} wk = the horizon"
            + (" · z: whole horizon" if zoom else " · z: zoom to break-even"),
            style="italic dim",
        )
        return text
