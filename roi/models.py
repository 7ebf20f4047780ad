"""The inventory's values: tasks, steps, plans, time entries, flags, settings.

They are plain dataclasses: reading them back from our own database (a ranking, a
report, `roi rank`) costs no validation, and calling one validates what a person gives
(see roi.validation: the constraints beside each field, pydantic loaded on first use).
"""

from __future__ import annotations

import dataclasses
import math
import re
import types
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Annotated, Any, Literal

from roi.errors import RoiError  # noqa: F401 - re-exported: most modules import it from here
from roi.validation import After, Before, Bounds, Fields, Model, describe_error  # noqa: F401 - re-exported

CATEGORIES = (
    "email",
    "calendar",
    "writing",
    "coding",
    "data",
    "admin",
    "media",
    "research",
    "meetings",
    "other",
)
STATUSES = ("idea", "planned", "building", "automated", "dropped")
VERDICTS = ("automate", "maybe", "skip")

Category = Literal[
    "email", "calendar", "writing", "coding", "data", "admin", "media", "research", "meetings", "other"
]
Status = Literal["idea", "planned", "building", "automated", "dropped"]


def parse_fraction(value: Any) -> Any:
    """Accept 0.8, "0.8" or "80%" for a share between 0 and 1."""
    if isinstance(value, str):
        text = value.strip()
        if text.endswith("%"):
            number = text[:-1].strip()
            try:
                return float(number) / 100.0
            except ValueError:
                return value  # let pydantic report the original text
        return text
    return value


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("must be a finite number")
    return value


Fraction = Annotated[float, Bounds(ge=0.0, le=1.0), Before(parse_fraction)]
NonNegative = Annotated[float, Bounds(ge=0.0), Before(_finite)]
Positive = Annotated[float, Bounds(gt=0.0), Before(_finite)]


@dataclass(frozen=True)
class Range(Fields):
    """A three-point estimate LOW:LIKELY:HIGH. A single value has low = likely = high."""

    low: float
    likely: float
    high: float

    def __post_init__(self) -> None:
        for v in (self.low, self.likely, self.high):
            if not math.isfinite(v) or v < 0:
                raise ValueError(f"a range's values must be finite and not negative (got {self})")
        if not (self.low <= self.likely <= self.high):
            raise ValueError(
                f"a range must be ordered LOW <= LIKELY <= HIGH (got {self.low:g}:{self.likely:g}:{self.high:g})"
            )

    @classmethod
    def single(cls, value: float) -> Range:
        return cls(low=value, likely=value, high=value)

    @property
    def is_point(self) -> bool:
        return self.low == self.likely == self.high

    def __str__(self) -> str:
        if self.is_point:
            return f"{self.likely:g}"
        return f"{self.low:g}:{self.likely:g}:{self.high:g}"


# A three-point estimate is stored (in the models and in the database) as three columns:
# the likely value and optional low and high ends. These are the only two functions that
# convert between those columns and a `Range`.
RANGE_COLUMNS: dict[str, tuple[str, str, str]] = {
    "per_week": ("per_week", "per_week_low", "per_week_high"),
    "minutes": ("minutes", "minutes_low", "minutes_high"),
    "overhead": ("overhead", "overhead_low", "overhead_high"),
    "build_hours": ("build_hours", "build_low", "build_high"),
}


def around(likely: float, low: float | None, high: float | None) -> Range:
    """The range stored as a likely value with optional low and high ends."""
    return Range(
        low=likely if low is None else low,
        likely=likely,
        high=likely if high is None else high,
    )


def range_fields(field: str, r: Range) -> dict[str, float | None]:
    """The stored columns of a range (the inverse of `around`): the likely value, and the
    low and high ends only when it is a range (None for a single value).
    `range_fields("build_hours", 4:8:30)` is {build_hours: 8, build_low: 4, build_high: 30}."""
    likely, low, high = RANGE_COLUMNS[field]
    if r.is_point:
        return {likely: r.likely, low: None, high: None}
    return {likely: r.likely, low: r.low, high: r.high}


_RANGE_RE = re.compile(r"^\s*([^:]+)\s*:\s*([^:]+)\s*:\s*([^:]+)\s*$")


