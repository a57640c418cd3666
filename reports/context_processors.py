from django.utils.functional import SimpleLazyObject

from people.selectors import navigation_roles


def manager_navigation(request):
    """Whether the menu shows "Påkrevd opplæring" (managers, reporters, admins) and "Redigering" (Wagtail
    admin users); asked only if used, both in one query (people.selectors.navigation_roles)."""

    def roles():
        return navigation_roles(request.user)

    return {
        "shows_manager_dashboard": SimpleLazyObject(lambda: roles().can_view_reports),
        "shows_admin_link": SimpleLazyObject(lambda: roles().can_access_admin),
    }
