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

CHUNK_ROWS = 32  # step rows per vectorised batch: small enough to stay in cache


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
    """Inverse CDF of the triangular distribution; exact `mode` where low == high.

    Below the mode's share F(mode) = (mode - low) / (high - low) the quantile is
    low + sqrt(u (high - low)(mode - low)), above it high - sqrt((1 - u)(high - low)(high - mode)).
    Written as few whole-array passes as possible: this is the Monte Carlo's hot loop."""
    import numpy as np

    width = high - low
    degenerate = width <= 0
    safe = np.where(degenerate, 1.0, width)
    split = np.where(degenerate, 2.0, (mode - low) / safe)  # 2.0: every u is "below"
    left = np.where(degenerate, 0.0, safe * (mode - low))
    right = safe * (high - mode)
    below = u < split
    root = np.where(below, u * left, (1.0 - u) * right)
    np.sqrt(root, out=root)
    return np.where(below, low + root, high - root)


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
        # evaluate_task already wrote the arithmetic; only a sampled task has more to say.
        sentence = _uncertainty_sentence(r)
        if sentence:
            r.explanation = explain(r) + sentence


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
    import os
    from concurrent.futures import ThreadPoolExecutor

    chunks: list[list[RankedTask]] = [[]]
    rows = 0
    for r in ranked:
        width = max(len(r.steps), 1)
        if chunks[-1] and rows + width > CHUNK_ROWS:
            chunks.append([])
            rows = 0
        chunks[-1].append(r)
        rows += width

    def run(index: int) -> None:
        _run_chunk(chunks[index], settings, overrun, n, seed)

    workers = min(len(chunks), os.cpu_count() or 1, 4)
    if workers <= 1:
        for index in range(len(chunks)):
            run(index)
        return
    # numpy's sampling and array arithmetic release the GIL, so batches run in parallel.
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, range(len(chunks))))


def _ranged(r: Range) -> bool:
    return r.high > r.low


def draw(streams: Sequence[Any], ranges: list[Range], n: int) -> np.ndarray:
    """n triangular samples per range, one row each, row i drawn from streams[i]; a single
    value is repeated as is and draws nothing.

    numpy's `Generator.triangular` is this module's `triangular_ppf` applied to one
    uniform draw per sample, in order (the tests hold it to that, bit for bit), done in C
    at about half the cost."""
    import numpy as np

    values = np.repeat(np.asarray([r.likely for r in ranges], dtype=np.float64)[:, None], n, axis=1)
    for i, r in enumerate(ranges):
        if _ranged(r):
            values[i] = streams[i].triangular(r.low, r.likely, r.high, size=n)
    return values


def _run_chunk(
    chunk: list[RankedTask], settings: Settings, overrun: Overrun, n: int, seed: int
) -> None:
    """Sample one batch of tasks. Only ranged variables are drawn: a step whose inputs are
    all single values adds a constant, so the cost follows the ranges, not the inventory.

    Each task draws from its own stream, seeded by (seed, task id), always in the same
    order (its ranged steps' minutes, their overheads, frequency, build, overrun): a task's
    figures depend on its own inputs only, never on which other tasks are ranked with it."""
    import numpy as np

    k = len(chunk)
    streams = [np.random.default_rng([seed, r.id]) for r in chunk]
    constant = np.zeros(k)  # minutes saved per occurrence by the steps that are points
    rows: list[tuple[int, Range, Range | None, float, float, float]] = []
    for index, r in enumerate(chunk):
        for step, view in zip(r.task.steps, r.steps, strict=True):
            manual = step.minutes_range if view.manual_source == "estimated" else Range.single(view.manual)
            given = step.overhead_range
            # a flag's default overhead scales with the sampled manual minutes
            ratio = view.overhead / view.manual if view.overhead_source == "flag default" and view.manual else 0.0
            if _ranged(manual) or (given is not None and _ranged(given)):
                rows.append((index, manual, given, ratio, step.automation, step.failure_rate))
            else:
                constant[index] += view.saved
    col = lambda xs: np.asarray(xs, dtype=np.float64)[:, None]  # noqa: E731
    per_occurrence = np.repeat(constant[:, None], n, axis=1)
    if rows:
        # Rows are in task order, so each task's rows are contiguous: sum them with reduceat.
        minutes = draw([streams[x[0]] for x in rows], [x[1] for x in rows], n)
        saved = col([x[4] * (1.0 - x[5]) - x[3] for x in rows]) * minutes
        ranged_overhead = [i for i, x in enumerate(rows) if x[2] is not None and _ranged(x[2])]
        fixed_overhead = col([x[2].likely if x[2] is not None else 0.0 for x in rows])
        saved -= fixed_overhead
        if ranged_overhead:
            extra = draw([streams[rows[i][0]] for i in ranged_overhead],
                         [rows[i][2] for i in ranged_overhead], n)  # type: ignore[misc]
            saved[ranged_overhead] -= extra - fixed_overhead[ranged_overhead]
        owners = np.asarray([x[0] for x in rows])
        starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
        if len(starts) == len(rows):  # one ranged step per task: nothing to sum
            per_occurrence[owners] += saved
        else:
            per_occurrence[owners[starts]] += np.add.reduceat(saved, starts, axis=0)

    def task_variable(ranges: list[Range]) -> Any:
        if not any(_ranged(x) for x in ranges):
            return col([x.likely for x in ranges])
        return draw(streams, ranges, n)

    per_week = task_variable(
        [r.task.per_week_range if r.per_week_source == "estimated" else Range.single(r.per_week) for r in chunk]
    )
    build = task_variable([r.task.plan.build_range if r.task.plan else Range.single(0.0) for r in chunk])
    if overrun.calibrated:
        history = np.sort(np.asarray(overrun.ratios, dtype=float))
        picks = np.stack([np.minimum((g.random(n) * len(history)).astype(int), len(history) - 1) for g in streams])
        factor = history[picks]
    else:
        factor = overrun.factor
    # In-place arithmetic on one (k, n) buffer: memory traffic is the cost here.
    gain = per_occurrence
    gain *= per_week / 60.0
    if settings.hourly_value:
        running = col([sum(s.running_cost for s in r.steps) for r in chunk])
        gain -= per_week * running / settings.hourly_value
    gain -= col([r.upkeep_hours_per_week for r in chunk])
    cost = factor * build
    horizon = col([r.horizon_weeks for r in chunk])
    net = (gain * horizon - cost).mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weeks = np.divide(cost, gain)
    weeks[gain <= 0] = np.inf
    probability = (weeks <= horizon).mean(axis=1)
    # P50 and P90 as the "higher" order statistics, by an in-place partial sort
    k50, k90 = min(math.ceil(0.5 * (n - 1)), n - 1), min(math.ceil(0.9 * (n - 1)), n - 1)
    # (two single-kth partitions are ~10x faster in numpy than one with two kths)
    weeks.partition(k50, axis=1)
    upper = weeks[:, k50:]
    upper.partition(k90 - k50, axis=1)
    for index, r in enumerate(chunk):
        p50, p90 = float(weeks[index, k50]), float(upper[index, k90 - k50])
        r.uncertainty = Uncertainty(
            payback_probability=float(probability[index]),
            payback_weeks_p50=p50 if math.isfinite(p50) else None,
            payback_weeks_p90=p90 if math.isfinite(p90) else None,
            expected_net_hours=float(net[index]),
            overrun_source=overrun.source,
            samples=n,
        )
