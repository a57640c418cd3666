from django import forms
from django.core import signing
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage, ModulePage
from people.selectors import assignable_people, assignable_units

PREVIEW_SALT = "requirements.assign.preview"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview may be confirmed in


def assignable_courses():
    """Courses that can be required: published (a copied or unpublished draft is not live) and
    with at least one published module. A live course without live modules can never be
    completed (courses.selectors.all_modules_completed needs a module), so assigning it would
    only make people overdue."""
    live_module = ModulePage.objects.live().filter(
        path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1
    )
    return CoursePage.objects.live().filter(Exists(live_module)).order_by("title")


class AssignmentForm(forms.Form):
    """Assign a course to a unit or a person in the manager's own units.

    Each error belongs to one field and is shown there (never repeated at the top), and the first
    field with an error gets the focus (autofocus) when the page comes back.
    """

    course = forms.ModelChoiceField(
        queryset=CoursePage.objects.none(),
        label=_("Kurs"),
        empty_label=_("Velg kurs"),
        error_messages={
            "required": _("Velg et kurs."),
            "invalid_choice": _(
                "Velg et gyldig valg: kurset er ikke publisert, eller det har ingen publiserte moduler."
            ),
        },
    )
    unit = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("Enhet"),
        empty_label=_("Velg enhet"),
        error_messages={
            "invalid_choice": _("Velg et gyldig valg: du kan bare tildele kurs til enheter du er leder for.")
        },
    )
    include_subunits = forms.BooleanField(
        required=False, initial=True, label=_("Gjelder også underenheter og nye medlemmer der")
    )
    person = forms.ModelChoiceField(
        queryset=None,
        required=False,
        label=_("… eller én person"),
        empty_label=_("Velg person"),
        error_messages={
            "invalid_choice": _(
                "Velg et gyldig valg: du kan bare tildele kurs til ansatte i enheter du er leder for."
            )
        },
    )
    due_kind = forms.ChoiceField(
        label=_("Frist"),
        choices=[
            ("fixed", _("Fast dato")),
            ("relative", _("Antall dager etter at personen startet i enheten")),
        ],
        widget=forms.RadioSelect,
        initial="fixed",
        error_messages={"required": _("Velg hvordan fristen skal settes.")},
    )
    due_date = forms.DateField(
        required=False,
        label=_("Fast frist"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": _("Skriv en gyldig dato, for eksempel 31.12.2026.")},
    )
    confirm_past = forms.BooleanField(
        required=False,
        label=_(
            "Jeg vet at fristen har gått ut: alle som ikke har fullført kurset, får forfalt frist "
            "med en gang og får påminnelse om det."
        ),
    )
    due_days = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=3650,
        label=_("Dager etter start"),
        error_messages={"invalid": _("Skriv et helt antall dager.")},
    )
    renewal_months = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=120,
        label=_("Fornyes hver N. måned"),
        help_text=_("Tomt: ingen fornyelse (kursbevisets gyldighet gjelder fortsatt)."),
        error_messages={"invalid": _("Skriv et helt antall måneder.")},
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self._past_date = False  # set by clean() when a fixed date before today was not confirmed
        self.fields["course"].queryset = assignable_courses()
        self.fields["unit"].queryset = assignable_units(viewer)
        self.fields["person"].queryset = assignable_people(viewer)

    @property
    def shows_past_confirmation(self) -> bool:
        """The «Jeg vet at fristen har gått ut» box appears with its error (and stays once ticked)."""
        if not self.is_bound:
            return False
        return self._past_date or (
            bool(self.data.get("confirm_past")) and self.data.get("due_kind") == "fixed"
        )

    def get_context(self):
        context = super().get_context()
        if not self.shows_past_confirmation:
            context["fields"] = [
                (field, errors) for field, errors in context["fields"] if field.name != "confirm_past"
            ]
        return context

    def clean(self):
        data = super().clean()
        if "unit" in self.errors or "person" in self.errors:
            pass  # the field's own message says what was wrong
        elif not data.get("unit") and not data.get("person"):
            self.add_error("unit", _("Velg en enhet, eller velg én person nedenfor."))
        elif data.get("unit") and data.get("person"):
            self.add_error("person", _("Velg enten en enhet eller én person, ikke begge."))
        kind = data.get("due_kind")
        if kind == "fixed":
            data["due_days"] = None
            due_date = data.get("due_date")
            if "due_date" in self.errors:
                pass
            elif not due_date:
                self.add_error("due_date", _("Velg en dato for fristen."))
            elif due_date < timezone.localdate() and not data.get("confirm_past"):
                self._past_date = True
                self.add_error(
                    "due_date",
                    _(
                        "Fristen har allerede gått ut. Velg en senere dato, eller kryss av nedenfor "
                        "hvis fristen skal gjelde likevel."
                    ),
                )
        elif kind == "relative":
            data["due_date"] = None
            data["confirm_past"] = False
            if "due_days" not in self.errors and not data.get("due_days"):
                self.add_error("due_days", _("Skriv hvor mange dager personen har på seg."))
        if not data.get("unit"):
            data["include_subunits"] = False
        return data

    def focus_first_error(self) -> None:
        """Give the first field with an error the focus when the page loads."""
        for name in self.fields:
            if name in self.errors:
                self.fields[name].widget.attrs["autofocus"] = True
                return

    # The preview step: what was previewed is signed, and only that is saved on confirmation.

    def canonical(self) -> dict[str, str]:
        """The cleaned choice as form values: hidden fields on the preview, and what the token signs."""
        data = self.cleaned_data

        def pk(obj) -> str:
            return str(obj.pk) if obj is not None else ""

        return {
            "course": pk(data["course"]),
            "unit": pk(data.get("unit")),
            "include_subunits": "on" if data.get("include_subunits") else "",
            "person": pk(data.get("person")),
            "due_kind": data["due_kind"],
            "due_date": data["due_date"].isoformat() if data.get("due_date") else "",
            "confirm_past": "on" if data.get("confirm_past") else "",
            "due_days": str(data["due_days"]) if data.get("due_days") else "",
            "renewal_months": str(data["renewal_months"]) if data.get("renewal_months") else "",
        }

    def preview_token(self, *, viewer) -> str:
        return signing.dumps({"by": viewer.pk, "data": self.canonical()}, salt=PREVIEW_SALT)

    def token_matches(self, token: str, *, viewer) -> bool:
        """Whether `token` was issued to `viewer` for exactly this choice, within PREVIEW_MAX_AGE."""
        try:
            payload = signing.loads(token or "", salt=PREVIEW_SALT, max_age=PREVIEW_MAX_AGE)
        except signing.BadSignature:
            return False
        return payload == {"by": viewer.pk, "data": self.canonical()}
