"""An estimate in one step: a task with measured time but no steps becomes one step named
after it, whose manual minutes are the measured median, with a degree of automation, an
overhead, a failure rate and a build estimate, given or taken from a category template.

Templates are data: seeds/templates.toml, plus the person's own file ($ROI_TEMPLATES, or
templates.toml beside their flag rules file), whose templates add to or replace the
shipped ones by name. Figures that came from a template are recorded (roi.db.estimates)
and every output marks them, until the person changes them: a figure that no longer
equals what the template gave is the person's own.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from roi.db.estimates import set_template_figures
from roi.db.measurements import measurements
from roi.db.store import Store
from roi.errors import RoiError
from roi.fmt import fmt
from roi.models import Plan, Range, Step, Task
from roi.quantities import BUILD_HOURS, MINUTES, QuantityError, parse, parse_range, parse_share
from roi.seeds import own_file_stamp, read_own_file, seed_path
from roi.template_marks import marks_note, value_text
from roi.textsafe import visible

__all__ = [
    "TEMPLATES_ENV", "Estimate", "Estimated", "Template", "TemplatesFileError",
    "estimate_task", "load_templates", "user_templates_path",
]

TEMPLATES_ENV = "ROI_TEMPLATES"
_KNOWN = {"title", "automation", "overhead_share", "overhead", "failure_rate", "build_hours", "basis"}


@dataclass(frozen=True)
class Template:
    name: str
    title: str
    automation: float
    overhead_share: float | None  # overhead = this x the manual minutes ...
    overhead_minutes: float | None  # ... or a fixed number of minutes
    failure_rate: float
    build: Range
    basis: str = ""
    source: str = "shipped"

    def overhead_for(self, manual: float) -> float:
        if self.overhead_minutes is not None:
            return self.overhead_minutes
        return (self.overhead_share or 0.0) * manual


class TemplatesFileError(RoiError):
    """The person's templates file cannot be used: one line naming it, exit code 2."""

    exit_code = 2


def user_templates_path() -> Path:
    """$ROI_TEMPLATES, else templates.toml beside the person's flag rules file."""
    if os.environ.get(TEMPLATES_ENV):
        return Path(os.environ[TEMPLATES_ENV]).expanduser()
    from roi.flags import user_rules_path

    return user_rules_path().parent / "templates.toml"


def _parse(text: str, source: str) -> dict[str, Template]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoiError(f"{source}: not valid TOML: {exc}") from None
    found = {}
    tables = data.get("template", {})
    if not isinstance(tables, dict):
        raise RoiError(f"{source}: [template.NAME] tables expected")
    for name, raw in tables.items():
        where = f"{source}: template {visible(name)!r}"
        if not isinstance(raw, dict):
            raise RoiError(f"{where}: must be a table")
        unknown = set(raw) - _KNOWN
        if unknown:
            raise RoiError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        for required in ("automation", "build_hours"):
            if required not in raw:
                raise RoiError(f"{where}: field {required!r} is missing")
        if "overhead" in raw and "overhead_share" in raw:
            raise RoiError(f"{where}: give overhead or overhead_share, not both")
        try:
            found[name.lower()] = Template(
                name=name.lower(), title=str(raw.get("title", name)),
                automation=parse_share(raw["automation"], f"{where}: automation"),
                overhead_share=parse_share(raw["overhead_share"], f"{where}: overhead_share", upto=10.0)
                if "overhead_share" in raw else None,
                overhead_minutes=parse(raw["overhead"], MINUTES, f"{where}: overhead") if "overhead" in raw else None,
                failure_rate=parse_share(raw.get("failure_rate", 0.0), f"{where}: failure_rate"),
                build=parse_range(raw["build_hours"], BUILD_HOURS, f"{where}: build_hours"),
                basis=" ".join(str(raw.get("basis", "")).split()), source=source,
            )
        except QuantityError as exc:
            raise RoiError(str(exc)) from None
    return found


