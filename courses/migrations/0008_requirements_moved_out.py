"""Assignment and RequiredLearning moved to the requirements app with their tables: state only.

No dependency on requirements: a site may install courses without it (the tables made by
0007 then stay unused), and requirements/0001 takes the tables over whenever it runs.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0007_assignment_requiredlearning_and_more'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='assignment',
                    name='course',
                ),
                migrations.RemoveField(
                    model_name='assignment',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='assignment',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='assignment',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='requiredlearning',
                    name='assignment',
                ),
                migrations.RemoveField(
                    model_name='requiredlearning',
                    name='course',
                ),
                migrations.RemoveField(
                    model_name='requiredlearning',
                    name='unit',
                ),
                migrations.RemoveField(
                    model_name='requiredlearning',
                    name='user',
                ),
                migrations.DeleteModel(
                    name='Assignment',
                ),
                migrations.DeleteModel(
                    name='RequiredLearning',
                ),
            ],
        ),
    ]
