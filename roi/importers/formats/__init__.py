"""The built-in formats, one tracker a module; importing this package registers them."""

from roi.importers.formats import (  # noqa: F401  (each module registers its format)
    activitywatch,
    clockify,
    clockify_api,
    generic,
    harvest,
    ics,
    jira,
    mailbox,
    redmine,
    timewarrior,
    toggl,
    toggl_api,
    watson,
)

BUILT_IN = ("toggl", "clockify", "harvest", "timewarrior", "watson", "activitywatch", "toggl-api", "clockify-api",
            "jira", "redmine", "ics", "mailbox", "generic")
