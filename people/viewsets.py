from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .admin_forms import AdminUserCreationForm, AdminUserEditForm


class UserViewSet(WagtailUserViewSet):
    """Wagtail's user administration, editing the platform's profile fields too."""

    def get_form_class(self, for_update=False):
        return AdminUserEditForm if for_update else AdminUserCreationForm
