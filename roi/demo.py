"""Load the shipped demo inventory (seeds/demo.toml) into a store, idempotently."""

from __future__ import annotations

import tomllib

from pydantic import ValidationError

from roi.db.store import Store
from roi.models import Plan, RoiError, Step, Task, describe_error
from roi.seeds import seed_path


def demo_tasks() -> list[Task]:
    data = tomllib.loads(seed_path("demo.toml").read_text("utf-8"))
    tasks = []
    for index, raw in enumerate(data["task"], start=1):
        raw = dict(raw)
        try:
            steps = [Step(**s) for s in raw.pop("steps", [])]
            plan = Plan(**raw.pop("plan")) if "plan" in raw else None
            tasks.append(Task(**raw, steps=steps, plan=plan))
        except ValidationError as exc:
            raise RoiError(f"demo.toml task {index}: {describe_error(exc)}") from None
    return tasks


def seed_demo(store: Store) -> int:
    """Add the demo tasks that are not there yet (by name); return how many were added."""
    added = 0
    with store.transaction():
        for task in demo_tasks():
            if store.find_task(task.name) is None:
                store.add_task(task)
                added += 1
    return added
