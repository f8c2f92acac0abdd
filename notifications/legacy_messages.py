"""Notification texts that Stride no longer sends but that stored notifications still hold.

A notification keeps its English source text (a msgid) and is translated when read, so a text
that changed must stay in the catalogue for the notifications already sent with it: list the old
msgid here. Marked with gettext_noop, so makemessages keeps them and nothing imports this module.
"""

from django.utils.translation import gettext_noop

RETIRED = (
    # 2026-12: a submission names the person who submitted, not the owner (a unit or the company).
    gettext_noop("%(owner)s submitted the objective “%(title)s” for approval."),
    # 2026-12: the importer no longer notifies themself; other HR people are told who imported.
    gettext_noop(
        "Your org chart import finished: %(created)s people added, %(updated)s updated, "
        "%(unchanged)s unchanged and %(units)s units created."
    ),
)
