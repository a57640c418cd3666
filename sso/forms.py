"""The admin's form for a claim mapping: the provider is picked from those configured."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .selectors import configured_apps


class ClaimMappingForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(app.provider_id, f"{app.name} ({app.provider_id})") for app in configured_apps()]
        current = self.instance.provider_id
        if current and current not in {value for value, _label in choices}:
            # Kept visible so the administrator sees why it no longer validates.
            choices.append((current, _("%(id)s (ikke konfigurert)") % {"id": current}))
        field = self.fields["provider_id"]
        self.fields["provider_id"] = forms.ChoiceField(
            label=field.label, help_text=field.help_text, choices=[("", "---------"), *choices]
        )
