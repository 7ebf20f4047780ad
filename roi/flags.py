"""Low-ROI flags: rules are data (seeds/flags.toml plus the person's own TOML file)."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from roi.models import CATEGORIES, FlagField, FlagMatch, RoiError, Step, Task
from roi.seeds import own_file_stamp, read_own_file, seed_path
from roi.textsafe import visible

USER_RULES_ENV = "ROI_FLAGS"


@dataclass(frozen=True)
class FlagRule:
    code: str
    title: str
    reason: str
    categories: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    default_overhead_ratio: float | None = None
    source: str = "shipped"
    _pattern: re.Pattern[str] | None = field(default=None, compare=False, repr=False)

    def pattern(self) -> re.Pattern[str] | None:
        if not self.words:
            return None
        if self._pattern is None:
            alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in self.words)
            object.__setattr__(
                self, "_pattern", re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)
            )
        return self._pattern

    def match(self, task: Task) -> FlagMatch | None:
        """What raises this rule on the task, first of: its category, its name, a tag,
        a step name (None: the rule does not apply)."""
        if task.category in self.categories:
            return FlagMatch(field="category", word=task.category, text=task.category)
        pattern = self.pattern()
        if pattern is None:
            return None
        fields: tuple[tuple[FlagField, list[str]], ...] = (
            ("name", [task.name]), ("tag", list(task.tags)), ("step", [s.name for s in task.steps]),
        )
        for where, texts in fields:
            for text in texts:
                found = pattern.search(text)
                if found:
                    return FlagMatch(field=where, word=" ".join(found.group(0).lower().split()), text=text)
        return None

    def matches(self, task: Task) -> bool:
        return self.match(task) is not None

    def matches_step(self, step: Step) -> bool:
        """Whether a step's name holds one of the rule's words (a step-level match puts
        the rule's overhead assumption on that step only)."""
        pattern = self.pattern()
        return pattern is not None and pattern.search(step.name) is not None


def user_rules_path() -> Path:
    if os.environ.get(USER_RULES_ENV):
        return Path(os.environ[USER_RULES_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("roi", appauthor=False)) / "flags.toml"


def parse_rules(text: str, source: str) -> list[FlagRule]:
    """Rules from TOML text; RoiError naming the file, rule and field on a mistake."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RoiError(f"{source}: not valid TOML: {exc}") from None
    rules = []
    for index, raw in enumerate(data.get("rule", []), start=1):
        where = f"{source}: rule {index}"
        if not isinstance(raw, dict):
            raise RoiError(f"{where}: must be a table")
        for required in ("code", "reason"):
            if not isinstance(raw.get(required), str) or not raw[required].strip():
                raise RoiError(f"{where}: field {required!r} must be non-empty text")
        unknown = set(raw) - {"code", "title", "reason", "categories", "words", "default_overhead_ratio"}
        if unknown:
            raise RoiError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        categories = raw.get("categories", [])
        bad = [c for c in categories if c not in CATEGORIES]
        if bad:
            raise RoiError(f"{where}: unknown category {bad[0]!r} (known: {', '.join(CATEGORIES)})")
        ratio = raw.get("default_overhead_ratio")
        if ratio is not None and (not isinstance(ratio, int | float) or ratio < 0):
            raise RoiError(f"{where}: default_overhead_ratio must be a number >= 0 (got {ratio!r})")
        rules.append(
            FlagRule(
                code=raw["code"].strip(),
                title=str(raw.get("title", raw["code"])),
                reason=" ".join(raw["reason"].split()),
                categories=tuple(categories),
                words=tuple(str(w) for w in raw.get("words", [])),
                default_overhead_ratio=None if ratio is None else float(ratio),
                source=source,
            )
        )
    return rules


class FlagsFileError(RoiError):
    """The person's flag rules file cannot be used (unreadable, not UTF-8, not valid TOML,
    a wrong field): one line naming the file, exit code 2."""

    exit_code = 2


def _user_file_error(path: Path, problem: str) -> FlagsFileError:
    return FlagsFileError(f"flag rules file '{visible(str(path))}' {problem} (ROI_FLAGS or `roi flags path` names it)")


def _read_user_rules(path: Path) -> list[FlagRule]:
    text = read_own_file(path, lambda problem: _user_file_error(path, problem))
    try:
        return parse_rules(text, f"'{visible(str(path))}'")
    except RoiError as exc:
        raise FlagsFileError(f"flag rules file {exc}") from None


@lru_cache(maxsize=8)
def _load(user_path: str, mtime: float | None) -> tuple[FlagRule, ...]:
    shipped = seed_path("flags.toml")
    rules = {r.code: r for r in parse_rules(shipped.read_text("utf-8"), "shipped flags.toml")}
    if mtime is not None:
        for rule in _read_user_rules(Path(user_path)):
            rules[rule.code] = rule
    return tuple(rules.values())


def load_rules() -> tuple[FlagRule, ...]:
    """The shipped rules and the person's own (theirs win by code). A missing file of
    their own is no rules; one that is there and cannot be used is a FlagsFileError."""
    path = user_rules_path()
    return _load(str(path), own_file_stamp(path, lambda problem: _user_file_error(path, problem)))


def matching_rules(task: Task, rules: tuple[FlagRule, ...]) -> list[FlagRule]:
    return [rule for rule in rules if rule.matches(task)]


def rule_matches(task: Task, rules: tuple[FlagRule, ...]) -> list[tuple[FlagRule, FlagMatch]]:
    """Each rule that applies to the task, with what it matched."""
    return [(rule, found) for rule in rules if (found := rule.match(task)) is not None]


def find_code(code: str, codes: list[str]) -> str | None:
    """The full flag code a person means: 'low-roi:email' itself, or the short 'email'
    the tables show (any case); None when it is neither."""
    wanted = code.strip().lower()
    for full in codes:
        if full.lower() == wanted or full.split(":")[-1].lower() == wanted:
            return full
    return None
