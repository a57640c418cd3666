from django import forms
from django.utils.translation import gettext_lazy as _

from .evaluation import FREE_TEXT_ITEMS, LIKERT_CHOICES, LIKERT_ITEMS

MAX_FREE_TEXT = 3000


class EvaluationForm(forms.Form):
    """The standard course evaluation; each statement is a group of radio buttons (a fieldset)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field, statement in LIKERT_ITEMS:
            self.fields[field] = forms.TypedChoiceField(
                label=statement, choices=LIKERT_CHOICES, coerce=int, widget=forms.RadioSelect
            )
        for field, label in FREE_TEXT_ITEMS:
            self.fields[field] = forms.CharField(
                label=label,
                required=False,
                max_length=MAX_FREE_TEXT,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("Ikke skriv navn eller noe som kan identifisere deg eller andre."),
            )


class SelfAssessmentForm(forms.Form):
    """Confidence from 1 to 5 in each of the course's competence areas."""

    SCALE = [
        (1, _("1 – Svært usikker")),
        (2, _("2 – Usikker")),
        (3, _("3 – Middels")),
        (4, _("4 – Trygg")),
        (5, _("5 – Svært trygg")),
    ]

    def __init__(self, *args, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"area_{area.pk}"] = forms.TypedChoiceField(
                label=area.localized_name, choices=self.SCALE, coerce=int, widget=forms.RadioSelect
            )

    def ratings(self) -> dict[int, int]:
        return {area.pk: self.cleaned_data[f"area_{area.pk}"] for area in self.areas}


class FeedbackForm(forms.Form):
    text = forms.CharField(
        label=_("Tilbakemelding til deltakeren"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
