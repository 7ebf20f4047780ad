"""Calendar (.ics) and mailbox (mbox, Maildir) imports: meeting time, invites sent and
email load measured as occurrences; cancelled and declined events, re-imports and
malformed events or messages."""

from __future__ import annotations

import json
import mailbox
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roi.importers.load import run_import

ME = "ana@example.com"

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Berlin
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def calendar(*events: str, name: str = "Work") -> str:
    return "\r\n".join(["BEGIN:VCALENDAR", "PRODID:-//Google Inc//Google Calendar 70.9054//EN", "VERSION:2.0",
                        f"X-WR-CALNAME:{name}", VTIMEZONE, *events, "END:VCALENDAR"]) + "\r\n"


# Weekly on Mondays 10:00-10:30 Berlin, 8 times from 2026-09-07; 2026-09-21 is cut
# (EXDATE) and 2026-10-05 moved to Tuesday 14:00-15:00 (RECURRENCE-ID): 7 meetings.
WEEKLY = f"""BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20260907T100000
DTEND;TZID=Europe/Berlin:20260907T103000
RRULE:FREQ=WEEKLY;COUNT=8
EXDATE;TZID=Europe/Berlin:20260921T100000
UID:weekly-1@example.com
SUMMARY:Team sync
ORGANIZER;CN=Ana:mailto:{ME.upper()}
STATUS:CONFIRMED
END:VEVENT
BEGIN:VEVENT
DTSTART;TZID=Europe/Berlin:20261006T140000
DTEND;TZID=Europe/Berlin:20261006T150000
RECURRENCE-ID;TZID=Europe/Berlin:20261005T100000
UID:weekly-1@example.com
SUMMARY:Team sync (moved)
ORGANIZER;CN=Ana:mailto:{ME}
END:VEVENT"""

SINGLE_MINE = f"""BEGIN:VEVENT
DTSTART:20261012T080000Z
DTEND:20261012T090000Z
UID:single-1@example.com
SUMMARY:Planning
ORGANIZER:mailto:{ME}
END:VEVENT"""

DECLINED = f"""BEGIN:VEVENT
DTSTART:20261013T080000Z
DTEND:20261013T090000Z
UID:declined-1@example.com
SUMMARY:All hands
ORGANIZER:mailto:boss@example.com
ATTENDEE;PARTSTAT=DECLINED:mailto:{ME}
END:VEVENT"""

CANCELLED = f"""BEGIN:VEVENT
DTSTART:20261014T080000Z
DTEND:20261014T090000Z
UID:cancelled-1@example.com
SUMMARY:Offsite
ORGANIZER:mailto:{ME}
STATUS:CANCELLED
END:VEVENT"""

MALFORMED = """BEGIN:VEVENT
DTSTART:2026-10-15 nonsense
DTEND:20261015T090000Z
UID:bad-1@example.com
SUMMARY:Broken
END:VEVENT"""

ENDLESS = """BEGIN:VEVENT
DTSTART:20261101T070000Z
DTEND:20261101T071500Z
RRULE:FREQ=DAILY
UID:endless-1@example.com
SUMMARY:Stand-up
END:VEVENT"""


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_weekly_series_with_exdate_and_moved_occurrence(store, tmp_path: Path) -> None:
    path = write(tmp_path / "cal.ics", calendar(WEEKLY))
    summary = run_import(store, path, me=ME)
    assert summary.format == "ics"
    assert summary.rejected == 0
    entries = store.rows('SELECT t.name, e.start, e.duration_s, e.tags FROM time_entry e JOIN task t ON t.id = e.task_id'
                         ' ORDER BY e.start')
    meetings = [r for r in entries if r["name"] == "Team sync"]
    invites = [r for r in entries if r["name"] == "Calendar invites"]
    assert len(meetings) == 7  # 8 - the exception; the moved one counted once, at its new time
    starts = [r["start"] for r in meetings]
    assert "2026-09-21T08:00:00Z" not in starts
    assert "2026-10-05T08:00:00Z" not in starts and "2026-10-06T12:00:00Z" in starts
    assert sum(r["duration_s"] for r in meetings) == 6 * 1800 + 3600
    assert [(r["start"], r["duration_s"]) for r in invites] == [("2026-09-07T08:00:00Z", 0.0)]  # one per series
    again = run_import(store, path, me=ME)
    assert (again.imported, again.duplicates) == (0, 8)


