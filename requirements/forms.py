from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from people.selectors import assignable_people, assignable_units


class AssignmentForm(forms.Form):
    """Assign a course to a unit or a person in the manager's own units."""

    course = forms.ModelChoiceField(queryset=CoursePage.objects.live().order_by("title"), label=_("Kurs"))
    unit = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Enhet"), empty_label=_("Velg enhet")
    )
    include_subunits = forms.BooleanField(
        required=False, initial=True, label=_("Gjelder også underenheter og nye medlemmer der")
    )
    person = forms.ModelChoiceField(
        queryset=None, required=False, label=_("… eller én person"), empty_label=_("Velg person")
    )
    due_kind = forms.ChoiceField(
        label=_("Frist"),
        choices=[
            ("fixed", _("Fast dato")),
            ("relative", _("Antall dager etter at personen startet i enheten")),
        ],
        widget=forms.RadioSelect,
        initial="fixed",
    )
    due_date = forms.DateField(
        required=False, label=_("Fast frist"), widget=forms.DateInput(attrs={"type": "date"})
    )
    due_days = forms.IntegerField(required=False, min_value=1, max_value=3650, label=_("Dager etter start"))
    renewal_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=120,
        label=_("Fornyes hver N. måned"),
        help_text=_("Tomt: ingen fornyelse (kursbevisets gyldighet gjelder fortsatt)."),
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = assignable_units(viewer)
        self.fields["person"].queryset = assignable_people(viewer)

    def clean(self):
        data = super().clean()
        if bool(data.get("unit")) == bool(data.get("person")):
            raise forms.ValidationError(_("Velg enten en enhet eller én person."))
        if data.get("due_kind") == "fixed" and not data.get("due_date"):
            self.add_error("due_date", _("Velg en dato for fristen."))
        if data.get("due_kind") == "relative" and not data.get("due_days"):
            self.add_error("due_days", _("Skriv hvor mange dager personen har på seg."))
        return data
