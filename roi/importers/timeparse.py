"""Dates, times, durations and numbers as exports write them, with caches.

A date string is parsed once into the UTC epoch of its local midnight (cached), a time
of day into seconds (cached); their sum is the instant. Only on a day when the zone
changes its offset (DST) does a row take the slow path (`LocalClock.at`), which settles
non-existent and repeated local times. A value the fast paths refuse (``Jan 20, 2023, 6:25 PM``,
``20/Jan/23 6:25 PM``, ``20 January 2023 18:25``) is read by dateutil (`guess`), in the
day/month order decided for the file; zone texts of a per-row column (``UTC+1:00``,
``+0100``, ``Europe/Berlin``) by `zone_of`.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, tzinfo
from datetime import timezone as fixed_zone
from typing import Any

import pendulum

from roi.importers.api import RowError

_EPOCH = datetime(1970, 1, 1)

_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YMD = re.compile(r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})\.?")
_XXY = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})")
_AWARE = re.compile(r".*T\d\d:\d\d:\d\d(?:[.,]\d+)?(?:[Zz]|[+-]\d\d:?\d\d)?")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*([AaPp])?\.?(?:[Mm]\.?)?")


def _kept(cache: dict[Any, Any], key: Any, value: Any, limit: int = 100_000) -> Any:
    """`value`, stored in `cache` (emptied first when full: memory stays bounded)."""
    if len(cache) > limit:
        cache.clear()
    cache[key] = value
    return value


def timezone(name: str | None) -> tuple[tzinfo, str]:
    """A tzinfo for a zone name (None: the system zone); RowError-free, raises ValueError."""
    if not name:
        tz = pendulum.local_timezone()  # type: ignore[operator]
        return tz, str(getattr(tz, "name", "") or "local time")
    try:
        tz = pendulum.timezone(name)  # type: ignore[operator]
    except Exception:
        raise ValueError(f"unknown time zone {name!r} (use a name such as Europe/Berlin)") from None
    return tz, name


class DateOrder:
    """Reads the dates of one file, deciding day/month order from the values.

    `order` is "dmy", "mdy" or None (undecided until `decide` is called)."""

    def __init__(self, order: str | None = None, default: str = "mdy") -> None:
        self.order = order
        self.default = default
        self.seen: set[str] = set()  # "dmy" for 21/01/2026, "mdy" for 01/21/2026, "" for 01/02/2026
        self.sep = ""
        self.example = ""
        self.reason = ""

    def observe(self, text: str) -> None:
        m = _XXY.search(text)
        if m:
            a, b = int(m.group(1)), int(m.group(3))
            self.sep = self.sep or m.group(2)
            tells = "dmy" if a > 12 >= b else "mdy" if b > 12 >= a else ""
            self.example = self.example or (m.group(0) if tells else "")  # the first value that tells
            self.seen.add(tells)

    def decide(self) -> str:
        told = self.seen - {""}
        if self.order:
            self.reason = self.reason or f"dates read as {self.label()} (as asked)"
        elif len(told) == 2:
            self.order = self.default
            self.reason = (f"dates mix day-first and month-first values; read as {self.label()}"
                           " (rows that do not fit are rejected; use --map date_order=dmy|mdy)")
        elif told:
            self.order = told.pop()
            self.reason = f"dates read as {self.label()} (a value such as {self.example} has a day over 12)"
        else:
            self.order = "dmy" if self.sep in (".", "-") else self.default
            if "" in self.seen:
                self.reason = (f"every date fits both orders; read as {self.label()}"
                               " (use --map date_order=dmy or mdy to change)")
        return self.order

    def label(self) -> str:
        sep = self.sep or "/"
        return {"dmy": f"DD{sep}MM{sep}YYYY", "mdy": f"MM{sep}DD{sep}YYYY"}.get(self.order or "", "?")

    def parse(self, text: str, field: str = "date") -> tuple[int, int, int]:
        s = text.strip()
        m = None  # no regular expression runs over a long text
        if len(s) <= TEXT_MAX:
            m = _ISO_DATE.fullmatch(s) or _YMD.fullmatch(s) or _XXY.fullmatch(s)
        if not m:
            raise RowError(f"{field} is empty" if not s else f"{field} {text!r} is not a date")
        if m.re is _XXY:
            a, b, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
            if len(m.group(4)) == 2:
                y += 2000
            d, mo = (a, b) if (self.order or self.decide()) == "dmy" else (b, a)
        else:
            y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        try:
            datetime(y, mo, d)
        except ValueError:
            raise RowError(f"impossible date {text!r} in {field}") from None
        return y, mo, d


def parse_time_of_day(text: str, field: str = "time") -> float:
    """'14:05', '14:05:09', '2:05 PM', '02:05:09.5' -> seconds after midnight."""
    m = _TIME.fullmatch(text.strip()) if len(text) <= TEXT_MAX else None
    if not m:
        raise RowError(f"{field} is empty" if not text.strip() else f"{field} {text!r} is not a time of day")
    hours, minutes, seconds, fraction, ampm = m.groups()
    h, mi, s = int(hours), int(minutes), int(seconds or 0)
    frac = float("0." + fraction) if fraction else 0.0
    if (ampm and not 1 <= h <= 12) or mi > 59 or s > 59 or h > 24 or (h == 24 and (mi or s or frac)):
        raise RowError(f"impossible time {text!r} in {field}")
    if ampm:  # 12 AM is midnight, 12 PM noon
        h = h % 12 + (12 if ampm in "Pp" else 0)
    return h * 3600 + mi * 60 + s + frac


TEXT_MAX = 64  # longer is no date, time or duration (and no pattern is run over it)
FIRST_INSTANT = -62135596800.0  # 0001-01-01T00:00:00Z
PAST_LAST_INSTANT = 253402300800.0  # 10000-01-01T00:00:00Z: ISO text has four-digit years


def in_range(epoch: float) -> bool:
    """An instant that ISO-8601 text with a four-digit year can hold (not NaN, not inf)."""
    return FIRST_INSTANT <= epoch < PAST_LAST_INSTANT


class LocalClock:
    """Local (naive) dates and times of one file -> UTC epoch seconds, with caches."""

    def __init__(self, tz: tzinfo, dates: DateOrder | None = None) -> None:
        self.tz = tz
        self.dates = dates or DateOrder()
        self.days: dict[str, float] = {}  # date text -> UTC epoch of its local midnight
        self.dst_days: dict[str, tuple[int, int, int]] = {}  # (y, m, d) of a day the zone shifts
        self.times: dict[str, float] = {}
        self.zone = str(getattr(tz, "name", None) or getattr(tz, "key", None) or tz)
        self.adjusted: list[str] = []  # local times a DST shift skipped or repeated, since last taken

    def day(self, text: str, field: str = "date") -> Any:
        """Local midnight of a date string: a float epoch, or (y, m, d) on a day with a shift."""
        got: Any = self.days.get(text)
        if got is None:  # (not as get's default: that would look in dst_days on every call)
            got = self.dst_days.get(text)
        if got is not None:
            return got
        try:
            y, m, d = self.dates.parse(text, field)
        except RowError:
            guessed = guess(text, (self.dates.order or self.dates.default) == "dmy")
            if guessed is None:
                raise
            y, m, d = guessed.year, guessed.month, guessed.day
        try:
            off0 = datetime(y, m, d, 0, 0, 0, tzinfo=self.tz).utcoffset()
            off1 = datetime(y, m, d, 23, 59, 59, tzinfo=self.tz).utcoffset()
        except (OverflowError, ValueError):
            raise RowError(f"impossible date {text!r} in {field}") from None
        if off0 != off1 or off0 is None:
            self.dst_days[text] = (y, m, d)
            return (y, m, d)
        return _kept(self.days, text, (datetime(y, m, d) - _EPOCH).total_seconds() - off0.total_seconds())

    def at(self, day: Any, seconds: float) -> float:
        """Epoch of a local date (from `day`) plus seconds after midnight. A local time the
        shift skips or repeats is read as the later of its two readings (fold 0 and 1): a
        skipped 02:30 as the 03:30 it becomes, a repeated one as the second."""
        if type(day) is float:
            return day + seconds
        base = datetime(*day) + timedelta(seconds=seconds)
        first, second = (base.replace(tzinfo=self.tz, fold=fold).timestamp() for fold in (0, 1))
        if first != second:
            self.adjusted.append(f"{base:%Y-%m-%d %H:%M} " + (
                f"does not exist in {self.zone} (clocks go forward): read as"
                f" {base + timedelta(seconds=first - second):%H:%M}" if first > second
                else f"happens twice in {self.zone} (clocks go back): read as the second"))
        return max(first, second)

    def combine(self, date_text: str, time_text: str | None, dfield: str, tfield: str) -> float:
        """A date and an optional time of day (none: midnight)."""
        if not time_text:
            return self.at(self.day(date_text, dfield), 0.0)
        return self.instant(date_text, time_text, dfield, tfield)

    def instant(self, date_text: str, time_text: str, dfield: str, tfield: str) -> float:
        """A date and a time of day, both required (an empty time is an error). On the CSV hot
        path: the usual cache hits are looked up here, without a call."""
        day = self.days.get(date_text)
        if day is None:
            day = self.day(date_text, dfield)
        seconds = self.times.get(time_text)
        if seconds is None:
            seconds = _kept(self.times, time_text, parse_time_of_day(time_text, tfield), 200_000)
        return day + seconds if type(day) is float else self.at(day, seconds)

    def moment(self, text: str, field: str, date_text: str | None = None, dfield: str = "date") -> float:
        """A date-time string ('2024-01-02 10:00', ISO with offset or Z, basic ISO, else
        what dateutil reads: 'Jan 20, 2023, 6:25 PM'), or a bare time with `date_text`."""
        s = text.strip()
        if not s or len(s) > TEXT_MAX:
            raise RowError(f"{field} is empty" if not s else f"{field} {text!r} is not a date and time")
        try:
            if len(s) <= 11 and ":" in s and date_text is not None:  # a bare time of day
                return self.combine(date_text, s, dfield, field)
            if len(s) >= 15 and s[8:9] == "T" and s[:8].isdigit():  # basic ISO 20260319T000823Z
                return basic_iso(s, field, self)
            cut = s.find("T") if "T" in s[8:12] else s.find(" ")
            if cut == -1:  # a date alone
                return self.combine(s, None, field, field)
            rest = s[cut + 1 :].strip()
            if rest.endswith(("Z", "UTC", "GMT")) or "+" in rest or "-" in rest:
                try:
                    dt = datetime.fromisoformat(s.replace(" UTC", "Z").replace(" GMT", "Z"))
                except ValueError:
                    raise RowError(f"{field} {text!r} is not a date and time") from None
                return (dt if dt.tzinfo else dt.replace(tzinfo=self.tz)).timestamp()
            return self.combine(s[:cut], rest, field, field)
        except RowError as exc:
            got = guess(text, (self.dates.order or self.dates.default) == "dmy")
            if got is None:
                if repr(text) in str(exc) or repr(s) in str(exc):  # the error names the value
                    raise
                raise RowError(f"{field} {text!r} is not a date and time ({exc})") from None
        if got.tzinfo is not None:
            return got.timestamp()
        seconds = got.hour * 3600 + got.minute * 60 + got.second + got.microsecond / 1e6
        return self.at(self.day(got.date().isoformat(), field), seconds)

    def iso(self, epoch: float) -> str:
        """ISO-8601 UTC text of an instant, in whole seconds (for messages)."""
        if not in_range(epoch):
            raise RowError(f"date out of range ({epoch!r} seconds)")
        return (_EPOCH + timedelta(seconds=math.floor(epoch))).isoformat() + "Z"


def basic_iso(text: str, field: str, clock: LocalClock | None = None) -> float:
    """'20260319T000823Z' (Timewarrior, iCal) -> epoch; without Z it is local time."""
    s = text.strip()
    try:
        if len(s) not in (15, 16) or s[8] != "T" or s[15:] not in ("", "Z", "z"):
            raise ValueError
        y, mo, d = int(s[0:4]), int(s[4:6]), int(s[6:8])
        h, mi, sec = int(s[9:11]), int(s[11:13]), int(s[13:15])
        moment = datetime(y, mo, d, h, mi, sec)
    except ValueError:
        raise RowError(f"{field} {text!r} is not a date and time (YYYYMMDDTHHMMSSZ)") from None
    if s.endswith(("Z", "z")) or clock is None:
        return moment.replace(tzinfo=UTC).timestamp()
    return clock.at(clock.day(f"{y:04d}-{mo:02d}-{d:02d}", field), h * 3600 + mi * 60 + sec)


def aware_iso(text: Any, field: str) -> float:
    """An ISO-8601 instant ('2023-11-19T13:25:37.839000+00:00', '...525Z', even
    nanoseconds; without an offset: UTC) -> epoch."""
    if not isinstance(text, str) or len(text) > TEXT_MAX or not _AWARE.fullmatch(text.strip()):
        raise RowError(f"{field} {text!r} is not a date and time")
    try:
        dt = datetime.fromisoformat(text.strip().replace("z", "Z"))  # any fraction: read to microseconds
    except ValueError:
        raise RowError(f"{field} {text!r} is not a valid date and time") from None
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).timestamp()


# --- numbers and durations ------------------------------------------------------------------


def parse_number(text: str, field: str) -> float:
    """'1.5', '1,5', '2.000,0', '1,234.50', ' 7 ' -> float; RowError otherwise."""
    s = text.strip().replace("\u00a0", "").replace(" ", "").replace("'", "")
    if not s:
        raise RowError(f"{field} is empty")
    if s.rfind(",") > s.rfind("."):
        s = s.replace(".", "").replace(",", ".")  # 2.000,0 and 7,5: a comma after every dot is the decimal point
    else:
        s = s.replace(",", "")  # 1,234.50: commas group thousands
    try:
        value = float(s)
    except ValueError:
        raise RowError(f"{field} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise RowError(f"{field} {text!r} is not a finite number")
    if value < 0:
        raise RowError(f"negative duration {text!r} in {field}")
    return value


_CLOCK = re.compile(r"(-)?\s*(\d+):(\d{1,2})(?:(\s*min)|(?::(\d{1,2})(?:[.,]\d+)?)?)")  # h:mm[:ss], m:ss min
_UNITS = re.compile(
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:h|hr|hrs|hours?|std)\.?)?\s*"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:m|min|mins|minutes?)\.?)?\s*"
    r"(?:(\d+(?:[.,]\d+)?)\s*(?:s|sec|secs|seconds?)\.?)?",
    re.IGNORECASE,
)
_BARE = re.compile(r"\d[\d.,'\u00a0 ]*")
_UNIT_SECONDS = {"hours": 3600.0, "minutes": 60.0, "seconds": 1.0}
LONGEST = PAST_LAST_INSTANT - FIRST_INSTANT  # longer than any two dates can be apart


class Durations:
    """Duration strings of one column -> seconds, cached."""

    def __init__(self, unit: str = "clock", asked: bool = False) -> None:
        self.unit = unit  # clock | hours | minutes | seconds (how a bare number is read)
        self.asked = asked  # the person named the unit: a long entry is theirs to have
        self.cache: dict[str, float] = {}

    def length(self, text: str, field: str) -> float:
        """A duration that makes an entry's end. Over 24 h from a bare number, the column
        is likely in another unit than it was read in: refused, unless the unit was asked."""
        value = self(text, field)
        if value > 86400.0 and not self.asked and _BARE.fullmatch(text.strip()):
            other = "min or h" if self.unit == "seconds" else "s"
            raise RowError(f"{value / 3600:,.0f} hours in one entry ({field} {text!r}): is this column"
                           f" {'in another unit' if self.unit == 'seconds' else 'seconds'}? use --map duration_unit={other}")
        return value

    def __call__(self, text: str, field: str) -> float:
        got = self.cache.get(text)
        if got is None:
            got = _kept(self.cache, text, self.parse(text, field))
        return got

    def parse(self, text: str, field: str) -> float:
        s = text.strip()
        if not s or len(s) > TEXT_MAX:
            raise RowError(f"{field} is empty" if not s else f"{field} {text!r} is not a duration or a number")
        if s == "-":
            return 0.0
        m = _CLOCK.fullmatch(s)
        if s.startswith("-") and (m or s[1:2].isdigit()):
            raise RowError(f"negative duration {text!r} in {field}")
        if m:
            a, b = int(m.group(2)), int(m.group(3))
            if m.group(4):  # m:ss min
                return a * 60.0 + b
            if b > 59 or (m.group(5) and int(m.group(5)) > 59):
                raise RowError(f"{field} {text!r} is not a duration (minutes or seconds over 59)")
            return a * 3600.0 + b * 60.0 + int(m.group(5) or 0)  # h:mm too (Clockify, Kimai)
        try:
            number = parse_number(s, field)
        except RowError:
            m = _UNITS.fullmatch(s)
            if m and any(m.groups()):
                h, mi, se = (float((g or "0").replace(",", ".")) for g in m.groups())
                return h * 3600.0 + mi * 60.0 + se
            raise RowError(f"{field} {text!r} is not a duration or a number") from None
        seconds = number * _UNIT_SECONDS.get(self.unit, 3600.0)
        if seconds > LONGEST:
            raise RowError(f"{field} {text!r} is too long for a duration")
        return seconds


# --- what the fast paths do not read -------------------------------------------------------

_MONTH = re.compile(r"[A-Za-zÄÖÜäöüé]{3,}")
_NUMBERS = re.compile(r"\d+")
_ZONE = re.compile(r"(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
_ZONE_TAIL = re.compile(r"\s*\(?(?:UTC|GMT)\s*[+-]\d{1,2}(?::?\d{2})?\)?\s*$", re.IGNORECASE)
_cache: dict[tuple[str, bool], datetime | None] = {}


def guess(text: str, dayfirst: bool) -> datetime | None:
    """A date (and time) read by dateutil, naive unless the text has an offset; None when
    it is no date, or too vague (dateutil alone reads "5" as the 5th of this month): it
    must hold a year and a day (a month name or three numbers)."""
    key = (text, dayfirst)
    if len(text) > TEXT_MAX or key in _cache:  # a long text is never kept: no pattern runs over it
        return _cache.get(key)
    s = text.strip()
    zone = None
    tail = _ZONE_TAIL.search(s)
    if tail:  # dateutil reads "UTC+1" the POSIX way (an hour west): read the zone here
        zone, s = zone_of(tail.group(0).strip(" ()")), s[: tail.start()]
    elif _ISO_DATE.match(s):
        return None  # ISO text is the fast path's to read, and it has said no
    got = None
    words = [w for w in _MONTH.findall(s) if w.lower() not in ("am", "pm", "at", "um", "uhr")]
    numbers = _NUMBERS.findall(s)
    if len(numbers) >= (2 if words else 3) and any(len(n) in (2, 4) for n in numbers):
        from dateutil import parser

        try:
            got = parser.parse(s, dayfirst=dayfirst, default=datetime(2000, 1, 1))
            if zone is not None:
                got = got.replace(tzinfo=zone)
        except (ValueError, OverflowError, parser.ParserError):
            got = None
    return _kept(_cache, key, got, 50_000)


def zone_of(text: str) -> tzinfo | None:
    """A zone text of a per-row column: 'UTC+1:00', 'GMT-05:00', '+0100', 'UTC', 'Z', or a
    zone name ('Europe/Berlin'); None when it is none of those."""
    s = text.strip()
    if s.upper() in ("Z", "UTC", "GMT"):
        return UTC
    m = _ZONE.fullmatch(s)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        delta = timedelta(hours=hours, minutes=minutes) * (-1 if m.group(1) == "-" else 1)
        return fixed_zone(delta) if hours <= 14 and minutes <= 59 else None
    if "/" in s and len(s) < 40:
        try:
            return timezone(s)[0]
        except ValueError:
            return None
    return None
