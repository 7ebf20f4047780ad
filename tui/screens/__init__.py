"""Full screens: inventory, task, import, chart, roadmap, help."""
