from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class PeopleConfig(AppConfig):
    default = True
    name = "people"
    verbose_name = _("Personer")


class PeopleUsersAppConfig(WagtailUsersAppConfig):
    """wagtail.users, pointed at the platform's user viewset (see people/viewsets.py)."""

    user_viewset = "people.viewsets.UserViewSet"
