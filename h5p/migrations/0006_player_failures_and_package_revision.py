# Issue 13: player failures reported by the frame (no personal data), and the revision of a replaced package.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('h5p', '0005_statement_replays'),
    ]

    operations = [
        migrations.AddField(
            model_name='h5pcontent',
            name='revision',
            field=models.PositiveIntegerField(default=1, editable=False, verbose_name='pakkeversjon'),
        ),
        migrations.CreateModel(
            name='H5PPlayerFailure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('load', 'Et skript eller stilark ble ikke lastet'), ('start', 'Innholdet feilet da det startet')], max_length=12, verbose_name='type feil')),
                ('detail', models.CharField(blank=True, max_length=200, verbose_name='detaljer')),
                ('first_seen', models.DateTimeField(auto_now_add=True, verbose_name='først meldt')),
                ('last_seen', models.DateTimeField(verbose_name='sist meldt')),
                ('count', models.PositiveIntegerField(default=1, verbose_name='antall')),
                ('content', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='player_failures', to='h5p.h5pcontent')),
            ],
            options={
                'verbose_name': 'feil i H5P-avspilleren',
                'verbose_name_plural': 'feil i H5P-avspilleren',
                'ordering': ['-last_seen'],
                'constraints': [models.UniqueConstraint(fields=('content', 'kind', 'detail'), name='h5p_player_failure_once')],
            },
        ),
    ]
