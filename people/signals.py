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
