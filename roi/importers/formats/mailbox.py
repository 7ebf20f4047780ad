"""Mailboxes: an mbox file (Gmail Takeout's `All mail Including Spam and Trash.mbox` is
one) or a Maildir folder (cur/, new/, tmp/).

Only two things of each message are read: its date and its direction (sent, when its
From address is `me`, `roi config set me ADDRESS` or `--me`, or Gmail labelled it Sent;
received otherwise). Nothing of subjects, addresses or bodies is stored: the Message-ID
(else the date and From) only makes the content hash that lets a re-import add nothing.

Received mail is one occurrence of the `Email triage` task, sent mail of the `Email
replies` task (both flagged low-roi:email, created if missing). An occurrence carries no
time (a message does not say how long it took): it counts for the frequency, and the
minutes per message stay the estimate unless timed (roi.db.measurements).

Reading streams: an mbox is read line by line and only the header lines of each message
are kept until its blank line; a Maildir's messages are read up to their blank line.
Memory stays bounded whatever the size. A message's "line" is its number (1 = the first
message); one without a readable date is a rejected row with that number. Spam and
drafts (Gmail labels) are skipped.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from roi.importers.api import (
    Entry,
    Format,
    FormatInfo,
    NotATaskLog,
    Options,
    Problem,
    Reading,
    register,
)

NAME = "mailbox"
TITLE = "Mailbox (mbox or Maildir)"
TRIAGE = "Email triage"
REPLIES = "Email replies"
RECEIVED_TAGS = ("occurrence", "email:received")
SENT_TAGS = ("occurrence", "email:sent")
WANTED = {b"date": "date", b"from": "from", b"message-id": "id", b"x-gmail-labels": "labels"}
_FIRST = frozenset(bytes([c]) for c in b"dDfFmMxX")  # first letters of the WANTED headers
HEADER_LIMIT = 256 * 1024  # bytes of headers kept of one message (the rest is not needed)


def sniff(source: Any) -> int:
    if getattr(source, "kind", "") == "maildir":
        return 100
    head = source.head.lstrip("\ufeff")
    if not head.startswith("From "):
        return 0
    block = head.split("\n\n", 1)[0].lower()
    return 98 if ("\ndate:" in block or "\nfrom:" in block or "\nmessage-id:" in block) else 0


def _address(value: str | None) -> str:
    text = (value or "").strip().lower()
    return text[7:] if text.startswith("mailto:") else text


def header_fields(lines: list[bytes]) -> dict[str, str]:
    """The few headers read (date, from, id, labels), unfolded, from a message's header lines."""
    out: dict[str, str] = {}
    name: str | None = None
    for raw in lines:
        if raw[:1] in (b" ", b"\t"):
            if name is not None:
                out[name] += " " + raw.strip().decode("latin-1")
            continue
        if raw[:1] not in _FIRST:  # not a header read (most are not): skip the split
            name = None
            continue
        key, colon, value = raw.partition(b":")
        name = WANTED.get(key.strip().lower()) if colon else None
        if name is not None and name not in out:
            out[name] = value.strip().decode("latin-1")
        elif name is not None:
            name = None  # a second header of that name: the first one counts
    return out


class MailReading(Reading):
    """The messages of an mbox or a Maildir as occurrences."""

    def __init__(self, messages: Iterator[tuple[int, list[bytes]]], options: Options, total: int | None) -> None:
        self.title = TITLE
        self.messages = messages
        self.me = _address(options.me)
        # the address as a whole word of the From line (not notme@..., nor me@example.com.evil):
        # a search, not a parse of every From line (getaddresses was two thirds of the time)
        self.mine = re.compile(rf"(?<![\w.+-]){re.escape(self.me)}(?![\w.-])", re.IGNORECASE) if self.me else None
        self.total = total
        self.warnings = []
        self.counts = {"received": 0, "sent": 0}
        self.note = "only dates and direction read; nothing of subjects, addresses or bodies stored"
        if not self.me:
            self.note += "; no address of yours (roi config set me ADDRESS, or --me): only mail Gmail labels Sent counts as sent"
        if options.task_from or options.step_from:
            raise NotATaskLog(f"--task-from and --step-from are not available for a {TITLE}: received mail is"
                              f" {TRIAGE!r}, sent mail {REPLIES!r}")

    def __iter__(self) -> Iterator[Entry | Problem]:
        for number, lines in self.messages:
            yield self.message(number, header_fields(lines))
        self.note += f"; {self.counts['received']:,} received, {self.counts['sent']:,} sent"

    def message(self, number: int, fields: dict[str, str]) -> Entry | Problem:
        labels = {label.strip().lower() for label in fields.get("labels", "").split(",")}
        if labels & {"spam", "draft", "drafts"}:
            return Problem(number, f"message {number}: {'spam' if 'spam' in labels else 'a draft'}, not counted", "", True)
        date_text = fields.get("date", "")
        if not date_text:
            return Problem(number, f"message {number}: no Date header", "")
        t = fast_date(date_text)
        if t is None:
            try:
                when = parsedate_to_datetime(date_text)
            except (TypeError, ValueError, IndexError, OverflowError):
                return Problem(number, f"message {number}: Date {date_text[:80]!r} is not a date", "")
            if when.tzinfo is None:
                return Problem(number, f"message {number}: Date {date_text[:80]!r} has no time zone", "")
            t = when.timestamp()
        sent = "sent" in labels or (self.mine is not None and self.mine.search(fields.get("from", "")) is not None)
        self.counts["sent" if sent else "received"] += 1
        key = fields.get("id", "").strip()
        if not key:  # no Message-ID: the date and the From line make the key
            key = hashlib.blake2b(f"{date_text}\x1f{fields.get('from', '')}".encode("utf-8", "replace")).hexdigest()
        identity = hashlib.blake2b(key.encode("utf-8", "replace"), digest_size=16).hexdigest()
        return Entry(number, t, t, REPLIES if sent else TRIAGE, None, "", SENT_TAGS if sent else RECEIVED_TAGS,
                     f"message\x1f{identity}")


