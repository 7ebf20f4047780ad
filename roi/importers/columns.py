"""What a column means, decided from its name and from the first rows of the file (which
`csvlog` reads once before importing): the unit of a bare number in a duration column,
whether Hours / Minutes / Seconds columns add up or say one duration twice, whether a
description is free text rather than a task's name, and which rows are summaries.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

_UNIT_NAMES = (  # the first that a duration column's name says
    ("seconds", re.compile(r"\b(seconds?|secs?|sekunden)\b|\(s\)|\bin s\b")),
    ("minutes", re.compile(r"\b(minutes?|mins?|minuten)\b|\(m\)")),
    ("hours", re.compile(r"\b(hours?|hrs?|stunden|std)\b|\(h\)|decimal|dezimal")),
)
_WHOLE = re.compile(r"\d+")
BARE = re.compile(r"\d[\d.,'\u00a0 ]*")  # a number without a unit or a colon
UNIT_WORDS = {"s": "seconds", "sec": "seconds", "secs": "seconds", "second": "seconds", "seconds": "seconds",
              "m": "minutes", "min": "minutes", "mins": "minutes", "minute": "minutes", "minutes": "minutes",
              "h": "hours", "hr": "hours", "hrs": "hours", "hour": "hours", "hours": "hours"}
LABELS = ("total", "totals", "sum", "summe", "gesamt", "grand total", "subtotal", "sub-total", "insgesamt",
          "zwischensumme", "total time", "gesamtzeit", "somme", "totale", "totaal")
LABEL_SET = frozenset(v for label in LABELS for v in (label, label.title(), label.upper(), label.capitalize()))
_NUMERIC = re.compile(r"[\d.,:'\s\u00a0hms%-]+|=.*")  # numbers, durations, a formula left as text


def unit_of_name(name: str) -> str | None:
    """The unit a duration column's name says, if it says one."""
    n = name.strip().lower()
    return next((unit for unit, pattern in _UNIT_NAMES if pattern.search(n)), None)


def unit_of_values(values: Sequence[str]) -> tuple[str, str]:
    """(unit, why) for bare numbers of a duration column whose name does not say."""
    # A value of more than 15 characters is no duration: it has no say in the unit (its
    # row is rejected on its own), and int() of thousands of digits would raise.
    values = [v for v in values if len(v.strip()) <= 15]
    numbers = [int(v) for v in (v.strip() for v in values) if _WHOLE.fullmatch(v) and int(v) > 0]
    if not numbers or len(numbers) < len([v for v in values if v.strip() not in ("", "0")]):
        return "hours", ""  # fractions (1.5, 0,25): decimal hours
    median = statistics.median(numbers)
    by_60 = sum(1 for n in numbers if n % 60 == 0) / len(numbers)
    if by_60 >= 0.8 and median >= 600:
        return "seconds", "whole numbers, mostly multiples of 60"
    if max(numbers) > 24:
        return "minutes", "whole numbers over 24"
    return "hours", ""


def parts_add_up(rows: Sequence[Sequence[str]]) -> bool:
    """Hours / Minutes / Seconds columns (in that order, None for a missing one) of the
    first rows: True when they are parts of one duration (no 60 minutes or seconds, no
    fraction of an hour next to minutes)."""
    return not any(_number(m) >= 60 or _number(s) >= 60 or (_number(h) % 1 and _number(m))
                   for h, m, s in rows)


def _number(text: str) -> float:
    """A cell as a number, 0 when it is none (or empty)."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return 0.0


def free_text(rows: Sequence[Sequence[str]], first: int, others: Sequence[int]) -> int | None:
    """A column to name tasks by when the first task column is free text: it differs in
    most of (at least 30) rows, while another is filled in and has few values."""
    n = len(rows)
    if n < 30 or len({r[first].strip() for r in rows if first < len(r)}) <= n // 2:
        return None
    for col in others:
        values = [r[col].strip() for r in rows if col < len(r)]
        filled = [v for v in values if v]
        if len(filled) >= 0.9 * n and len(set(filled)) <= max(3, n // 5):
            return col
    return None


def is_label(row: Sequence[str]) -> bool:
    """The row's first text is a totals label ("Total", "Summe", "Total time: 12.5"), or
    one of its cells is one exactly."""
    first = next((c.strip().lower() for c in row if c.strip()), "")
    return first.startswith(LABELS) or any(c.strip() in LABEL_SET for c in row)


def numbers_only(row: Sequence[str]) -> bool:
    """The row holds numbers and durations (and labels) only, no text of an entry."""
    cells = [c.strip() for c in row if c.strip()]
    return bool(cells) and all(_NUMERIC.fullmatch(c) or c in LABEL_SET for c in cells)
