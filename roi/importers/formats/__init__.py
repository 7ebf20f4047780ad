"""The built-in formats, one tracker a module; importing this package registers them."""

from roi.importers.formats import (  # noqa: F401  (each module registers its format)
    activitywatch,
    clockify,
    generic,
    harvest,
    ics,
    mailbox,
    timewarrior,
    toggl,
    watson,
)

BUILT_IN = ("toggl", "clockify", "harvest", "timewarrior", "watson", "activitywatch", "ics", "mailbox", "generic")
