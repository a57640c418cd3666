"""Required learning: who an assignment covers, due dates (fixed, relative, renewal) and status."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from reports.selectors import Status, requirements
from requirements.models import RequiredLearning
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, complete_course, make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree():
    trust = make_unit("Helse Vest", unit_type="hf")
    clinic = make_unit("Medisinsk klinikk", parent=trust, unit_type="klinikk")
    ward = make_unit("Hjerteavdelingen", parent=clinic, unit_type="avdeling")
    return trust, clinic, ward


def status_of(user, course, today=None):
    admin = UserFactory(is_superuser=True)
    return requirements(viewer=admin, today=today).get(user=user, course=course).status


def test_unit_assignment_covers_sub_units_and_people_who_join_later(tree, catalogue):
    trust, clinic, ward = tree
    course = make_course(catalogue)
    nurse, doctor = UserFactory(), UserFactory()
    add_member(nurse, ward, joined_at=date(2026, 1, 10))
    assignment_create(by=None, course=course, unit=clinic, due_date=date(2026, 12, 31))
    assert RequiredLearning.objects.get(user=nurse).unit == ward

    add_member(doctor, ward)  # joins after the assignment
    assert RequiredLearning.objects.get(user=doctor, course=course).due_date == date(2026, 12, 31)

    outsider = UserFactory()
    add_member(outsider, trust)  # above the assigned unit: not covered
    assert not RequiredLearning.objects.filter(user=outsider).exists()


def test_without_sub_units_only_the_unit_itself(tree, catalogue):
    _trust, clinic, ward = tree
    course = make_course(catalogue)
    in_clinic, in_ward = UserFactory(), UserFactory()
    add_member(in_clinic, clinic)
    add_member(in_ward, ward)
    assignment_create(
        by=None, course=course, unit=clinic, include_subunits=False, due_date=date(2026, 12, 31)
    )
    assert list(RequiredLearning.objects.values_list("user_id", flat=True)) == [in_clinic.pk]


def test_relative_due_date_counts_from_joining(tree, catalogue):
    _trust, clinic, _ward = tree
    course = make_course(catalogue)
    early, late = UserFactory(), UserFactory()
    add_member(early, clinic, joined_at=date(2026, 1, 1))
    assignment_create(by=None, course=course, unit=clinic, due_days=30)
    add_member(late, clinic, joined_at=date(2026, 6, 1))
    assert RequiredLearning.objects.get(user=early).due_date == date(2026, 1, 31)
    assert RequiredLearning.objects.get(user=late).due_date == date(2026, 7, 1)


def test_person_assignment_and_the_earliest_due_date_wins(
    tree, catalogue, django_capture_on_commit_callbacks
):
    _trust, clinic, _ward = tree
    course = make_course(catalogue)
    nurse = UserFactory()
    add_member(nurse, clinic)
    assignment_create(by=None, course=course, unit=clinic, due_date=date(2026, 12, 31))
    personal = assignment_create(by=None, course=course, user=nurse, due_date=date(2026, 9, 1))
    row = RequiredLearning.objects.get(user=nurse)
    assert (row.due_date, row.assignment) == (date(2026, 9, 1), personal)
    # Withdrawn: the unit's assignment still applies, with its own date (a job, after commit).
    with django_capture_on_commit_callbacks(execute=True):
        personal.delete()
    assert RequiredLearning.objects.get(user=nurse).due_date == date(2026, 12, 31)


def test_leaving_the_unit_removes_the_requirement(tree, catalogue):
    _trust, clinic, _ward = tree
    course = make_course(catalogue)
    nurse = UserFactory()
    membership = add_member(nurse, clinic)
    assignment_create(by=None, course=course, unit=clinic, due_date=date(2026, 12, 31))
    membership.delete()
    assert not RequiredLearning.objects.filter(user=nurse).exists()


def test_statuses_follow_progress_and_dates(tree, catalogue):
    _trust, clinic, _ward = tree
    course = make_course(catalogue, modules=2)
    nurse = UserFactory()
    add_member(nurse, clinic)
    today = timezone.localdate()
    assignment_create(by=None, course=course, unit=clinic, due_date=today + timedelta(days=10))
    assert status_of(nurse, course) == Status.NOT_STARTED
    assert status_of(nurse, course, today=today + timedelta(days=11)) == Status.OVERDUE

    from courses import services

    services.enrolment_create(user=nurse, course=course)
    services.module_complete(user=nurse, module=course.get_children().first().specific)
    assert status_of(nurse, course) == Status.STARTED
    complete_course(nurse, course)
    assert status_of(nurse, course) == Status.COMPLETED
    assert status_of(nurse, course, today=today + timedelta(days=400)) == Status.COMPLETED  # no renewal


def test_renewal_uses_the_certificate_validity_or_the_renewal_period(tree, catalogue):
    from tests.factories import make_certificate_template

    _trust, clinic, _ward = tree
    renewed = make_course(catalogue, modules=1)
    valid_24 = make_course(catalogue, modules=1)
    make_certificate_template(valid_24, validity_months=24)
    nurse = UserFactory()
    add_member(nurse, clinic)
    today = timezone.localdate()
    assignment_create(
        by=None, course=renewed, unit=clinic, due_date=today + timedelta(days=10), renewal_months=12
    )
    assignment_create(by=None, course=valid_24, unit=clinic, due_date=today + timedelta(days=10))
    complete_course(nurse, renewed)
    complete_course(nurse, valid_24)

    row = RequiredLearning.objects.get(user=nurse, course=renewed)
    assert row.expires_at is not None and 364 <= (row.expires_at - today).days <= 366
    assert status_of(nurse, renewed, today=row.expires_at - timedelta(days=10)) == Status.EXPIRING
    assert status_of(nurse, renewed, today=row.expires_at + timedelta(days=1)) == Status.EXPIRED
    assert 729 <= (RequiredLearning.objects.get(user=nurse, course=valid_24).expires_at - today).days <= 731


def test_completing_before_the_assignment_counts(tree, catalogue):
    _trust, clinic, _ward = tree
    course = make_course(catalogue, modules=1)
    nurse = UserFactory()
    complete_course(nurse, course)
    add_member(nurse, clinic)
    assignment_create(by=None, course=course, unit=clinic, due_date=date(2026, 12, 31))
    assert RequiredLearning.objects.get(user=nurse).completed_at is not None


def test_moving_a_unit_and_moving_a_membership_update_requirements(
    tree, catalogue, django_capture_on_commit_callbacks
):
    trust, clinic, ward = tree
    other_trust = make_unit("Helse Nord", unit_type="hf")
    course = make_course(catalogue)
    nurse, doctor = UserFactory(), UserFactory()
    membership = add_member(nurse, ward)
    assignment_create(by=None, course=course, unit=trust, due_date=date(2026, 12, 31))
    assert RequiredLearning.objects.filter(user=nurse).exists()

    clinic.parent = other_trust  # the ward moves with it, out of the assigned trust
    with django_capture_on_commit_callbacks(execute=True):
        clinic.save()
    assert not RequiredLearning.objects.filter(user=nurse).exists()
    clinic.parent = trust
    with django_capture_on_commit_callbacks(execute=True):
        clinic.save()
    assert RequiredLearning.objects.filter(user=nurse).exists()

    membership.user = doctor  # an admin corrects who the membership belongs to
    membership.save()
    assert list(RequiredLearning.objects.values_list("user_id", flat=True)) == [doctor.pk]


def test_a_persons_relative_due_date_counts_from_the_assignment_and_stays(tree, catalogue):
    _trust, clinic, _ward = tree
    course = make_course(catalogue)
    nurse = UserFactory()
    add_member(nurse, clinic, joined_at=date(2015, 1, 1))
    assignment = assignment_create(by=None, course=course, user=nurse, due_days=30)
    expected = timezone.localdate(assignment.created_at) + timedelta(days=30)
    assert RequiredLearning.objects.get(user=nurse).due_date == expected
    add_member(nurse, make_unit("Annen enhet"))  # an unrelated change re-checks the person
    assert RequiredLearning.objects.get(user=nurse).due_date == expected


def test_administrators_list_and_withdraw_assignments_but_never_add_or_edit(
    tree, catalogue, admin_client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from requirements.models import Assignment

    _trust, clinic, _ward = tree
    course = make_course(catalogue, title="Hygiene")
    nurse = UserFactory()
    add_member(nurse, clinic)
    assignment = assignment_create(by=None, course=course, unit=clinic, due_date=date(2026, 12, 31))
    assert (
        "Hygiene"
        in admin_client.get(reverse("wagtailsnippets_requirements_assignment:list")).content.decode()
    )
    assert admin_client.get(reverse("wagtailsnippets_requirements_assignment:add")).status_code in (302, 403)
    assert admin_client.get(
        reverse("wagtailsnippets_requirements_assignment:edit", args=[assignment.pk])
    ).status_code in (
        302,
        403,
    )
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(reverse("wagtailsnippets_requirements_assignment:delete", args=[assignment.pk]))
    assert not Assignment.objects.exists()
    assert not RequiredLearning.objects.filter(user=nurse).exists()
