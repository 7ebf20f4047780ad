"""Recording what a build took is not going live: the status changes only when the
person says so, and rank and roadmap agree on which tasks are live."""

from __future__ import annotations

import json

NAME = "Trim [b]video[/b]"


def ranked(roi) -> dict:
    return {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}


def scheduled(roi) -> tuple[list[str], list[str]]:
    data = json.loads(roi("roadmap", "--budget", "4", "--json").stdout)
    return [i["name"] for i in data["items"]], [t["name"] for t in data["live"]]


def trim(roi, name: str = NAME) -> None:
    roi("task", "add", name, "--per-week", "3", "-c", "media")
    roi("step", "add", name, "cut", "--minutes", "30", "--automation", "80%")
    assert roi("plan", name, "--build-hours", "2").exit_code == 0


def test_actual_build_hours_record_the_build_and_keep_the_status(roi):
    trim(roi)
    roi("task", "edit", NAME, "--status", "building")
    r = roi("plan", NAME, "--actual-build-hours", "3")
    assert r.exit_code == 0, r.output
    flat = " ".join(r.stdout.split())
    assert "actual build 3 h" in flat
    assert "Recorded the build; the status stays building." in flat
    assert "`roi plan 'Trim [b]video[/b]' --live`" in flat
    t = ranked(roi)[NAME]
    assert t["status"] == "building" and t["live"] is False  # today: automated
    assert scheduled(roi) == ([NAME], [])
    shown = json.loads(roi("task", "show", NAME, "--json").stdout)
    assert shown["status"] == "building"


def test_going_live_is_explicit_and_rank_and_roadmap_agree(roi):
    trim(roi)
    trim(roi, "Grant template")
    r = roi("plan", NAME, "--actual-build-hours", "3", "--live")
    assert r.exit_code == 0, r.output
    assert "is live (status automated)" in " ".join(r.stdout.split())
    tasks = ranked(roi)
    assert (tasks[NAME]["status"], tasks[NAME]["live"]) == ("automated", True)
    assert tasks["Grant template"]["live"] is False
    assert scheduled(roi) == (["Grant template"], [NAME])
    assert f"{NAME} (live)" in " ".join(roi("rank").stdout.split())
    text = " ".join(roi("roadmap", "--budget", "4").stdout.split())
    assert f"1 task is live already (status automated), so not scheduled: {NAME}." in text
    roi("task", "edit", "Grant template", "--status", "automated")  # the other explicit act
    assert ranked(roi)["Grant template"]["live"] is True
    assert scheduled(roi) == ([], [NAME, "Grant template"]) or scheduled(roi) == ([], ["Grant template", NAME])
    text = " ".join(roi("roadmap", "--budget", "4").stdout.split())
    assert "Nothing to build: the tasks worth building are live already" in text


def test_live_alone_needs_no_other_option(roi):
    trim(roi)
    r = roi("plan", NAME, "--live")
    assert r.exit_code == 0, r.output
    assert ranked(roi)[NAME]["live"] is True
    r = roi("plan", NAME)
    assert r.exit_code != 0 and "--live" in r.output
