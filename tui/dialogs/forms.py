"""The forms of the method: a task's fields, a step, a plan. Each validates through the
pydantic models of `roi.models` and writes through `roi.db.store.Store`."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.text import Text

from roi.models import CATEGORIES, STATUSES, Plan, Step, Task
from roi.quantities import BUILD_HOURS, HOURS_PER_WEEK, MINUTES, PER_WEEK
from tui.dialogs.form import Field, FormScreen, Parsed, number_text
from tui.display import name_text
from tui.state import RankingState


def _title(prefix: str, name: str | None = None) -> Text:
    text = Text(prefix, style="bold")
    if name:
        text.append(": ")
        text.append_text(name_text(name, 50, style="bold"))
    return text


def _range_text(low: float | None, likely: float | None, high: float | None) -> str:
    if likely is None:
        return ""
    lo = likely if low is None else low
    hi = likely if high is None else high
    if lo == likely == hi:
        return f"{likely:g}"
    return f"{lo:g}:{likely:g}:{hi:g}"


class TaskForm(FormScreen[int | None]):
    """Add a task (task_id None) or edit a task's own fields. Dismisses with the id."""

    FIELDS = (
        Field("name", "Name", placeholder="e.g. Weekly invoices"),
        Field("category", "Category", kind="select", choices=CATEGORIES),
        Field("per_week", "Times a week", placeholder="3, 5/day, 2/month or LOW:LIKELY:HIGH"),
        Field("per_week_pinned", "Pin frequency", kind="check",
              placeholder="keep this figure even when the time log measures another"),
        Field("status", "Status", kind="select", choices=STATUSES),
        Field("tags", "Tags", placeholder="comma, separated"),
        Field("notes", "Notes"),
        Field("learning_value", "Learning value", kind="check",
              placeholder="worth building for what it teaches, even if it does not pay back"),
        Field("learning_note", "Learning note", placeholder="what building it would teach you"),
    )
    ALIASES = {"per_week_low": "per_week", "per_week_high": "per_week"}

    def __init__(self, state: RankingState, task_id: int | None, task_name: str | None = None) -> None:
        self.task_id = task_id
        title = _title("New task" if task_id is None else "Edit task", task_name)
        super().__init__(state, title, f"task:{task_id}")

    def initial(self) -> dict[str, Any]:
        if self.task_id is None:
            return {"category": "other", "status": "idea"}
        t: Task = self.state.store.get_task(self.task_id)
        return {
            "name": t.name,
            "category": t.category,
            "per_week": _range_text(t.per_week_low, t.per_week, t.per_week_high),
            "status": t.status,
            "tags": ", ".join(t.tags),
            "notes": t.notes,
            "learning_value": t.learning_value,
            "learning_note": t.learning_note,
            "per_week_pinned": t.per_week_pinned,
        }

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        p = Parsed(values)
        per_week = p.range("per_week", "times a week", PER_WEEK)
        fields: dict[str, Any] = {
            "name": p.text("name"),
            "category": p.text("category") or "other",
            "status": p.text("status") or "idea",
            "tags": p.text("tags"),
            "notes": p.text("notes"),
            "learning_value": bool(values.get("learning_value")),
            "learning_note": p.text("learning_note"),
            "per_week_pinned": bool(values.get("per_week_pinned")),
            "per_week": per_week.likely if per_week else None,
            "per_week_low": None if per_week is None or per_week.is_point else per_week.low,
            "per_week_high": None if per_week is None or per_week.is_point else per_week.high,
        }
        p.validate(Task, fields, self.ALIASES)
        return fields

    def commit(self, model: dict[str, Any]) -> int | None:
        store = self.state.store
        if self.task_id is None:
            return int(store.add_task(Task(**model)))
        store.update_task(self.task_id, **model)
        return self.task_id


