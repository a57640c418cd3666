from dataclasses import dataclass

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import Audience, CourseFormat, CourseLanguage


class CatalogueFilterForm(forms.Form):
    """The catalogue's search and filters, read from the query string.

    Given the facets of the catalogue's live courses, the filters offer only values some of them
    have: no competence area, audience, language or format that would always give an empty list.
    """

    q = forms.CharField(label=_("Søk i kursene"), required=False, max_length=200)
    area = forms.ChoiceField(label=_("Kompetanseområde"), required=False)
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

    def __init__(self, *args, facets=None, **kwargs):
        super().__init__(*args, **kwargs)
        facets = facets or CatalogueFacets(combinations=frozenset(), areas=())
        combinations = facets.combinations
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
        english = translation.get_language() == "en"
        self.fields["area"].choices = [
            ("", _("Alle områder")),
            *((slug, name_en if english and name_en else name) for slug, name, name_en in facets.areas),
        ]


@dataclass(frozen=True)
class CatalogueFacets:
    """What the catalogue's filters offer: the values its live courses have (courses.selectors)."""

    #: (audience, course language, format) of each live course, without repeats.
    combinations: frozenset[tuple[str, str, str]]
    #: (slug, name, English name) of the competence areas the live courses have, in their order.
    areas: tuple[tuple[str, str, str], ...]
