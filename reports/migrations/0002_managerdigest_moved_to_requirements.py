"""ManagerDigest moved to the requirements app with its table: state only."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_initial'),
        ('requirements', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(
                    name='ManagerDigest',
                ),
            ],
        ),
    ]
