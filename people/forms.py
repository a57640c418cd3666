from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Language, ParticipantType, User


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