def parse_range(text: str | float | int, field: str) -> Range:
    """Parse `8` or `4:8:30` into a Range; raise RoiError naming the field and value."""
    if isinstance(text, int | float):
        values = [float(text)] * 3
    else:
        match = _RANGE_RE.match(str(text))
        parts = list(match.groups()) if match else [str(text)] * 3
        try:
            values = [float(p) for p in parts]
        except ValueError:
            raise RoiError(
                f"{field} must be a number of hours or LOW:LIKELY:HIGH (got {text!r})"
            ) from None
    if any(not math.isfinite(v) for v in values):
        raise RoiError(f"{field} must be a finite number (got {text!r})")
    if any(v < 0 for v in values):
        raise RoiError(f"{field} must not be negative (got {text!r})")
    try:
        return Range(low=values[0], likely=values[1], high=values[2])
    except ValueError as exc:
        raise RoiError(f"{field}: {exc}.") from None


def _check_order(name: str, likely: float | None, low: float | None, high: float | None) -> None:
    if likely is None:
        return
    if (low is not None and low > likely) or (high is not None and high < likely):
        raise ValueError(
            f"{name} range must be ordered LOW <= LIKELY <= HIGH "
            f"(got {low if low is not None else likely:g}:{likely:g}:{high if high is not None else likely:g})"
        )


@dataclass(init=False, kw_only=True)
class Step(Model):
    id: int | None = None
    task_id: int | None = None
    position: int = 0
    name: Annotated[str, Bounds(min_length=1, max_length=200)]
    minutes: NonNegative  # manual minutes per occurrence (estimate)
    minutes_low: NonNegative | None = None
    minutes_high: NonNegative | None = None
    automation: Fraction = 1.0
    overhead: NonNegative | None = None  # overhead minutes per occurrence; None = not given
    overhead_low: NonNegative | None = None
    overhead_high: NonNegative | None = None
    failure_rate: Fraction = 0.0
    running_cost: NonNegative = 0.0  # money per occurrence
    pinned: bool = False

    def __post_init__(self) -> None:
        _check_order("minutes", self.minutes, self.minutes_low, self.minutes_high)
        _check_order("overhead", self.overhead, self.overhead_low, self.overhead_high)

    @property
    def minutes_range(self) -> Range:
        return around(self.minutes, self.minutes_low, self.minutes_high)

    @property
    def overhead_range(self) -> Range | None:
        if self.overhead is None:
            return None
        return around(self.overhead, self.overhead_low, self.overhead_high)


@dataclass(init=False, kw_only=True)
class Plan(Model):
    task_id: int | None = None
    build_hours: NonNegative = 0.0
    build_low: NonNegative | None = None
    build_high: NonNegative | None = None
    upkeep_hours_per_week: NonNegative = 0.0
    start_date: date | None = None
    actual_build_hours: NonNegative | None = None
    built_on: date | None = None
    build_given: bool = True  # False: no build estimate yet (a plan made for upkeep or a timed build)

    def __post_init__(self) -> None:
        _check_order("build_hours", self.build_hours, self.build_low, self.build_high)

    @property
    def build_range(self) -> Range:
        return around(self.build_hours, self.build_low, self.build_high)


def _split_tags(value: Any) -> Any:
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return value


def _lower(value: Any) -> Any:
    return value.strip().lower() if isinstance(value, str) else value


@dataclass(init=False, kw_only=True)
class Task(Model):
    id: int | None = None
    name: Annotated[str, Bounds(min_length=1, max_length=300)]
    category: Annotated[Category, Before(_lower)] = "other"
    tags: Annotated[list[str], Before(_split_tags)] = field(default_factory=list)
    notes: str = ""
    per_week: NonNegative | None = None  # occurrences per week (stated)
    per_week_low: NonNegative | None = None
    per_week_high: NonNegative | None = None
    per_week_pinned: bool = False
    status: Status = "idea"
    learning_value: bool = False
    learning_note: str = ""
    steps: list[Step] = field(default_factory=list)
    plan: Plan | None = None

    def __post_init__(self) -> None:
        _check_order("per_week", self.per_week, self.per_week_low, self.per_week_high)

    @property
    def per_week_range(self) -> Range:
        return around(self.per_week or 0.0, self.per_week_low, self.per_week_high)

    @property
    def live(self) -> bool:
        """The automation runs: status "automated", set only by an explicit act (`roi task
        edit TASK --status automated` or `roi plan TASK --live`), never by recording the
        build's actual hours. The ranking marks it live and the roadmap does not schedule it."""
        return self.status == "automated"


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise ValueError("must carry a time zone")
    return value


