from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0003_fill_ledger'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='evaluationsubmission',
            constraint=models.UniqueConstraint(fields=('enrolment', 'round'), name='assessments_evaluation_once_per_round'),
        ),
    ]
