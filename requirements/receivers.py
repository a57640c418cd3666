"""Required learning follows what other apps announce. Each receiver is thin: it calls a service.

* people: memberships and units change (admin, CSV import, manager pages, shell);
* requirements' own assignments are withdrawn;
* courses: a course was begun or completed (courses.signals);
* certificates: a certificate was issued or revoked (certificates.signals).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from certificates.signals import certificate_issued, certificate_revoked
from courses.signals import course_completed, course_started
from people.models import Membership, OrganisationUnit, Role

from . import services
from .models import Assignment


def membership_saving(sender, instance, **kwargs):
    # An edit may move the membership to another person: both need their requirements re-checked.
    if instance.pk:
        instance._previous_user_id = (
            type(instance).objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def membership_changed(sender, instance, **kwargs):
    User = get_user_model()
    if isinstance(kwargs.get("origin"), User):
        return  # the person is being deleted; their requirements go with them
    services.requirements_sync_user(user=instance.user)
    previous = getattr(instance, "_previous_user_id", None)
    if previous and previous != instance.user_id:
        services.requirements_sync_user(user=User.objects.get(pk=previous))


def unit_saved(sender, instance, **kwargs):
    if not getattr(instance, "_moved", False):
        return
    below = (
        get_user_model()
        .objects.filter(memberships__unit__path__startswith=instance.path, memberships__role=Role.MEMBER)
        .distinct()
    )
    for person in below:
        services.requirements_sync_user(user=person)


def assignment_deleting(sender, instance, **kwargs):
    # Remember who it covered: their rows go with it (CASCADE), and another assignment may still cover them.
    instance._covered_users = list(
        get_user_model().objects.filter(required_learning__assignment=instance).distinct()
    )


def assignment_deleted(sender, instance, **kwargs):
    for user in getattr(instance, "_covered_users", []):
        services.requirements_sync_user(user=user)


def on_course_started(sender, enrolment, started_at, **kwargs):
    services.requirement_start_record(
        user_id=enrolment.user_id, course_id=enrolment.course_id, started_at=started_at
    )


def on_course_completed(sender, completion, enrolment, **kwargs):
    services.requirement_completion_record(
        user_id=enrolment.user_id, course_id=enrolment.course_id, completed_at=completion.completed_at
    )


def on_certificate_issued(sender, certificate, **kwargs):
    services.requirement_expiry_record(user_id=certificate.user_id, course_id=certificate.course_id)


def on_certificate_revoked(sender, certificate, **kwargs):
    services.requirement_revocation_record(certificate=certificate)


def connect() -> None:
    """Called from RequirementsConfig.ready()."""
    for uid, signal, handler, sender in (
        ("membership_saving", pre_save, membership_saving, Membership),
        ("membership_saved", post_save, membership_changed, Membership),
        ("membership_deleted", post_delete, membership_changed, Membership),
        ("unit_saved", post_save, unit_saved, OrganisationUnit),
        ("assignment_deleting", pre_delete, assignment_deleting, Assignment),
        ("assignment_deleted", post_delete, assignment_deleted, Assignment),
        ("course_started", course_started, on_course_started, None),
        ("course_completed", course_completed, on_course_completed, None),
        ("certificate_issued", certificate_issued, on_certificate_issued, None),
        ("certificate_revoked", certificate_revoked, on_certificate_revoked, None),
    ):
        signal.connect(handler, sender=sender, dispatch_uid=f"requirements_{uid}")
