"""allauth hooks: how a new account gets its profile."""

from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # The language the visitor was reading in when they signed up becomes
        # their preferred language, unless the form says otherwise.
        user.preferred_language = translation.get_language() or "nb"
        return super().save_user(request, user, form, commit=commit)
