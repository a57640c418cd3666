"""The sign-up form (ACCOUNT_FORMS["signup"]): allauth's, doing the same work for a taken address.

With ACCOUNT_PREVENT_ENUMERATION allauth answers a sign-up with a taken address exactly like a new
one, but used to do far less work for it: a new address costs a password hash (hundreds of
milliseconds by design), a taken one none, so the time of the answer told which addresses have an
account. Here the taken-address path hashes the submitted password too (and throws the hash away);
the e-mail each path sends goes through the same background task (people.adapters).

Kept apart from people.forms, which allauth imports while building this form's base class.
"""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string


class SignupForm(AllauthSignupForm):
    def try_save(self, request):
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1") or get_random_string(32))
        return super().try_save(request)
