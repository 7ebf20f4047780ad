"""Dates and zones the fast paths of `timeparse` do not read, as people's tools write them:
``Jan 20, 2023, 6:25 PM``, ``20/Jan/23 6:25 PM`` (Jira), ``20 January 2023 18:25``, and
zone texts of a per-row column (``UTC+1:00``, ``GMT-05:00``, ``+0100``, ``Europe/Berlin``).

Only a value the fast paths refused comes here (dateutil is imported on the first one),
so a file of ISO dates never pays for it. The day/month order is the one decided for
the file. A value must hold a year and a day (a month name or three numbers): dateutil
alone would read "5" as the 5th of this month.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

_MONTH = re.compile(r"[A-Za-zÄÖÜäöüé]{3,}")
_NUMBERS = re.compile(r"\d+")
_ZONE = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_ZONE_TAIL = re.compile(r"\s*\(?(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?\)?\s*$", re.IGNORECASE)
_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_cache: dict[tuple[str, bool], datetime | None] = {}


def guess(text: str, dayfirst: bool) -> datetime | None:
    """A date (and time) read by dateutil, naive unless the text has an offset; None when
    it is no date (or too vague to be one)."""
    key = (text, dayfirst)
    if key in _cache:
        return _cache[key]
    s = text.strip()
    zone = None
    tail = _ZONE_TAIL.search(s)
    if tail:  # dateutil reads "UTC+1" the POSIX way (an hour west): read the zone here
        zone, s = zone_of(tail.group(0).strip(" ()")), s[: tail.start()]
    got = None
    if _ISO.match(s) and not tail:
        return None  # ISO text is the fast path's to read, and it has said no
    words = [w for w in _MONTH.findall(s) if w.lower() not in ("am", "pm", "at", "um", "uhr")]
    if len(_NUMBERS.findall(s)) >= (2 if words else 3) and any(len(n) == 4 or len(n) == 2 for n in _NUMBERS.findall(s)):
        from dateutil import parser

        try:
            got = parser.parse(s, dayfirst=dayfirst, default=datetime(2000, 1, 1))
        except (ValueError, OverflowError, parser.ParserError):
            got = None
        if got is not None and zone is not None:
            got = got.replace(tzinfo=zone)
    if len(_cache) > 50_000:
        _cache.clear()
    _cache[key] = got
    return got


def zone_of(text: str) -> tzinfo | None:
    """A zone text of a per-row column: 'UTC+1:00', 'GMT-05:00', '+0100', 'UTC', 'Z', or a
    zone name ('Europe/Berlin'); None when it is none of those."""
    s = text.strip()
    if s.upper() in ("Z", "UTC", "GMT"):
        return UTC
    m = _ZONE.fullmatch(s)
    if m:
        sign, hours, minutes = m.group(1), int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if sign == "-" else delta)
    if "/" in s and len(s) < 40:
        import pendulum

        try:
            zone: Any = pendulum.timezone(s)  # type: ignore[operator]
        except Exception:
            return None
        return zone  # type: ignore[no-any-return]
    return None
