"""Coding-agent sessions (imported from Claude Code and Codex logs with `roi import PATH`):
sessions, your active hours, tokens and cost, by project, task, model or week, with the
totals. `b` changes the grouping. Text from the logs (paths, model and task names) is
shown literally."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from roi.agents import BY, AgentRow, AgentSummary, By, summarize, unpriced_sentence
from roi.fmt import fmt
from tui.display import name_text
from tui.state import RankingChanged, RankingState
from tui.widgets.footer import Footer


def _money(row: AgentRow) -> str:
    text = "-" if row.cost is None else f"${row.cost:,.2f}"
    return text + (" +?" if row.unpriced_models else "")


class AgentsScreen(Screen[None]):
    """What the agent sessions took: hours of your time, tokens, money."""

    BINDINGS = [
        Binding("escape,q", "app.pop_screen", "Back", id="agents.back"),
        Binding("b", "next_grouping", "Group by", id="agents.by"),
    ]

    DEFAULT_CSS = """
    AgentsScreen #agents-summary { height: auto; padding: 0 1; }
    AgentsScreen #agents-table { height: 1fr; }
    """

    def __init__(self, state: RankingState, by: By = "project") -> None:
        super().__init__()
        self.state = state
        self.by: By = by
        self.summary: AgentSummary | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="agents-summary")
        yield DataTable(id="agents-table", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._draw()

    def on_ranking_changed(self, message: RankingChanged) -> None:
        self._draw()

    def action_next_grouping(self) -> None:
        self.by = BY[(BY.index(self.by) + 1) % len(BY)]
        self._draw()

    def _draw(self) -> None:
        self.sub_title = f"agent sessions by {self.by}"
        found = self.summary = summarize(self.state.store, by=self.by)
        t = found.total
        summary = Text()
        if not t.sessions:
            summary.append("No agent sessions yet. Import Claude Code or Codex logs with "
                           "`roi import ~/.claude/projects` or `roi import ~/.codex/sessions`.", style="dim")
        else:
            summary.append(f"{t.sessions:,} session{'s' if t.sessions != 1 else ''}, {fmt(t.active_hours, 2)} h of "
                           f"your active time, {t.tokens.total:,} tokens, ")
            summary.append("-" if t.cost is None else f"${t.cost:,.2f}")
            summary.append(" (money, never counted as hours).")
            if t.unpriced_models:
                summary.append("\n")
                summary.append_text(name_text(unpriced_sentence(t.unpriced_models), style="yellow", limit=2000))
        self.query_one("#agents-summary", Static).update(summary)
        table: DataTable[object] = self.query_one(DataTable)
        table.clear(columns=True)
        for label in (self.by.capitalize(), "Sessions", "Active h", "Input", "Output", "Cache write",
                      "Cache read", "Cost"):
            table.add_column(label, key=label)
        for i, row in enumerate([*found.rows, t] if t.sessions else []):
            u = row.tokens
            table.add_row(name_text(row.key, 48), str(row.sessions), fmt(row.active_hours, 2), f"{u.input:,}",
                          f"{u.output:,}", f"{u.cache_write:,}", f"{u.cache_read:,}", _money(row), key=str(i))
