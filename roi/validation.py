"""How the inventory's values (roi.models) validate what comes in, without pydantic on
the read path.

The models are plain dataclasses, so reading them back from our own database (a ranking,
a report, `roi rank`) costs no validation and never loads pydantic: the store builds them
with `model_construct`. What comes in from a person (the CLI, the app's forms, settings,
demo and import data) is validated: calling a model, `Task(name=...)`, has pydantic check
every field against the constraints written beside it (`Annotated[float, Bounds(ge=0)]`,
read through pydantic's `__get_pydantic_core_schema__` hook) and against `__post_init__`;
pydantic loads then, the first time. A bad value raises pydantic's `ValidationError`, and
`describe_error` turns it into the one sentence a person reads.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, dataclass_transform

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = ["After", "Before", "Bounds", "Fields", "Model", "describe_error"]


class Bounds:
    """A field's constraints (`ge`, `gt`, `le`, `lt` for numbers, `min_length` and
    `max_length` for text), as pydantic's own number and string checks apply them, so a
    bad value reads as it always has ("must not be negative (got -3)"). Put it first in
    `Annotated[...]`, before any `Before` step, so that it constrains the value itself."""

    def __init__(self, **constraints: float) -> None:
        self.constraints = constraints

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        return {**handler(source), **self.constraints}


class Before:
    """A function that turns what a person typed into the value (or raises ValueError)
    before the type is checked: "80%" -> 0.8."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_before_validator_function(self.function, handler(source))


class After:
    """A check on the typed value (it returns the value, or raises ValueError)."""

    def __init__(self, function: Callable[[Any], Any]) -> None:
        self.function = function

    def __get_pydantic_core_schema__(self, source: Any, handler: Callable[[Any], Any]) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(self.function, handler(source))


_CONSTRUCTION: dict[type, tuple[tuple[str, Any, Any], ...]] = {}


def _construction(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """Each field of a dataclass with its default and default factory, worked out once."""
    if cls not in _CONSTRUCTION:
        _CONSTRUCTION[cls] = tuple((f.name, f.default, f.default_factory) for f in dataclasses.fields(cls))
    return _CONSTRUCTION[cls]


class Fields:
    """What every value here can do, pydantic's names kept: `model_construct` (no checks:
    for rows read back from our own database), `model_dump`, `model_copy`, `model_fields`."""

    @classmethod
    def model_construct(cls, **values: Any) -> Any:
        """An instance from trusted values, without validation; missing fields take their
        defaults. (The store reads every row through it: a ranking of 200 tasks makes 800.)"""
        data: dict[str, Any] = {}
        for name, default, factory in _construction(cls):
            if name in values:
                data[name] = values[name]
            elif default is not dataclasses.MISSING:
                data[name] = default
            elif factory is not dataclasses.MISSING:
                data[name] = factory()
            else:
                raise TypeError(f"{cls.__name__}.model_construct() needs {name!r}")
        obj = object.__new__(cls)
        obj.__dict__.update(data)  # as a frozen dataclass's __init__ sets them, past __setattr__
        return obj

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]

    def model_dump(
        self, *, mode: Literal["python", "json"] = "python", exclude: set[str] | None = None,
        exclude_none: bool = False,
    ) -> dict[str, Any]:
        """The fields as a dict, nested values as dicts; `mode="json"` writes dates as ISO text."""
        out: dict[str, Any] = {}
        for name in self.field_names():
            if exclude and name in exclude:
                continue
            value = _dumped(getattr(self, name), mode)
            if value is None and exclude_none:
                continue
            out[name] = value
        return out

    def model_copy(self, *, update: dict[str, Any] | None = None) -> Any:
        """A shallow copy with some fields replaced (not validated, as pydantic's)."""
        new = copy.copy(self)
        for name, value in (update or {}).items():
            object.__setattr__(new, name, value)
        return new


def _dumped(value: Any, mode: str) -> Any:
    if isinstance(value, Fields):
        return value.model_dump(mode=mode)  # type: ignore[arg-type]
    if isinstance(value, list | tuple):
        return [_dumped(v, mode) for v in value]
    if mode == "json" and isinstance(value, date | datetime):
        return value.isoformat()
    return value


class _ModelFields:
    """`Settings.model_fields`: each field's name -> its dataclass field (`.default`)."""

    def __get__(self, obj: object, owner: type) -> dict[str, dataclasses.Field[Any]]:
        return {f.name: f for f in dataclasses.fields(owner)}  # type: ignore[arg-type]


_ADAPTERS: dict[type, Any] = {}


@dataclass_transform(kw_only_default=True)  # type checkers see each model's own fields
class Model(Fields):
    """A value a person gives: calling the class validates (see the module's docstring)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = {"str_strip_whitespace": True, "extra": "forbid"}
    model_fields: ClassVar[dict[str, dataclasses.Field[Any]]] = _ModelFields()  # type: ignore[assignment]

    def __init__(self, **values: Any) -> None:
        adapter = _ADAPTERS.get(type(self))
        if adapter is None:
            from pydantic import TypeAdapter

            adapter = _ADAPTERS[type(self)] = TypeAdapter(type(self))
        # pydantic builds a checked instance (without calling __init__) and runs
        # __post_init__; this one takes its fields.
        checked = adapter.validate_python(values)
        self.__dict__.update(checked.__dict__)


def describe_error(exc: ValidationError) -> str:
    """One sentence per problem, naming the field and the value that was given."""
    sentences = []
    for err in exc.errors():
        field = ".".join(str(p) for p in err.get("loc", ())) or "value"
        given = err.get("input")
        message = err.get("msg", "is invalid")
        message = message.removeprefix("Value error, ")
        ctx = err.get("ctx") or {}
        kind = err.get("type", "")
        if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
            message = _bounds_message(field, ctx)
        elif kind in ("float_parsing", "float_type", "int_parsing", "int_type"):
            message = "must be a number"
        elif kind == "literal_error":
            message = f"must be one of {ctx.get('expected', '')}"
        elif kind == "string_too_short":
            message = "must not be empty"
        if isinstance(given, dict | list) or field == "value":
            sentences.append(f"{field}: {message}." if field != "value" else f"{message}.")
        else:
            sentences.append(f"{field} {message} (got {given!r}).")
    return " ".join(sentences)


def _bounds_message(field: str, ctx: dict[str, Any]) -> str:
    if field in ("automation", "failure_rate"):
        return "must be between 0 and 1 (or 0% to 100%)"
    if "ge" in ctx and ctx["ge"] == 0:
        return "must not be negative"
    if "gt" in ctx:
        return f"must be greater than {ctx['gt']}"
    if "ge" in ctx:
        return f"must be at least {ctx['ge']}"
    if "le" in ctx:
        return f"must be at most {ctx['le']}"
    if "lt" in ctx:
        return f"must be less than {ctx['lt']}"
    return "is out of range"
