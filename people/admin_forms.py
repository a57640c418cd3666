"""The Wagtail admin's user forms, with the platform's profile fields added."""

from wagtail.users.forms import UserCreationForm, UserEditForm

PROFILE_FIELDS = {"participant_type", "profession", "preferred_language"}


class AdminUserCreationForm(UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | PROFILE_FIELDS


class AdminUserEditForm(UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | PROFILE_FIELDS
