"""Password rules whose messages speak the interface language.

Django 5.2 changed the wording of MinimumLengthValidator's error («…at least %d characters»), and
Django's bokmål catalogue still translates only the old wording, so the error came out in English
in the Norwegian interface. The message is written here in bokmål like every other string of the
platform (English in site/locale/en), so it no longer depends on Django's catalogue catching up.
The other validators' messages are translated by Django.
"""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self) -> str:
        return ngettext(
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            "Passordet er for kort. Det må ha minst %(min_length)d tegn.",
            self.min_length,
        ) % {"min_length": self.min_length}
