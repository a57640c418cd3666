"""Keep required learning in step with memberships and assignments, however they changed
(admin, CSV import, manager pages, shell)."""

from .assignments import requirements_sync_user


def membership_changed(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    if isinstance(kwargs.get("origin"), get_user_model()):
        return  # the person is being deleted; their requirements go with them
    requirements_sync_user(user=instance.user)


def assignment_deleting(sender, instance, **kwargs):
    # Remember who it covered: their rows go with it (CASCADE), and another assignment may still cover them.
    from people.models import User

    instance._covered_users = list(User.objects.filter(required_learning__assignment=instance).distinct())


def assignment_deleted(sender, instance, **kwargs):
    for user in getattr(instance, "_covered_users", []):
        requirements_sync_user(user=user)
