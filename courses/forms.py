from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, CompetenceArea, CourseFormat, CourseLanguage


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters, read from the query string."""

    q = forms.CharField(label=_("Søk i kursene"), required=False, max_length=200)
    area = forms.ModelChoiceField(
        label=_("Kompetanseområde"),
        queryset=CompetenceArea.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("Alle områder"),
    )
    audience = forms.ChoiceField(
        label=_("Målgruppe"),
        required=False,
        choices=[
            ("", _("Alle målgrupper")),
            (Audience.HEALTH_PERSONNEL, Audience.HEALTH_PERSONNEL.label),
            (Audience.USER_REPRESENTATIVES, Audience.USER_REPRESENTATIVES.label),
        ],
    )
    language = forms.ChoiceField(
        label=_("Språk"), required=False, choices=[("", _("Alle språk")), *CourseLanguage.choices]
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False, choices=[("", _("Alle formater")), *CourseFormat.choices]
    )
