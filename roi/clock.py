"""Today and now, with one override for tests, demos and golden files: ROI_TODAY."""

from __future__ import annotations

import os
from datetime import date


def today() -> date:
    """The local date, or ROI_TODAY (YYYY-MM-DD) when set."""
    frozen = os.environ.get("ROI_TODAY")
    if frozen:
        return date.fromisoformat(frozen)
    return date.today()
