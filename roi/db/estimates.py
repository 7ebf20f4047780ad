"""Figures that came from a category template (`roi estimate --like`): table
template_figure, one row per task and field, with the value the template gave."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from roi.db.connection import Connection

__all__ = ["TemplateFigure", "set_template_figures", "template_figures"]


@dataclass(frozen=True)
class TemplateFigure:
    task_id: int
    step_id: int | None
    field: str  # automation, overhead_minutes, failure_rate, build_hours
    template: str
    value: str  # as the template set it: a number, or LOW:LIKELY:HIGH


def set_template_figures(
    store: Connection, task_id: int, step_id: int | None, template: str | None, figures: Mapping[str, str]
) -> None:
    """The task's figures from a template are now these (none when `template` is None):
    the rows of an earlier estimate are replaced."""
    with store.transaction() as conn:
        conn.execute("DELETE FROM template_figure WHERE task_id = ?", [task_id])
        if template is None:
            return
        conn.executemany(
            "INSERT INTO template_figure (task_id, step_id, field, template, value) VALUES (?, ?, ?, ?, ?)",
            [(task_id, step_id, field, template, value) for field, value in figures.items()],
        )


def template_figures(store: Connection, task_ids: list[int] | None = None) -> list[TemplateFigure]:
    """The template figures of every task (or of these), by task and field."""
    where, params = "", []
    if task_ids is not None:
        where = f" WHERE task_id IN ({', '.join('?' * len(task_ids))})"
        params = list(task_ids)
    return [
        TemplateFigure(int(r["task_id"]), r["step_id"], str(r["field"]), str(r["template"]), str(r["value"]))
        for r in store.rows(
            f"SELECT task_id, step_id, field, template, value FROM template_figure{where} ORDER BY task_id, field",
            params,
        )
    ]
