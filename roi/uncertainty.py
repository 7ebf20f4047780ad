"""Monte Carlo over three-point estimates: how likely is an automation to pay back?

Distribution: every LOW:LIKELY:HIGH range is a **triangular** distribution (mean
(LOW + LIKELY + HIGH) / 3). It is sampled by its inverse CDF from one seeded stream of
uniform numbers, so the same seed gives the same figures, and widening a range's HIGH tail
moves every sample up or leaves it (never down): the payback probability cannot rise
when a build estimate gets more pessimistic.

The overrun factor is the `overrun_factor` setting, or, once the person has recorded at
least three finished builds, drawn from their own actual / estimated ratios
(evidence-based scheduling). Tasks whose inputs are all single values with a fixed
overrun are not sampled at all: their figures are the deterministic answer, exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roi.models import Range, Settings
from roi.ranking import RankedTask, Uncertainty, decide_verdict, explain, fmt, fmt_weeks

if TYPE_CHECKING:
    import numpy as np

CHUNK_ROWS = 256  # step rows per vectorised batch: bounds memory at ~20 MB per array


@dataclass(frozen=True)
class Overrun:
    """Where the overrun factor comes from: a fixed setting or the person's history."""

    factor: float
    ratios: tuple[float, ...] = ()
    source: str = "setting"

    @property
    def calibrated(self) -> bool:
        return bool(self.ratios)

    def describe(self) -> str:
        if self.calibrated:
            return (
                f"calibrated from your {len(self.ratios)} recorded builds "
                f"(median overrun x{fmt(self.factor, 2)})"
            )
        return f"the overrun_factor setting (x{fmt(self.factor, 2)})"


def has_ranges(ranked: Sequence[RankedTask]) -> bool:
    return any(_task_has_ranges(r) for r in ranked)


def _task_has_ranges(r: RankedTask) -> bool:
    task = r.task
    if r.per_week_source == "estimated" and not task.per_week_range.is_point:
        return True
    if task.plan is not None and not task.plan.build_range.is_point:
        return True
    for step, view in zip(task.steps, r.steps, strict=True):
        if view.manual_source == "estimated" and not step.minutes_range.is_point:
            return True
        rng = step.overhead_range
        if rng is not None and not rng.is_point:
            return True
    return False


