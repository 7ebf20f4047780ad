"""JSON exports: found in a file (a banner may come first), parsed with the line of each
record (`load_json`), and records turned into entries by `JsonReading`, which calls the
format's `convert(record, clock)` on each.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from roi.importers.api import Entry, NotATaskLog, Options, Problem, Reading, RowError, join_notes
from roi.importers.jsonstream import JsonHead, Stream
from roi.importers.timeparse import LocalClock, in_range

JSON_LIMIT = 512 * 1024 * 1024  # a JSON file read whole (not streamed) may be this big
SHORT = 40  # longer texts (titles, URLs, timestamps with zones) rarely repeat: not shared
_decoder = json.JSONDecoder()
_WS = " \t\n\r"
_BANNERED = re.compile(r"\n[\[{]")  # a line that may start the JSON after a banner

# What a format's convert gives for one record: (start, end, task, fields, description,
# tags), the fields being what --step-from may name.
Got = tuple[float, float, str, dict[str, Any], str, list[str]]
# One entry; several (a record cut in pieces, all but the first marked so, each with a
# suffix that tells it apart in the content hash); a skipped Problem; or None (nothing).
Convert = Callable[[Any, LocalClock], "Got | list[tuple[Got, str]] | Problem | None"]


def inspect_json(source: Any) -> bool:
    """Whether a source is JSON (then its kind is "json"). A text that starts with `[` or
    `{` is parsed when a format first asks for `source.json` (so that a big export can
    be streamed instead); one with a banner before its JSON is parsed now, to find it."""
    def parse(text: str, start: int) -> Any:
        try:
            return load_json(text, start)
        except (ValueError, RecursionError) as exc:
            raise NotATaskLog(f"{source.path} is not valid JSON: {exc}") from None

    def whole() -> Any:
        if source.size > JSON_LIMIT:
            raise NotATaskLog(f"{source.path}: JSON file too large ({source.size} bytes)")
        text = source.read_text().lstrip("\ufeff")
        return text, json_start(text)

    source.kind = "json"
    if source.head.lstrip(_WS + "\ufeff")[:1] in ("[", "{"):
        source.json_loader = lambda: parse(*whole())  # type: ignore[arg-type]  # starts at once: never None
        return True
    text, start = whole()
    if start is None:
        source.kind = ""
        return False
    source.json_prefix = start if text[:start].strip() else 0
    source.json_loader = lambda: parse(text, start)
    return True


def head_of(source: Any) -> JsonHead:
    """What the start of a JSON source shows (for a sniff: it parses nothing more)."""
    head = getattr(source, "json_head", None)
    if head is None:
        parsed = source.json_loader is None or source.json_prefix
        head = source.json_head = JsonHead.of_value(source.json) if parsed else JsonHead.of_text(source.head)
    return head


def not_known(source: Any) -> str:
    """Why a JSON source is none of the formats, saying what it looks like (it is parsed
    first: a malformed one is said to be so)."""
    data = source.json
    if isinstance(data, dict) and data and all(isinstance(v, dict) and "count" in v for v in data.values()):
        return (f"{source.path} is JSON but not a task log: Timewarrior's tags.data (tag counts, not intervals;"
                " import the data folder or its YYYY-MM.data files)")
    return (f"{source.path} is JSON but not a task log this version knows ({JsonHead.of_value(data).describe()}:"
            " not a known tracker export; it reads Timewarrior exports, Watson logs and frames, ActivityWatch"
            " exports, Toggl and Clockify API time entries)")


def looks_like_json(head: str) -> bool:
    """The text starts a JSON value, or a few lines of a banner come before one (as
    `timew export` piped through a chatty shell)."""
    if head.lstrip()[:1] in ("[", "{"):
        return True
    pos = head.find("\n[")
    if pos == -1 or pos > 4000 or "," in head.split("\n", 1)[0][:200]:
        return False
    after = head[pos + 2 : pos + 40].lstrip(" \t")
    return after[:1] in ("{", "[", "]", "\n", "\r", '"', "")


class Located(list):  # type: ignore[type-arg]
    """A JSON array that remembers the file line of each element."""

    lines: list[int]


def records_of(value: Any) -> list[tuple[int, Any]]:
    """(line, element) of each element of a parsed JSON array (line 0 if not located)."""
    return list(zip(getattr(value, "lines", None) or [0] * len(value), value, strict=False))


def json_start(text: str) -> int | None:
    """Offset where the JSON value starts: the first `{` or `[` from which a whole JSON
    document parses (so a banner printed before `timew export`'s `[` is passed over)."""
    stripped = len(text) - len(text.lstrip(_WS + "\ufeff"))
    if stripped < len(text) and text[stripped] in "[{":
        return stripped
    for match in itertools.islice(_BANNERED.finditer(text), 50):
        try:
            _, end = _decoder.raw_decode(text, match.start() + 1)
        except (ValueError, RecursionError):
            continue
        if not text[end:].strip():
            return match.start() + 1
    return None


def load_json(text: str, start: int, depth: int = 4) -> Any:
    """Parse JSON from `start`; arrays down to `depth` become `Located` lists that know
    the line of each element. Raises ValueError on malformed input or trailing junk.
    Equal keys, and equal short texts, become one string object: an export of many
    events repeats the same keys and app names in each (as copies, half the memory)."""
    memo: dict[str, str] = {}
    share = memo.setdefault

    def shared(value: Any) -> Any:
        return share(value, value) if type(value) is str and len(value) <= SHORT else value

    def located(depth: int) -> Any:
        first = stream.peek()
        if depth <= 0 or first not in ("[", "{"):
            return shared(stream.value())
        if first == "{":
            return {share(key, key): located(depth - 1) for key in stream.members()}
        out = Located()
        out.lines = []
        for line in stream.elements():
            out.lines.append(line)
            out.append(located(depth - 1))
        return out

    decoder = json.JSONDecoder(object_pairs_hook=lambda pairs: {share(k, k): shared(v) for k, v in pairs})
    stream = Stream(None, decoder, text, start)
    value = located(depth)
    stream.end()
    return value


# --- records -> entries ------------------------------------------------------------------------


def raw(record: Any) -> str:
    try:
        return json.dumps(record, ensure_ascii=False)[:2000]
    except (TypeError, ValueError):
        return repr(record)[:2000]


def canonical(record: Any) -> str:
    """A record's identity: its JSON with sorted keys."""
    return json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)


