"""One status rule for required learning: the dashboard, its export and «Mine kurs» agree."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from certificates.models import Certificate
from certificates.services import certificate_revoke
from requirements.models import RequiredLearning
from requirements.selectors import Status, required_learning_of
from requirements.services import assignment_create
from tests.factories import UserFactory, add_member, complete_course, make_course, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_with_completed_requirement(catalogue):
    ward = make_unit("Avdeling")
    manager, learner = UserFactory(), UserFactory(first_name="Kari", last_name="Nordmann")
    add_member(manager, ward, role="manager")
    add_member(learner, ward)
    course = make_course(catalogue, modules=1, title="Smittevern")
    assignment_create(
        by=manager, course=course, unit=ward, due_date=timezone.localdate() + timedelta(days=30)
    )
    complete_course(learner, course)
    return manager, learner, course


def test_a_revoked_kursbevis_shows_as_revoked_on_the_dashboard_and_in_my_courses(
    client, staff_with_completed_requirement
):
    manager, learner, course = staff_with_completed_requirement
    client.force_login(learner)
    assert "Fullført" in client.get(reverse("courses:my_courses")).content.decode()

    certificate = Certificate.objects.get(user=learner, course=course)
    certificate_revoke(certificate=certificate, reason="Utstedt ved en feil")

    row = RequiredLearning.objects.get(user=learner, course=course)
    assert row.certificate_revoked_at is not None
    mine = client.get(reverse("courses:my_courses")).content.decode()
    assert "status--tilbakekalt" in mine and "Kursbevis tilbakekalt" in mine
    client.force_login(manager)
    dashboard = client.get(reverse("reports:dashboard")).content.decode()
    assert "status--tilbakekalt" in dashboard
    export = b"".join(client.get(reverse("reports:export", args=["csv"])).streaming_content).decode()
    assert "Kursbevis tilbakekalt" in export


def test_revoking_through_the_admin_goes_through_the_service(admin_client, staff_with_completed_requirement):
    _manager, learner, course = staff_with_completed_requirement
    certificate = Certificate.objects.get(user=learner, course=course)
    response = admin_client.post(
        reverse("wagtailsnippets_certificates_certificate:edit", args=[certificate.pk]),
        {"revoke": "on", "revoked_reason": "Feil person"},
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at is not None and certificate.revoked_reason == "Feil person"
    assert RequiredLearning.objects.get(user=learner, course=course).certificate_revoked_at is not None


def test_completing_the_course_again_clears_the_revocation(staff_with_completed_requirement):
    from courses.services import enrolment_restart

    _manager, learner, course = staff_with_completed_requirement
    certificate_revoke(certificate=Certificate.objects.get(user=learner, course=course), reason="Feil")
    enrolment_restart(user=learner, course=course)
    complete_course(learner, course)
    [row] = required_learning_of(user=learner)
    assert row.status == Status.COMPLETED and row.certificate_revoked_at is None


def test_revoking_an_older_certificate_leaves_the_newer_completion_counting(staff_with_completed_requirement):
    from courses.services import enrolment_restart

    _manager, learner, course = staff_with_completed_requirement
    first = Certificate.objects.get(user=learner, course=course)
    enrolment_restart(user=learner, course=course)
    complete_course(learner, course)
    certificate_revoke(certificate=first, reason="Gammelt")
    [row] = required_learning_of(user=learner)
    assert row.status == Status.COMPLETED


def test_my_courses_and_the_dashboard_use_the_same_rule_for_an_expired_completion(
    client, staff_with_completed_requirement
):
    manager, learner, course = staff_with_completed_requirement
    RequiredLearning.objects.filter(user=learner).update(expires_at=timezone.localdate() - timedelta(days=1))
    client.force_login(learner)
    assert "status--utlopt" in client.get(reverse("courses:my_courses")).content.decode()
    client.force_login(manager)
    assert "status--utlopt" in client.get(reverse("reports:dashboard")).content.decode()


def test_a_completed_required_course_links_to_its_kursbevis_in_my_courses(
    client, staff_with_completed_requirement
):
    _manager, learner, course = staff_with_completed_requirement
    certificate = Certificate.objects.get(user=learner, course=course)
    client.force_login(learner)
    mine = client.get(reverse("courses:my_courses")).content.decode()
    assert reverse("certificates:detail", args=[certificate.public_id]) in mine
