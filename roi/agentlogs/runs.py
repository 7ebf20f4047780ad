"""What a live automation's agent sessions measure (`roi import PATH --runs TASK`): each
session is one occurrence; its active minutes are the person's overhead (asking, waiting,
checking), its token cost the running cost of that occurrence. Pure values: the ranking
reads them, the storage (roi.agents) makes them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgentRuns:
    """A task's `--runs` sessions, summed up.

    overhead_minutes: the median active minutes of a session (as manual minutes are the
    median of the log); cost_per_run: the mean token cost of the sessions whose every
    model has a price (US dollars; None when none has), so that cost_per_run x runs a
    week is what the runs cost a week. Money is never turned into hours here."""

    sessions: int
    overhead_minutes: float
    cost_per_run: float | None
    priced_sessions: int
    unpriced_models: tuple[str, ...] = ()
    currency: str = "USD"

    def used(self, min_samples: int) -> bool:
        """Whether there are enough sessions for the overhead to replace the estimate."""
        return self.sessions >= min_samples

    @property
    def source(self) -> str:
        return f"measured ({self.sessions} agent session{'s' if self.sessions != 1 else ''})"


def share(total: float, weights: list[float]) -> list[float]:
    """`total` split in proportion to the weights (evenly when they are all 0): a task's
    measured overhead spread over its steps by the share of the work each one automates."""
    if not weights:
        return []
    whole = sum(w for w in weights if w > 0)
    if whole <= 0:
        return [total / len(weights)] * len(weights)
    return [total * max(w, 0.0) / whole for w in weights]


def runs_sentence(runs: AgentRuns | None, used: bool, per_week: float) -> str:
    """What the task's agent runs measured, in words ('' without any): the overhead they
    give (or why not yet) and their running cost, which stays money."""
    if runs is None:
        return ""
    n = f"{runs.sessions} agent session{'s' if runs.sessions != 1 else ''}"
    minutes = f"{runs.overhead_minutes:.1f}".rstrip("0").rstrip(".")
    if used:
        text = f"overhead measured from {n} attached as its runs: {minutes} min of your time a run (the median)"
    else:
        text = f"{n} attached as its runs ({minutes} min a run): too few yet to replace the overhead estimate"
    if runs.cost_per_run is not None:
        text += (f"; running cost ${runs.cost_per_run:,.2f} a run, ${runs.cost_per_run * per_week:,.2f} a week "
                 "at list prices (money, not counted in the hours)")
    if runs.unpriced_models:
        names = ", ".join(runs.unpriced_models)
        text += f"; no price for model{'s' if len(runs.unpriced_models) != 1 else ''} {names}"
    return text + "."