# The RFC 5322 date of nearly every message: "Mon, 06 Jan 2025 08:00:00 +0000"
_DATE = re.compile(r"(?:[A-Za-z]{3}, *)?(\d{1,2}) ([A-Za-z]{3}) (\d{4}) (\d\d):(\d\d)(?::(\d\d))? ([+-])(\d\d)(\d\d)\b")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                        "nov", "dec"), start=1)}


def fast_date(text: str) -> float | None:
    """Epoch seconds of a Date header in the usual form, without the email package's
    general parser (a third of the time of a large mailbox); None: ask that parser."""
    m = _DATE.match(text.strip())
    month = _MONTHS.get(m.group(2).lower()) if m else None
    if m is None or month is None:
        return None
    day, year, hour, minute = int(m.group(1)), int(m.group(3)), int(m.group(4)), int(m.group(5))
    second = int(m.group(6) or 0)
    if not (1 <= day <= 31 and hour < 24 and minute < 60 and second < 61) or day > calendar.monthrange(year, month)[1]:
        return None
    offset = (int(m.group(8)) * 3600 + int(m.group(9)) * 60) * (-1 if m.group(7) == "-" else 1)
    return calendar.timegm((year, month, day, hour, minute, min(second, 59), 0, 0, 0)) - offset


def mbox_headers(path: Path) -> Iterator[tuple[int, list[bytes]]]:
    """(message number, header lines) of each message of an mbox, streamed: a message
    starts at a "From " line at the start of the file or after a blank line; its headers
    run to the first blank line, and its body is passed over."""
    number = 0
    headers: list[bytes] | None = None
    size = 0
    blank_before = True
    with open(path, "rb") as fh:
        for line in fh:
            if blank_before and line.startswith(b"From "):
                if headers is not None:
                    yield number, headers
                number += 1
                headers, size = [], 0
                blank_before = False
                continue
            stripped = line.rstrip(b"\r\n")
            blank_before = not stripped
            if headers is None or size < 0:
                continue  # before the first message, or in a body
            if not stripped:
                size = -1  # the headers end here
                continue
            if size < HEADER_LIMIT:
                headers.append(stripped)
                size += len(stripped)
    if headers is not None:
        yield number, headers


def _file_headers(fh: Any) -> list[bytes]:
    lines, size = [], 0
    for line in fh:
        stripped = line.rstrip(b"\r\n")
        if not stripped or size >= HEADER_LIMIT:
            break
        lines.append(stripped)
        size += len(stripped)
    return lines


def open_(source: Any, options: Options) -> MailReading:
    if getattr(source, "kind", "") == "maildir":
        return _maildir_reading(source.path, options)
    return MailReading(mbox_headers(source.path), options, None)


def _maildir_keys(path: Path) -> list[str]:
    import mailbox

    return sorted(mailbox.Maildir(str(path), factory=None, create=False).iterkeys())


def _maildir_reading(path: Path, options: Options) -> MailReading:
    import mailbox

    box = mailbox.Maildir(str(path), factory=None, create=False)
    keys = _maildir_keys(path)

    def messages() -> Iterator[tuple[int, list[bytes]]]:
        for number, key in enumerate(keys, start=1):
            try:
                fh = box.get_file(key)
            except (KeyError, OSError):
                yield number, []  # gone or unreadable: no Date, a rejected row
                continue
            with fh:
                yield number, _file_headers(fh)

    return MailReading(messages(), options, len(keys))


def open_maildir(path: Path, wanted: str, options: Options) -> tuple[Any, Format, MailReading]:
    """A folder as a Maildir (roi.importers.load hands folders here): its Source, the
    mailbox format and its messages. NotATaskLog when it is not one."""
    from roi.importers.source import Source

    if not ((path / "cur").is_dir() and (path / "new").is_dir()):
        raise NotATaskLog(f"{path} is a folder, not a task log file (nor a Maildir: it has no cur/ and new/)")
    if wanted not in ("auto", NAME):
        raise NotATaskLog(f"{path} is a Maildir folder: import it with --format auto or mailbox")
    keys = _maildir_keys(path)
    digest = hashlib.sha256("\n".join(keys).encode("utf-8", "surrogateescape")).hexdigest()
    source = Source(path, 0, digest, "utf-8", len(keys), "", kind="maildir")
    return source, INFO, _maildir_reading(path, options)


INFO = register(FormatInfo(NAME, TITLE, sniff, open_))