def test_invites_declines_cancellations_and_a_malformed_event(roi, tmp_path: Path) -> None:
    path = write(tmp_path / "cal.ics", calendar(WEEKLY, SINGLE_MINE, DECLINED, CANCELLED, MALFORMED))
    assert roi("config", "set", "me", ME).exit_code == 0
    r = roi("import", str(path), "--json")
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    text = calendar(WEEKLY, SINGLE_MINE, DECLINED, CANCELLED, MALFORMED)
    bad_line = text.replace("\r\n", "\n").split("\n").index("DTSTART:2026-10-15 nonsense")  # BEGIN is the line before
    assert [e["line"] for e in out["errors"]] == [bad_line]
    assert "not readable" in out["errors"][0]["reason"]
    tasks = {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}
    assert "All hands" not in tasks  # declined: not meeting time
    assert "Offsite" not in tasks  # cancelled: counted nowhere
    invites = tasks["Calendar invites"]
    assert [f["code"] for f in invites["flags"]] == ["low-roi:calendar"]
    assert invites["occurrence_rule"] == "counted"
    assert invites["per_week_source"] == "estimated" or invites["per_week_source"] == "default"  # 2 < min_samples
    spent = json.loads(roi("spent", "--json").stdout)
    assert {row["name"] for row in spent["rows"] if row["hours"]} == {"Team sync", "Planning"}


def test_an_endless_series_stops_at_today(store, tmp_path: Path) -> None:
    # today is 2026-11-28 (tests/conftest.py): a daily stand-up from 2026-11-01 has 28
    summary = run_import(store, write(tmp_path / "cal.ics", calendar(ENDLESS)))
    assert summary.imported == 28
    assert "expanded up to today" in summary.note


def test_task_from_meetings_puts_every_event_in_one_task(store, tmp_path: Path) -> None:
    run_import(store, write(tmp_path / "cal.ics", calendar(WEEKLY, SINGLE_MINE)), task_from="meetings")
    names = {r["name"] for r in store.rows("SELECT DISTINCT t.name FROM time_entry e JOIN task t ON t.id = e.task_id")}
    assert names == {"Meetings"}


def test_the_shared_google_sample(store, samples: Path) -> None:
    summary = run_import(store, samples / "ics" / "google_2024.ics")
    assert (summary.format, summary.imported, summary.rejected) == ("ics", 30, 0)
    assert summary.skipped == 2  # the two all-day events
    assert summary.hours == 30.0
    starts = [r["start"] for r in store.rows("SELECT start FROM time_entry ORDER BY start")]
    assert starts[0] == "2024-03-25T06:00:00Z"  # 07:00 Zurich (CET)
    assert starts[-1] == "2024-04-23T05:00:00Z"  # 07:00 Zurich (CEST, after the change)


# --- mailboxes ---------------------------------------------------------------------------


def message(n: int, when: datetime, sender: str, subject: str = "Hello") -> str:
    return (f"From: {sender}\nTo: someone@example.org\nSubject: {subject} {n}\n"
            f"Date: {format_datetime(when)}\nMessage-ID: <m{n}@example.org>\n\nBody {n} with secrets\n")


def mails(weeks: int = 6, per_week: int = 20, sent_every: int = 4) -> list[tuple[datetime, str]]:
    t0 = datetime(2026, 9, 7, 9, tzinfo=UTC)
    out = []
    for i in range(weeks * per_week):
        when = t0 + timedelta(hours=7 * 24 * i / per_week)
        out.append((when, ME if i % sent_every == 0 else f"friend{i}@example.org"))
    return out


def write_mbox(path: Path, items: list[tuple[datetime, str]], extra: str = "") -> Path:
    parts = []
    for n, (when, sender) in enumerate(items, start=1):
        parts.append(f"From {sender} {when.strftime('%a %b %d %H:%M:%S %Y')}\n" + message(n, when, sender))
    path.write_text("\n".join(parts) + extra, encoding="utf-8")
    return path


