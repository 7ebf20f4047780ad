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

The Monte Carlo reads `TaskSpread` values (built by `roi.ranking.Settled.spread`) and
returns one `Uncertainty` per task; it changes nothing and decides nothing (the verdict
is decided once, in roi.ranking, with these figures).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from roi.fmt import fmt
from roi.models import Range, Settings

if TYPE_CHECKING:
    import numpy as np

CHUNK_ROWS = 32  # step rows per vectorised batch: small enough to stay in cache


@dataclass(frozen=True)
class Uncertainty:
    """Monte Carlo figures for a task."""

    payback_probability: float
    payback_weeks_p50: float | None
    payback_weeks_p90: float | None
    expected_net_hours: float
    overrun_source: str
    samples: int

    @property
    def informative(self) -> bool:
        """True when the Monte Carlo says more than the single-value figures (a range was
        sampled, or the overrun comes from recorded builds); a point estimate's 100% is noise."""
        return (
            0.0 < self.payback_probability < 1.0
            or self.payback_weeks_p50 != self.payback_weeks_p90
            or self.overrun_source != "setting"
        )


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


@dataclass(frozen=True)
class StepSpread:
    """One step as the Monte Carlo sees it."""

    manual: Range  # manual minutes per occurrence: the estimate's range, or the settled value
    overhead: Range | None  # the overhead minutes the person gave (None: not given)
    overhead_ratio: float  # a flag's default overhead as a share of the manual minutes (0: none)
    automation: float
    failure_rate: float
    saved: float  # the settled minutes saved per occurrence

    @property
    def ranged(self) -> bool:
        return _ranged(self.manual) or (self.overhead is not None and _ranged(self.overhead))


@dataclass(frozen=True)
class TaskSpread:
    """One task as the Monte Carlo sees it: each input a Range (a settled or single value
    has low = likely = high), and the deterministic answer for when nothing is ranged."""

    id: int
    steps: tuple[StepSpread, ...]
    per_week: Range
    build_hours: Range
    upkeep_hours_per_week: float
    running_cost: float  # money per occurrence, all steps together
    horizon_weeks: float
    payback_weeks: float | None
    net_hours: float

    @property
    def ranged(self) -> bool:
        return _ranged(self.per_week) or _ranged(self.build_hours) or any(s.ranged for s in self.steps)


def _ranged(r: Range) -> bool:
    return r.high > r.low


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


def draw(streams: Sequence[Any], ranges: Sequence[Range], n: int) -> np.ndarray:
    """n triangular samples per range, one row each, row i drawn from streams[i]; a single
    value is repeated as is and draws nothing. The one place a Range becomes numbers.

    numpy's `Generator.triangular` is this module's `triangular_ppf` applied to one
    uniform draw per sample, in order (the tests hold it to that, bit for bit), done in C
    at about half the cost."""
    import numpy as np

    values = np.repeat(np.asarray([r.likely for r in ranges], dtype=np.float64)[:, None], n, axis=1)
    for i, r in enumerate(ranges):
        if _ranged(r):
            values[i] = streams[i].triangular(r.low, r.likely, r.high, size=n)
    return values


def _sampling(
    tasks: Sequence[TaskSpread], settings: Settings, overrun: Overrun | None, samples: int | None
) -> tuple[Overrun, int, list[int]]:
    """The overrun and the number of samples `simulate` uses, and which tasks it samples
    (those with a range, or all under a calibrated overrun; none without samples)."""
    overrun = overrun or Overrun(settings.overrun_factor)
    n = settings.monte_carlo_samples if samples is None else samples
    return overrun, n, [i for i, t in enumerate(tasks) if overrun.calibrated or t.ranged] if n > 0 else []


