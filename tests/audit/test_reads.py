"""Privileged reads are logged: who, when, what, from where, and never what people wrote."""

import io
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from requirements.services import assignment_create
from tests.audit.conftest import all_entry_text
from tests.factories import UserFactory, add_member, holder_of

pytestmark = pytest.mark.django_db


def reads(event):
    return AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, event=event)


def test_a_manager_opening_a_persons_record_is_logged(client, manager, staff):
    client.force_login(manager)
    response = client.get(reverse("reports:person", args=[staff.pk]), REMOTE_ADDR="192.0.2.10")
    assert response.status_code == 200
    entry = reads("person_record").get()
    assert entry.actor == manager
    assert entry.subject_user == staff
    assert entry.content_type == ContentType.objects.get_for_model(staff)
    assert entry.object_pk == str(staff.pk)
    assert entry.remote_addr == "192.0.2.10"
    assert entry.timestamp > timezone.now() - timedelta(minutes=1)
    # The entry names nobody: the admin shows the person through the key, as they are now.
    assert "Nordmann" not in all_entry_text() and staff.email not in all_entry_text()


def test_a_person_outside_the_managers_scope_is_not_found_and_nothing_is_logged(client, manager):
    stranger = UserFactory()
    client.force_login(manager)
    assert client.get(reverse("reports:person", args=[stranger.pk])).status_code == 404
    assert not reads("person_record").exists()


@pytest.fixture
def required(course, ward, staff):
    other = UserFactory()
    add_member(other, ward)
    assignment_create(by=None, course=course, unit=ward, due_date=timezone.localdate() + timedelta(days=30))
    return 2  # staff and other (the manager is not a member)


def test_a_csv_staff_export_is_logged_with_format_and_row_count(client, manager, required):
    client.force_login(manager)
    response = client.get(reverse("reports:export", args=["csv"]) + "?status=ikke_startet")
    assert not reads("staff_export").exists()  # streamed: logged once the rows are out
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [line for line in body.splitlines() if line]
    entry = reads("staff_export").get()
    assert entry.actor == manager
    assert entry.additional_data["format"] == "csv"
    assert entry.additional_data["rows"] == len(lines) - 1 == required
    assert entry.additional_data["complete"] is True
    assert entry.additional_data["filters"] == {"status": "ikke_startet"}
    assert entry.content_type.model == "requiredlearning"


def test_an_xlsx_staff_export_is_logged_with_its_row_count(client, manager, required):
    client.force_login(manager)
    response = client.get(reverse("reports:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    entry = reads("staff_export").get()
    assert entry.additional_data["format"] == "xlsx"
    assert entry.additional_data["rows"] == sheet.max_row - 1 == required


def test_an_export_stopped_mid_way_is_logged_as_incomplete(manager):
    from django.test import RequestFactory

    from audit.services import record_export

    request = RequestFactory().get("/")
    request.user = manager
    rows = record_export(request, action="staff_export", file_format="csv", rows=iter([[1], [2], [3]]))
    next(rows)
    assert not reads("staff_export").exists()
    rows.close()  # what a streamed response does when the browser goes away
    entry = reads("staff_export").get()
    assert entry.additional_data == {"format": "csv", "rows": 1, "complete": False}
    assert entry.actor == manager


@pytest.fixture
def shared_reflection(user, course):
    from assessments.models import ReflectionAnswer, ReflectionStatus
    from courses.selectors import course_modules

    return ReflectionAnswer.objects.create(
        user=user,
        course=course,
        module=course_modules(course)[0],
        block_id="b1",
        prompt="Hva lærte du?",
        text="<p>Min hemmelige refleksjon om pasienten</p>",
        status=ReflectionStatus.SUBMITTED,
        submitted_at=timezone.now(),
        shared_at=timezone.now(),
    )


def test_a_course_holder_reading_a_shared_reflection_is_logged_without_its_text(
    course, user, shared_reflection
):
    holder = holder_of(course)
    client = Client()
    client.force_login(holder)
    url = reverse("assessments_shared_reflection", args=[shared_reflection.pk])
    assert "hemmelige refleksjon" in client.get(url).content.decode()
    client.post(url, {"text": "Et svar med en egen hemmelighet"})

    entry = reads("shared_reflection").get()  # the reply (a POST) is not a second read
    assert entry.actor == holder
    assert entry.subject_user == user
    assert entry.object_pk == str(shared_reflection.pk)
    assert entry.object_repr == f"refleksjon #{shared_reflection.pk}"
    text = all_entry_text()
    assert "hemmelige" not in text and "hemmelighet" not in text and "Hva lærte du" not in text


def test_the_learners_manager_is_refused_a_reflection_and_nothing_is_logged(
    client, shared_reflection, user, ward
):
    boss = UserFactory()
    add_member(user, ward)
    add_member(boss, ward, role="manager")
    client.force_login(boss)
    response = client.get(reverse("assessments_shared_reflection", args=[shared_reflection.pk]))
    assert response.status_code in (302, 403, 404)
    assert not reads("shared_reflection").exists()


def test_activity_statistics_reads_and_exports_are_logged_with_small_groups(
    admin_client, admin_user, user, course
):
    from courses import services as course_services

    course_services.enrolment_create(user=user, course=course)  # a group of one
    url = reverse("reports_statistics")
    assert admin_client.get(url).status_code == 200
    entry = reads("activity_statistics").get()
    assert entry.actor == admin_user
    assert entry.additional_data["groups"] == 1
    assert entry.additional_data["small_groups"] == 1

    response = admin_client.get(url + "?eksport=csv")
    b"".join(response.streaming_content)
    export = reads("activity_statistics_export").get()
    assert export.additional_data["format"] == "csv"
    assert export.additional_data["rows"] == 1


def test_opening_a_certificate_in_the_admin_is_logged(admin_client, admin_user, user, course):
    from certificates.models import Certificate
    from tests.factories import complete_course

    complete_course(user, course)
    certificate = Certificate.objects.get()
    url = reverse("wagtailsnippets_certificates_certificate:inspect", args=[certificate.pk])
    assert admin_client.get(url).status_code == 200
    edit = reverse("wagtailsnippets_certificates_certificate:edit", args=[certificate.pk])
    assert admin_client.get(edit).status_code == 200
    entries = reads("certificate_admin").order_by("pk")
    assert [e.additional_data["view"] for e in entries] == ["inspect", "edit"]
    assert {e.subject_user for e in entries} == {user}
    assert all(e.actor == admin_user for e in entries)
    assert certificate.holder_name not in all_entry_text()


def test_quiz_answers_never_reach_the_log(logged_in_client, user, course):
    from assessments.models import QuizAttempt
    from courses import services as course_services
    from courses.selectors import course_modules
    from tests.factories import add_quiz_block, correct_post, make_quiz

    course_services.enrolment_create(user=user, course=course)
    quiz = make_quiz(course)
    module = course_modules(course)[-1]
    block_id = add_quiz_block(module, quiz)
    logged_in_client.post(reverse("assessments:quiz_start", args=[module.pk, block_id]))
    attempt = QuizAttempt.objects.get()
    url = reverse("assessments:attempt", args=[attempt.public_id])
    logged_in_client.post(url, {**correct_post(attempt), "action": "submit"})
    attempt.refresh_from_db()
    assert attempt.status == "graded"
    text = all_entry_text()
    for question in attempt.questions:
        assert question["text"] not in text
        for option in question.get("options", []):
            assert option["text"] not in text