@dataclass(init=False, kw_only=True)
class TimeEntry(Model):
    id: int | None = None
    task_id: int
    step_id: int | None = None
    start: Annotated[datetime, After(_aware)]
    end: Annotated[datetime | None, After(_aware)] = None
    duration_s: NonNegative | None = None
    source: str = "stopwatch"
    kind: Literal["work", "build"] = "work"
    description: str = ""
    batch_id: int | None = None


@dataclass(frozen=True)
class Measurement:
    """What the time log says about a task or a step: how many occurrences, their median
    minutes, and the first and last start (see roi.db.timelog, which computes it)."""

    samples: int
    median_minutes: float
    first_start: datetime
    last_start: datetime
    # How the log's entries became occurrences (roi.db.measurements): "entries" (one
    # each), "sessions" (fragments joined), "counted" (occurrences without durations,
    # such as messages or invites: frequency only, `samples` 0). `entries`: rows read;
    # `counted`: occurrences for the frequency (0: `samples`); `sources`: formats, comma-joined.
    rule: str = "entries"
    entries: int = 0
    counted: int = 0
    sources: str = ""
    gap_minutes: float | None = None

    @property
    def occurrences(self) -> int:
        """Occurrences for the frequency: counted ones (messages, invites) where there
        are any, else the timed samples."""
        return self.counted or self.samples

    def per_week(self, occurrences: int | None = None) -> float:
        """Occurrences a week over the log's span.

        n occurrences spread from first to last span n - 1 intervals, so the rate is
        (n - 1) / span: four weekly entries are once a week, not 4 in 3 weeks. A log
        shorter than a week cannot show a weekly rhythm; it counts as one week."""
        n = self.samples if occurrences is None else occurrences
        weeks = (self.last_start - self.first_start).total_seconds() / (7 * 86400.0)
        if weeks < 1.0:
            return float(n)
        return (n - 1) / weeks


FlagField = Literal["category", "name", "tag", "step"]


@dataclass(frozen=True)
class FlagMatch(Fields):
    """What raised a flag: the rule's word (or category) and the field it was found in;
    `text` is that field's value (the task name, the tag, the step name, the category)."""

    field: FlagField
    word: str
    text: str = ""

    def describe(self) -> str:
        """'step "send email" matched "email"': the words a person reads (unsafe text is
        the caller's to make visible)."""
        if self.field == "category":
            return f'category "{self.text or self.word}"'
        return f'{self.field} "{self.text}" matched "{self.word}"'


@dataclass(frozen=True)
class Flag(Fields):
    """A low-ROI flag on a task. A flag raised by the task's name, category or tags
    decides the verdict (`scope` "task"); one raised only by step names applies its
    default overhead to those steps and leaves the verdict to the numbers ("step")."""

    code: str
    reason: str
    dismissed: bool = False
    matched: FlagMatch | None = None

    @property
    def short_code(self) -> str:
        """The code as the tables show it: 'low-roi:email' -> 'email'."""
        return self.code.split(":")[-1]

    @property
    def scope(self) -> Literal["task", "step"]:
        return "step" if self.matched is not None and self.matched.field == "step" else "task"


def _known_zone(value: str | None) -> str | None:
    if value in (None, ""):
        return None
    import pendulum

    try:
        pendulum.timezone(value)
    except Exception:
        raise ValueError("is not a known time zone name such as Europe/Berlin") from None
    return value


