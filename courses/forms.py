from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Audience, CompetenceArea, CourseFormat, CourseLanguage


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters, read from the query string.

    Given the catalogue's live courses, the filters offer only values some of them have: no
    competence area, audience, language or format that would always give an empty list.
    """

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

    def __init__(self, *args, courses=None, **kwargs):
        super().__init__(*args, **kwargs)
        if courses is None:
            return
        # One query for the three plain fields; the areas' query is the one the field runs anyway.
        combinations = set(courses.order_by().values_list("audience", "course_language", "format").distinct())
        audiences = {audience for audience, _language, _format in combinations}
        if Audience.BOTH in audiences:  # a course for both is found under either audience
            audiences |= {Audience.HEALTH_PERSONNEL, Audience.USER_REPRESENTATIVES}
        present = {
            "audience": audiences,
            "language": {language for _audience, language, _format in combinations},
            "format": {format for _audience, _language, format in combinations},
        }
        for name, values in present.items():
            field = self.fields[name]
            field.choices = [
                (value, label) for value, label in field.choices if value == "" or value in values
            ]
        self.fields["area"].queryset = CompetenceArea.objects.filter(
            pk__in=courses.order_by().values("competence_areas")
        )
