"""Settings: horizon, overrun factor, verdict thresholds, time zone, hourly value, the
roadmap's build budget."""

from __future__ import annotations

from typing import Any

from rich.text import Text

from roi.models import SETTING_HELP, RoiError, Settings
from roi.quantities import parse_setting
from tui.dialogs.form import Field, FormScreen, Parsed, number_text
from tui.state import RankingState

_EDITABLE = (
    Field("horizon_weeks", "Horizon weeks", placeholder="52"),
    Field("overrun_factor", "Overrun factor", placeholder=">= 1, e.g. 1.5"),
    Field("automate_within", "Automate within", placeholder="share of horizon, 0.25 or 25%"),
    Field("maybe_within", "Maybe within", placeholder="share of horizon, 1.0 or 100%"),
    Field("automate_probability", "Automate chance", placeholder="0.8 or 80%"),
    Field("timezone", "Time zone", placeholder="e.g. Europe/Berlin (empty: system)"),
    Field("hourly_value", "Hourly value", placeholder="optional, e.g. 60"),
    Field("currency", "Currency", placeholder="$, €, £, EUR, CHF, ..."),
    Field("min_samples", "Min samples", placeholder="timed entries before measured wins, 3"),
    Field("build_budget_hours_per_week", "Build h/week", placeholder="hours a week for building: 4, 1h/day"),
)
#: Each setting with what it means under it (roi.models.SETTING_HELP, as `roi config list`).
EDITABLE = tuple(
    Field(f.name, f.label, placeholder=f.placeholder, help=SETTING_HELP.get(f.name, "")) for f in _EDITABLE
)


class SettingsScreen(FormScreen[bool]):
    FIELDS = EDITABLE

    def __init__(self, state: RankingState) -> None:
        super().__init__(state, Text("Settings", style="bold"), "settings")

    def initial(self) -> dict[str, Any]:
        s: Settings = self.state.store.settings()
        values: dict[str, Any] = {}
        for field in self.FIELDS:
            value = getattr(s, field.name)
            values[field.name] = number_text(value) if isinstance(value, int | float) else (value or "")
        return values

    def build(self, values: dict[str, Any]) -> Settings:
        p = Parsed(values)
        current = self.state.store.settings().model_dump()
        for field in self.FIELDS:
            try:  # the parser of `roi config set`: units, percentages, known values
                current[field.name] = parse_setting(field.name, p.text(field.name))
            except RoiError as exc:
                p.errors[field.name] = f"{exc}."
        p.check()
        return Settings(**current)

    def commit(self, model: Settings) -> bool:
        store = self.state.store
        before = store.settings()
        pending = [f.name for f in self.FIELDS if getattr(model, f.name) != getattr(before, f.name)]
        # Thresholds are checked against each other one setting at a time, so an order
        # that is valid at every step is found by retrying what failed.
        for _ in range(len(pending) + 1):
            failed = []
            last_error: Exception | None = None
            for key in pending:
                try:
                    store.set_setting(key, getattr(model, key))
                except Exception as exc:  # RoiError, retried below
                    failed.append(key)
                    last_error = exc
            if not failed:
                break
            if len(failed) == len(pending) and last_error is not None:
                raise last_error
            pending = failed
        return True
