"""Required learning: assignments, each person's required courses, reminders and digests."""
