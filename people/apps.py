from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = _("Personer")

    def ready(self):
        from django.core import checks

        import core.checks

        from . import checks as app_checks

        checks.register(app_checks.user_model_check)
        checks.register(app_checks.middleware_check)
        checks.register(app_checks.privacy_contact_check)
        checks.register(app_checks.privileged_mfa_check)
        checks.register(core.checks.platform_base_url)  # the link in a deletion request's e-mail
        checks.register(app_checks.privacy_settings_check)

        from django.contrib.auth.signals import user_logged_in

        from . import personal_data

        personal_data.register()
        user_logged_in.connect(personal_data.on_login, dispatch_uid="people_inactivity_cancelled_by_login")


class PeopleUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users, pointed at the platform's user viewset (see people/viewsets.py)."""

    user_viewset = "people.viewsets.UserViewSet"
