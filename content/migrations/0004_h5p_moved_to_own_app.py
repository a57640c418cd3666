"""The H5P models moved to the h5p app with their tables (h5p/migrations/0001): state only.

No dependency on h5p: a site may install content without it (the tables made by 0003 then
stay unused), and h5p/0001 takes the tables over whenever it runs.
"""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('content', '0003_h5p'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='h5presult',
                    name='content',
                ),
                migrations.RemoveField(
                    model_name='h5plibrary',
                    name='installed_by',
                ),
                migrations.RemoveField(
                    model_name='h5presult',
                    name='module',
                ),
                migrations.RemoveField(
                    model_name='h5presult',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='h5pstatement',
                    name='result',
                ),
                migrations.DeleteModel(
                    name='H5PContent',
                ),
                migrations.DeleteModel(
                    name='H5PLibrary',
                ),
                migrations.DeleteModel(
                    name='H5PResult',
                ),
                migrations.DeleteModel(
                    name='H5PStatement',
                ),
            ],
        ),
    ]
