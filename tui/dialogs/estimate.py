"""An estimate in one step: a task with measured time (and no steps yet) estimated as a
whole, from its degree of automation, overhead, build hours and failure rate, or a
category template. The same core as `roi estimate` (roi.estimate.estimate_task)."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from roi.errors import RoiError
from roi.estimate import Estimate, describe, estimate_task, find_template, load_templates
from roi.quantities import BUILD_HOURS, MINUTES
from tui.dialogs.form import Field, FormScreen, Parsed
from tui.display import one_line
from tui.state import RankingState


def _fields() -> tuple[Field, ...]:
    try:
        names = tuple(sorted(load_templates()))
    except RoiError:  # the person's templates file is broken: the form says so on saving
        names = ()
    return (
        Field("like", "Template", placeholder=", ".join(names[:6]) + (", ..." if len(names) > 6 else ""),
              choices=names),
        Field("automation", "Automation", placeholder="share it takes over: 60%"),
        Field("overhead", "Overhead", placeholder="your minutes per occurrence: 2m, 90s"),
        Field("build_hours", "Build hours", placeholder="4, 1d or 2h:4h:1d"),
        Field("failure_rate", "Failure rate", placeholder="done by hand anyway: 10%"),
    )


class EstimateForm(FormScreen[bool]):
    """`roi estimate TASK` as a form: the figures given override the template's."""

    def __init__(self, state: RankingState, task_id: int) -> None:
        ranked = state.by_id.get(task_id)
        name = ranked.name if ranked is not None else f"task {task_id}"
        title = Text("Estimate ", style="bold")
        title.append(one_line(name, 40), style="bold")  # the name literally, never markup
        super().__init__(state, title, f"estimate:{task_id}")
        self.FIELDS = _fields()
        self.task_id = task_id
        self.done: Any = None

    def initial(self) -> dict[str, Any]:
        return {f.name: "" for f in self.FIELDS}

    def build(self, values: dict[str, Any]) -> Estimate:
        p = Parsed(values)
        like = p.optional("like")
        if like is not None:
            try:
                find_template(like)
            except RoiError as exc:
                p.errors["like"] = f"{exc}."
        given = Estimate(
            automation=p.share("automation", "automation"),
            overhead=p.quantity("overhead", "overhead", MINUTES),
            failure_rate=p.share("failure_rate", "failure rate"),
            build=p.range("build_hours", "build hours", BUILD_HOURS),
            like=like,
        )
        if like is None and given.automation is None and not p.errors:
            p.errors["automation"] = "Give the degree of automation, or a template."
        p.check()
        return given

    def commit(self, model: Estimate) -> bool:
        # a RoiError (a task the CLI removed meanwhile, no minutes known) is said in the form
        self.done = estimate_task(self.state.store, self.task_id, model)
        self.state.rerank([self.task_id])
        self.app.notify(one_line(describe(self.done), 300), markup=False)
        return True
