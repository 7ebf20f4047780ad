"""The built-in formats, one tracker a module named as its format ("-" written "_");
importing this package registers them, in the order of their names."""

from importlib import import_module

BUILT_IN = ("toggl", "clockify", "harvest", "timewarrior", "watson", "activitywatch", "toggl-api", "clockify-api",
            "jira", "redmine", "ics", "mailbox", "generic")

for _format in sorted(BUILT_IN):
    import_module(f"{__name__}.{_format.replace('-', '_')}")
