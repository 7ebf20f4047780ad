"""Which figures of a task still have the value a category template gave them
(`roi estimate --like`), so that every output can say so until the person changes them.

The ranking reads this on every `roi rank`; it lives apart from roi.estimate (which
parses and makes estimates) so that reading a ranking does not load the estimating."""

from __future__ import annotations

from roi.db.estimates import template_figures
from roi.db.store import Store
from roi.models import Plan, Step, Task
from roi.textsafe import visible

__all__ = ["FIELD_WORDS", "marks_note", "template_marks", "value_text"]

# The fields a template can give, as rank --json names them, and in words.
FIELD_WORDS = {"automation": "automation", "overhead_minutes": "overhead",
               "failure_rate": "failure rate", "build_hours": "build hours"}


def value_text(field: str, step: Step | None, plan: Plan | None) -> str | None:
    """A figure as template_figure stores it, or None when the task has no such figure."""
    if field == "build_hours":
        if plan is None or not plan.build_given:
            return None
        r = plan.build_range
        return f"{r.low!r}:{r.likely!r}:{r.high!r}"
    if step is None:
        return None
    value = {"automation": step.automation, "overhead_minutes": step.overhead, "failure_rate": step.failure_rate}[field]
    return None if value is None else repr(float(value))


def template_marks(store: Store, tasks: list[Task] | None = None) -> dict[int, dict[str, str]]:
    """task id -> {field: template name} for each figure that still has the value its
    template gave (a figure the person changed is theirs, and unmarked)."""
    figures = template_figures(store)
    if not figures:
        return {}
    ids = sorted({f.task_id for f in figures})
    by_id = {int(t.id or 0): t for t in (tasks if tasks is not None else store.list_tasks(ids=ids))}
    marks: dict[int, dict[str, str]] = {}
    for f in figures:
        task = by_id.get(f.task_id)
        if task is None:
            continue
        step = next((s for s in task.steps if s.id == f.step_id), None)
        if value_text(f.field, step, task.plan) == f.value:
            marks.setdefault(f.task_id, {})[f.field] = f.template
    return marks


def marks_note(marks: dict[str, str] | None) -> str | None:
    """'automation, overhead and build hours from the writing template', or None."""
    if not marks:
        return None
    by_template: dict[str, list[str]] = {}
    for field in FIELD_WORDS:
        if field in marks:
            by_template.setdefault(marks[field], []).append(FIELD_WORDS[field])
    parts = []
    for name, words in by_template.items():
        listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
        parts.append(f"{listed} from the {visible(name)} template")
    return "; ".join(parts)
