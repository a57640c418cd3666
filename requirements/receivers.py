"""Required learning follows what other apps announce. Each receiver is thin: it calls a service.

* people: memberships and units change (admin, manager pages, shell), a staff import
  (people.signals.memberships_imported);
* requirements' own assignments are withdrawn;
* courses: a course was begun or completed (courses.signals);
* certificates: a certificate was issued or revoked (certificates.signals).

One person's change is re-checked at once. A change that reaches many people (a unit moved or
deleted, an assignment withdrawn, an import) starts one job instead (sync.py), which a Celery task
runs after the change commits, in bulk.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.signals import certificate_issued, certificate_revoked
from courses.signals import course_completed, course_started
from people.models import Membership, OrganisationUnit, Role
from people.signals import memberships_imported

from . import services, sync
from .models import Assignment, RequiredLearning, SyncJob


def _deleting(origin, model) -> bool:
    """Whether a delete was started on a `model` instance (or queryset) and cascaded to this row."""
    if isinstance(origin, QuerySet):
        return issubclass(origin.model, model)
    return isinstance(origin, model)


def membership_saving(sender, instance, **kwargs):
    # An edit may move the membership to another person: both need their requirements re-checked.
    if instance.pk:
        instance._previous_user_id = (
            type(instance).objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        )


def membership_changed(sender, instance, **kwargs):
    """One membership saved or deleted (admin, manager pages, shell): re-check that person now.

    One person costs a dozen queries, and whoever made the change sees the result on the next
    page, so this stays in the request; changes to many people at once go through a job.
    """
    User = get_user_model()
    origin = kwargs.get("origin")
    if _deleting(origin, User):
        return  # the person is being deleted; their requirements go with them
    if _deleting(origin, OrganisationUnit):
        return  # the unit is being deleted: unit_deleted re-checks all its members in one job
    previous = getattr(instance, "_previous_user_id", None)
    user_ids = sorted({instance.user_id, previous} - {None})
    with transaction.atomic():
        # A job re-checking the same person at this moment waits for this (or this for it).
        for user in User.objects.select_for_update(no_key=True).filter(pk__in=user_ids).order_by("pk"):
            services.requirements_sync_user(user=user)


def unit_saved(sender, instance, **kwargs):
    """A unit moved under another parent: everyone below it is re-checked by one job after commit."""
    if not getattr(instance, "_moved", False):
        return
    sync.sync_job_start(
        kind=SyncJob.Kind.UNIT_MOVED,
        user_ids=Membership.objects.filter(unit__path__startswith=instance.path, role=Role.MEMBER)
        .values_list("user_id", flat=True)
        .distinct(),
        subject=instance.name,
    )


def unit_deleting(sender, instance, **kwargs):
    # Its memberships and assignments go with it (CASCADE): remember whom they concerned.
    instance._sync_user_ids = set(
        Membership.objects.filter(unit=instance, role=Role.MEMBER).values_list("user_id", flat=True)
    ) | set(RequiredLearning.objects.filter(assignment__unit=instance).values_list("user_id", flat=True))


def unit_deleted(sender, instance, **kwargs):
    sync.sync_job_start(
        kind=SyncJob.Kind.UNIT_DELETED,
        user_ids=getattr(instance, "_sync_user_ids", ()),
        subject=instance.name,
    )


def assignment_deleting(sender, instance, **kwargs):
    # Remember who it covered: their rows go with it (CASCADE), and another assignment may still cover them.
    instance._covered_user_ids = list(
        RequiredLearning.objects.filter(assignment=instance).values_list("user_id", flat=True)
    )


def assignment_deleted(sender, instance, **kwargs):
    """An assignment withdrawn: the people it covered are re-checked by one job after commit."""
    origin = kwargs.get("origin")
    if _deleting(origin, get_user_model()) or _deleting(origin, OrganisationUnit):
        return  # the person or the unit is being deleted; see membership_changed and unit_deleted
    sync.sync_job_start(
        kind=SyncJob.Kind.ASSIGNMENT_WITHDRAWN,
        user_ids=getattr(instance, "_covered_user_ids", ()),
        subject=str(instance),
    )


def on_memberships_imported(sender, user_ids, by=None, **kwargs):
    """A staff import added memberships in bulk: one job re-checks everyone it added.

    Returns where the administrator can follow the job (see people.signals)."""
    job = sync.sync_job_start(kind=SyncJob.Kind.IMPORT, user_ids=user_ids, by=by)
    if job is None:
        return None
    return _("Følg oppdateringen av påkrevd opplæring"), reverse("requirements_sync_job", args=[job.pk])


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
        ("unit_deleting", pre_delete, unit_deleting, OrganisationUnit),
        ("unit_deleted", post_delete, unit_deleted, OrganisationUnit),
        ("memberships_imported", memberships_imported, on_memberships_imported, None),
        ("assignment_deleting", pre_delete, assignment_deleting, Assignment),
        ("assignment_deleted", post_delete, assignment_deleted, Assignment),
        ("course_started", course_started, on_course_started, None),
        ("course_completed", course_completed, on_course_completed, None),
        ("certificate_issued", certificate_issued, on_certificate_issued, None),
        ("certificate_revoked", certificate_revoked, on_certificate_revoked, None),
    ):
        signal.connect(handler, sender=sender, dispatch_uid=f"requirements_{uid}")
