"""Check codes for verification by serial number, the issuer site setting, and «{varighet}».

Existing certificates each get their own random check code (a callable default on AddField would
give them all the same one). Templates that say «({timer} timer)», the old default wording, now say
«({varighet})», so the certificate writes a duration like every other page («ca. 1 t 20 min»).
"""

import secrets

import django.db.models.deletion
from django.db import migrations, models

import certificates.models

# Frozen here: the alphabet and length of certificates.models at the time of this migration.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def fill_check_codes(apps, schema_editor):
    Certificate = apps.get_model("certificates", "Certificate")
    for pk in Certificate.objects.filter(check_code="").values_list("pk", flat=True).iterator():
        code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        Certificate.objects.filter(pk=pk).update(check_code=code)


def timer_to_varighet(apps, schema_editor):
    _replace_in_templates(apps, "{timer} timer", "{varighet}")


def varighet_to_timer(apps, schema_editor):
    _replace_in_templates(apps, "{varighet}", "{timer} timer")


def _replace_in_templates(apps, old, new):
    CertificateTemplate = apps.get_model("certificates", "CertificateTemplate")
    for template in CertificateTemplate.objects.all():
        changed = False
        for field in ("body_health_personnel", "body_user_representative"):
            text = getattr(template, field)
            if old in text:
                setattr(template, field, text.replace(old, new))
                changed = True
        if changed:
            template.save(update_fields=["body_health_personnel", "body_user_representative"])


class Migration(migrations.Migration):

    dependencies = [
        ('certificates', '0002_protect_issued_templates'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
    ]

    operations = [
        migrations.AddField(
            model_name='certificate',
            name='check_code',
            field=models.CharField(default='', editable=False, max_length=8, verbose_name='kontrollkode'),
        ),
        migrations.RunPython(fill_check_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='certificate',
            name='check_code',
            field=models.CharField(default=certificates.models.new_check_code, editable=False, max_length=8, verbose_name='kontrollkode'),
        ),
        migrations.AlterField(
            model_name='certificatetemplate',
            name='body_health_personnel',
            field=models.TextField(default='{navn} har fullført kurset «{kurs}» ({varighet}) den {dato}. Kurset dekker kompetanseområdene {kompetanseomrader}.', help_text='Du kan bruke: {navn}, {kurs}, {dato}, {varighet}, {timer}, {kompetanseomrader}, {deltakertype}.', validators=[certificates.models.validate_placeholders], verbose_name='tekst for helsepersonell'),
        ),
        migrations.AlterField(
            model_name='certificatetemplate',
            name='body_user_representative',
            field=models.TextField(default='{navn} har som brukerrepresentant fullført kurset «{kurs}» ({varighet}) den {dato}. Kurset dekker kompetanseområdene {kompetanseomrader}.', help_text='Du kan bruke: {navn}, {kurs}, {dato}, {varighet}, {timer}, {kompetanseomrader}, {deltakertype}.', validators=[certificates.models.validate_placeholders], verbose_name='tekst for brukerrepresentanter'),
        ),
        migrations.RunPython(timer_to_varighet, varighet_to_timer),
        migrations.CreateModel(
            name='IssuerSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, help_text='For eksempel «Lærings- og mestringssenteret, Helse Nord». Tomt: nettstedets navn.', max_length=160, verbose_name='navn på utstederen')),
                ('logo', models.ForeignKey(blank=True, help_text='Vises øverst på kursbeviset. En kursbevismal kan i tillegg ha sin egen logo.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='logo')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
            ],
            options={
                'verbose_name': 'Utsteder',
                'verbose_name_plural': 'Utsteder',
            },
        ),
    ]
