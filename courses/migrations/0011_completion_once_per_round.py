from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0010_fill_ledger'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='coursecompletion',
            constraint=models.UniqueConstraint(fields=('enrolment', 'round'), name='courses_completion_once_per_round'),
        ),
    ]
