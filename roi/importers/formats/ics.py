"""Calendars: iCalendar (.ics) exports of Google Calendar, Outlook and Apple Calendar.

Each timed event becomes a time entry: its task is the event's (series') SUMMARY, or
with `--task-from meetings` one `Meetings` task (`--task-from calendar`: the calendar's
name). Recurring events are expanded with `recurring-ical-events` (RRULE, RDATE, EXDATE,
RECURRENCE-ID overrides: a moved occurrence is counted once, at its new time), in the
time zones of their VTIMEZONE/TZID (floating times: the import's time zone).

Expansion is bounded: a series runs to its own UNTIL or COUNT, and never past today
(time not spent yet is not logged time), and at most MAX_PER_SERIES occurrences;
the note says what was cut.

Not counted: cancelled events (STATUS:CANCELLED, for a series or one occurrence) count
nowhere; an event you declined (your ATTENDEE line with PARTSTAT=DECLINED) is not
meeting time; all-day events have no times and are skipped.

Invites: an event you organised (ORGANIZER is `me`: `roi config set me ADDRESS` or
`roi import --me ADDRESS`) is also one occurrence of the `Calendar invites` task
(flagged low-roi:calendar): one per invite sent, so a series is one invite dated at its
first occurrence. It carries no time (creating an invite was not timed): it counts for
the frequency only, and the minutes stay an estimate.

Lines: each event's entries name the line its BEGIN:VEVENT is on; an event that cannot
be read is a rejected row with that line and the reason, and the others are kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from roi.importers.api import (
    Entry,
    FormatInfo,
    NotATaskLog,
    Options,
    Problem,
    Reading,
    clipped,
    register,
)

NAME = "ics"
TITLE = "iCalendar (.ics) calendar"
FIELDS = ["summary", "meetings", "calendar"]
MEETINGS = "Meetings"
INVITES = "Calendar invites"
INVITE_TAGS = ("occurrence", "calendar:invite")
MAX_PER_SERIES = 5000
RAW_LINES = 40  # lines of a rejected event kept


def sniff(source: Any) -> int:
    head = source.head.lstrip("\ufeff \t\r\n")
    return 99 if head[:15].upper() == "BEGIN:VCALENDAR" else 0


class _Block:
    """One VEVENT as it stands in the file: its first line and its text."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.lines: list[str] = []

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def split_calendar(text: str) -> tuple[list[str], list[_Block], str]:
    """The calendar's own lines (properties and VTIMEZONEs, without its events), its
    VEVENT blocks with their lines, and its name (X-WR-CALNAME)."""
    frame: list[str] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    depth = 0  # components open inside the current event (VALARM)
    name = ""
    for number, line in enumerate(text.splitlines(), start=1):
        upper = line.upper()
        if current is None:
            if upper.startswith("BEGIN:VEVENT"):
                current = _Block(number)
                current.lines.append(line)
                depth = 0
            elif upper.startswith("END:VCALENDAR"):
                continue
            else:
                frame.append(line)
                if upper.startswith("X-WR-CALNAME:"):
                    name = line.split(":", 1)[1].strip()
            continue
        current.lines.append(line)
        if upper.startswith("BEGIN:"):
            depth += 1
        elif upper.startswith("END:VEVENT") and depth == 0:
            blocks.append(current)
            current = None
        elif upper.startswith("END:"):
            depth = max(depth - 1, 0)
    if current is not None:
        blocks.append(current)  # an event never closed: reading it says so
    return frame, blocks, name


def _uid(block: _Block) -> str:
    for line in block.lines:
        if line.upper().startswith("UID:") or line.upper().startswith("UID;"):
            return line.split(":", 1)[1].strip()
    return f"\x00line {block.line}"  # no UID: an event of its own


def _address(value: Any) -> str:
    text = str(value or "").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    return text.strip().lower()


def _when(value: Any, tz: Any) -> datetime | None:
    """A DTSTART/DTEND value as an aware datetime (floating: the import's zone); None for
    a date (an all-day event)."""
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=tz)
    return None