class StepForm(FormScreen[int | None]):
    """Add a step to a task (step_id None) or edit one. Dismisses with the step id."""

    FIELDS = (
        Field("name", "Step", placeholder="e.g. Read the email"),
        Field("minutes", "Minutes by hand", placeholder="5, 90s, 1h30m or 3:5:12",
              help="what one occurrence takes you by hand"),
        Field("automation", "Automation", placeholder="0.8 or 80%",
              help="share of the step the automation takes over"),
        Field("overhead", "Overhead min", placeholder="1, 30s or 0.5:1:3",
              help="minutes you still spend asking and checking"),
        Field("failure_rate", "Failure rate", placeholder="0.1 or 10%",
              help="share of runs you redo by hand anyway"),
        Field("running_cost", "Running cost", placeholder="0.02",
              help="money a run costs (counts via hourly value)"),
        Field("pinned", "Pin estimate", kind="check", placeholder="logged time does not replace it"),
    )
    ALIASES = {
        "minutes_low": "minutes",
        "minutes_high": "minutes",
        "overhead_low": "overhead",
        "overhead_high": "overhead",
    }

    def __init__(self, state: RankingState, task_id: int, step_id: int | None, task_name: str) -> None:
        self.task_id = task_id
        self.step_id = step_id
        title = _title("New step" if step_id is None else "Edit step", task_name)
        super().__init__(state, title, f"step:{task_id}:{step_id}")

    def initial(self) -> dict[str, Any]:
        if self.step_id is None:
            return {"automation": "1", "failure_rate": "0", "running_cost": "0"}
        s: Step = self.state.store.get_step(self.step_id)
        return {
            "name": s.name,
            "minutes": _range_text(s.minutes_low, s.minutes, s.minutes_high),
            "automation": number_text(s.automation),
            "overhead": _range_text(s.overhead_low, s.overhead, s.overhead_high),
            "failure_rate": number_text(s.failure_rate),
            "running_cost": number_text(s.running_cost),
            "pinned": s.pinned,
        }

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        p = Parsed(values)
        minutes = p.range("minutes", "minutes", MINUTES, required=True)
        overhead = p.range("overhead", "overhead", MINUTES)
        automation = p.share("automation", "automation")
        failure_rate = p.share("failure_rate", "failure rate")
        fields: dict[str, Any] = {
            "name": p.text("name"),
            "minutes": minutes.likely if minutes else 0.0,
            "minutes_low": None if minutes is None or minutes.is_point else minutes.low,
            "minutes_high": None if minutes is None or minutes.is_point else minutes.high,
            "automation": 1.0 if automation is None else automation,
            "overhead": overhead.likely if overhead else None,
            "overhead_low": None if overhead is None or overhead.is_point else overhead.low,
            "overhead_high": None if overhead is None or overhead.is_point else overhead.high,
            "failure_rate": 0.0 if failure_rate is None else failure_rate,
            "running_cost": p.text("running_cost") or "0",
            "pinned": bool(values.get("pinned")),
        }
        step = p.validate(Step, fields, self.ALIASES)
        fields.update(automation=step.automation, failure_rate=step.failure_rate,
                      running_cost=step.running_cost)
        return fields

    def preview(self, model: dict[str, Any]) -> Text:
        from tui.dialogs.preview import step_preview

        return step_preview(self.state.by_id.get(self.task_id), self.step_id, model)

    def commit(self, model: dict[str, Any]) -> int | None:
        store = self.state.store
        if self.step_id is None:
            return int(store.add_step(self.task_id, Step(**model)))
        store.update_step(self.step_id, **model)
        return self.step_id


class PlanForm(FormScreen[bool]):
    """The build plan of a task: build hours (or a range), upkeep, dates."""

    FIELDS = (
        Field("build_hours", "Build hours", placeholder="4, 3h, 2d (8 h days) or 2:4:12",
              help="your estimate; the overrun is added on top"),
        Field("upkeep_hours_per_week", "Upkeep h/week", placeholder="0, 30m/week, 2h/month",
              help="keeping it working, taken off the weekly gain"),
        Field("start_date", "Start date", placeholder="YYYY-MM-DD",
              help="break-even counts from it (empty: today)"),
        Field("actual_build_hours", "Actual build h", placeholder="once built: 5, 5h, 2d",
              help="what it took: calibrates later overruns"),
        Field("built_on", "Built on", placeholder="YYYY-MM-DD", help="the day it went live"),
    )
    ALIASES = {"build_low": "build_hours", "build_high": "build_hours"}

    def __init__(self, state: RankingState, task_id: int, task_name: str) -> None:
        self.task_id = task_id
        super().__init__(state, _title("Plan", task_name), f"plan:{task_id}")

    def initial(self) -> dict[str, Any]:
        plan: Plan | None = self.state.store.get_task(self.task_id).plan
        if plan is None:
            return {"upkeep_hours_per_week": "0"}
        return {
            "build_hours": _range_text(plan.build_low, plan.build_hours, plan.build_high) if plan.build_given else "",
            "upkeep_hours_per_week": number_text(plan.upkeep_hours_per_week),
            "start_date": plan.start_date.isoformat() if plan.start_date else "",
            "actual_build_hours": number_text(plan.actual_build_hours),
            "built_on": plan.built_on.isoformat() if plan.built_on else "",
        }

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        p = Parsed(values)
        build = p.range("build_hours", "build hours", BUILD_HOURS, required=True)
        upkeep = p.quantity("upkeep_hours_per_week", "upkeep", HOURS_PER_WEEK)
        actual = p.quantity("actual_build_hours", "actual build hours", BUILD_HOURS)
        for name in ("start_date", "built_on"):
            text = p.text(name)
            if text:
                try:
                    date.fromisoformat(text)
                except ValueError:
                    label = "the start date" if name == "start_date" else "the day it was built"
                    p.errors[name] = f"{label} must be a date like 2026-12-01 (got {text!r})."
        fields: dict[str, Any] = {
            "build_hours": build.likely if build else 0.0,
            "build_low": None if build is None or build.is_point else build.low,
            "build_high": None if build is None or build.is_point else build.high,
            "upkeep_hours_per_week": 0.0 if upkeep is None else upkeep,
            "start_date": None if "start_date" in p.errors else p.optional("start_date"),
            "actual_build_hours": actual,
            "built_on": None if "built_on" in p.errors else p.optional("built_on"),
        }
        plan = p.validate(Plan, fields, self.ALIASES)
        return plan.model_dump(exclude={"task_id"})

    def preview(self, model: dict[str, Any]) -> Text:
        from tui.dialogs.preview import plan_preview

        return plan_preview(self.state.by_id.get(self.task_id), model)

    def commit(self, model: dict[str, Any]) -> bool:
        self.state.store.set_plan(self.task_id, **model)
        return True
