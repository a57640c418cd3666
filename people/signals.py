"""Signals people sends, so apps above it can follow changes without people importing them.

memberships_imported
    Sent by the staff import (people.importing.staff_import) inside its transaction, after the
    memberships were written in bulk: no post_save is sent for each of them. Arguments:
    `user_ids` (the people who got a new membership) and `by` (who imported, or None).
    A receiver that starts work of its own may return a pair (label, url) saying where that work
    can be followed; the import page sends the administrator there.
"""

from django.dispatch import Signal

memberships_imported = Signal()

user_anonymising = Signal()
"""Sent by people.services.user_anonymise inside its transaction, before people blanks the user
row, so `user` still has its name and e-mail. Arguments: `user`, and `by` (the administrator
who asked, or None for the inactive-account job). Every app that stores something
about a person answers for its own tables (erase free text, drop identifying data, keep what
statistics need). A receiver that fails rolls the whole anonymisation back."""
