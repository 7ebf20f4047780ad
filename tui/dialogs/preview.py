"""What a step or plan form would change, in words, while it is typed: "saves 8 min per
occurrence → 0.27 h a week; pays back in 12 weeks". All arithmetic is roi.payback's (the
same functions the ranking uses); this module only chooses the inputs and the words."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from roi import payback
from roi.fmt import fmt, fmt_weeks
from roi.ranking import RankedTask
from roi.settled import StepView


def _inputs(s: StepView) -> payback.StepInputs:
    return payback.StepInputs(s.manual, s.automation, s.overhead, s.failure_rate, s.running_cost)


def _outcome(r: RankedTask, steps: Sequence[payback.StepInputs], build: float, upkeep: float) -> payback.Outcome:
    return payback.evaluate(
        steps, r.per_week, build, upkeep, r.overrun_factor, r.horizon_weeks, r.hourly_value
    )


def _payback_words(r: RankedTask, o: payback.Outcome, text: Text) -> None:
    if o.payback_weeks is None:
        text.append("never pays back", style="bold #e0524a")
        text.append(f" (it gains {fmt(o.net_weekly_gain, 2)} h a week)")
    else:
        text.append(f"pays back in {fmt_weeks(o.payback_weeks)}", style="bold")
        end = payback.break_even(r.start_date, o.payback_weeks)
        if end is not None:
            text.append(f" (break-even {end.isoformat()})")
    text.append(f"; net {fmt(o.net_hours)} h over {fmt(r.horizon_weeks)} weeks.")


def step_preview(r: RankedTask | None, step_id: int | None, step: dict[str, object]) -> Text:
    """The effect of this step as typed: its saving per occurrence, the task's hours a
    week, and the payback, with the task's other steps as they are."""
    minutes = float(step["minutes"])  # type: ignore[arg-type]
    old = next((s for s in r.steps if s.id == step_id), None) if r is not None else None
    overhead = step.get("overhead")
    if overhead is None:  # left empty: what the ranking uses now (a flag's default, or 0)
        overhead = old.overhead if old is not None else 0.0
    manual = minutes
    measured_note = ""
    if old is not None and old.manual_source in ("measured", "scaled") and not step.get("pinned"):
        manual = old.manual  # the log's figure wins over the estimate unless pinned
        measured_note = f" (the log's {fmt(old.manual)} min is used, not the estimate: pin it to use yours)"
    this = payback.StepInputs(
        manual, float(step["automation"]), float(overhead), float(step["failure_rate"]),  # type: ignore[arg-type]
        float(step.get("running_cost") or 0.0),  # type: ignore[arg-type]
    )
    text = Text()
    text.append(f"Saves {fmt(this.saved)} min per occurrence", style="bold #e0524a" if this.saved < 0 else "bold")
    text.append(measured_note)
    if r is None:
        return text
    if "steps" in r.missing and old is None and len(r.steps) == 0:
        pass  # this step is the first: the task then has steps
    if "per_week" in r.missing:
        text.append("; the task's frequency is not given yet (n on the task screen), so no hours a week.")
        return text
    others = [_inputs(s) for s in r.steps if s.id != step_id]
    o = _outcome(r, [*others, this], r.build_hours, r.upkeep_hours_per_week)
    text.append(f" → {fmt(o.weekly_hours_saved, 2)} h a week for the task")
    before = r.outcome.weekly_hours_saved if r.steps and "per_week" not in r.missing else None
    if before is not None and abs(before - o.weekly_hours_saved) > 1e-9:
        text.append(f" (now {fmt(before, 2)})", style="dim")
    if "build_hours" in r.missing:
        text.append("; the payback needs a build estimate (p: the plan).")
        return text
    text.append("; ")
    _payback_words(r, o, text)
    return text


def plan_preview(r: RankedTask | None, plan: dict[str, object]) -> Text:
    """The effect of this plan as typed: the build with its overrun, the gain after
    upkeep, the payback and break-even."""
    build = float(plan["build_hours"])  # type: ignore[arg-type]
    upkeep = float(plan.get("upkeep_hours_per_week") or 0.0)  # type: ignore[arg-type]
    text = Text()
    if r is None:
        return text
    cost = payback.build_cost(build, r.overrun_factor)
    text.append(f"Costs {fmt(cost)} h to build", style="bold")
    if r.overrun_factor != 1:
        text.append(f" ({fmt(build)} h × {r.overrun_factor:g} overrun)")
    if "steps" in r.missing or "per_week" in r.missing:
        text.append("; the gain needs the task's steps and frequency first.")
        return text
    gain = payback.net_weekly_gain(r.outcome.weekly_hours_saved, upkeep)
    text.append(f"; gives back {fmt(gain, 2)} h a week")
    if upkeep:
        text.append(f" after {fmt(upkeep, 2)} h of upkeep")
    text.append(" → ")
    steps = [_inputs(s) for s in r.steps]
    _payback_words(r, _outcome(r, steps, build, upkeep), text)
    return text
