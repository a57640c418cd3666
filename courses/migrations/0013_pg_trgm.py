"""pg_trgm on PostgreSQL, for the catalogue search's typo-tolerant word similarity (courses/search.py).

Nothing happens on other databases (SQLite), where the search does without it, in either direction.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class TrigramExtensionOnPostgreSQL(TrigramExtension):
    # Django's CreateExtension skips other databases going forwards but not backwards, where it
    # asks pg_extension; unapplying this migration on SQLite must do nothing as well.
    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("courses", "0012_course_holders")]

    operations = [TrigramExtensionOnPostgreSQL()]
