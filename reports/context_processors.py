from django.utils.functional import SimpleLazyObject

from people.selectors import can_view_reports


def manager_navigation(request):
    """Whether the menu shows "Påkrevd opplæring" (managers, reporters, admins); asked only if used."""

    def allowed():
        return can_view_reports(request.user)

    return {"shows_manager_dashboard": SimpleLazyObject(allowed)}
