from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from people.models import ParticipantType
from people.selectors import scope_units
from requirements.selectors import Filters, Status


class DashboardFilterForm(forms.Form):
    """Filters offered only within the viewer's scope: a unit outside it is not a valid choice."""

    unit = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Enhet"), empty_label=_("Alle enheter")
    )
    course = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Kurs"), empty_label=_("Alle kurs")
    )
    status = forms.ChoiceField(required=False, label=_("Status"))
    participant_type = forms.ChoiceField(required=False, label=_("Deltakertype"))

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = scope_units(viewer)
        self.fields["course"].queryset = (
            CoursePage.objects.filter(assignments__isnull=False).distinct().order_by("title")
        )
        self.fields["status"].choices = [("", _("Alle"))] + [
            (key, Status.LABELS[key]) for key in Status.ORDER
        ]
        self.fields["participant_type"].choices = [("", _("Alle"))] + list(ParticipantType.choices)

    def filters(self) -> Filters:
        if not self.is_valid():
            return Filters()
        data = self.cleaned_data
        return Filters(
            unit=data["unit"],
            course=data["course"],
            status=data["status"],
            participant_type=data["participant_type"],
        )