@dataclass(init=False, kw_only=True)
class Settings(Model):
    horizon_weeks: Positive = 52.0
    overrun_factor: Annotated[float, Bounds(ge=1.0, le=20.0), Before(_finite)] = 1.0
    automate_within: Annotated[float, Bounds(gt=0.0, le=1.0)] = 0.25
    maybe_within: Annotated[float, Bounds(gt=0.0, le=10.0)] = 1.0
    automate_probability: Annotated[float, Bounds(ge=0.0, le=1.0)] = 0.8
    timezone: Annotated[str | None, After(_known_zone)] = None
    hourly_value: NonNegative | None = None
    currency: str = "$"
    min_samples: Annotated[int, Bounds(ge=1, le=1000)] = 3
    monte_carlo_samples: Annotated[int, Bounds(ge=0, le=1_000_000)] = 10_000
    build_budget_hours_per_week: Annotated[float, Bounds(gt=0.0, le=168.0), Before(_finite)] = 4.0
    seed: int = 1205
    agent_idle_gap: Annotated[float, Bounds(gt=0.0, le=1440.0), Before(_finite)] = 5.0
    theme: Annotated[str, Bounds(max_length=60)] | None = None
    session_gap: Annotated[float, Bounds(ge=0.0, le=1440.0), Before(_finite)] = 5.0
    me: Annotated[str, Bounds(max_length=320)] | None = None

    def __post_init__(self) -> None:
        if self.automate_within > self.maybe_within:
            raise ValueError(
                "automate_within must not be larger than maybe_within "
                f"(got {self.automate_within:g} > {self.maybe_within:g})"
            )

    @classmethod
    def stored(cls, values: dict[str, Any]) -> Settings:
        """The settings as read back from the database, where `set_setting` validated each
        value when it was written: they are taken as they are when each has its field's
        type, so reading them loads no validation. A value of another type (a hand-edited
        database) sends the whole set through validation, and a set that fails it gives
        the defaults: a bad value never locks the person out."""
        kinds = _KINDS.get(cls) or _KINDS.setdefault(cls, _kinds(cls))  # the same for every read
        if all(k in kinds and _is_a(v, kinds[k]) for k, v in values.items()):
            return cls.model_construct(**{
                k: float(v) if float in kinds[k] and type(v) is int else v for k, v in values.items()
            })
        from pydantic import ValidationError

        try:
            return cls(**values)
        except ValidationError:
            return cls.model_construct()


_KINDS: dict[type, dict[str, tuple[type, ...]]] = {}


def _kinds(cls: type) -> dict[str, tuple[type, ...]]:
    """Each field's plain types, NoneType included where it may be None:
    `NonNegative | None` -> (float, NoneType)."""
    import typing

    hints = typing.get_type_hints(cls)
    kinds = {}
    for f in dataclasses.fields(cls):  # type: ignore[arg-type]
        hint = hints[f.name]
        parts = typing.get_args(hint) if typing.get_origin(hint) in (typing.Union, types.UnionType) else (hint,)
        kinds[f.name] = tuple(typing.get_origin(p) or p for p in parts)
    return kinds


def _is_a(value: Any, kinds: tuple[type, ...]) -> bool:
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, int | float) and float in kinds:
        return math.isfinite(value)
    return isinstance(value, tuple(k for k in kinds if isinstance(k, type)))


SETTING_HELP = {
    "horizon_weeks": "weeks over which net hours and ROI are counted (default 52)",
    "overrun_factor": "how much longer builds take than estimated, >= 1 (default 1.0)",
    "automate_within": "verdict automate when payback <= this share of the horizon (default 0.25)",
    "maybe_within": "verdict maybe when payback <= this share of the horizon (default 1.0)",
    "automate_probability": "with three-point estimates, automate needs this chance of paying back (default 0.8)",
    "timezone": "time zone for logs without offsets, e.g. Europe/Berlin (default: system)",
    "hourly_value": "value of one of your hours, for money figures (optional)",
    "currency": "currency symbol for money figures (default $)",
    "min_samples": "logged occurrences needed before measured minutes replace estimates (default 3)",
    "monte_carlo_samples": "samples of the Monte Carlo over three-point estimates (default 10000)",
    "build_budget_hours_per_week": "hours a week you can spend building, for the roadmap (default 4)",
    "seed": "random seed of the Monte Carlo, so figures are repeatable",
    "agent_idle_gap": "minutes between two events of an agent session beyond which you were away (default 5)",
    "session_gap": "minutes between fragments (window events, sub-minute entries) that still join one session (default 5)",
    "me": "your email address: mail sent from it and invites it organised are yours (calendar and mailbox imports)",
    "theme": "colour theme of the terminal app, as last chosen in its command palette (default: textual-dark)",
}
