"""Correct one time entry: how long it took, and when it started (`roi time edit` does
the same through roi.db.timelog.edit_entry)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text

from roi.db.timelog import edit_entry, entries
from roi.models import RoiError
from roi.quantities import MINUTES
from tui.dialogs.form import Field, FormScreen, Parsed
from tui.display import local_zone, name_text
from tui.state import RankingState


class EntryForm(FormScreen[bool]):
    FIELDS = (
        Field("minutes", "Minutes", placeholder="12, 90s, 1h30m", help="how long it took (kept from its start)"),
        Field("start", "Started", placeholder="YYYY-MM-DD HH:MM", help="when it started, in your time zone"),
    )

    def __init__(self, state: RankingState, task_id: int, entry_id: int) -> None:
        self.task_id = task_id
        self.entry_id = entry_id
        self.entry = next(e for e in entries(state.store, task_id=task_id) if e.id == entry_id)
        title = Text(f"Time entry {entry_id}: ", style="bold")
        title.append_text(name_text(self.entry.task + (f" / {self.entry.step}" if self.entry.step else ""), 50))
        title.append(f" ({self.entry.source})", style="dim")
        super().__init__(state, title, f"entry:{entry_id}")

    def initial(self) -> dict[str, Any]:
        start = self.entry.start.astimezone(local_zone(self.state.store))
        return {"minutes": f"{self.entry.minutes:g}", "start": f"{start:%Y-%m-%d %H:%M}"}

    def build(self, values: dict[str, Any]) -> dict[str, Any]:
        p = Parsed(values)
        minutes = p.quantity("minutes", "minutes", MINUTES)
        if minutes is not None and minutes <= 0:
            p.errors["minutes"] = f"minutes must be more than 0 (got {p.text('minutes')!r})."
        if minutes is None and "minutes" not in p.errors:
            p.errors["minutes"] = "minutes is required (how long it took)."
        start: datetime | None = None
        text = p.text("start")
        if text:
            try:
                start = datetime.fromisoformat(text)
            except ValueError:
                p.errors["start"] = f"the start must be a date and time like 2026-11-27 09:30 (got {text!r})."
            else:
                if start.tzinfo is None:
                    start = start.replace(tzinfo=local_zone(self.state.store))
        p.check()
        return {"minutes": minutes, "start": start}

    def preview(self, model: dict[str, Any]) -> Text:
        before = self.entry.minutes
        text = Text(f"{before:g} min → {model['minutes']:g} min")
        text.append(" (the step's measured median and the ranking follow)", style="dim")
        return text

    def commit(self, model: dict[str, Any]) -> bool:
        try:
            edit_entry(self.state.store, self.entry_id, minutes=model["minutes"], start=model["start"])
        except RoiError:
            raise
        return True
