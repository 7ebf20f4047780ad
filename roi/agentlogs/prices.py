"""The price table of agent models (seeds/prices.toml) and the person's own agents file,
which can replace or add prices and map working directories to tasks.

The person's file is $ROI_AGENTS, else agents.toml beside their flag rules file:

    [price."my-model"]          # the form of seeds/prices.toml; yours win by name
    input = 2.0
    output = 8.0
    cache_write = 2.5
    cache_read = 0.2
    taken = 2025-12-01

    [[attach]]                  # sessions whose working directory matches `cwd` (a glob)
    cwd = "~/code/invoice-bot*" # are the build (or the runs) of that task
    task = "Invoices"
    role = "build"              # or "runs"

Costs are in US dollars: a separate figure, never turned into hours.
"""

from __future__ import annotations

import fnmatch
import math
import os
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from roi.agentlogs.parse import Usage
from roi.errors import RoiError
from roi.seeds import own_file_stamp, read_own_file, seed_path
from roi.textsafe import visible

AGENTS_ENV = "ROI_AGENTS"
KINDS = ("input", "output", "cache_write", "cache_read")
ROLES = ("build", "runs")
_DATED = re.compile(r"-\d{8}$")


class AgentsFileError(RoiError):
    """The person's agents file cannot be used: one line naming it, exit code 2."""

    exit_code = 2


@dataclass(frozen=True)
class Price:
    """US dollars per million tokens of each kind, and when they were taken."""

    model: str
    input: float
    output: float
    cache_write: float
    cache_read: float
    taken: date | None
    source: str = "shipped"

    def cost(self, usage: Usage) -> float:
        return (usage.input * self.input + usage.output * self.output
                + usage.cache_write * self.cache_write + usage.cache_read * self.cache_read) / 1_000_000


@dataclass(frozen=True)
class AttachRule:
    """Sessions whose working directory matches the glob belong to the task, as its role."""

    cwd: str
    task: str
    role: str

    def matches(self, cwd: str) -> bool:
        pattern = os.path.expanduser(self.cwd)
        return bool(cwd) and (fnmatch.fnmatchcase(cwd, pattern) or fnmatch.fnmatchcase(cwd.rstrip("/"), pattern))


@dataclass(frozen=True)
class PriceTable:
    prices: dict[str, Price]  # by every name that matches: model names and aliases

    def find(self, model: str) -> Price | None:
        """The price of a model: by exact name, else without a trailing -YYYYMMDD."""
        found = self.prices.get(model)
        if found is None:
            found = self.prices.get(_DATED.sub("", model))
        return found

    def cost(self, usage: dict[str, Usage]) -> tuple[float | None, tuple[str, ...]]:
        """The cost of a session's usage by model, and the models with no price. The cost
        is None when nothing in it is priced; it leaves out the unpriced models' tokens
        (they are named, never counted as free)."""
        total, priced, missing = 0.0, False, []
        for model, used in usage.items():
            price = self.find(model)
            if price is None:
                if used.total:
                    missing.append(model)
                continue
            total += price.cost(used)
            priced = True
        return (total if priced else None), tuple(sorted(missing))


def user_agents_path() -> Path:
    """$ROI_AGENTS, else agents.toml beside the person's flag rules file."""
    if os.environ.get(AGENTS_ENV):
        return Path(os.environ[AGENTS_ENV]).expanduser()
    from roi.flags import user_rules_path

    return user_rules_path().parent / "agents.toml"


def _rate(raw: dict[str, Any], key: str, where: str) -> float:
    if key not in raw:
        raise RoiError(f"{where}: field {key!r} is missing")
    value = raw[key]
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise RoiError(f"{where}: {key} must be a number of dollars per million tokens, 0 or more (got {value!r})")
    return float(value)


def _prices(data: dict[str, Any], source: str) -> dict[str, Price]:
    tables = data.get("price", {})
    if not isinstance(tables, dict):
        raise RoiError(f"{source}: [price.MODEL] tables expected")
    found: dict[str, Price] = {}
    for model, raw in tables.items():
        where = f"{source}: price {visible(model)!r}"
        if not isinstance(raw, dict):
            raise RoiError(f"{where}: must be a table")
        unknown = set(raw) - {*KINDS, "taken", "aliases"}
        if unknown:
            raise RoiError(f"{where}: unknown field(s) {', '.join(sorted(map(visible, unknown)))}")
        taken = raw.get("taken")
        if taken is not None and not isinstance(taken, date):
            raise RoiError(f"{where}: taken must be a date like 2025-11-24 (got {taken!r})")
        aliases = raw.get("aliases", [])
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise RoiError(f"{where}: aliases must be a list of model names")
        rates = {k: _rate(raw, k, where) for k in KINDS}
        price = Price(model, rates["input"], rates["output"], rates["cache_write"], rates["cache_read"],
                      taken=taken, source=source)
        for name in (model, *aliases):
            found[name] = price
    return found


def _attach(data: dict[str, Any], source: str) -> tuple[AttachRule, ...]:
    rules = data.get("attach", [])
    if not isinstance(rules, list):
        raise RoiError(f"{source}: [[attach]] tables expected")
    found = []
    for number, raw in enumerate(rules, 1):
        where = f"{source}: attach #{number}"
        if not isinstance(raw, dict):
            raise RoiError(f"{where}: must be a table")
        for key in ("cwd", "task"):
            if not isinstance(raw.get(key), str) or not raw[key].strip():
                raise RoiError(f"{where}: field {key!r} must be a non-empty text")
        role = raw.get("role", "build")
        if role not in ROLES:
            raise RoiError(f"{where}: role must be build or runs (got {role!r})")
        found.append(AttachRule(raw["cwd"].strip(), raw["task"].strip(), role))
    return tuple(found)


def _toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoiError(f"{source}: not valid TOML: {exc}") from None


def _file_error(path: Path, problem: str) -> AgentsFileError:
    return AgentsFileError(f"agents file '{visible(str(path))}' {problem} ({AGENTS_ENV}, or agents.toml beside the flags file)")


@lru_cache(maxsize=8)
def _load(user_path: str, mtime: int | None) -> tuple[PriceTable, tuple[AttachRule, ...]]:
    prices = _prices(_toml(seed_path("prices.toml").read_text("utf-8"), "shipped prices.toml"), "shipped")
    rules: tuple[AttachRule, ...] = ()
    if mtime is not None:
        path = Path(user_path)
        text = read_own_file(path, lambda problem: _file_error(path, problem))
        source = f"'{visible(user_path)}'"
        try:
            data = _toml(text, source)
            prices.update(_prices(data, source))
            rules = _attach(data, source)
        except RoiError as exc:
            raise AgentsFileError(f"agents file {exc}") from None
    return PriceTable(prices), rules


def _loaded() -> tuple[PriceTable, tuple[AttachRule, ...]]:
    path = user_agents_path()
    return _load(str(path), own_file_stamp(path, lambda problem: _file_error(path, problem)))


def load_prices() -> PriceTable:
    """The shipped prices and the person's own (theirs win by model name)."""
    return _loaded()[0]


def attach_rules() -> tuple[AttachRule, ...]:
    """The person's working-directory -> task rules, in their file's order."""
    return _loaded()[1]
