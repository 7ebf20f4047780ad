"""A modal form that validates as you type: each field's problem is shown next to it in
the words of `roi.models.describe_error`, and Save stays disabled while anything is wrong.

Escape leaves without saving, but what was typed is kept as a draft (per form and
record) and comes back the next time the same form is opened; ctrl+r reverts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import ValidationError
from pydantic_core import InitErrorDetails
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from roi.models import Range, RoiError, describe_error
from roi.quantities import Kind, parse, parse_range, parse_share
from tui.host import host
from tui.state import RankingState
from tui.widgets.footer import Footer
from tui.widgets.text_input import TextInput

R = TypeVar("R")


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: str = "input"  # input | check | select (one of `choices`)
    placeholder: str = ""
    choices: tuple[str, ...] = ()
    #: What the field means, shown under it all the time (a placeholder goes when typing).
    help: str = ""


def in_words(message: str, fields: tuple[Field, ...], aliases: dict[str, str]) -> str:
    """A message with the model's field names (`failure_rate`, `horizon_weeks`) put in the
    form's words (its labels: "failure rate", "horizon weeks")."""
    names = {f.name: f.label.lower() for f in fields}
    for alias, target in aliases.items():
        if target in names:
            end = alias.rsplit("_", 1)[-1]
            names[alias] = f"{names[target]} ({end})" if end in ("low", "high") else names[target]
    for name in sorted(names, key=len, reverse=True):
        message = re.sub(rf"(?<![\w.]){re.escape(name)}(?![\w])", names[name], message)
    return message


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def number_text(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def field_errors(exc: ValidationError, aliases: dict[str, str]) -> dict[str, str]:
    """One sentence per field (the first problem of each); model-level problems under ''."""
    found: dict[str, str] = {}
    for err in exc.errors():
        loc = err.get("loc") or ()
        key = aliases.get(str(loc[0]), str(loc[0])) if loc else ""
        if key in found:
            continue
        detail: InitErrorDetails = {"type": err["type"], "loc": loc, "input": err.get("input")}
        if err.get("ctx"):
            detail["ctx"] = err["ctx"]
        try:
            single = ValidationError.from_exception_data(exc.title, [detail])
            found[key] = describe_error(single)
        except Exception:  # an error type pydantic cannot rebuild: its own words
            found[key] = str(err.get("msg", "is invalid"))
    return found


class Parsed:
    """Collects per-field parse problems while a form's values are turned into models."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values
        self.errors: dict[str, str] = {}

    def text(self, name: str) -> str:
        return str(self.values.get(name, "")).strip()

    def range(self, name: str, label: str, kind: Kind, *, required: bool = False) -> Range | None:
        """A value or LOW:LIKELY:HIGH of `kind`, read by roi.quantities as the CLI reads it."""
        text = self.text(name)
        if not text:
            if required:
                self.errors[name] = f"{label} is required ({kind.what} or LOW:LIKELY:HIGH)."
            return None
        try:
            return parse_range(text, kind, label)
        except RoiError as exc:
            self.errors[name] = f"{exc}."
            return None

    def quantity(self, name: str, label: str, kind: Kind) -> float | None:
        """One value of `kind` (no range), None when empty or wrong (the problem is kept)."""
        text = self.text(name)
        if not text:
            return None
        try:
            return parse(text, kind, label)
        except RoiError as exc:
            self.errors[name] = f"{exc}."
            return None

    def share(self, name: str, label: str) -> float | None:
        """0.8 or 80% (a bare 80 asks "did you mean 80%?"), None when empty or wrong."""
        text = self.text(name)
        if not text:
            return None
        try:
            return parse_share(text, label)
        except RoiError as exc:
            self.errors[name] = f"{exc}."
            return None

    def optional(self, name: str) -> str | None:
        return self.text(name) or None

    def check(self) -> None:
        if self.errors:
            raise FormErrors(self.errors)

    def validate(self, model: type[Any], fields: dict[str, Any], aliases: dict[str, str]) -> Any:
        """The model built from `fields`, or FormErrors with the parse problems found so
        far plus the model's own, one per field (parse problems win)."""
        try:
            built = model(**fields)
        except ValidationError as exc:
            for key, message in field_errors(exc, aliases).items():
                if key and key in self.errors:
                    continue
                if not key and self.errors:
                    continue  # model-level checks on placeholder values mean nothing
                self.errors.setdefault(key, message)
            built = None
        self.check()
        return built


class FormScreen(ModalScreen[R], Generic[R]):
    """Subclasses give FIELDS, `initial()`, `build(values)` (the model, or raise) and
    `commit(model)` (the store write, returning the dismiss value)."""

    FIELDS: tuple[Field, ...] = ()
    #: Model field names that belong to a form field (e.g. minutes_low -> minutes).
    ALIASES: dict[str, str] = {}

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save"),
        Binding("escape", "cancel", "Back", id="form.cancel"),
        Binding("ctrl+r", "revert", "Revert", id="form.revert"),
    ]

    def __init__(self, state: RankingState, title: Text, draft_key: str) -> None:
        super().__init__(classes="dialog-screen")
        self.state = state
        self.title_text = title
        self.draft_key = draft_key
        self.saved_values: dict[str, Any] = {}
        self.model: Any = None
        #: Fields changed since the form opened: only their problems are shown, so a new
        #: empty form does not open covered in red (Save stays disabled all the same).
        self.touched: set[str] = set()
        self.tried = False

    # --- subclass hooks ------------------------------------------------------------------

    def initial(self) -> dict[str, Any]:
        return {}

    def build(self, values: dict[str, Any]) -> Any:
        raise NotImplementedError

    def commit(self, model: Any) -> R:
        raise NotImplementedError

    def preview(self, model: Any) -> Text | None:
        """What saving would change, shown under the fields while typing (None: nothing)."""
        return None

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form"):
            yield Static(self.title_text, classes="title")
            yield Static(id="draft-note", classes="note")
            with VerticalScroll(classes="fields"):
                for field in self.FIELDS:
                    with Horizontal(classes="field-row"):
                        yield Label(field.label, classes="field-label")
                        if field.kind == "check":
                            yield Checkbox(field.placeholder, id=f"f-{field.name}", compact=True)
                        elif field.kind == "select":
                            yield Select(
                                [(choice, choice) for choice in field.choices],
                                id=f"f-{field.name}", compact=True, allow_blank=False,
                            )
                        else:
                            suggester = (
                                SuggestFromList(field.choices, case_sensitive=False)
                                if field.choices
                                else None
                            )
                            yield TextInput(
                                placeholder=field.placeholder,
                                id=f"f-{field.name}",
                                suggester=suggester,
                                compact=True,
                            )
                    if field.help:
                        yield Static(Text(field.help), classes="field-help")
                    yield Static(id=f"err-{field.name}", classes="field-error")
            yield Static(id="form-error", classes="field-error")
            yield Static(id="form-preview")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self.saved_values = self.initial()
        draft = host(self).drafts.get(self.draft_key)
        self._fill(draft if draft is not None else self.saved_values)
        if draft is not None:
            self.touched = {f.name for f in self.FIELDS}
        note = self.query_one("#draft-note", Static)
        if draft is not None:
            note.update(Text("Your unsaved draft is back (ctrl+r reverts to the saved values).", style="italic"))
        note.display = draft is not None
        self.validate_form()
        first = self.FIELDS[0].name if self.FIELDS else None
        if first:
            self.query_one(f"#f-{first}").focus()

    #: Lines a form takes besides its fields: title, notes, preview, buttons, border.
    AROUND_FIELDS = 14

    def on_resize(self, event: events.Resize) -> None:
        """A form taller than the screen scrolls its fields; preview and buttons stay."""
        self.query_one(".fields").styles.max_height = max(4, event.size.height - self.AROUND_FIELDS)

    def _fill(self, values: dict[str, Any]) -> None:
        with self.prevent(Input.Changed, Checkbox.Changed, Select.Changed):
            for field in self.FIELDS:
                widget = self.query_one(f"#f-{field.name}")
                if isinstance(widget, Checkbox):
                    widget.value = bool(values.get(field.name, False))
                elif isinstance(widget, Select):
                    value = str(values.get(field.name) or "")
                    widget.value = value if value in field.choices else field.choices[0]
                elif isinstance(widget, Input):  # a TextInput: control characters shown escaped
                    widget.value = str(values.get(field.name, "") or "")

    def values(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for field in self.FIELDS:
            widget = self.query_one(f"#f-{field.name}")
            if isinstance(widget, TextInput):  # an untouched name keeps its control characters
                result[field.name] = widget.text
            elif isinstance(widget, Select):
                result[field.name] = "" if widget.value is Select.BLANK else str(widget.value)
            elif isinstance(widget, Checkbox | Input):
                result[field.name] = widget.value
        return result

    # --- validation ----------------------------------------------------------------------

    def validate_form(self) -> bool:
        errors: dict[str, str] = {}
        self.model = None
        try:
            self.model = self.build(self.values())
        except FormErrors as exc:
            errors = exc.errors
        except ValidationError as exc:
            errors = field_errors(exc, self.ALIASES)
        except RoiError as exc:
            errors = {"": str(exc)}
        for field in self.FIELDS:
            message = errors.get(field.name, "")
            if field.name not in self.touched and not self.tried:
                message = ""
            box = self.query_one(f"#err-{field.name}", Static)
            box.update(Text(in_words(message, self.FIELDS, self.ALIASES)))
            box.display = bool(message)
            self.query_one(f"#f-{field.name}").set_class(bool(message), "-invalid")
        stray = [m for k, m in errors.items() if k not in {f.name for f in self.FIELDS}]
        self._form_error(" ".join(stray))
        self.query_one("#save", Button).disabled = bool(errors)
        self._show_preview(errors)
        return not errors

    def _show_preview(self, errors: dict[str, str]) -> None:
        box = self.query_one("#form-preview", Static)
        shown: Text | None = None
        if self.model is not None:
            try:
                shown = self.preview(self.model)
            except RoiError as exc:
                shown = Text(str(exc), style="dim")
        elif errors and type(self).preview is not FormScreen.preview:
            shown = Text("The effect shows here once the fields are valid.", style="dim italic")
        box.update(shown or "")
        box.display = shown is not None

    def _form_error(self, message: str) -> None:
        box = self.query_one("#form-error", Static)
        box.update(Text(in_words(message, self.FIELDS, self.ALIASES)))
        box.display = bool(message)

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self, event: Input.Changed | Checkbox.Changed | Select.Changed) -> None:
        widget_id = event.control.id or ""
        name = widget_id.removeprefix("f-")
        self.touched.add(name)
        self.validate_form()
        # the field and its problem in view, not scrolled off (also when set by a paste)
        error = self.query(f"#err-{name}")
        event.control.scroll_visible(animate=False, immediate=True)
        if error and error.first().display:
            self.call_after_refresh(error.first().scroll_visible, animate=False)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # --- actions -------------------------------------------------------------------------

    def action_save(self) -> None:
        self.tried = True
        if not self.validate_form():
            self.notify("Fix the fields marked in red first.", severity="warning")
            return
        try:
            result = self.commit(self.model)
        except RoiError as exc:
            self._form_error(str(exc))
            return
        except ValidationError as exc:
            self._form_error(describe_error(exc))
            return
        host(self).drafts.pop(self.draft_key, None)
        self.dismiss(result)

    def keep_draft(self) -> bool:
        """Keep what was typed (when it differs from the saved values); True if kept."""
        values = self.values()
        drafts = host(self).drafts
        if values != self._normalised(self.saved_values):
            drafts[self.draft_key] = values
            return True
        drafts.pop(self.draft_key, None)
        return False

    def action_cancel(self) -> None:
        if self.keep_draft():
            self.notify("Not saved. Your changes are kept as a draft for this form.", title="Draft kept")
        self.dismiss(None)

    def action_revert(self) -> None:
        host(self).drafts.pop(self.draft_key, None)
        self._fill(self.saved_values)
        self.query_one("#draft-note", Static).display = False
        self.validate_form()

    def _normalised(self, values: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for field in self.FIELDS:
            value = values.get(field.name, "")
            result[field.name] = bool(value) if field.kind == "check" else str(value or "")
        return result
