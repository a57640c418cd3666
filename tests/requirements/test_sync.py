"""Re-checking many people at once: the same rows as person by person, in a fixed number of queries;
jobs queued on commit, with their progress shown to whoever started them."""

import random
from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from people.models import Membership
from requirements import sync
from requirements.models import Assignment, RequiredLearning, SyncJob
from requirements.services import assignment_create, requirements_sync_user
from tests.factories import (
    UserFactory,
    add_member,
    complete_course,
    make_certificate_template,
    make_course,
    make_unit,
)

pytestmark = pytest.mark.django_db

COLUMNS = (
    "user_id",
    "course_id",
    "assignment_id",
    "unit_id",
    "due_date",
    "renewal_months",
    "started_at",
    "completed_at",
    "expires_at",
)


def snapshot():
    return sorted(RequiredLearning.objects.values_list(*COLUMNS))


@pytest.fixture
def organisation(catalogue):
    """Two health trusts' worth of units, five courses and assignments of every kind."""
    trust = make_unit("Helse Vest", unit_type="hf")
    clinic_a = make_unit("Medisinsk klinikk", parent=trust)
    ward_a1 = make_unit("Hjerteavdelingen", parent=clinic_a)
    ward_a2 = make_unit("Lungeavdelingen", parent=clinic_a)
    clinic_b = make_unit("Kirurgisk klinikk", parent=trust)
    ward_b1 = make_unit("Ortopedi", parent=clinic_b)
    municipality = make_unit("Bergen kommune", unit_type="kommune")
    home_care = make_unit("Hjemmetjenesten", parent=municipality)
    units = [trust, clinic_a, ward_a1, ward_a2, clinic_b, ward_b1, municipality, home_care]
    courses = [make_course(catalogue, modules=2, title=f"Kurs {n}") for n in range(5)]
    make_certificate_template(courses[4], validity_months=24)
    return units, courses


def build(units, courses):
    """People in one or several units, joined on different days, some with their own assignments,
    some who have begun or finished a course, and assignments made before and after they joined."""
    trust, clinic_a, ward_a1, ward_a2, clinic_b, ward_b1, municipality, home_care = units
    c0, c1, c2, c3, c4 = courses
    rng = random.Random(7)
    people = [UserFactory() for _ in range(24)]
    for n, person in enumerate(people[:18]):
        first, second = rng.sample(units, 2)
        add_member(person, first, joined_at=date(2025, 1, 1) + timedelta(days=rng.randrange(400)))
        if n % 3 == 0:  # a second unit, joined another day
            add_member(person, second, joined_at=date(2024, 6, 1) + timedelta(days=rng.randrange(700)))
    add_member(people[18], clinic_a, role="manager")  # a manager is not covered as a member
    complete_course(people[19], c4)  # finished (with a kursbevis valid 24 months) before it was assigned
    complete_course(people[1], c0)
    from courses import services
    from courses.selectors import course_modules

    services.enrolment_create(user=people[20], course=c3)
    services.module_complete(user=people[20], module=course_modules(c3)[0])  # begun, not finished

    assignment_create(by=None, course=c0, unit=trust, due_date=date(2026, 12, 31))
    assignment_create(by=None, course=c1, unit=clinic_a, include_subunits=False, due_days=30)
    assignment_create(by=None, course=c1, unit=ward_a1, due_days=10)
    assignment_create(by=None, course=c2, unit=clinic_b, due_days=60, renewal_months=12)
    assignment_create(by=None, course=c2, unit=trust, due_date=date(2025, 9, 1))
    assignment_create(by=None, course=c3, unit=municipality, due_date=date(2026, 3, 1))
    assignment_create(by=None, course=c4, unit=home_care, due_days=90)
    for person in people[:4] + people[19:22]:  # personal assignments, with and without a unit
        assignment_create(by=None, course=c3, user=person, due_date=date(2026, 1, 15))
    assignment_create(by=None, course=c4, user=people[22], due_days=14)
    assignment_create(by=None, course=c4, user=people[19], due_date=date(2026, 6, 1), renewal_months=24)
    return people