def simulate(
    tasks: Sequence[TaskSpread],
    settings: Settings,
    *,
    overrun: Overrun | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> list[Uncertainty]:
    """The figures of every task, in the order given. Tasks without a range (and a fixed
    overrun) get the deterministic answer; the others are sampled."""
    overrun, n, sampled = _sampling(tasks, settings, overrun, samples)
    figures = [_point(t, overrun, n) for t in tasks]
    if sampled:
        found = _simulate_sampled([tasks[i] for i in sampled], settings, overrun, n,
                                  settings.seed if seed is None else seed)
        for i, u in zip(sampled, found, strict=True):
            figures[i] = u
    return figures


# Part of every simulation key: change it whenever the sampling or the figures change, so
# that figures kept by an earlier roi (roi.db.montecarlo) are never read as this one's.
SAMPLING_VERSION = 1


def simulation_key(
    tasks: Sequence[TaskSpread],
    settings: Settings,
    *,
    overrun: Overrun | None = None,
    samples: int | None = None,
    seed: int | None = None,
) -> str | None:
    """A hash of everything `simulate` reads for these arguments (the tasks' spreads, the
    hourly value, the samples, the seed, the overrun and its history), so that equal keys
    mean equal figures; None when nothing would be sampled (the figures are then cheap)."""
    overrun, n, sampled = _sampling(tasks, settings, overrun, samples)
    if not sampled:
        return None
    import hashlib

    # The frozen dataclasses' repr names every field, down to the steps' ranges, and a
    # float's repr is exact; it is ten times quicker than dataclasses.asdict + json.
    payload = (
        SAMPLING_VERSION, CHUNK_ROWS, n, settings.seed if seed is None else seed,
        settings.hourly_value, overrun, tuple(tasks),
    )
    return hashlib.sha256(repr(payload).encode()).hexdigest()


def _point(t: TaskSpread, overrun: Overrun, samples: int) -> Uncertainty:
    """The deterministic answer in Monte Carlo form (every sample identical)."""
    pays = t.payback_weeks is not None and t.payback_weeks <= t.horizon_weeks
    return Uncertainty(
        payback_probability=1.0 if pays else 0.0,
        payback_weeks_p50=t.payback_weeks,
        payback_weeks_p90=t.payback_weeks,
        expected_net_hours=t.net_hours,
        overrun_source=overrun.source,
        samples=samples,
    )


def _simulate_sampled(
    tasks: list[TaskSpread], settings: Settings, overrun: Overrun, n: int, seed: int
) -> list[Uncertainty]:
    import os
    from concurrent.futures import ThreadPoolExecutor

    chunks: list[list[TaskSpread]] = [[]]
    rows = 0
    for t in tasks:
        width = max(len(t.steps), 1)
        if chunks[-1] and rows + width > CHUNK_ROWS:
            chunks.append([])
            rows = 0
        chunks[-1].append(t)
        rows += width

    def run(chunk: list[TaskSpread]) -> list[Uncertainty]:
        return _run_chunk(chunk, settings.hourly_value, overrun, n, seed)

    workers = min(len(chunks), os.cpu_count() or 1, 4)
    if workers <= 1:
        results = [run(chunk) for chunk in chunks]
    else:
        # numpy's sampling and array arithmetic release the GIL, so batches run in parallel.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(run, chunks))
    return [u for result in results for u in result]


def _run_chunk(
    chunk: list[TaskSpread], hourly_value: float | None, overrun: Overrun, n: int, seed: int
) -> list[Uncertainty]:
    """Sample one batch of tasks. Only ranged variables are drawn: a step whose inputs are
    all single values adds a constant, so the cost follows the ranges, not the inventory.

    Each task draws from its own stream, seeded by (seed, task id), always in the same
    order (its ranged steps' minutes, their overheads, frequency, build, overrun): a task's
    figures depend on its own inputs only, never on which other tasks are ranked with it."""
    import numpy as np

    streams = [np.random.default_rng([seed, t.id]) for t in chunk]
    per_occurrence = _minutes_saved(chunk, streams, n)
    per_week = _task_variable([t.per_week for t in chunk], streams, n)
    build = _task_variable([t.build_hours for t in chunk], streams, n)
    factor = _overrun_factor(overrun, streams, n)
    gain = _weekly_gain(chunk, per_occurrence, per_week, hourly_value)
    return _figures(chunk, gain, factor * build, overrun, n)


def _column(values: list[float]) -> np.ndarray:
    """One value per task (or step row) as a (k, 1) column, to broadcast over samples."""
    import numpy as np

    return np.asarray(values, dtype=np.float64)[:, None]


def _minutes_saved(chunk: list[TaskSpread], streams: list[Any], n: int) -> np.ndarray:
    """(k, n) minutes saved per occurrence: the steps that are single values add their
    settled saving, the ranged steps a sample each."""
    import numpy as np

    constant = np.zeros(len(chunk))
    owners_list: list[int] = []  # the task (index in the chunk) of each ranged step
    steps: list[StepSpread] = []
    for index, t in enumerate(chunk):
        for step in t.steps:
            if step.ranged:
                owners_list.append(index)
                steps.append(step)
            else:
                constant[index] += step.saved
    per_occurrence = np.repeat(constant[:, None], n, axis=1)
    if not steps:
        return per_occurrence
    row_streams = [streams[i] for i in owners_list]
    minutes = draw(row_streams, [s.manual for s in steps], n)
    saved = _column([s.automation * (1.0 - s.failure_rate) - s.overhead_ratio for s in steps]) * minutes
    fixed_overhead = _column([s.overhead.likely if s.overhead is not None else 0.0 for s in steps])
    saved -= fixed_overhead
    ranged_overhead = [(i, s.overhead) for i, s in enumerate(steps) if s.overhead is not None and _ranged(s.overhead)]
    if ranged_overhead:
        rows = [i for i, _ in ranged_overhead]
        extra = draw([row_streams[i] for i in rows], [r for _, r in ranged_overhead], n)
        saved[rows] -= extra - fixed_overhead[rows]
    # Rows are in task order, so each task's rows are contiguous: sum them with reduceat.
    owners = np.asarray(owners_list)
    starts = np.flatnonzero(np.r_[True, owners[1:] != owners[:-1]])
    if len(starts) == len(steps):  # one ranged step per task: nothing to sum
        per_occurrence[owners] += saved
    else:
        per_occurrence[owners[starts]] += np.add.reduceat(saved, starts, axis=0)
    return per_occurrence


def _task_variable(ranges: list[Range], streams: list[Any], n: int) -> np.ndarray:
    """One input per task: a (k, 1) column when no task has a range, else (k, n) samples."""
    if not any(_ranged(r) for r in ranges):
        return _column([r.likely for r in ranges])
    return draw(streams, ranges, n)


def _overrun_factor(overrun: Overrun, streams: list[Any], n: int) -> np.ndarray | float:
    """The setting, or n picks per task from the person's recorded overrun ratios."""
    import numpy as np

    if not overrun.calibrated:
        return overrun.factor
    history = np.sort(np.asarray(overrun.ratios, dtype=float))
    picks = np.stack([np.minimum((g.random(n) * len(history)).astype(int), len(history) - 1) for g in streams])
    return history[picks]


def _weekly_gain(
    chunk: list[TaskSpread], per_occurrence: np.ndarray, per_week: np.ndarray, hourly_value: float | None
) -> np.ndarray:
    """(k, n) net hours a week: saved minutes x frequency, less running costs and upkeep.
    In-place arithmetic on one (k, n) buffer: memory traffic is the cost here."""
    gain = per_occurrence
    gain *= per_week / 60.0
    if hourly_value:
        running = _column([t.running_cost for t in chunk])
        gain -= per_week * running / hourly_value
    gain -= _column([t.upkeep_hours_per_week for t in chunk])
    return gain


def _figures(
    chunk: list[TaskSpread], gain: np.ndarray, cost: np.ndarray, overrun: Overrun, n: int
) -> list[Uncertainty]:
    """Each task's chance of paying back within its horizon, its P50 and P90 payback and
    its expected net hours, from the (k, n) samples of gain and build cost."""
    import numpy as np

    horizon = _column([t.horizon_weeks for t in chunk])
    net = (gain * horizon - cost).mean(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        weeks = np.divide(cost, gain)
    weeks[gain <= 0] = np.inf
    probability = (weeks <= horizon).mean(axis=1)
    p50s = _percentile(weeks, 0.5)
    p90s = _percentile(weeks, 0.9)
    figures = []
    for index in range(len(chunk)):
        p50, p90 = float(p50s[index]), float(p90s[index])
        figures.append(Uncertainty(
            payback_probability=float(probability[index]),
            payback_weeks_p50=p50 if math.isfinite(p50) else None,
            payback_weeks_p90=p90 if math.isfinite(p90) else None,
            expected_net_hours=float(net[index]),
            overrun_source=overrun.source,
            samples=n,
        ))
    return figures


def _percentile(weeks: np.ndarray, q: float) -> np.ndarray:
    """Row-wise percentile q (0..1) of (k, n) paybacks as `numpy.percentile` computes it:
    linear between the two order statistics around q * (n - 1). By an in-place partial
    sort: the lower neighbour is the k-th order statistic, the upper one the minimum of
    what lies above it. An infinite neighbour (a draw that never pays back) makes the
    percentile infinite. Leaves `weeks` partially sorted; every call reads the whole rows
    afresh, so calls can come in any order."""
    import numpy as np

    n = weeks.shape[1]
    position = q * (n - 1)
    lo = min(math.floor(position), n - 1)
    fraction = position - lo
    weeks.partition(lo, axis=1)
    low = weeks[:, lo].copy()
    if fraction == 0 or lo + 1 >= n:
        return low
    high = weeks[:, lo + 1:].min(axis=1)
    with np.errstate(invalid="ignore"):
        value = low + (high - low) * fraction
    return np.where(np.isinf(high), np.inf, value)
