"""What certificates announces. Sent inside the transaction that makes the change."""

from django.dispatch import Signal

#: A certificate was issued for a course completion. Argument: certificate.
certificate_issued = Signal()

#: A certificate was revoked (it stays, marked revoked). Argument: certificate.
certificate_revoked = Signal()