def make_stale(people, units, courses):
    """What the table looks like when the world moved on without it: people left units, units
    moved, due dates edited, rows missing."""
    leavers = Membership.objects.filter(user__in=people[:18:4], role="member")
    leavers.filter(pk__in=list(leavers.values_list("pk", flat=True))[:3])._raw_delete(using=connection.alias)
    joined = people[23]
    Membership.objects.bulk_create(  # joined without a signal (as an import does)
        [Membership(user=joined, unit=units[2], role="member", joined_at=date(2026, 2, 1))]
    )
    RequiredLearning.objects.filter(user__in=people[5:9]).update(due_date=date(2030, 1, 1))
    RequiredLearning.objects.filter(user__in=people[9:11] + people[19:21]).delete()
    RequiredLearning.objects.filter(user=people[11]).update(unit=None)
    # A unit moved under another parent without its members being re-checked.
    units[4].parent = units[6]
    units[4].save()  # the paths follow; the job it queues never runs (nothing commits in a test)
    units[5].refresh_from_db()
    assert units[5].path.startswith(units[6].path)


def test_bulk_gives_the_same_rows_as_person_by_person(organisation):
    units, courses = organisation
    people = build(units, courses)
    make_stale(people, units, courses)
    stale = snapshot()

    with transaction.atomic():
        savepoint = transaction.savepoint()
        for person in people:
            requirements_sync_user(user=person)
        one_by_one = snapshot()
        transaction.savepoint_rollback(savepoint)
    assert snapshot() == stale
    assert one_by_one != stale  # the data set really needed re-checking

    sync.requirements_sync_users(user_ids=[person.pk for person in people])
    assert snapshot() == one_by_one
    # Covered in many ways: units, sub-units, relative dates, personal assignments, progress copied.
    rows = RequiredLearning.objects.all()
    assert rows.filter(unit__isnull=True).exists()  # a personal assignment without a unit
    assert rows.filter(completed_at__isnull=False, expires_at__isnull=False).exists()
    assert rows.filter(started_at__isnull=False, completed_at__isnull=True).exists()
    assert len({row.assignment_id for row in rows}) >= 7

    sync.requirements_sync_users(user_ids=[person.pk for person in people])  # twice: no change
    assert snapshot() == one_by_one


def test_queries_do_not_grow_with_the_number_of_people(organisation):
    units, courses = organisation
    people = build(units, courses)

    def queries_for(persons) -> int:
        RequiredLearning.objects.filter(user__in=persons).delete()
        with CaptureQueriesContext(connection) as captured:
            sync.requirements_sync_users(user_ids=[p.pk for p in persons])
        return len(captured)

    assert queries_for(people[:3]) == queries_for(people) <= 14


def test_a_unit_move_queues_one_job_after_commit(organisation, django_capture_on_commit_callbacks):
    units, courses = organisation
    people = build(units, courses)
    trust, _clinic_a, _a1, _a2, clinic_b, _b1, municipality, _home = units
    below_b = set(
        Membership.objects.filter(unit__path__startswith=clinic_b.path, role="member").values_list(
            "user_id", flat=True
        )
    )
    assert below_b
    clinic_b.parent = municipality
    with django_capture_on_commit_callbacks() as callbacks:
        clinic_b.save()
    job = SyncJob.objects.get()
    assert (job.kind, job.status, set(job.user_ids), job.total) == (
        "unit_moved",
        "queued",
        below_b,
        len(below_b),
    )
    assert len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (eagerly in tests)
    job.refresh_from_db()
    assert (job.status, job.done, job.finished_at is not None) == ("done", job.total, True)
    course_for_trust_only = courses[0]
    assert (
        not RequiredLearning.objects.filter(user_id__in=below_b, course=course_for_trust_only)
        .exclude(user__memberships__unit__path__startswith=trust.path)
        .exists()
    )
    assert len(people) == 24


def test_a_rolled_back_change_queues_nothing(organisation, django_capture_on_commit_callbacks):
    units, _courses = organisation
    add_member(UserFactory(), units[5])
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                units[4].parent = units[6]
                units[4].save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == [] and not SyncJob.objects.exists()