def _file_error(path: Path, problem: str) -> TemplatesFileError:
    return TemplatesFileError(
        f"templates file '{visible(str(path))}' {problem} ({TEMPLATES_ENV}, or templates.toml beside the flags file)"
    )


def _read_user(path: Path) -> dict[str, Template]:
    text = read_own_file(path, lambda problem: _file_error(path, problem))
    try:
        return _parse(text, f"'{visible(str(path))}'")
    except TemplatesFileError:
        raise
    except RoiError as exc:
        raise TemplatesFileError(f"templates file {exc}") from None


@lru_cache(maxsize=8)
def _load(user_path: str, mtime: int | None) -> tuple[Template, ...]:
    templates = _parse(seed_path("templates.toml").read_text("utf-8"), "shipped templates.toml")
    if mtime is not None:
        templates.update(_read_user(Path(user_path)))
    return tuple(templates.values())


def load_templates() -> dict[str, Template]:
    """The shipped templates and the person's own (theirs win by name), by name."""
    path = user_templates_path()
    stamp = own_file_stamp(path, lambda problem: _file_error(path, problem))
    return {t.name: t for t in _load(str(path), stamp)}


def find_template(name: str) -> Template:
    templates = load_templates()
    found = templates.get(name.strip().lower())
    if found is None:
        raise RoiError(f"--like: no template {visible(name)!r} (known: {', '.join(sorted(templates))})")
    return found


# --- the estimate ------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """What the person gave `roi estimate` (None: not given)."""

    automation: float | None = None
    overhead: float | None = None
    failure_rate: float | None = None
    build: Range | None = None
    minutes: float | None = None
    per_week: float | None = None
    like: str | None = None


@dataclass(frozen=True)
class Estimated:
    """The estimate made: the task's one step and plan, where the minutes came from, and
    the figures a template gave."""

    task: Task
    step: Step
    plan: Plan
    samples: int  # logged occurrences behind the median (0: minutes were given)
    minutes_given: bool
    template: Template | None
    from_template: tuple[str, ...]  # fields of roi.template_marks.FIELD_WORDS
    updated: bool  # an earlier one-step estimate was changed


def _one_step(task: Task) -> Step | None:
    """The step an earlier estimate made (the only one, named after the task), None for a
    task without steps; RoiError for a task with steps of its own."""
    if not task.steps:
        return None
    if len(task.steps) == 1 and task.steps[0].name.casefold() == _step_name(task).casefold():
        return task.steps[0]
    raise RoiError(
        f"task {visible(task.name)!r} already has {len(task.steps)} step(s): an estimate in one step is for a task "
        "without steps (change its steps with `roi step edit`)"
    )


def _step_name(task: Task) -> str:
    return task.name[:200]


