"""An enrolment is evaluated once per round (the course can be taken again)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0001_initial'),
        ('courses', '0011_completion_once_per_round'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluationsubmission',
            name='round',
            field=models.PositiveIntegerField(default=1),
        ),
        migrations.AlterField(
            model_name='evaluationsubmission',
            name='enrolment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='evaluation_submissions', to='courses.enrolment'),
        ),
    ]