def test_admin_sees_where_to_follow_a_unit_move(
    organisation, admin_client, admin_user, django_capture_on_commit_callbacks
):
    units, courses = organisation
    build(units, courses)
    clinic_b, municipality = units[4], units[6]
    url = reverse("wagtailsnippets_people_organisationunit:edit", args=[clinic_b.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            url,
            {"name": clinic_b.name, "unit_type": clinic_b.unit_type, "code": "", "parent": municipality.pk},
            follow=True,
        )
    assert response.status_code == 200
    job = SyncJob.objects.get()
    assert job.started_by == admin_user and job.status == "done"
    page = response.content.decode()
    assert "Påkrevd opplæring oppdateres nå for" in page  # (the job runs at commit, after the view)
    assert reverse("requirements_sync_job", args=[job.pk]) in page

    page = admin_client.get(reverse("requirements_sync_job", args=[job.pk]))
    assert "Enhet flyttet" in page.content.decode() and "Ferdig" in page.content.decode()
    status = admin_client.get(reverse("requirements_sync_job_status", args=[job.pk])).json()
    assert status["finished"] and status["done"] == status["total"] == job.total


def test_withdrawing_an_assignment_in_the_admin_is_one_job(
    organisation, admin_client, django_capture_on_commit_callbacks
):
    units, courses = organisation
    build(units, courses)
    assignment = Assignment.objects.get(course=courses[2], unit=units[0])  # c2 for the whole trust
    covered = set(RequiredLearning.objects.filter(assignment=assignment).values_list("user_id", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailsnippets_requirements_assignment:delete", args=[assignment.pk]), follow=True
        )
    job = SyncJob.objects.get()
    assert (job.kind, set(job.user_ids), job.status) == ("assignment_withdrawn", covered, "done")
    assert "Følg med" in response.content.decode()
    # Clinic B's own assignment of the same course still covers its people.
    assert RequiredLearning.objects.filter(course=courses[2], assignment__unit=units[4]).exists()
    assert not RequiredLearning.objects.filter(course=courses[2], assignment__unit=units[0]).exists()


def test_deleting_a_unit_re_checks_its_members_in_one_job(organisation, django_capture_on_commit_callbacks):
    units, courses = organisation
    home_care = units[7]
    nurses = [UserFactory() for _ in range(3)]
    for nurse in nurses:
        add_member(nurse, home_care)
    assignment_create(by=None, course=courses[4], unit=home_care, due_days=90)
    personal = assignment_create(by=None, course=courses[3], user=nurses[0], due_date=date(2026, 5, 1))
    assert RequiredLearning.objects.filter(user__in=nurses, course=courses[4]).count() == 3
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks() as callbacks:
        home_care.delete()
    assert len(callbacks) == 1  # one job, not one re-check per member
    # No re-check per member inside the delete (Wagtail's reference index costs its own per row).
    assert len([q for q in captured.captured_queries if "courses_requiredlearning" in q["sql"]]) <= 4
    callbacks[0]()
    job = SyncJob.objects.get()
    assert (job.kind, sorted(job.user_ids), job.status) == (
        "unit_deleted",
        sorted(n.pk for n in nurses),
        "done",
    )
    assert list(RequiredLearning.objects.filter(user__in=nurses).values_list("assignment", "unit")) == [
        (personal.pk, None)
    ]


def test_only_the_starter_and_administrators_follow_a_job(client, admin_client):
    starter, other = UserFactory(is_staff=True), UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    for person in (starter, other):
        person.user_permissions.add(Permission.objects.get(codename="access_admin"))
    job = SyncJob.objects.create(kind="import", started_by=starter, user_ids=[1], total=1)
    url = reverse("requirements_sync_job", args=[job.pk])
    client.force_login(other)
    response = client.get(url)
    assert response.status_code in (302, 403) and "Venter" not in response.content.decode()
    client.force_login(starter)
    assert "Venter på å starte" in client.get(url).content.decode()
    assert admin_client.get(url).status_code == 200


def test_a_failing_job_is_marked_failed_and_can_run_again(
    organisation, admin_client, monkeypatch, django_capture_on_commit_callbacks
):
    units, courses = organisation
    people = build(units, courses)
    RequiredLearning.objects.all().delete()

    def broken(user_ids):
        raise RuntimeError("database went away")

    monkeypatch.setattr(sync, "_sync_batch", broken)
    with django_capture_on_commit_callbacks(execute=True):
        job = sync.sync_job_start(kind="import", user_ids=[p.pk for p in people])
    job.refresh_from_db()
    assert job.status == "failed" and "database went away" in job.error
    assert "Prøv igjen" in admin_client.get(reverse("requirements_sync_job", args=[job.pk])).content.decode()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("requirements_sync_job_restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
    assert RequiredLearning.objects.exists()


def test_a_job_whose_task_never_arrived_can_be_started(admin_client, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    nurse = UserFactory()
    job = SyncJob.objects.create(kind="unit_moved", user_ids=[nurse.pk], total=1)
    SyncJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=1))
    page = admin_client.get(reverse("requirements_sync_job", args=[job.pk])).content.decode()
    assert "har ikke startet ennå" in page
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("requirements_sync_job_restart", args=[job.pk]))
    job.refresh_from_db()
    assert (job.status, job.done) == ("done", 1)
    from requirements.tasks import requeue_stalled_sync_jobs

    assert requeue_stalled_sync_jobs() == 0  # nothing left waiting