def estimate_task(store: Store, task_ref: str | int, given: Estimate) -> Estimated:
    """Make (or redo) the one-step estimate of a task; RoiError naming what is missing."""
    template = find_template(given.like) if given.like else None
    task_id = store.task_id(task_ref)
    task = store.get_task(task_id)
    earlier = _one_step(task)
    measured = measurements(store).get((task_id, None))
    if given.minutes is not None:
        minutes, samples = given.minutes, 0
    elif measured is not None:
        minutes, samples = measured.median_minutes, measured.samples
    elif earlier is not None:
        minutes, samples = earlier.minutes, 0
    else:
        raise RoiError(
            f"task {visible(task.name)!r} has no measured time: give --minutes M (its time by hand per "
            "occurrence), or log it first (`roi time start`, `roi import`)"
        )
    figures: dict[str, float | None] = {
        "automation": given.automation, "overhead_minutes": given.overhead, "failure_rate": given.failure_rate,
    }
    from_template: list[str] = []
    if template is not None:
        for field, value in (("automation", template.automation), ("overhead_minutes", template.overhead_for(minutes)),
                             ("failure_rate", template.failure_rate)):
            if figures[field] is None:
                figures[field] = value
                from_template.append(field)
    if earlier is not None:  # a redone estimate keeps what it is not told
        kept = {"automation": earlier.automation, "overhead_minutes": earlier.overhead,
                "failure_rate": earlier.failure_rate}
        figures = {k: kept[k] if v is None else v for k, v in figures.items()}
    build = given.build
    if build is None and template is not None:
        build = template.build
        from_template.append("build_hours")
    has_build = task.plan is not None and task.plan.build_given
    missing = [option for option, value in (("--automation", figures["automation"]),
                                            ("--overhead", figures["overhead_minutes"])) if value is None]
    if build is None and not has_build:
        missing.append("--build-hours")
    if missing:
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " and " + missing[-1]
        raise RoiError(
            f"the estimate of {visible(task.name)!r} needs {listed} (or --like TEMPLATE, e.g. "
            f"--like {task.category}, to take them from a category template)"
        )
    fields: dict[str, Any] = {
        "minutes": minutes, "minutes_low": None, "minutes_high": None,
        "automation": figures["automation"], "overhead": figures["overhead_minutes"],
        "overhead_low": None, "overhead_high": None, "failure_rate": figures["failure_rate"] or 0.0,
        # minutes the person stated stand against the log; the median follows it
        "pinned": given.minutes is not None and measured is not None,
    }
    with store.transaction():
        if earlier is not None and earlier.id is not None:
            step = store.update_step(int(earlier.id), **fields)
        else:
            step_id = store.add_step(task_id, Step(name=_step_name(task), **fields))
            step = store.get_step(step_id)
        plan_fields: dict[str, Any] = {}
        if build is not None:
            plan_fields = {"build_hours": build.likely, "build_low": None if build.is_point else build.low,
                           "build_high": None if build.is_point else build.high}
        plan = store.set_plan(task_id, **plan_fields)
        if given.per_week is not None:
            store.update_task(task_id, per_week=given.per_week)
        values = {f: v for f in from_template if (v := value_text(f, step, plan)) is not None}
        if template is not None:
            set_template_figures(store, task_id, step.id, template.name, values)
        elif earlier is None:
            set_template_figures(store, task_id, None, None, {})
    return Estimated(
        task=store.get_task(task_id), step=step, plan=plan, samples=samples,
        minutes_given=given.minutes is not None, template=template, from_template=tuple(from_template),
        updated=earlier is not None,
    )


# --- what every output marks --------------------------------------------------------------


def range_text(r: Range) -> str:
    """'1:3:8', '0.33:1:4' or '4': a range as a person reads it."""
    if r.is_point:
        return fmt(r.likely, 2)
    return ":".join(fmt(v, 2) for v in (r.low, r.likely, r.high))


def describe(e: Estimated) -> str:
    """What `roi estimate` did, in one sentence."""
    s, p = e.step, e.plan
    if e.minutes_given:
        minutes = f"{fmt(s.minutes, 2)} min by hand (given{', pinned against the log' if s.pinned else ''})"
    elif e.samples:
        minutes = f"{fmt(s.minutes, 2)} min by hand (the measured median of {e.samples:,} entries)"
    else:
        minutes = f"{fmt(s.minutes, 2)} min by hand (kept)"
    build = f"build {range_text(p.build_range)} h" if p.build_given else "build not estimated yet"
    text = (f"{'Re-estimated' if e.updated else 'Estimated'} {visible(e.task.name)} in one step: {minutes}, "
            f"automation {fmt(s.automation * 100, 0)}%, overhead {fmt(s.overhead or 0.0, 2)} min, "
            f"failure rate {fmt(s.failure_rate * 100, 0)}%, {build}")
    note = marks_note({f: e.template.name for f in e.from_template} if e.template else None)
    return text + (f" ({note})" if note else "") + "."
