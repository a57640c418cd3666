from datetime import datetime

from django import forms
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Language, OrganisationUnit, ParticipantType, Role, UnitType, User


class ProfileFieldsMixin(forms.Form):
    """Profile fields shared by sign-up and the profile page."""

    first_name = forms.CharField(
        label=_("Fornavn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Etternavn"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    participant_type = forms.ChoiceField(
        label=_("Jeg er"), choices=ParticipantType.choices, widget=forms.RadioSelect
    )
    profession = forms.CharField(
        label=_("Yrke"),
        max_length=120,
        required=False,
        help_text=_("Fyll ut hvis du er helsepersonell, for eksempel sykepleier."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("participant_type") != ParticipantType.HEALTH_PERSONNEL:
            cleaned["profession"] = ""
        return cleaned


class SignupProfileForm(ProfileFieldsMixin):
    """Extra fields on allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS)."""

    field_order = ["first_name", "last_name", "participant_type", "profession"]

    def signup(self, request, user: User) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.participant_type = self.cleaned_data["participant_type"]
        user.profession = self.cleaned_data["profession"]
        user.save()


class ProfileForm(ProfileFieldsMixin, forms.ModelForm):
    preferred_language = forms.ChoiceField(label=_("Foretrukket språk"), choices=Language.choices)

    class Meta:
        model = User
        fields = ["first_name", "last_name", "participant_type", "profession", "preferred_language"]


# --- Import rows ----------------------------------------------------------------------------------
# One form per row of a staff or unit import (people.importing reads the file). Cells arrive as
# text, whether the file was CSV or Excel; each message names the value it could not use.

ROLE_WORDS = {
    "": Role.MEMBER,
    "medlem": Role.MEMBER,
    "member": Role.MEMBER,
    "ansatt": Role.MEMBER,
    "leder": Role.MANAGER,
    "manager": Role.MANAGER,
    "rapportør": Role.REPORTER,
    "rapportor": Role.REPORTER,
    "reporter": Role.REPORTER,
}
DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y")
NAME_MAX_LENGTH = User._meta.get_field("first_name").max_length


def _choice_from_text(value: str, choices) -> str | None:
    """The choice whose code or (Norwegian) label is `value`, ignoring case."""
    lowered = value.lower()
    for code, label in choices:
        if lowered in (code, str(label).lower()):
            return code
    return None


def split_name(name: str) -> tuple[str, str]:
    """«Kari Nordmann» → ("Kari", "Nordmann"): the last word is the last name."""
    first, _sep, last = name.rpartition(" ")
    return (first, last) if first else (last, "")


class CellField(forms.CharField):
    """A cell of an import row. Nothing changes it per form, so every row's form shares it instead
    of deep-copying it (a form per row of a 5,000-row file would otherwise copy 30,000 fields)."""

    def __deepcopy__(self, memo):
        return self


class ImportRowForm(forms.Form):
    """Cells that may be left empty are not required; every message is a sentence of its own."""

    def __init__(self, data, *, units):
        super().__init__(data)
        self.units = units  # people.importing._UnitLookup: units by code or unique name

    def messages(self) -> list[str]:
        return [message for errors in self.errors.values() for message in errors]

    def _unit(self, reference: str):
        unit, error = self.units.find(reference)
        if error:
            raise forms.ValidationError(error)
        return unit


class StaffRowForm(ImportRowForm):
    name = CellField(error_messages={"required": _("Navn mangler.")})
    email = CellField(error_messages={"required": _("E-postadresse mangler.")})
    unit = CellField(error_messages={"required": _("Enhet mangler.")})
    participant_type = CellField(required=False)
    role = CellField(required=False)
    joined_at = CellField(required=False)

    def clean_name(self):
        name = self.cleaned_data["name"]
        if any(len(part) > NAME_MAX_LENGTH for part in split_name(name)):
            raise forms.ValidationError(
                _("Navnet er for langt (høyst %(max)s tegn for fornavn og for etternavn).")
                % {"max": NAME_MAX_LENGTH}
            )
        return name

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        limit = User._meta.get_field("email").max_length
        if len(email) > limit:
            raise forms.ValidationError(
                _("E-postadressen er for lang (høyst %(max)s tegn).") % {"max": limit}
            )
        try:
            validate_email(email)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("Ugyldig e-postadresse «%(email)s».") % {"email": self.cleaned_data["email"]}
            ) from None
        return email

    def clean_unit(self):
        return self._unit(self.cleaned_data["unit"])

    def clean_participant_type(self):
        value = self.cleaned_data["participant_type"]
        if not value:
            return ParticipantType.OTHER
        code = _choice_from_text(value, ParticipantType.choices)
        if code is None:
            raise forms.ValidationError(
                _("Ukjent deltakertype «%(value)s» (bruk helsepersonell, brukerrepresentant eller annet).")
                % {"value": value}
            )
        return code

    def clean_role(self):
        value = self.cleaned_data["role"]
        role = ROLE_WORDS.get(value.lower())
        if role is None:
            raise forms.ValidationError(
                _("Ukjent rolle «%(value)s» (bruk medlem, leder eller rapportør).") % {"value": value}
            )
        return role

    def clean_joined_at(self):
        value = self.cleaned_data["joined_at"]
        if not value:
            return timezone.localdate()
        for pattern in DATE_FORMATS:
            try:
                return datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        raise forms.ValidationError(_("Ugyldig startdato «%(value)s» (bruk dd.mm.åååå).") % {"value": value})


class UnitRowForm(ImportRowForm):
    name = CellField(error_messages={"required": _("Navn mangler.")})
    unit_type = CellField(required=False)
    parent = CellField(required=False)
    code = CellField(required=False)

    def clean_name(self):
        name = self.cleaned_data["name"]
        limit = OrganisationUnit._meta.get_field("name").max_length
        if len(name) > limit:
            raise forms.ValidationError(_("Navnet er for langt (høyst %(max)s tegn).") % {"max": limit})
        return name

    def clean_unit_type(self):
        value = self.cleaned_data["unit_type"]
        if not value:
            return UnitType.OTHER
        code = _choice_from_text(value, UnitType.choices)
        if code is None:
            raise forms.ValidationError(_("Ukjent enhetstype «%(value)s».") % {"value": value})
        return code

    def clean_code(self):
        code = self.cleaned_data["code"]
        limit = OrganisationUnit._meta.get_field("code").max_length
        if len(code) > limit:
            raise forms.ValidationError(_("Koden er for lang (høyst %(max)s tegn).") % {"max": limit})
        if code and code.lower() in self.units.by_code:
            raise forms.ValidationError(_("Koden «%(code)s» er allerede i bruk.") % {"code": code})
        return code or None

    def clean_parent(self):
        reference = self.cleaned_data["parent"]
        return self._unit(reference) if reference else None
