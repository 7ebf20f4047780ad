"""What the coding-agent sessions add up to: `roi agents` (sessions, active hours, tokens
and cost by project, task, model or week), the measured runs the ranking reads, and the
measured builds calibration reports.

Active hours leave out sub-agent (sidechain) sessions: they run while the person waits in
the parent session, whose time already counts; their tokens and cost do count. Costs are
US dollars from the price table (roi.agentlogs.prices), a figure of its own beside the
hours: never turned into hours. A model with no price is named in `unpriced_models` and
its tokens are left out of the cost, never counted as free.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, tzinfo
from typing import TYPE_CHECKING, Any, Literal

from roi.agentlogs.parse import Usage
from roi.agentlogs.runs import AgentRuns
from roi.db.agents import StoredSession, build_seconds, sessions
from roi.db.connection import Connection

if TYPE_CHECKING:
    from roi.agentlogs.prices import PriceTable

By = Literal["project", "task", "model", "week"]
BY: tuple[By, ...] = ("project", "task", "model", "week")
KINDS = ("input", "output", "cache_write", "cache_read")
CURRENCY = "USD"


@dataclass
class AgentRow:
    """One row of `roi agents` (or its totals)."""

    key: str
    sessions: int = 0
    active_hours: float = 0.0
    tokens: Usage = field(default_factory=Usage)
    cost: float | None = None
    unpriced_models: set[str] = field(default_factory=set)
    task: str | None = None
    role: str | None = None

    def add(self, active_s: float, usage: Usage, cost: float | None, unpriced: tuple[str, ...]) -> None:
        self.active_hours += active_s / 3600.0
        self.tokens.add(usage)
        if cost is not None:
            self.cost = (self.cost or 0.0) + cost
        elif usage.total == 0 and self.cost is None:
            self.cost = 0.0  # no tokens: nothing to pay, known
        self.unpriced_models.update(unpriced)


@dataclass(frozen=True)
class AgentSummary:
    by: By
    since: date | None
    total: AgentRow
    rows: list[AgentRow]
    prices_taken: tuple[str, ...]  # the dates the prices used were taken


def _local(tz: tzinfo | None) -> Callable[[datetime], date]:
    return lambda moment: moment.astimezone(tz).date()


def _merged(usage: dict[str, Usage]) -> Usage:
    whole = Usage()
    for u in usage.values():
        whole.add(u)
    return whole


def summarize(
    store: Connection, *, by: By = "project", since: date | None = None, tz: tzinfo | None = None,
    prices: PriceTable | None = None,
) -> AgentSummary:
    """Sessions started on or after `since` (a day in `tz`, default the system's zone),
    one row per project (working directory), task, model or ISO week."""
    from roi.agentlogs.prices import load_prices

    table = prices or load_prices()
    start = None if since is None else datetime.combine(since, time.min, tzinfo=tz).astimezone()
    day = _local(tz)
    rows: dict[str, AgentRow] = {}
    total = AgentRow("total", cost=None)
    used_prices: set[str] = set()
    for s in sessions(store, since=start):
        active = 0.0 if s.sidechain else s.active_s
        whole = _merged(s.usage)
        cost, unpriced = table.cost(s.usage)
        for model in s.usage:
            price = table.find(model)
            if price is not None and price.taken is not None:
                used_prices.add(price.taken.isoformat())
        total.sessions += 1
        total.add(active, whole, cost, unpriced)
        if by == "model":
            for model, used in (s.usage or {"(no tokens)": Usage()}).items():
                row = rows.setdefault(model, AgentRow(model))
                row.sessions += 1
                share = used.total / whole.total if whole.total else 1.0 / max(len(s.usage), 1)
                one, missing = table.cost({model: used})
                row.add(active * share, used, one, missing)
            continue
        key, task, role = _key(s, by, day)
        row = rows.setdefault(key, AgentRow(key, task=task, role=role))
        row.sessions += 1
        row.add(active, whole, cost, unpriced)
    ordered = sorted(rows.values(), key=lambda r: r.key) if by == "week" else \
        sorted(rows.values(), key=lambda r: (-r.active_hours, r.key))
    return AgentSummary(by, since, total, ordered, tuple(sorted(used_prices)))


def _key(s: StoredSession, by: By, day: Callable[[datetime], date]) -> tuple[str, str | None, str | None]:
    if by == "task":
        if s.task_name is None:
            return "(no task)", None, None
        return f"{s.task_name} ({s.role})", s.task_name, s.role
    if by == "week":
        if s.started is None:
            return "(no date)", None, None
        year, week, _ = day(s.started).isocalendar()
        return f"{year}-W{week:02d}", None, None
    return s.cwd or "(no working directory)", None, None


def _tokens(u: Usage) -> dict[str, int]:
    return {k: getattr(u, k) for k in KINDS}


def _row_json(r: AgentRow) -> dict[str, Any]:
    data: dict[str, Any] = {
        "key": r.key, "sessions": r.sessions, "active_hours": round(r.active_hours, 4),
        "tokens": _tokens(r.tokens), "cost": None if r.cost is None else round(r.cost, 8),
        "unpriced_models": sorted(r.unpriced_models),
    }
    if r.task is not None:
        data |= {"task": r.task, "role": r.role}
    return data


def summary_json(summary: AgentSummary) -> dict[str, Any]:
    """The `roi agents --json` object."""
    t = summary.total
    return {
        "sessions": t.sessions,
        "active_hours": round(t.active_hours, 4),
        "tokens": _tokens(t.tokens),
        "cost": None if t.cost is None else round(t.cost, 8),
        "currency": CURRENCY,
        "unpriced_models": sorted(t.unpriced_models),
        "by": summary.by,
        "since": summary.since.isoformat() if summary.since else None,
        "prices_taken": list(summary.prices_taken),
        "rows": [_row_json(r) for r in summary.rows],
    }


def unpriced_sentence(models: set[str] | tuple[str, ...] | list[str]) -> str:
    """'no price for model X' (their tokens are not in the cost), or ''."""
    if not models:
        return ""
    names = ", ".join(sorted(models))
    return f"no price for model{'s' if len(models) != 1 else ''} {names} (its tokens are not in the cost)"


def agent_runs(store: Connection, prices: PriceTable | None = None) -> dict[int, AgentRuns]:
    """Task id -> what its `--runs` sessions measure (sub-agent sessions are part of a
    run, not runs of their own, and are left out)."""
    mine: dict[int, list[StoredSession]] = {}
    for s in sessions(store, role="runs"):
        if s.task_id is not None and not s.sidechain:
            mine.setdefault(s.task_id, []).append(s)
    if not mine:
        return {}
    from roi.agentlogs.prices import load_prices

    table = prices or load_prices()
    found = {}
    for task_id, runs in mine.items():
        costs: list[float] = []
        unpriced: set[str] = set()
        for s in runs:
            cost, missing = table.cost(s.usage)
            unpriced.update(missing)
            if not missing:
                costs.append(cost or 0.0)
        found[task_id] = AgentRuns(
            sessions=len(runs), overhead_minutes=statistics.median(s.active_s / 60.0 for s in runs),
            cost_per_run=statistics.fmean(costs) if costs else None, priced_sessions=len(costs),
            unpriced_models=tuple(sorted(unpriced)), currency=CURRENCY,
        )
    return found


def measured_builds(store: Connection) -> dict[int, tuple[int, float]]:
    """Task id -> (agent sessions, active hours) attached as its build."""
    return {task: (n, seconds / 3600.0) for task, (n, seconds) in build_seconds(store).items()}



def build_source(store: Connection, task_id: int, actual_hours: float) -> str:
    """Where a finished build's actual hours came from: 'measured (N agent sessions)' when
    they are those sessions' active hours, '... and other recorded time' when more was
    recorded beside them (the stopwatch), else 'recorded' (typed)."""
    n, hours = measured_builds(store).get(task_id, (0, 0.0))
    if not n:
        return "recorded"
    sessions_word = f"{n} agent session{'s' if n != 1 else ''}"
    if abs(actual_hours - hours) < 1e-6:
        return f"measured ({sessions_word})"
    return f"measured ({sessions_word} and other recorded time)"
