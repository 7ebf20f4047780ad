"""TUI benchmark: open an inventory of 10,000 tasks, and re-rank after one edit.

    .venv/bin/python bench/tui_bench.py [--tasks 10000] [--runs 3]

Prints, in the same run and the same way (headless `App.run_test`, 120x40, time from
constructing the app until the first idle after the table is filled):

- opening the demo inventory (`roi demo`'s tasks; target: under 1 s);
- the framework's floor: a bare Textual app showing a DataTable of the same 10 columns and
  the same number of rows (same cell types), with nothing else;
- roi's app on a database of that many tasks (ranking included);
- the ratio of the two (target: at most 1.5);
- re-ranking after one edit at that size: the store write, the re-evaluation of the edited
  task, the new order and the patched table (target: under one frame, 16.7 ms at 60 Hz),
  for an edit that keeps the task's place and one that moves it from last to first;
  and the first repaint after it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ROI_FLAGS", str(Path(tempfile.gettempdir()) / "roi-bench-no-flags.toml"))

from rich.text import Text  # noqa: E402
from textual.app import App, ComposeResult  # noqa: E402
from textual.widgets import DataTable  # noqa: E402

from roi.db.store import Store  # noqa: E402
from roi.models import Plan, Step, Task  # noqa: E402
from tui.app import create_app  # noqa: E402
from tui.display import COLUMNS  # noqa: E402

TODAY = date(2026, 11, 28)
SIZE = (120, 40)
FRAME_MS = 1000 / 60


def seed(path: Path, count: int) -> None:
    store = Store.open(path)
    with store.transaction():
        for i in range(count):
            store.add_task(
                Task(
                    name=f"Task {i:05d} {'report' if i % 3 else 'backup'}",
                    category=("data", "admin", "coding", "writing")[i % 4],
                    per_week=1 + i % 7,
                    steps=[
                        Step(name="Collect", minutes=5 + i % 13, automation=0.8),
                        Step(name="Check", minutes=3, automation=0.5, overhead=1),
                    ],
                    plan=Plan(build_hours=1 + i % 40),
                )
            )
    store.close()


class Bare(App[None]):
    """The floor: a DataTable of the same shape, filled on mount."""

    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for label, key in COLUMNS:
            table.add_column(label, key=key)
        for i in range(self.rows):
            table.add_row(
                Text(str(i + 1), justify="right"),
                Text(f"Task {i:05d} report"),
                "data",
                Text("1.23", justify="right"),
                Text("12", justify="right"),
                Text("3.4 wk", justify="right"),
                Text("57.5", justify="right"),
                "2027-01-02",
                Text("automate", style="bold green"),
                Text(""),
                key=str(i),
            )


async def time_bare(rows: int) -> float:
    start = time.perf_counter()
    app = Bare(rows)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
        assert app.query_one(DataTable).row_count == rows
    return elapsed


async def time_roi(path: Path, rows: int) -> float:
    store = Store.open(path)
    start = time.perf_counter()
    app = create_app(store, today=TODAY)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        elapsed = time.perf_counter() - start
        assert app.screen.query_one("#inventory").row_count == rows
    store.close()
    return elapsed


async def time_demo() -> float:
    """Open the app on the demo inventory, as `roi demo` does (its own database)."""
    from roi.demo import seed_demo

    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "demo.db")
        seed_demo(store)
        start = time.perf_counter()
        app = create_app(store, today=TODAY)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            elapsed = time.perf_counter() - start
            assert app.screen.query_one("#inventory").row_count == len(app.ranked) > 0
        store.close()
    return elapsed


async def time_edits(path: Path, repeats: int) -> dict[str, list[float]]:
    store = Store.open(path)
    app = create_app(store, today=TODAY)
    found: dict[str, list[float]] = {
        "keep place": [], "last to first": [], "repaint": [], "full": [], "idle": [], "cursor": []
    }
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#inventory")
        for _ in range(repeats):  # what Pilot's pause costs when nothing changed
            t0 = time.perf_counter()
            await pilot.pause()
            found["idle"].append(time.perf_counter() - t0)
        for _ in range(repeats):  # a cursor move: the framework's cost of one repaint
            t0 = time.perf_counter()
            await pilot.press("down")
            found["cursor"].append(time.perf_counter() - t0)
        for n in range(repeats):
            # An edit that keeps the task roughly where it is.
            middle = app.ranked[len(app.ranked) // 2]
            step = middle.task.steps[0]
            t0 = time.perf_counter()
            store.update_step(int(step.id or 0), name=f"Collect {n}")
            app.rerank([middle.id])
            found["keep place"].append(time.perf_counter() - t0)
            await pilot.pause()
            # An edit that moves the last task to the top: every rank in between shifts.
            last = app.ranked[-1]
            step = last.task.steps[0]
            t0 = time.perf_counter()
            store.update_step(int(step.id or 0), minutes=5000 + n)
            app.rerank([last.id])
            t1 = time.perf_counter()
            await pilot.pause()
            t2 = time.perf_counter()
            found["last to first"].append(t1 - t0)
            found["repaint"].append(t2 - t1)
            assert app.ranked[0].id == last.id
            assert table.row_texts(0)[1] == last.name
            store.update_step(int(step.id or 0), minutes=1)
            app.rerank([last.id])
            await pilot.pause()
        t0 = time.perf_counter()
        app.rerank()  # in a thread at this size: the screen stays responsive meanwhile
        found["full_block"] = [time.perf_counter() - t0]
        while app.ranking:
            await pilot.pause(0.01)
        await pilot.pause()
        found["full"].append(time.perf_counter() - t0)
    store.close()
    return found


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    demo = [asyncio.run(time_demo()) for _ in range(args.runs)]
    d = statistics.median(demo)
    print(f"open, demo inventory: {ms(d)}  (runs: {', '.join(f'{x:.2f}' for x in demo)} s;"
          f" target < 1 s: {'ok' if d < 1 else 'OVER'})")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.db"
        t0 = time.perf_counter()
        seed(path, args.tasks)
        print(f"seeded {args.tasks} tasks in {time.perf_counter() - t0:.1f} s")

        bare, ours = [], []
        for _ in range(args.runs):  # alternate, so drift hits both alike
            bare.append(asyncio.run(time_bare(args.tasks)))
            ours.append(asyncio.run(time_roi(path, args.tasks)))
        b, o = statistics.median(bare), statistics.median(ours)
        print(f"open, bare DataTable ({args.tasks} rows): {ms(b)}  (runs: {', '.join(f'{x:.2f}' for x in bare)} s)")
        print(f"open, roi inventory ({args.tasks} tasks): {ms(o)}  (runs: {', '.join(f'{x:.2f}' for x in ours)} s)")
        verdict = "ok" if o <= 1.5 * b else "OVER"
        print(f"ratio roi / bare: {o / b:.2f}  (target <= 1.5: {verdict})")

        edits = asyncio.run(time_edits(path, 5))
        for name in ("keep place", "last to first"):
            worst = max(edits[name])
            flag = "ok" if worst < FRAME_MS / 1000 else "OVER"
            print(
                f"re-rank after one edit, {name:13s}: median {ms(statistics.median(edits[name]))},"
                f" worst {ms(worst)}  (one frame = {FRAME_MS:.1f} ms: {flag})"
            )
        print(
            f"first repaint after that edit (Pilot pause until idle): median"
            f" {ms(statistics.median(edits['repaint']))}; the same pause with nothing changed:"
            f" {ms(statistics.median(edits['idle']))}; a cursor move (key + repaint):"
            f" {ms(statistics.median(edits['cursor']))}"
        )
        print(
            f"full re-rank (e.g. a settings change), in a thread: {ms(edits['full'][0])} until shown;"
            f" the UI was blocked for {ms(edits['full_block'][0])}"
        )


if __name__ == "__main__":
    main()