def test_maildir_with_sent_and_received_mail(roi, tmp_path: Path) -> None:
    box = mailbox.Maildir(str(tmp_path / "Mail"), create=True)
    items = mails()
    for n, (when, sender) in enumerate(items, start=1):
        box.add(message(n, when, sender, subject="Secret plans"))
    box.close()
    r = roi("import", str(tmp_path / "Mail"), "--me", ME, "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["imported"] == len(items)
    tasks = {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}
    triage, replies = tasks["Email triage"], tasks["Email replies"]
    assert triage["per_week_source"] == replies["per_week_source"] == "measured"
    assert triage["per_week"] == pytest.approx(15, rel=0.05)  # 3 of every 4 received
    assert replies["per_week"] == pytest.approx(5, rel=0.05)
    assert [f["code"] for f in triage["flags"]] == ["low-roi:email"]
    assert triage["occurrence_rule"] == "counted"
    assert "minutes per occurrence stay estimated" in triage["occurrence_note"]
    assert "emails a week (measured from your mailbox) at about 1.5 min each" in triage["explanation"]
    assert "so automating saves little (flag low-roi:email, dismiss to rank on the numbers)" in triage["explanation"]
    again = json.loads(roi("import", str(tmp_path / "Mail"), "--me", ME, "--json").stdout)
    assert (again["imported"], again["duplicates"]) == (0, len(items))


def test_nothing_of_subjects_addresses_or_bodies_is_stored(store, tmp_path: Path) -> None:
    run_import(store, write_mbox(tmp_path / "all.mbox", mails(weeks=1)), me=ME)
    dump = "\n".join(store.conn.iterdump())
    for secret in ("Hello", "secrets", "friend", "example.org", ME, "m1@"):
        assert secret not in dump


def test_mbox_malformed_message_is_a_rejected_row_with_its_number(store, tmp_path: Path) -> None:
    items = mails(weeks=1, per_week=5)
    path = write_mbox(tmp_path / "all.mbox", items,
                      extra="\nFrom nobody Mon Oct 12 10:00:00 2026\nFrom: x@example.org\nDate: not a date\n\nbody\n"
                            "\nFrom nobody Mon Oct 12 10:00:00 2026\nFrom: y@example.org\n\nno date at all\n")
    summary = run_import(store, path, me=ME)
    assert summary.imported == 5
    assert [line for line, _ in summary.errors] == [6, 7]
    assert "message 6: Date 'not a date' is not a date" in summary.errors[0][1]
    assert "no Date header" in summary.errors[1][1]


def test_a_folder_that_is_not_a_maildir(roi, tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    r = roi("import", str(tmp_path / "folder"))
    assert r.exit_code == 2
    assert "nor a Maildir" in r.output


def test_sent_means_from_my_address_as_a_whole(store, tmp_path: Path) -> None:
    t = datetime(2026, 10, 1, 9, tzinfo=UTC)
    senders = [f"Ana <{ME.upper()}>", f"not{ME}", f"{ME}.evil.example", f'"Ana" <{ME}>, Bob <bob@example.org>', "x@y.org"]
    run_import(store, write_mbox(tmp_path / "m.mbox", [(t + timedelta(hours=i), s) for i, s in enumerate(senders)]), me=ME)
    rows = store.rows("SELECT t.name FROM time_entry e JOIN task t ON t.id = e.task_id ORDER BY e.start")
    assert [r["name"] for r in rows] == ["Email replies", "Email triage", "Email triage", "Email replies",
                                         "Email triage"]


@given(st.datetimes(min_value=datetime(1971, 1, 1), max_value=datetime(2100, 1, 1)),
       st.integers(-14 * 60, 14 * 60), st.booleans())
def test_the_fast_date_reads_what_the_email_package_reads(when: datetime, offset_minutes: int, weekday: bool) -> None:
    from datetime import timezone

    from roi.importers.formats.mailbox import fast_date

    aware = when.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=offset_minutes)))
    text = format_datetime(aware)
    text = text if weekday else text.split(", ", 1)[1]
    assert fast_date(text) == parsedate_to_datetime(text).timestamp()


def test_gmail_labels_sent_without_me_and_spam_and_drafts_are_skipped(store, tmp_path: Path) -> None:
    t = datetime(2026, 10, 1, 9, tzinfo=UTC)
    parts = []
    for n, labels in enumerate(["Inbox,Important", "Sent", "Spam", "Drafts", "Archived,Sent"], start=1):
        parts.append(f"From x {t.strftime('%a %b %d %H:%M:%S %Y')}\nX-Gmail-Labels: {labels}\nFrom: a@b.org\n"
                     f"Date: {format_datetime(t + timedelta(hours=n))}\nMessage-ID: <{n}@b.org>\n\nbody\n")
    path = tmp_path / "takeout.mbox"
    path.write_text("\n".join(parts), encoding="utf-8")
    summary = run_import(store, path)
    assert (summary.imported, summary.skipped) == (3, 2)
    assert "no address of yours" in summary.note
    rows = store.rows("SELECT t.name FROM time_entry e JOIN task t ON t.id = e.task_id ORDER BY e.start")
    assert [r["name"] for r in rows] == ["Email triage", "Email replies", "Email replies"]
