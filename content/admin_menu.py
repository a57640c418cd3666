"""Admin menu items shared by the apps' wagtail_hooks."""

from wagtail.admin.menu import MenuItem


class SuperuserMenuItem(MenuItem):
    """A menu item only administrators see (the view behind it checks again)."""

    def is_shown(self, request):
        return request.user.is_superuser
