"""pg_trgm on PostgreSQL, for the catalogue search's typo-tolerant word similarity (courses/search.py).

CreateExtension does nothing on other databases (SQLite), where the search does without it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("courses", "0012_course_holders")]

    operations = [TrigramExtension()]
