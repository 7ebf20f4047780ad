"""The vectorised reading of split date/time columns (csvplan.batch) gives exactly what the
row-by-row reading gives: the same entries, hashes, rejected and skipped lines."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roi.db.store import Store
from roi.importers import csvplan, run_import

HEADER = "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,End time,Duration,Tags\n"

dates = st.one_of(
    st.sampled_from(["2024-03-31", "2024-10-27", "2024-03-30", "2024-01-05", "2023-12-31"]),  # Berlin DST days too
    st.sampled_from(["", "2024-02-30", "31/12/2024", "not a date", "9999-12-31", "2024-1-5"]),
)
times = st.one_of(
    st.sampled_from(["00:00:00", "02:30:00", "09:15:07", "23:59:59", "01:59:59", "03:00:00"]),
    st.sampled_from(["", "24:00:00", "9:15:00", "09:15", "12:30:00 PM", "25:00:00", "09:61:00", "x"]),
)
durations = st.sampled_from(["01:00:00", "0:30:00", "18:25 min", "-01:00:00", "abc", ""])
names = st.sampled_from(["Inbox", "inbox", " Invoices ", "", "[bold]x[/bold]", "=1+1", "Café",
                         '"two\nlines"', '"three\r\nlines\rhere"'])  # quoted line breaks move the line numbers


@st.composite
def rows(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 30)) == 0:
        return draw(st.sampled_from(["", ",,,,,,,,,,,,", "Total,,,,,,,,,,,10:00:00,", "a,b"]))
    sd, ed = draw(dates), draw(st.one_of(st.just(""), dates))
    fields = ["Ann", "ann@example.com", "Acme", draw(names), "", draw(names), "No", sd, draw(times), ed,
              draw(times), draw(durations), '"a, b"']
    if draw(st.integers(0, 20)) == 0:
        fields.append("extra")
    return ",".join(fields)


def table(store: Store, batch: int) -> tuple:
    entries = store.conn.execute(
        'SELECT t.name, e.start, e."end", e.duration_s, e.description, e.tags, e.hash FROM time_entry e'
        " JOIN task t ON t.id = e.task_id ORDER BY e.hash"
    ).fetchall()
    errors = store.conn.execute("SELECT line, reason, raw FROM import_error WHERE batch_id = ? ORDER BY line", [batch]).fetchall()
    return entries, errors


@pytest.mark.parametrize("tz", ["UTC", "Europe/Berlin", "America/St_Johns"])
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(rows(), min_size=1, max_size=40), batch_rows=st.sampled_from([1, 3, 7, 2048]))
def test_batched_and_row_by_row_reading_agree(tz: str, lines: list[str], batch_rows: int, monkeypatch: pytest.MonkeyPatch) -> None:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "toggl.csv"
        log.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
        results = []
        for size in (0, batch_rows):
            monkeypatch.setattr(csvplan, "BATCH_ROWS", size)
            store = Store.open(Path(folder) / f"db{size}.db")
            try:
                summary = run_import(store, log, tz=tz)
                results.append((summary.imported, summary.rejected, summary.skipped, summary.skips,
                                summary.errors, table(store, summary.batch_id)))
            finally:
                store.close()
        assert results[0] == results[1]


def test_rows_read_one_by_one_keep_their_place_among_batched_ones(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The second row has an extra field, so it is read one by one; it must still come after
    # the first, whose spelling ("inbox") then names the task, as reading row by row does.
    lines = ['Ann,ann@example.com,Acme,Inbox,,inbox,No,2024-03-31,00:00:00,,00:00:00,01:00:00,"a, b"',
             'Ann,ann@example.com,Acme,Inbox,,Inbox,No,2024-03-31,00:00:00,,00:00:00,01:00:00,"a, b",extra',
             'Ann,ann@example.com,Acme,Inbox,,INBOX,No,2024-03-31,01:00:00,,02:00:00,01:00:00,"a, b"']
    log = tmp_path / "toggl.csv"
    log.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(csvplan, "BATCH_ROWS", 2048)
    store = Store.open(tmp_path / "db.sqlite")
    summary = run_import(store, log, tz="UTC")
    names = [n for (n,) in store.conn.execute("SELECT name FROM task")]
    store.close()
    assert summary.imported == 3 and names == ["inbox"]
