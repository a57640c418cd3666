"""New quizzes certify something: three attempts and the answer key only after passing.

Only the defaults change: existing quizzes keep the attempts and review policy they have.
Also gives the «Kursholdere» group (made by courses 0012) the right to write quizzes.
"""

import importlib

import django.core.validators
from django.db import migrations, models

COURSE_HOLDER_PERMISSIONS = ["add_quiz", "change_quiz", "view_quiz"]


def course_holders_write_quizzes(apps, schema_editor):
    course_holders = importlib.import_module("courses.migrations.0012_course_holders")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=course_holders.GROUP)
    group.permissions.add(
        *(
            course_holders.permission(apps, "assessments", "quiz", codename)
            for codename in COURSE_HOLDER_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_evaluation_once_per_round"),
        ("courses", "0012_course_holders"),
    ]

    operations = [
        migrations.AlterField(
            model_name="quiz",
            name="max_attempts",
            field=models.PositiveSmallIntegerField(
                blank=True,
                default=3,
                help_text=(
                    "Tomt: ubegrenset. Med ubegrensede forsøk og riktige svar vist etter hvert forsøk kan "
                    "en deltaker stryke én gang, skrive av svarene og bestå."
                ),
                null=True,
                validators=[django.core.validators.MinValueValidator(1)],
                verbose_name="maks antall forsøk",
            ),
        ),
        migrations.AlterField(
            model_name="quiz",
            name="review_policy",
            field=models.CharField(
                choices=[
                    ("never", "Aldri"),
                    ("after_pass", "Etter bestått test"),
                    ("after_each", "Etter hvert forsøk"),
                ],
                default="after_pass",
                help_text=(
                    "«Etter bestått test»: deltakeren ser fasiten først når testen er bestått. «Etter hvert "
                    "forsøk» viser fasiten også etter et stryk, så neste forsøk kan besvares med "
                    "fasiten for hånden."
                ),
                max_length=12,
                verbose_name="vis riktige svar",
            ),
        ),
        migrations.RunPython(course_holders_write_quizzes, migrations.RunPython.noop),
    ]
