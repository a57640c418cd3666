"""Every attempt gets its own secret for the tokens of its form (assessments/formtokens.py).

Attempts that exist already get one each here (a callable default on AddField would give all of them
the same one). Stored answers keep their ids, so nothing else changes; a page loaded before this
migration posts the old names, is refused with «Last inn siden på nytt», and shows the saved answers
again when reloaded.
"""

import secrets

from django.db import migrations, models

import assessments.formtokens


def give_each_attempt_a_secret(apps, schema_editor):
    QuizAttempt = apps.get_model("assessments", "QuizAttempt")
    rows = list(QuizAttempt.objects.filter(form_secret="").only("pk"))
    for row in rows:
        row.form_secret = secrets.token_hex(32)
    QuizAttempt.objects.bulk_update(rows, ["form_secret"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_quiz_defaults_and_course_holders"),
    ]

    operations = [
        migrations.AddField(
            model_name="quizattempt",
            name="form_secret",
            field=models.CharField(default="", editable=False, max_length=64),
        ),
        migrations.RunPython(give_each_attempt_a_secret, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="quizattempt",
            name="form_secret",
            field=models.CharField(default=assessments.formtokens.new_secret, editable=False, max_length=64),
        ),
    ]
