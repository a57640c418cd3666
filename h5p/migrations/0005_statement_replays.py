# xAPI replays are stored once (issue 12): the statement's id and a digest of its content.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0004_extraction_attempts"),
    ]

    operations = [
        migrations.AddField(
            model_name="h5pstatement",
            name="digest",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="h5pstatement",
            name="statement_id",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="h5pstatement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("statement_id__isnull", False)),
                fields=("result", "statement_id"),
                name="h5p_statement_id_once",
            ),
        ),
        migrations.AddConstraint(
            model_name="h5pstatement",
            constraint=models.UniqueConstraint(
                condition=models.Q(("digest", ""), _negated=True),
                fields=("result", "digest"),
                name="h5p_statement_digest_once",
            ),
        ),
    ]
