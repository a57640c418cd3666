from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('requirements', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='requiredlearning',
            name='certificate_revoked_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='kursbevis tilbakekalt'),
        ),
    ]
