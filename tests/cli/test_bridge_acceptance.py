"""Issue 17's acceptance: from an empty database, a Toggl export, an ActivityWatch export,
an ICS calendar and an mbox give where the time goes (adding up to the imported hours),
an estimate in one step on the top task that then ranks with a real verdict, and the
email and calendar tasks measured from the person's own data, still flagged."""

from __future__ import annotations

import json
import math
from pathlib import Path

from tests.cli.test_spent import write_toggl
from tests.db.test_sessions import aw_export
from tests.importers.test_calendar_mail import (
    ME,
    SINGLE_MINE,
    WEEKLY,
    calendar,
    mails,
    write,
    write_mbox,
)


def more_invites(n: int) -> list[str]:
    return [SINGLE_MINE.replace("single-1@", f"single-{i}@").replace("20261012T08", f"202610{12 + i:02d}T08")
            .replace("20261012T09", f"202610{12 + i:02d}T09")
            for i in range(1, n + 1)]


def test_from_an_empty_database_to_a_ranking_of_the_persons_own_numbers(roi, tmp_path: Path) -> None:
    assert roi("config", "set", "me", ME).exit_code == 0
    files = [
        write_toggl(tmp_path),
        aw_export(tmp_path / "aw-buckets-export.json"),
        write(tmp_path / "calendar.ics", calendar(WEEKLY, SINGLE_MINE, *more_invites(3))),
        write_mbox(tmp_path / "All mail.mbox", mails()),
    ]
    imported = []
    for path in files:
        r = roi("import", str(path), "--json")
        assert r.exit_code == 0, r.output
        imported.append(json.loads(r.stdout))
    assert [i["format"] for i in imported] == ["toggl", "activitywatch", "ics", "mailbox"]

    spent = json.loads(roi("spent", "--json").stdout)
    hours = [row["hours"] for row in spent["rows"] if row["hours"] is not None]
    assert math.isclose(math.fsum(hours), math.fsum(i["hours"] for i in imported), abs_tol=1e-3)
    assert math.isclose(spent["total_hours"], math.fsum(hours), abs_tol=1e-9)
    top = spent["rows"][0]
    assert (top["name"], top["state"]) == ("thunderbird", "needs-estimate")

    r = roi("estimate", top["name"], "--automation", "60%", "--overhead", "2m", "--build-hours", "4")
    assert r.exit_code == 0, r.output
    tasks = {t["name"]: t for t in json.loads(roi("rank", "--json").stdout)["tasks"]}
    estimated = tasks["thunderbird"]
    assert estimated["verdict"] in ("automate", "maybe", "skip") and estimated["missing"] == []
    assert estimated["occurrence_rule"] == "sessions"  # 600 window events, 20 sessions
    assert estimated["steps"][0]["manual_minutes"] == 30.0

    for name, code in (("Email triage", "low-roi:email"), ("Email replies", "low-roi:email"),
                       ("Calendar invites", "low-roi:calendar")):
        task = tasks[name]
        assert task["per_week_source"] == "measured", name
        assert task["per_week"] > 0, name
        assert task["occurrence_rule"] == "counted", name
        assert code in [f["code"] for f in task["flags"] if not f["dismissed"]], name
        assert f"flag {code}, dismiss to rank on the numbers" in task["explanation"], name
    assert "invites a week (measured from your calendar)" in tasks["Calendar invites"]["explanation"]
    assert "the minutes each are not estimated yet" in tasks["Calendar invites"]["explanation"]

    report = roi("report", "--format", "md").stdout
    assert "emails a week (measured from your mailbox)" in " ".join(report.split())
