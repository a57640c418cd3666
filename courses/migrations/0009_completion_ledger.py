"""The completion ledger (ActivityCompletion) and enrolment rounds."""

import django.db.models.deletion
import wagtail.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0008_requirements_moved_out'),
    ]

    operations = [
        migrations.CreateModel(
            name='ActivityCompletion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('round', models.PositiveIntegerField(verbose_name='runde')),
                ('block_id', models.CharField(blank=True, max_length=64, verbose_name='blokk')),
                ('kind', models.CharField(max_length=40, verbose_name='type')),
                ('completed_at', models.DateTimeField(verbose_name='fullført')),
            ],
            options={
                'verbose_name': 'fullført aktivitet',
                'verbose_name_plural': 'fullførte aktiviteter',
            },
        ),
        migrations.AddField(
            model_name='coursecompletion',
            name='round',
            field=models.PositiveIntegerField(default=1, verbose_name='runde'),
        ),
        migrations.AddField(
            model_name='enrolment',
            name='round',
            field=models.PositiveIntegerField(default=1, help_text='1 første gang; én til hver gang kurset tas på nytt.', verbose_name='runde'),
        ),
        migrations.AlterField(
            model_name='modulepage',
            name='body',
            field=wagtail.fields.StreamField([('rich_text', 0), ('image', 4), ('video', 9), ('experience_voice', 13), ('callout', 17), ('document', 21)], blank=True, block_lookup={0: ('content.blocks.CourseRichTextBlock', (), {}), 1: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'Bilde'}), 2: ('wagtail.blocks.CharBlock', (), {'help_text': 'Beskriv hva bildet viser for dem som ikke ser det.', 'label': 'Alternativ tekst', 'max_length': 250}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'Bildetekst', 'max_length': 250, 'required': False}), 4: ('wagtail.blocks.StructBlock', [[('image', 1), ('alt_text', 2), ('caption', 3)]], {}), 5: ('wagtail.blocks.CharBlock', (), {'label': 'Tittel', 'max_length': 200}), 6: ('wagtail.embeds.blocks.EmbedBlock', (), {'label': 'Videoadresse (embed)', 'required': False}), 7: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Videofil (MP4 eller WebM)', 'required': False}), 8: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link'], 'help_text': 'Påkrevd: tekstversjon av det som sies og vises i videoen (WCAG 1.2).', 'label': 'Transkripsjon'}), 9: ('wagtail.blocks.StructBlock', [[('title', 5), ('embed', 6), ('file', 7), ('transcript', 8)]], {}), 10: ('wagtail.blocks.TextBlock', (), {'label': 'Sitat'}), 11: ('wagtail.blocks.CharBlock', (), {'label': 'Navn', 'max_length': 120}), 12: ('wagtail.blocks.CharBlock', (), {'help_text': 'For eksempel «lever med KOLS» eller «pårørende».', 'label': 'Rolle eller erfaring', 'max_length': 160, 'required': False}), 13: ('wagtail.blocks.StructBlock', [[('quote', 10), ('name', 11), ('role', 12)]], {}), 14: ('wagtail.blocks.ChoiceBlock', [], {'choices': [('info', 'Fakta'), ('tip', 'Tips'), ('important', 'Viktig')], 'label': 'Type'}), 15: ('wagtail.blocks.CharBlock', (), {'label': 'Overskrift', 'max_length': 160}), 16: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'ol', 'ul', 'link'], 'label': 'Tekst'}), 17: ('wagtail.blocks.StructBlock', [[('kind', 14), ('title', 15), ('text', 16)]], {}), 18: ('wagtail.documents.blocks.DocumentChooserBlock', (), {'label': 'Dokument'}), 19: ('wagtail.blocks.CharBlock', (), {'help_text': 'Tom: dokumentets tittel brukes.', 'label': 'Lenketekst', 'max_length': 200, 'required': False}), 20: ('wagtail.blocks.TextBlock', (), {'label': 'Beskrivelse', 'required': False}), 21: ('wagtail.blocks.StructBlock', [[('document', 18), ('title', 19), ('description', 20)]], {})}, verbose_name='innhold'),
        ),
        migrations.AddField(
            model_name='activitycompletion',
            name='enrolment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='activity_completions', to='courses.enrolment'),
        ),
        migrations.AddField(
            model_name='activitycompletion',
            name='module',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='activity_completions', to='courses.modulepage'),
        ),
        migrations.AddIndex(
            model_name='activitycompletion',
            index=models.Index(fields=['enrolment', 'round'], name='courses_ledger_round'),
        ),
        migrations.AddConstraint(
            model_name='activitycompletion',
            constraint=models.UniqueConstraint(condition=models.Q(('module__isnull', False)), fields=('enrolment', 'round', 'module', 'block_id'), name='courses_activity_once_per_round'),
        ),
        migrations.AddConstraint(
            model_name='activitycompletion',
            constraint=models.UniqueConstraint(condition=models.Q(('module__isnull', True)), fields=('enrolment', 'round', 'kind'), name='courses_course_step_once_per_round'),
        ),
    ]