def triangular_ppf(u: np.ndarray, low: np.ndarray, mode: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Inverse CDF of the triangular distribution; exact `mode` where low == high."""
    import numpy as np

    width = high - low
    degenerate = width <= 0
    safe = np.where(degenerate, 1.0, width)
    split = np.where(degenerate, 0.5, (mode - low) / safe)
    left = low + np.sqrt(u * safe * (mode - low))
    right = high - np.sqrt((1.0 - u) * safe * (high - mode))
    return np.where(degenerate, mode, np.where(u < split, left, right))


def triangular_mean(r: Range) -> float:
    return (r.low + r.likely + r.high) / 3.0


def _point(r: RankedTask, overrun: Overrun, samples: int) -> Uncertainty:
    """The deterministic answer in Monte Carlo form (every sample identical)."""
    o = r.outcome
    pays = o.payback_weeks is not None and o.payback_weeks <= r.horizon_weeks
    return Uncertainty(
        payback_probability=1.0 if pays else 0.0,
        payback_weeks_p50=o.payback_weeks,
        payback_weeks_p90=o.payback_weeks,
        expected_net_hours=o.net_hours,
        overrun_source=overrun.source,
        samples=samples,
    )


def simulate(
    ranked: list[RankedTask],
    settings: Settings,
    *,
    overrun: Overrun | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> None:
    """Attach `Uncertainty` to every ranked task and re-decide verdicts with it."""
    overrun = overrun or Overrun(settings.overrun_factor)
    n = settings.monte_carlo_samples if samples is None else samples
    sampled = [r for r in ranked if overrun.calibrated or _task_has_ranges(r)]
    if n <= 0:
        sampled = []
    for r in ranked:
        r.uncertainty = _point(r, overrun, n)
    if sampled:
        _simulate_sampled(sampled, settings, overrun, n, settings.seed if seed is None else seed)
    for r in ranked:
        decide_verdict(r, settings)
        r.explanation = explain(r) + _uncertainty_sentence(r)


def _uncertainty_sentence(r: RankedTask) -> str:
    u = r.uncertainty
    if u is None or u.payback_weeks_p50 == u.payback_weeks_p90 and u.payback_probability in (0.0, 1.0):
        return ""
    return (
        f" {fmt(u.payback_probability * 100, 0)}% chance of paying back within "
        f"{fmt(r.horizon_weeks)} weeks (P50 {fmt_weeks(u.payback_weeks_p50)}, "
        f"P90 {fmt_weeks(u.payback_weeks_p90)})."
    )


def _simulate_sampled(
    ranked: list[RankedTask], settings: Settings, overrun: Overrun, n: int, seed: int
) -> None:
    import numpy as np

    rng = np.random.default_rng(seed)
    chunk: list[RankedTask] = []
    rows = 0
    for r in ranked:
        width = max(len(r.steps), 1)
        if chunk and rows + width > CHUNK_ROWS:
            _run_chunk(chunk, settings, overrun, n, rng)
            chunk, rows = [], 0
        chunk.append(r)
        rows += width
    if chunk:
        _run_chunk(chunk, settings, overrun, n, rng)


def _run_chunk(
    chunk: list[RankedTask], settings: Settings, overrun: Overrun, n: int, rng: Any
) -> None:
    import numpy as np

    k = len(chunk)
    # Per-step parameters, flattened over the chunk; `owner` maps a step row to its task.
    m_lo, m_mode, m_hi, o_lo, o_mode, o_hi, auto, fail, ratio, owner = ([] for _ in range(10))
    for index, r in enumerate(chunk):
        for step, view in zip(r.task.steps, r.steps, strict=True):
            manual = step.minutes_range if view.manual_source == "estimated" else Range.single(view.manual)
            m_lo.append(manual.low)
            m_mode.append(manual.likely)
            m_hi.append(manual.high)
            given = step.overhead_range
            if given is not None:
                o_lo.append(given.low)
                o_mode.append(given.likely)
                o_hi.append(given.high)
                ratio.append(0.0)
            else:
                o_lo.append(0.0)
                o_mode.append(0.0)
                o_hi.append(0.0)
                # a flag's default overhead scales with the sampled manual minutes
                ratio.append(view.overhead / view.manual if view.overhead_source == "flag default" and view.manual else 0.0)
            auto.append(step.automation)
            fail.append(step.failure_rate)
            owner.append(index)
    col = lambda xs: np.asarray(xs, dtype=float)[:, None]  # noqa: E731
    # One uniform draw per (row, sample), always in the same order: common random numbers.
    u_steps = rng.random((2, len(owner), n)) if owner else np.empty((2, 0, n))
    u_task = rng.random((3, k, n))
    minutes = triangular_ppf(u_steps[0], col(m_lo), col(m_mode), col(m_hi))
    overhead = triangular_ppf(u_steps[1], col(o_lo), col(o_mode), col(o_hi)) + col(ratio) * minutes
    saved = col(auto) * minutes * (1.0 - col(fail)) - overhead
    per_occurrence = np.zeros((k, n))
    if owner:
        np.add.at(per_occurrence, np.asarray(owner), saved)

    freq = [r.task.per_week_range if r.per_week_source == "estimated" else Range.single(r.per_week) for r in chunk]
    builds = [r.task.plan.build_range if r.task.plan else Range.single(0.0) for r in chunk]
    per_week = triangular_ppf(
        u_task[0], col([f.low for f in freq]), col([f.likely for f in freq]), col([f.high for f in freq])
    )
    build = triangular_ppf(
        u_task[1], col([b.low for b in builds]), col([b.likely for b in builds]), col([b.high for b in builds])
    )
    if overrun.calibrated:
        history = np.sort(np.asarray(overrun.ratios, dtype=float))
        factor = history[np.minimum((u_task[2] * len(history)).astype(int), len(history) - 1)]
    else:
        factor = np.full((k, n), overrun.factor)
    running = col([sum(s.running_cost for s in r.steps) for r in chunk])
    weekly = per_week * per_occurrence / 60.0
    if settings.hourly_value:
        weekly = weekly - per_week * running / settings.hourly_value
    gain = weekly - col([r.upkeep_hours_per_week for r in chunk])
    cost = factor * build
    horizon = col([r.horizon_weeks for r in chunk])
    with np.errstate(divide="ignore", invalid="ignore"):
        weeks = np.where(gain > 0, cost / np.where(gain > 0, gain, 1.0), np.inf)
    pays = weeks <= horizon
    net = gain * horizon - cost
    quantiles = np.quantile(weeks, [0.5, 0.9], axis=1, method="higher")
    for index, r in enumerate(chunk):
        p50, p90 = (float(q) for q in quantiles[:, index])
        r.uncertainty = Uncertainty(
            payback_probability=float(pays[index].mean()),
            payback_weeks_p50=p50 if math.isfinite(p50) else None,
            payback_weeks_p90=p90 if math.isfinite(p90) else None,
            expected_net_hours=float(net[index].mean()),
            overrun_source=overrun.source,
            samples=n,
        )
