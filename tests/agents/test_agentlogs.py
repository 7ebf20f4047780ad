"""Reading one session file: active time, tokens by kind, duplicates, bad lines, long
lines, detection and the price table. Pure: no database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roi.agentlogs import parse, prices
from roi.agentlogs.parse import CLAUDE, CODEX, Usage, read_lines, read_session, sniff
from roi.agentlogs.runs import share
from tests.agents.logs import claude_assistant, claude_session, claude_user, codex_lines, write

IDLE = 300.0  # the default agent_idle_gap: 5 minutes


def test_active_time_counts_gaps_shorter_than_the_idle_gap(tmp_path: Path):
    # 0, 1, 3 min (2 gaps: 3 min), a 40 min pause (away), then 41, 45 (4 min), and a gap
    # of exactly 5 min (not shorter: away)
    path = claude_session(tmp_path, "s1", [0, 1, 3, 43, 44, 48, 53])
    s = read_session(path, CLAUDE, IDLE)
    assert s.active_s == pytest.approx((3 + 5) * 60)
    assert s.events == 7
    assert (s.ended - s.started).total_seconds() == 53 * 60
    assert s.session_id == "s1" and s.cwd == "/home/me/bot" and not s.problems
    # a longer idle gap takes the pause in
    assert read_session(path, CLAUDE, 3600.0).active_s == pytest.approx(53 * 60)


def test_codex_active_time_and_tokens_from_running_totals(tmp_path: Path):
    lines = codex_lines("c-1", [0, 2, 30, 31], totals=[(1000, 200, 50), (3000, 1200, 80), (3000, 1200, 80),
                                                        (4000, 1500, 100)])
    s = read_session(write(tmp_path / "rollout-2026-11-02T09-00-00-c-1.jsonl", lines), CODEX, IDLE)
    assert s.session_id == "c-1" and s.cwd == "/home/me/bot"
    assert s.active_s == pytest.approx(3 * 60)  # 0-2 and 30-31; 2-30 is away
    # the repeated total adds nothing; input counts the cached tokens once, as cache reads
    assert s.usage == {"gpt-5-codex": Usage(input=4000 - 1500, output=100, cache_write=0, cache_read=1500)}


def test_a_reply_written_in_several_lines_is_counted_once(tmp_path: Path):
    sid = "dup"
    one = dict(model="claude-opus-4-1", msg="msg_A", request="req_A", input=10, output=20, cache_write=30, cache_read=40)
    path = write(tmp_path / f"{sid}.jsonl", [claude_user(sid, 0), claude_assistant(sid, 1, **one),
                                             claude_assistant(sid, 1.5, **one),
                                             claude_assistant(sid, 2, **(one | {"msg": "msg_B", "request": "req_B"}))])
    s = read_session(path, CLAUDE, IDLE)
    assert s.usage == {"claude-opus-4-1": Usage(20, 40, 60, 80)}


def test_a_malformed_line_is_rejected_with_its_number_and_the_rest_kept(tmp_path: Path):
    sid = "bad"
    path = write(tmp_path / f"{sid}.jsonl", [
        claude_user(sid, 0),
        '{"type": "assistant", "timestamp": ',  # cut short
        "[1, 2]",
        claude_assistant(sid, 1, input=5, output=7) | {"timestamp": "yesterday"},
        claude_assistant(sid, 2, msg="m2", request="r2", input=5, output=7)
        | {"message": {"id": "m9", "model": "claude-sonnet-4-5", "usage": {"input_tokens": "many"}}},
        claude_assistant(sid, 3, msg="m3", request="r3", input=11, output=13),
    ])
    s = read_session(path, CLAUDE, IDLE)
    assert [(p.line, p.reason.split(" (")[0]) for p in s.problems] == [
        (2, "not JSON"), (3, "not a JSON object"), (4, "timestamp is not a date and time"),
        (5, "usage.input_tokens is not a token count"),
    ]
    assert "'yesterday'" in s.problems[2].reason and "'many'" in s.problems[3].reason
    assert s.usage == {"claude-sonnet-4-5-20250929": Usage(11, 13, 0, 0)}
    assert s.events == 3  # lines 1, 5 and 6 (line 5 has a good time): 0, 2 and 3 min
    assert s.active_s == pytest.approx(3 * 60)


class _Counting(io.BytesIO):
    """A file that remembers the largest read asked of it and refuses whole-file reads."""

    largest = 0

    def readline(self, size: int | None = -1) -> bytes:  # type: ignore[override]
        assert size is not None and size > 0, "a line must be read with a limit"
        chunk = super().readline(size)
        self.largest = max(self.largest, len(chunk))
        return chunk

    def read(self, size: int | None = -1) -> bytes:
        raise AssertionError("a session file is never read whole")


def test_lines_are_streamed_with_a_bounded_read_and_a_long_line_is_skipped():
    data = b'{"a": 1}\n' + b'{"x": "' + b"y" * 10_000 + b'"}\n' + b'{"b": 2}\n' + b"tail-without-newline"
    fh = _Counting(data)
    got = list(read_lines(fh, limit=1024))
    assert [(n, None if raw is None else raw.strip()) for n, raw in got] == [
        (1, b'{"a": 1}'), (2, None), (3, b'{"b": 2}'), (4, b"tail-without-newline")]
    assert fh.largest <= 1024


def test_a_line_past_the_limit_costs_that_line_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parse, "MAX_LINE", 4096)
    sid = "long"
    huge = claude_assistant(sid, 1, msg="big", request="big", input=999, output=999)
    huge["message"]["content"] = [{"type": "text", "text": "z" * 20_000}]
    path = write(tmp_path / f"{sid}.jsonl", [claude_user(sid, 0), huge,
                                             claude_assistant(sid, 2, input=3, output=4)])
    s = read_session(path, CLAUDE, IDLE)
    assert [p.line for p in s.problems] == [2] and "longer than" in s.problems[0].reason
    assert s.usage == {"claude-sonnet-4-5-20250929": Usage(3, 4, 0, 0)}


def test_nothing_of_the_conversation_is_kept(tmp_path: Path):
    s = read_session(claude_session(tmp_path, "s", [0, 1]), CLAUDE, IDLE)
    assert "secret" not in repr(s) and "rm -rf" not in repr(s)


def test_detection_by_content(tmp_path: Path):
    assert sniff(claude_session(tmp_path, "s", [0, 1])) == CLAUDE
    assert sniff(write(tmp_path / "rollout-x.jsonl", codex_lines("c", [0]))) == CODEX
    assert sniff(write(tmp_path / "other.jsonl", [{"event": "x", "time": 1}])) is None
    (tmp_path / "log.csv").write_text("date,task\n2026-01-01,x\n")
    assert sniff(tmp_path / "log.csv") is None
    # a summary line first (Claude Code writes them at the top of resumed sessions)
    assert sniff(write(tmp_path / "resumed.jsonl", [{"type": "summary", "summary": "s", "leafUuid": "u"}])) == CLAUDE


def test_cost_from_the_price_table_by_hand():
    table = prices.load_prices()
    usage = Usage(input=1_000_000, output=200_000, cache_write=400_000, cache_read=3_000_000)
    # claude-sonnet-4-5: $3 input, $15 output, $3.75 cache write, $0.30 cache read per million
    by_hand = 1.0 * 3 + 0.2 * 15 + 0.4 * 3.75 + 3.0 * 0.30
    cost, unpriced = table.cost({"claude-sonnet-4-5-20250929": usage})
    assert cost == pytest.approx(by_hand) and unpriced == ()
    price = table.find("claude-sonnet-4-5-20250929")
    assert price is not None and price.taken is not None and price.model == "claude-sonnet-4-5"
    # gpt-5-codex is an alias of gpt-5: $1.25 input, $10 output, $0.125 cached
    cost, _ = table.cost({"gpt-5-codex": Usage(input=2_000_000, output=100_000, cache_read=8_000_000)})
    assert cost == pytest.approx(2 * 1.25 + 0.1 * 10 + 8 * 0.125)


def test_an_unknown_model_is_never_free():
    table = prices.load_prices()
    cost, unpriced = table.cost({"mystery-9": Usage(input=10)})
    assert cost is None and unpriced == ("mystery-9",)
    cost, unpriced = table.cost({"mystery-9": Usage(input=10), "claude-haiku-4-5": Usage(output=1_000_000)})
    assert cost == pytest.approx(5.0) and unpriced == ("mystery-9",)
    # a dated name is not stretched to a different model
    assert table.find("claude-sonnet-4-7-20260101") is None


def test_own_prices_override_and_a_bad_file_names_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    own = tmp_path / "agents.toml"
    monkeypatch.setenv(prices.AGENTS_ENV, str(own))
    own.write_text('[price."mystery-9"]\ninput = 2.0\noutput = 8.0\ncache_write = 2.5\ncache_read = 0.2\n'
                   'taken = 2026-11-01\n[price."claude-sonnet-4-5"]\ninput = 1\noutput = 1\ncache_write = 1\n'
                   'cache_read = 1\n[[attach]]\ncwd = "/home/me/bot*"\ntask = "Bot"\nrole = "runs"\n')
    table = prices.load_prices()
    assert table.cost({"mystery-9": Usage(input=1_000_000)}) == (pytest.approx(2.0), ())
    assert table.cost({"claude-sonnet-4-5": Usage(output=1_000_000)})[0] == pytest.approx(1.0)
    (rule,) = prices.attach_rules()
    assert rule.matches("/home/me/bot-v2") and not rule.matches("/home/me/other")
    own.write_text('[price."x"]\ninput = "cheap"\n')
    with pytest.raises(prices.AgentsFileError, match="agents.toml.*input must be a number"):
        prices.load_prices()


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 1e6), st.lists(st.floats(-10, 1e4), min_size=1, max_size=8))
def test_the_measured_overhead_is_shared_out_whole(total: float, weights: list[float]):
    parts = share(total, weights)
    assert len(parts) == len(weights) and all(p >= 0 for p in parts)
    assert sum(parts) == pytest.approx(total, rel=1e-9, abs=1e-6)


def test_lines_written_by_json_dumps_with_unicode_and_nul(tmp_path: Path):
    sid = "uni"
    line = claude_assistant(sid, 1, input=1, output=1) | {"cwd": "/home/ü/\u202e[b]x[/b]"}
    path = write(tmp_path / f"{sid}.jsonl", [json.dumps(line, ensure_ascii=False), "\x00\x00"])
    s = read_session(path, CLAUDE, IDLE)
    assert s.cwd == "/home/ü/\u202e[b]x[/b]" and [p.line for p in s.problems] == [2]
