"""Keep required learning in step with memberships and assignments, however they changed
(admin, CSV import, manager pages, shell)."""

from .assignments import requirements_sync_user


def membership_saving(sender, instance, **kwargs):
    # An edit may move the membership to another person: both need their requirements re-checked.
    if instance.pk:
        instance._previous_user_id = (
            type(instance).objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def membership_changed(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    if isinstance(kwargs.get("origin"), User):
        return  # the person is being deleted; their requirements go with them
    requirements_sync_user(user=instance.user)
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != instance.user_id:
        requirements_sync_user(user=User.objects.get(pk=previous))


def unit_saved(sender, instance, **kwargs):
    if not getattr(instance, "_moved", False):
        return
    from people.models import Role, User

    below = User.objects.filter(
        memberships__unit__path__startswith=instance.path, memberships__role=Role.MEMBER
    ).distinct()
    for person in below:
        requirements_sync_user(user=person)


def assignment_deleting(sender, instance, **kwargs):
    # Remember who it covered: their rows go with it (CASCADE), and another assignment may still cover them.
    from people.models import User

    instance._covered_users = list(User.objects.filter(required_learning__assignment=instance).distinct())


def assignment_deleted(sender, instance, **kwargs):
    for user in getattr(instance, "_covered_users", []):
        requirements_sync_user(user=user)
