"""The audit log: who read or changed what about a person, when and from where.

Changes to registered models are written by django-auditlog's signal receivers; privileged
reads are written by the views that show them, through `audit.services.record_read`.
"""