class IcsReading(Reading):
    def __init__(self, source: Any, options: Options, today: date) -> None:
        self.title = TITLE
        self.options = options
        self.me = _address(options.me) if options.me else ""
        self.warnings = []
        self.frame, self.blocks, self.calendar_name = split_calendar(source.read_text().lstrip("\ufeff"))
        if not any(line.upper().startswith("BEGIN:VCALENDAR") for line in self.frame):
            raise NotATaskLog(f"{source.path} is not an iCalendar file (no BEGIN:VCALENDAR)")
        choice = (options.task_from or "").strip().lower()
        if choice and choice not in FIELDS:
            raise NotATaskLog(f"--task-from {options.task_from!r} is not a field of {TITLE} (choose from: {', '.join(FIELDS)})")
        if options.step_from:
            raise NotATaskLog(f"--step-from is not available for {TITLE}: events have no steps")
        self.task_from = choice or "summary"
        # never expand past the end of today (local): time not spent yet is not logged
        self.stop = datetime.combine(today + timedelta(days=1), time(), tzinfo=options.tz)
        self.total = len(self.blocks)
        self.counts = {"future": 0, "capped": 0, "invites": 0}
        self.note = "recurring events expanded up to today"
        if not self.me:
            self.note += "; no address of yours (roi config set me ADDRESS, or --me): invites you sent not counted, declines not known"

    def __iter__(self) -> Iterator[Entry | Problem]:
        series: dict[str, list[_Block]] = {}
        for block in self.blocks:
            series.setdefault(_uid(block), []).append(block)
        for blocks in series.values():
            yield from self._series(blocks)
        said = [f"{self.counts['invites']} invite{'s' * (self.counts['invites'] != 1)} you sent counted"] if self.me else []
        if self.counts["future"]:
            said.append(f"{self.counts['future']} event{'s' * (self.counts['future'] != 1)} after today not counted")
        if self.counts["capped"]:
            said.append(f"{self.counts['capped']} series cut at {MAX_PER_SERIES} occurrences")
        if said:
            self.note += "; " + ", ".join(said)

    def _series(self, blocks: list[_Block]) -> Iterator[Entry | Problem]:
        """The entries of one UID: its master event (and its recurrences) and overrides."""
        import icalendar
        import recurring_ical_events

        first = blocks[0]
        try:
            cal = icalendar.Calendar.from_ical("\n".join([*self.frame, *(b.text for b in blocks), "END:VCALENDAR"]))
            events = list(cal.walk("VEVENT"))
            if len(events) != len(blocks):
                raise ValueError("an event is not closed with END:VEVENT, or is not readable")
            for ev in events:
                if ev.get("DTSTART") is None:
                    raise ValueError("the event has no DTSTART")
                if not isinstance(ev.decoded("DTSTART"), date):
                    raise ValueError(f"DTSTART {str(ev.get('DTSTART'))[:60]!r} is not a date or a time")
            master = next((e for e in events if e.get("RECURRENCE-ID") is None), events[0])
            start0 = master.decoded("DTSTART")
            if not isinstance(start0, date):
                raise ValueError(f"DTSTART {master.get('DTSTART')!r} is not a date or a time")
        except Exception as exc:  # icalendar raises many kinds; the row is rejected, not the file
            for block in blocks:
                yield Problem(block.line, clipped(f"event not readable: {exc}"), "\n".join(block.lines[:RAW_LINES]))
            return
        if str(master.get("STATUS", "")).upper() == "CANCELLED":
            for block in blocks:
                yield Problem(block.line, "cancelled event: not counted", "", True)
            return
        # a moved occurrence names the line of its override (RECURRENCE-ID)
        moved = {_slot(ev): block.line for ev, block in zip(events, blocks, strict=True) if ev.get("RECURRENCE-ID")}
        summary = " ".join(str(master.get("SUMMARY", "")).split())
        all_day = not isinstance(start0, datetime)
        begin = _when(start0, self.options.tz) if not all_day else datetime.combine(start0, time(), tzinfo=self.options.tz)
        try:
            query = recurring_ical_events.of(cal, keep_recurrence_attributes=True)
            found = []
            for occurrence in query.between(begin or self.stop, self.stop) if begin and begin < self.stop else []:
                found.append(occurrence)
                if len(found) >= MAX_PER_SERIES:
                    self.counts["capped"] += 1
                    break
        except Exception as exc:
            yield Problem(first.line, clipped(f"recurrence not readable: {exc}"), "\n".join(first.lines[:RAW_LINES]))
            return
        if not found:
            self.counts["future"] += 1
            yield Problem(first.line, "event after today (or never occurs): not counted", "", True)
            return
        organiser = self.me and _address(master.get("ORGANIZER")) == self.me
        if organiser:  # one invite per series or single event, at its first occurrence
            yield self._invite(first.line, master, found)
        for occurrence in found:
            yield self._entry(occurrence, summary, moved.get(_slot(occurrence), first.line), all_day)

    def _invite(self, line: int, master: Any, found: list[Any]) -> Entry:
        self.counts["invites"] += 1
        at = min(_when(o.decoded("DTSTART"), self.options.tz) or self.stop for o in found).astimezone(UTC)
        uid = str(master.get("UID", ""))
        return Entry(line, at.timestamp(), at.timestamp(), INVITES, None, "", INVITE_TAGS,
                     f"invite\x1f{uid}\x1f{line if not uid else ''}")

    def _entry(self, ev: Any, summary: str, line: int, all_day: bool) -> Entry | Problem:
        if str(ev.get("STATUS", "")).upper() == "CANCELLED":
            return Problem(line, "cancelled occurrence: not counted", "", True)
        start = _when(ev.decoded("DTSTART"), self.options.tz)
        if all_day or start is None:
            return Problem(line, "all-day event: no times, not counted", "", True)
        end_value = ev.decoded("DTEND") if ev.get("DTEND") is not None else None
        end = _when(end_value, self.options.tz) if end_value is not None else None
        if end is None:
            duration = ev.decoded("DURATION") if ev.get("DURATION") is not None else timedelta(0)
            end = start + duration
        if end < start:
            return Problem(line, f"the event ends ({end.isoformat()}) before it starts ({start.isoformat()})")
        if self.me and self._declined(ev):
            return Problem(line, "declined: not meeting time", "", True)
        task = {"summary": summary or MEETINGS, "meetings": MEETINGS,
                "calendar": self.calendar_name or MEETINGS}[self.task_from]
        uid = str(ev.get("UID", ""))
        identity = "\x1f".join([uid or f"line {line}", _slot(ev) or start.isoformat(), start.isoformat(), end.isoformat()])
        return Entry(line, start.timestamp(), end.timestamp(), task, None, "", ("calendar",), identity)

    def _declined(self, ev: Any) -> bool:
        attendees = ev.get("ATTENDEE")
        if attendees is None:
            return False
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            if _address(attendee) == self.me:
                return str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
        return False


def _slot(ev: Any) -> str:
    """The original slot of an occurrence (its RECURRENCE-ID, in UTC), '' when none."""
    rid = ev.get("RECURRENCE-ID")
    value = getattr(rid, "dt", None)
    if isinstance(value, datetime):
        return (value.astimezone(UTC) if value.tzinfo else value).isoformat()
    return "" if value is None else str(value)


def open_(source: Any, options: Options) -> IcsReading:
    from roi.clock import today

    return IcsReading(source, options, today())


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
