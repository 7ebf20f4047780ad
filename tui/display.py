"""Text for the screens: every name from data goes through `name_text`, which makes
control characters visible and never interprets markup."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from roi.fmt import fmt
from roi.ranking import RankedTask, far_off_measurements
from roi.textsafe import visible

# Mid-tone colours that read on dark and light backgrounds alike.
VERDICT_STYLE = {"automate": "bold #3fa34d", "maybe": "bold #d7901b", "skip": "bold #e0524a",
                 "needs-estimate": "bold #9b6bd6"}
#: The task screen's key that gives each missing input (roi.ranking.Settled.missing).
MISSING_KEYS = {"steps": "a: add a step", "per_week": "n: the task's frequency", "build_hours": "p: the plan"}


def local_zone(store: Any) -> tzinfo:  # noqa: ANN401
    """The person's time zone for showing times: the timezone setting, else the system's
    (as `roi time list` shows them)."""
    import pendulum

    name = store.settings().timezone
    zone: tzinfo = pendulum.timezone(name) if name else pendulum.local_timezone()  # type: ignore[operator]
    return zone


def missing_text(r: RankedTask) -> str:
    """'' or 'missing: build_hours (open the task, then p: the plan)'."""
    if not r.missing:
        return ""
    keys = "; ".join(MISSING_KEYS[m] for m in r.missing)
    return f"missing: {', '.join(r.missing)} (on the task screen, {keys})"


#: Where a name may wrap (a title, a panel), it is still cut at this many cells: a
#: 10,000-character name does not push everything else off the screen.
LONG_NAME = 200


def name_text(name: str, width: int | None = None, style: str = "", limit: int = LONG_NAME) -> Text:
    """A name from data, literally, optionally cut to `width` cells with an ellipsis (on
    one line), else wrapping but cut at `limit` cells."""
    text = Text(one_line(name, limit) if width is None else visible(name), style=style, no_wrap=width is not None)
    if width is not None and text.cell_len > width:
        text.truncate(width - 1)
        text.append("…")
    return text


def one_line(text: str, limit: int = 60) -> str:
    """Text from data (a name, a path, an error) as one line of plain text for a title, a
    palette entry or a toast: control characters and newlines made visible, cut to
    `limit` cells with an ellipsis. Shown through `Content`/`Text`, never as markup."""
    shown = visible(text)
    if cell_len(shown) > limit:
        shown = set_cell_size(shown, limit - 1) + "…"
    return shown


def safe_text(text: str, style: str = "") -> Text:
    """Text that may hold data (an explanation, a flag's reason, an error) as a `Text`:
    literal, control characters made visible, its own line breaks kept."""
    return Text(visible(text, keep_newlines=True), style=style)


def verdict_text(verdict: str) -> Text:
    return Text(verdict, style=VERDICT_STYLE.get(verdict, ""))


def short_flag(code: str) -> str:
    return visible(code.removeprefix("low-roi:"))


def flags_text(r: RankedTask) -> Text:
    text = Text()
    for flag in r.flags:
        if text:
            text.append(" ")
        if flag.dismissed:
            text.append(short_flag(flag.code), style="dim strike")
        else:
            text.append("⚑" + short_flag(flag.code), style="bold magenta")
    return text


def short_weeks(weeks: float | None) -> str:
    if weeks is None:
        return "never"
    if weeks < 1:
        return f"{fmt(weeks * 7)} d"
    return f"{fmt(weeks)} wk"


@dataclass(frozen=True)
class Column:
    """A column of the inventory table."""

    key: str
    label: str
    right: bool = False
    max_width: int | None = None
    #: A column that gives up width when the others need it (the task names), down to this.
    min_width: int | None = None


def fixed(value: float, digits: int) -> str:
    """A number for a table column: always `digits` decimals (so a column of them lines up
    on the point when right-aligned), never '-0.00'."""
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


#: The inventory's columns, label and key, in order (all of them when they fit).
COLUMNS = (
    ("#", "rank"),
    ("Task", "task"),
    ("Category", "category"),
    ("Gain h/wk", "saved"),
    ("Build h", "build"),
    ("Payback", "payback"),
    ("Net h", "net"),
    ("Break-even", "break_even"),
    ("Verdict", "verdict"),
    ("Flags", "flags"),
)
ALL_KEYS = [key for _label, key in COLUMNS]
KEY_INDEX = {key: index for index, key in enumerate(ALL_KEYS)}
#: When the wide layout does not fit, category and break-even move to the detail panel,
#: and so does net hours unless the ranking is by net hours (then build hours do).
NARROW = ("rank", "task", "saved", "build", "payback", "verdict", "flags")
NARROW_BY_NET = ("rank", "task", "saved", "net", "payback", "verdict", "flags")
NARROW_LABELS = {"saved": "h/wk", "build": "Build h"}
RIGHT = {"rank", "saved", "build", "payback", "net"}
#: The task names' column: at most this wide, and down to the second figure when the
#: other columns need the room (wide, narrow).
TASK_WIDTH = {True: (40, 20), False: (40, 14)}
#: The column each ranking order sorts by, and its header's mark (ascending, descending).
SORTED_COLUMN = {"payback": ("payback", "▲"), "net": ("net", "▼"), "confidence": ("net", "▼")}


def table_columns(wide: bool, by: str = "payback") -> list[Column]:
    labels = {key: label for label, key in COLUMNS}
    keys = ALL_KEYS
    if not wide:
        labels |= NARROW_LABELS
        keep = NARROW_BY_NET if by in ("net", "confidence") else NARROW
        keys = [key for key in keys if key in keep]
    top, least = TASK_WIDTH[wide]
    return [
        Column(
            key, labels[key], right=key in RIGHT,
            max_width=top if key == "task" else None, min_width=least if key == "task" else None,
        )
        for key in keys
    ]


def plain_cells(r: RankedTask, keys: list[str]) -> tuple[str, ...]:
    """The inventory cells of one task as plain text (names made visible), by column key."""
    o = r.outcome
    unknown = set(r.missing)
    out = []
    for key in keys:
        if unknown and key in ("payback", "net", "break_even"):
            out.append("—")
            continue
        if key == "rank":
            out.append(str(r.rank))
        elif key == "task":
            out.append(visible(r.name))
        elif key == "category":
            out.append(r.task.category)
        elif key == "saved":  # net of upkeep: what payback divides the build by
            out.append("?" if unknown & {"steps", "per_week"} else fixed(o.net_weekly_gain, 2))
        elif key == "build":
            out.append("?" if "build_hours" in unknown else fixed(r.build_hours, 1))
        elif key == "payback":
            out.append("never" if r.payback_weeks is None else fixed(r.payback_weeks, 1) + " wk")
        elif key == "net":
            out.append(fixed(o.net_hours, 1))
        elif key == "break_even":
            out.append(r.break_even.isoformat() if r.break_even else "—")
        elif key == "verdict":
            out.append(r.verdict)
        elif key == "flags":
            out.append(
                " ".join(
                    (short_flag(f.code) + "✓") if f.dismissed else ("⚑" + short_flag(f.code))
                    for f in r.flags
                )
            )
        else:
            out.append("")
    return tuple(out)


def detail_text(r: RankedTask) -> Text:
    """Explanation, verdict and flags of one task, for the inventory's detail panel."""
    text = Text()
    text.append_text(name_text(r.name, style="bold"))
    text.append("  ")
    text.append_text(verdict_text(r.verdict))
    text.append(f" ({visible(r.verdict_reason)})", style="dim")
    text.append(f"  {r.task.category}", style="dim")
    if r.break_even and not r.missing:
        text.append(f" · break-even {r.break_even.isoformat()}", style="dim")
    text.append("\n")
    text.append(visible(r.explanation, keep_newlines=True))
    if r.missing:
        text.append("\n" + missing_text(r), style=VERDICT_STYLE["needs-estimate"])
    for warning in far_off_measurements(r):
        text.append("\n⚠ " + visible(warning), style="bold #d7901b")
    # The explanation already carries the chance of paying back when a range makes it
    # informative (roi.uncertainty); a point estimate's "100%" would only be noise.
    money = r.money_sentence()
    if money:
        text.append("\n" + visible(money), style="dim")
    for flag in r.flags:
        text.append("\n")
        if flag.dismissed:
            text.append(f"{visible(flag.code)} (dismissed): ", style="dim")
            text.append(visible(flag.reason), style="dim")
        else:
            text.append(f"⚑ {visible(flag.code)}: ", style="bold magenta")
            text.append(visible(flag.reason))
    return text
