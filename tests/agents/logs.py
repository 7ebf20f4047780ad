"""Session logs written in the shapes Claude Code and the Codex CLI write (learned from
public usage trackers' fixtures and readers; these lines are our own)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def stamp(minutes: float) -> str:
    return (T0 + timedelta(minutes=minutes)).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def claude_user(sid: str, minutes: float, cwd: str = "/home/me/bot", text: str = "please fix the secret bug") -> dict:
    return {"parentUuid": None, "isSidechain": False, "userType": "external", "cwd": cwd, "sessionId": sid,
            "version": "2.0.19", "gitBranch": "main", "type": "user",
            "message": {"role": "user", "content": text}, "uuid": f"u-{minutes}", "timestamp": stamp(minutes)}


def claude_assistant(sid: str, minutes: float, *, model: str = "claude-sonnet-4-5-20250929", msg: str = "msg_1",
                     request: str = "req_1", input: int = 0, output: int = 0, cache_write: int = 0,
                     cache_read: int = 0, cwd: str = "/home/me/bot") -> dict:
    return {"parentUuid": "u", "isSidechain": False, "userType": "external", "cwd": cwd, "sessionId": sid,
            "version": "2.0.19", "type": "assistant", "requestId": request, "uuid": f"a-{minutes}",
            "timestamp": stamp(minutes),
            "message": {"id": msg, "type": "message", "role": "assistant", "model": model,
                        "content": [{"type": "text", "text": "here is the code: rm -rf /"}],
                        "stop_reason": None, "stop_sequence": None,
                        "usage": {"input_tokens": input, "cache_creation_input_tokens": cache_write,
                                  "cache_read_input_tokens": cache_read, "output_tokens": output,
                                  "service_tier": "standard"}}}


def codex_lines(sid: str, minutes: list[float], *, model: str = "gpt-5-codex", cwd: str = "/home/me/bot",
                totals: list[tuple[int, int, int]] | None = None) -> list[dict]:
    """session_meta, turn_context, then one response_item per time and a token_count with
    running totals (input incl. cached, cached, output) after each."""
    out: list[dict] = [
        {"timestamp": stamp(minutes[0]), "type": "session_meta",
         "payload": {"id": sid, "timestamp": stamp(minutes[0]), "cwd": cwd, "originator": "codex_cli_rs",
                     "cli_version": "0.58.0", "instructions": "be careful"}},
        {"timestamp": stamp(minutes[0]), "type": "turn_context",
         "payload": {"cwd": cwd, "approval_policy": "on-request", "model": model, "effort": "medium"}},
    ]
    for i, m in enumerate(minutes):
        out.append({"timestamp": stamp(m), "type": "response_item",
                    "payload": {"type": "message", "role": "user",
                                "content": [{"type": "input_text", "text": "a secret prompt"}]}})
        if totals and i < len(totals):
            inp, cached, outp = totals[i]
            usage = {"input_tokens": inp, "cached_input_tokens": cached, "output_tokens": outp,
                     "reasoning_output_tokens": 0, "total_tokens": inp + outp}
            out.append({"timestamp": stamp(m), "type": "event_msg",
                        "payload": {"type": "token_count", "info": {"total_token_usage": usage,
                                                                    "last_token_usage": usage},
                                    "rate_limits": {"primary": {"used_percent": 7.0}}}})
    return out


def write(path: Path, lines: list[dict | str], append: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    with path.open("a" if append else "w", encoding="utf-8") as fh:
        fh.write(text)
    return path


def claude_session(folder: Path, sid: str, minutes: list[float], *, cwd: str = "/home/me/bot",
                   model: str = "claude-sonnet-4-5-20250929", tokens: tuple[int, int, int, int] = (100, 50, 0, 0)) -> Path:
    """A session of one user line at the first time and one assistant reply at each other
    time, every reply with `tokens` (input, output, cache write, cache read)."""
    lines: list[dict | str] = [claude_user(sid, minutes[0], cwd)]
    for i, m in enumerate(minutes[1:]):
        lines.append(claude_assistant(sid, m, model=model, msg=f"msg_{i}", request=f"req_{i}", input=tokens[0],
                                      output=tokens[1], cache_write=tokens[2], cache_read=tokens[3], cwd=cwd))
    return write(folder / f"{sid}.jsonl", lines)
