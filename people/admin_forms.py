"""The Wagtail admin's user forms, with the platform's profile fields added.

The e-mail address is the login and is verified through allauth, so an
administrator sets it when creating a user (it counts as verified) but does
not change it afterwards: the user does that under «Min konto».
"""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

PROFILE_FIELDS = {"participant_type", "profession", "preferred_language"}


class AdminUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PROFILE_FIELDS

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            EmailAddress.objects.get_or_create(
                user=user, email=user.email, defaults={"verified": True, "primary": True}
            )
        return user


class AdminUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PROFILE_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
        self.fields["email"].help_text = _("Brukeren endrer e-postadressen selv under «Min konto».")
