"""Plumbing every app shares, with no models and no imports of the platform's other apps.

storage (private files), permissions (admin permission policies), exports (CSV/XLSX
responses), mail (send-once claims, absolute links), sanitising (learner HTML),
ratelimit (per-client counters), dates (calendar arithmetic). Anything here must
stay useful to an app that knows nothing of courses.
"""
