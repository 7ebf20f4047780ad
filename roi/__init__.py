"""roi: a personal automation ROI planner. The core: no Textual, importable on its own."""

__version__ = "0.1.0"
