from django.contrib.auth import get_user_model
from wagtail.permission_policies import ModelPermissionPolicy


class _ForbiddenActionsPolicy(ModelPermissionPolicy):
    """Model permissions, minus `forbidden_actions`, which nobody (superusers included) may take."""

    forbidden_actions: set[str] = set()

    def user_has_permission(self, user, action):
        return action not in self.forbidden_actions and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        allowed = [action for action in actions if action not in self.forbidden_actions]
        if not allowed:
            return get_user_model().objects.none()
        return super().users_with_any_permission(allowed)


class NoAddOrDeletePermissionPolicy(_ForbiddenActionsPolicy):
    """For records the platform creates itself and never deletes (issued certificates, H5P
    libraries): nobody may add or delete them in the admin."""

    forbidden_actions = {"add", "delete"}


class NoAddOrChangePermissionPolicy(_ForbiddenActionsPolicy):
    """For records made through a service that also writes others (course assignments and the
    required-learning rows they create): the admin lists and withdraws them, never adds or edits."""

    forbidden_actions = {"add", "change"}


class SuperusersOnlyPermissionPolicy(ModelPermissionPolicy):
    """Only administrators (superusers), whatever model permissions a group carries: for records
    that hand out roles (a rule granting a group or a manager role is as strong as editing the
    groups themselves)."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser

    def user_has_any_permission(self, user, actions):
        return self.user_has_permission(user, None)

    def users_with_any_permission(self, actions):
        return get_user_model().objects.filter(is_active=True, is_superuser=True)
