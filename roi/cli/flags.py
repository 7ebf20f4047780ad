"""`roi flags`: the low-ROI rules, the flags on your tasks, dismissing and restoring them."""

from __future__ import annotations

import click
from rich.text import Text

from roi.cli.console import console
from roi.cli.inventory import flag_match_text
from roi.clock import today
from roi.fmt import fmt, fmt_weeks
from roi.models import (
    Flag,
    RoiError,
)
from roi.ranking import RankedTask
from roi.textsafe import visible


@click.group()
def flags() -> None:
    """Low-ROI flags: list the rules, dismiss or restore a flag on a task."""


@flags.command("list")
@click.argument("task_ref", metavar="[TASK]", required=False)
@click.pass_context
def flags_list(ctx: click.Context, task_ref: str | None) -> None:
    """The flag rules in force, then the flags raised on your tasks (or on TASK), each
    with the field and word that raised it."""
    from roi.flags import load_rules
    from roi.inventory import evaluate_store

    out = console()
    if task_ref is None:
        for rule in load_rules():
            out.print(Text.assemble((rule.code, "bold"), f"  ({rule.source})"))
            if rule.categories:
                out.print(Text("  categories: " + ", ".join(rule.categories)))
            if rule.words:
                out.print(Text("  words: " + ", ".join(rule.words)))
            out.print(Text("  " + rule.reason, style="dim"))
    store = ctx.obj.store()
    ids = None if task_ref is None else [store.task_id(task_ref)]
    raised = [(r, f) for r in sorted(evaluate_store(store, today=today(), ids=ids, simulate=False),
                                      key=lambda r: r.id) for f in r.flags]
    if task_ref is not None and not raised:
        out.print("No flags on this task.")
        return
    if not raised:
        return
    if task_ref is None:
        out.print()
    out.print(Text("Flags on your tasks (dismiss one with `roi flags dismiss TASK FLAG`):", style="bold"))
    for r, f in raised:
        out.print(Text.assemble(
            ("! ", "yellow"), visible(r.name), ": ", (f.short_code, "bold"), ", ", flag_match_text(f),
            (f"; {flag_effect(f)}", "dim"),
        ))


def flag_effect(f: Flag) -> str:
    if f.dismissed:
        return "dismissed: ranked on its own numbers"
    if f.scope == "step":
        return "overhead assumed on that step"
    return "verdict skip; overhead assumed on every step"


@flags.command("path")
def flags_path() -> None:
    """Where your own flag rules are read from."""
    from roi.flags import user_rules_path

    click.echo(visible(str(user_rules_path())))


def _flag_change(ctx: click.Context, task_ref: str, code: str, dismissed: bool) -> None:
    from roi.flags import find_code
    from roi.inventory import evaluate_store

    store = ctx.obj.store()
    task_id = store.task_id(task_ref)
    (before,) = evaluate_store(store, today=today(), ids=[task_id])
    codes = [f.code for f in before.flags]
    full = find_code(code, codes)
    if full is None:
        shown = ", ".join(f"{f.short_code} ({f.code})" for f in before.flags) or "none"
        raise RoiError(f"task {visible(before.name)!r} has no flag {code!r} (its flags: {shown})")
    store.dismiss_flag(task_id, full, dismissed)
    (after,) = evaluate_store(store, today=today(), ids=[task_id])
    verb = "Dismissed" if dismissed else "Restored"
    out = console()
    out.print(Text(f"{verb} {full} on {visible(after.name)}."))
    for line in flag_change_lines(before, after):
        out.print(Text("  " + line))


def flag_change_lines(before: RankedTask, after: RankedTask) -> list[str]:
    """What dismissing or restoring a flag changed in the numbers: the assumed overhead
    per step, the weekly hours saved, payback and the verdict (before -> after)."""
    lines = []
    for b, a in zip(before.steps, after.steps, strict=False):
        was, now = b.overhead_source == "flag default", a.overhead_source == "flag default"
        if was and not now:
            lines.append(f"step {visible(a.name)!r}: the assumed overhead of {fmt(b.overhead, 2)} min "
                         f"goes away ({fmt(b.overhead, 2)} -> {fmt(a.overhead, 2)} min per occurrence)")
        elif now and not was:
            lines.append(f"step {visible(a.name)!r}: overhead assumed equal to the manual time again "
                         f"({fmt(b.overhead, 2)} -> {fmt(a.overhead, 2)} min per occurrence)")
    bo, ao = before.outcome, after.outcome
    lines.append(f"hours saved a week: {bo.weekly_hours_saved:.2f} -> {ao.weekly_hours_saved:.2f}")
    lines.append(f"payback: {fmt_weeks(bo.payback_weeks)} -> {fmt_weeks(ao.payback_weeks)}")
    verdict = f"verdict: {before.verdict} -> {after.verdict}"
    if after.verdict != before.verdict or after.verdict_reason != before.verdict_reason:
        verdict += f" ({after.verdict_reason})"
    lines.append(verdict)
    return lines


@flags.command("dismiss")
@click.argument("task_ref", metavar="TASK")
@click.argument("code")
@click.pass_context
def flags_dismiss(ctx: click.Context, task_ref: str, code: str) -> None:
    """Dismiss flag CODE (e.g. email or low-roi:email) for TASK: rank it on its own
    numbers, without the flag's assumed overhead (the flag stays visible)."""
    _flag_change(ctx, task_ref, code, True)


@flags.command("restore")
@click.argument("task_ref", metavar="TASK")
@click.argument("code")  # e.g. email or low-roi:email
@click.pass_context
def flags_restore(ctx: click.Context, task_ref: str, code: str) -> None:
    """Undo a dismissal."""
    _flag_change(ctx, task_ref, code, False)
