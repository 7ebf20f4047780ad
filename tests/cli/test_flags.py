"""Low-ROI flags say what matched, and a step-only match does not decide the verdict."""

from __future__ import annotations

import json


def rank_json(roi) -> dict:
    r = roi("rank", "--json")
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def task_of(roi, name: str) -> dict:
    return next(t for t in rank_json(roi)["tasks"] if t["name"] == name)


def invoice(roi, name: str = "Weekly invoice") -> None:
    assert roi("task", "add", name, "-c", "admin", "--per-week", "1").exit_code == 0
    assert roi("step", "add", name, "fill the form", "--minutes", "20", "--automation", "90%").exit_code == 0
    assert roi("step", "add", name, "send email", "--minutes", "3").exit_code == 0
    assert roi("plan", name, "--build-hours", "2").exit_code == 0


def test_a_step_named_email_puts_the_overhead_on_that_step_not_skip_on_the_task(roi):
    invoice(roi)
    t = task_of(roi, "Weekly invoice")
    assert t["verdict"] == "automate"  # today: skip, forced by low-roi:email
    (flag,) = t["flags"]
    assert flag["code"] == "low-roi:email" and flag["reason"]
    assert flag["matched"] == {"field": "step", "word": "email", "text": "send email"}
    assert flag["scope"] == "step"
    form, mail = t["steps"]
    assert mail["overhead_source"] == "flag default" and mail["overhead_minutes"] == 3
    assert mail["saved_minutes"] == 0
    assert form["overhead_source"] == "default" and form["overhead_minutes"] == 0


def test_a_task_named_or_tagged_or_in_the_category_is_flagged_as_a_whole(roi):
    roi("task", "add", "Inbox zero", "--per-week", "5")
    roi("task", "add", "Digest", "--per-week", "5", "--tags", "newsletter,weekly")
    roi("task", "add", "Triage", "-c", "email", "--per-week", "5")
    for name in ("Inbox zero", "Digest", "Triage"):
        roi("step", "add", name, "sort", "--minutes", "10")
        roi("plan", name, "--build-hours", "1")
    matched = {t["name"]: t["flags"][0]["matched"] for t in rank_json(roi)["tasks"]}
    assert matched == {
        "Inbox zero": {"field": "name", "word": "inbox", "text": "Inbox zero"},
        "Digest": {"field": "tag", "word": "newsletter", "text": "newsletter"},
        "Triage": {"field": "category", "word": "email", "text": "email"},
    }
    assert {t["verdict"] for t in rank_json(roi)["tasks"]} == {"skip"}
    steps = [s for t in rank_json(roi)["tasks"] for s in t["steps"]]
    assert all(s["overhead_source"] == "flag default" for s in steps)


def test_flags_list_shows_each_task_flag_with_field_and_word(roi):
    invoice(roi)
    roi("task", "add", "Inbox zero", "--per-week", "5")
    r = roi("flags", "list")
    assert r.exit_code == 0, r.output
    assert "low-roi:email" in r.stdout  # the rules are still listed
    flat = " ".join(r.stdout.split())
    assert 'step "send email" matched "email"' in flat
    assert 'name "Inbox zero" matched "inbox"' in flat
    one = roi("flags", "list", "Weekly invoice")
    assert "Inbox zero" not in one.stdout and "send email" in one.stdout


def test_rank_explain_and_task_show_name_what_matched(roi):
    invoice(roi)
    flat = " ".join(roi("rank", "--explain").stdout.split())
    assert 'low-roi:email (step "send email" matched "email")' in flat
    flat = " ".join(roi("task", "show", "Weekly invoice").stdout.split())
    assert 'step "send email" matched "email"' in flat


def test_dismiss_takes_the_short_code_and_says_what_changes_in_the_numbers(roi):
    invoice(roi)
    r = roi("flags", "dismiss", "Weekly invoice", "email")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    assert "Dismissed low-roi:email on Weekly invoice." in flat
    assert "step 'send email': the assumed overhead of 3 min goes away (3 -> 0 min per occurrence)" in flat
    assert "hours saved a week: 0.30 -> 0.35" in flat
    assert "verdict: automate -> automate" in flat
    t = task_of(roi, "Weekly invoice")
    assert t["flags"][0]["dismissed"] is True and t["steps"][1]["overhead_minutes"] == 0
    r = roi("flags", "restore", "Weekly invoice", "EMAIL")
    assert r.exit_code == 0, r.output
    assert "0.35 -> 0.30" in r.stdout
    assert task_of(roi, "Weekly invoice")["flags"][0]["dismissed"] is False


def test_dismissing_a_task_flag_reports_the_verdict_and_hours_before_and_after(roi):
    roi("task", "add", "Newsletter digest", "--per-week", "5")
    roi("step", "add", "Newsletter digest", "summarise", "--minutes", "20")
    roi("plan", "Newsletter digest", "--build-hours", "2")
    r = roi("flags", "dismiss", "Newsletter digest", "low-roi:email")
    flat = " ".join(r.stdout.split())
    assert r.exit_code == 0, r.output
    assert "hours saved a week: 0.00 -> 1.67" in flat
    assert "verdict: skip -> automate" in flat


def test_an_unknown_code_names_the_short_and_full_codes(roi):
    invoice(roi)
    r = roi("flags", "dismiss", "Weekly invoice", "calendar")
    assert r.exit_code != 0
    assert "has no flag 'calendar' (its flags: email (low-roi:email))" in " ".join(r.output.split())


def test_hostile_names_are_shown_literally_in_flag_output(roi):
    name = "[b]x[/b] inbox [/b]\x1b[31m"
    roi("task", "add", name, "--per-week", "1")
    roi("step", "add", name, "[/i] reply \x07", "--minutes", "3")
    for args in (("flags", "list"), ("rank", "--explain"), ("task", "show", name),
                 ("flags", "dismiss", name, "email")):
        r = roi(*args)
        assert r.exit_code == 0, (args, r.output)
        flat = "".join(r.stdout.split())
        assert "\x1b" not in r.stdout and "\x07" not in r.stdout
        assert "[b]x[/b]" in flat and "\\x1b[31m" in flat, args