@dataclass
class JsonReading(Reading):
    """Records (with their lines) -> entries, through a per-format `convert` (what it
    gives: `Convert`; it may also raise RowError). `finish()`, if given, adds to the
    note once every record is read."""

    title: str = field()  # (no default: Reading's class attribute is not one)
    records: Iterable[tuple[int, Any]]
    convert: Convert
    options: Options
    note: str = ""
    fields: list[str] | None = None  # what --task-from and --step-from may name
    identity: Callable[[Any], str] = canonical
    finish: Callable[[], str] | None = None
    total: int | None = None  # (of a list of records: its length)
    raw: Callable[[Any], str] = raw

    def __post_init__(self) -> None:
        title, fields, options = self.title, self.fields, self.options
        for flag, choice in (("--task-from", options.task_from), ("--step-from", options.step_from)):
            if choice and fields is not None and choice.strip().lower() not in fields:
                raise NotATaskLog(f"{flag} {choice!r} is not a field of {title} (choose from: {', '.join(fields)})")
        self.clock = LocalClock(options.tz)
        if self.total is None and isinstance(self.records, list):
            self.total = len(self.records)

    def __iter__(self) -> Iterator[Entry | Problem]:
        for line, record in self.records:
            try:
                got = self.convert(record, self.clock)
            except RowError as exc:
                got = Problem(line, str(exc))
            except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
                got = Problem(line, f"not a valid entry ({type(exc).__name__}: {exc})"[:300])
            if isinstance(got, Problem):
                yield Problem(line, got.reason, got.raw or self.raw(record), got.skipped)
                continue
            if got is None:
                continue
            pieces = got if isinstance(got, list) else [(got, "")]
            identity = clean(self.identity(record))
            for n, ((start, end, task, fields, desc, tags), apart) in enumerate(pieces):
                bad = next((t for t in (start, end) if not in_range(t)), None)  # after year 9999, before 1
                if bad is not None or end < start:
                    why = (f"date out of range ({bad!r} seconds)" if bad is not None else
                           f"ends ({self.clock.iso(end)}) before it starts ({self.clock.iso(start)})")
                    yield Problem(line, why, self.raw(record))
                    continue
                step = choose(fields, [], self.options.step_from)  # (the same rule for every format)
                yield Entry(
                    line, start, end, clean(task), clean(step) or None, clean(desc),
                    tuple(clean(t) for t in tags), identity + apart, piece=n > 0,
                )
        if self.finish is not None:
            self.note = join_notes(self.note, self.finish())


def choose(fields: dict[str, Any], chain: list[str], choice: str | None) -> str:
    """The first non-empty of the fields named in `chain`, or the one the person chose
    (a field of the format: JsonReading has checked)."""
    for name in [choice.strip().lower()] if choice else chain:
        value = fields.get(name)
        if isinstance(value, list):
            value = " ".join(str(v) for v in value)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def free_text(values: list[str]) -> bool:
    """Texts that are mostly different from row to row (notes, not the names of tasks
    that recur): over half of 20 or more, once empties are left out."""
    given = [v for v in values if v]
    return len(given) >= 20 and len(set(given)) > len(given) / 2


def tag_fields(tags: Any) -> tuple[dict[str, str], list[str]]:
    """A record's tags as texts (a lone value is one tag), and the fields they give
    --task-from: "tags" (all of them, joined by a space) and "first tag"."""
    tag_list = [text(t) for t in tags] if isinstance(tags, list) else ([text(tags)] if tags else [])
    return {"tags": " ".join(tag_list), "first tag": tag_list[0] if tag_list else ""}, tag_list


def clean(value: str) -> str:
    """Lone surrogates (JSON allows "\\ud800") cannot be stored as UTF-8: replace them."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return value.encode("utf-8", "replace").decode("utf-8")
    return value


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
