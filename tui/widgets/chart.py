"""The payback curve: cumulative net hours over the horizon, break-even marked."""

from __future__ import annotations

from rich.text import Text
from textual_plotext import PlotextPlot

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


class PaybackChart(PlotextPlot):
    """Plots the given ranked tasks; names stay out of the plot (see `legend`)."""

    def show(self, tasks: list[RankedTask], points: int = 105) -> None:
        plt = self.plt
        plt.clear_figure()
        plt.xlabel("weeks from the start")
        plt.ylabel("net hours")
        horizon = max((r.horizon_weeks for r in tasks), default=52.0)
        plt.xlim(0, horizon)
        plt.hline(0.0, "gray")
        for index, r in enumerate(tasks):
            colour = PALETTE[index % len(PALETTE)][0]
            weeks, hours = r.payback_curve(points)
            plt.plot(weeks, hours, color=colour, marker="braille")
            if r.payback_weeks is not None and r.payback_weeks <= horizon:
                plt.scatter([r.payback_weeks], [0.0], color=colour, marker="◆")
        self.refresh()

    @staticmethod
    def legend(tasks: list[RankedTask]) -> Text:
        text = Text()
        for index, r in enumerate(tasks):
            if index:
                text.append("\n")
            text.append("━━ ", style=PALETTE[index % len(PALETTE)][1])
            text.append_text(name_text(r.name, 40))
            if r.payback_weeks is None:
                text.append("  never pays back", style="dim")
            else:
                text.append(f"  ◆ break-even after {fmt_weeks(r.payback_weeks)}", style="dim")
                if r.break_even:
                    text.append(f" ({r.break_even.isoformat()})", style="dim")
            text.append(f"  · net {fmt(r.net_hours)} h at {fmt(r.horizon_weeks)} weeks", style="dim")
        return text
