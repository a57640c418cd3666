"""Renewing a kursbevis («Ta kurset på nytt», then completing the course again) happens once per
round, however often the learner presses the buttons: one new round, one new certificate, one PDF
and one e-mail.

The guards: enrolment_restart takes the enrolment's row lock and starts a round only for a completed
enrolment; a completion is recorded by a conditional UPDATE under the same lock, with one
CourseCompletion per enrolment and round (database constraint); a certificate is unique per
completion and per previous certificate; the «ready» e-mail is claimed by a conditional UPDATE.
"""

import pytest
from django.core import mail
from django.urls import reverse

from certificates.models import Certificate, PdfStatus
from courses import services as course_services
from courses.models import CourseCompletion, Enrolment
from courses.selectors import course_modules
from tests.factories import UserFactory, complete_course, make_catalogue, make_course
from tests.markers import requires_postgresql


def _ready_mails(user):
    return [m for m in mail.outbox if m.to == [user.email] and "er klart" in m.subject]


@pytest.mark.django_db
def test_a_double_submitted_restart_and_completion_give_one_renewal_and_one_email(
    client, user, course, django_capture_on_commit_callbacks
):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        complete_course(user, course)
    first = Certificate.objects.get(user=user)
    assert len(_ready_mails(user)) == 1

    restart = reverse("courses:restart", args=[course.pk])
    responses = [client.post(restart, {"confirm": "1"}) for _ in range(2)]
    assert [r.status_code for r in responses] == [302, 302]
    assert Enrolment.objects.get(user=user, course=course).round == 2

    # The last module's «Fullfør» pressed twice, after every other module of the new round.
    modules = course_modules(course)
    with django_capture_on_commit_callbacks(execute=True):
        for module in modules[:-1]:
            course_services.module_complete(user=user, module=module)
        for _ in range(2):
            client.post(reverse("courses:complete_module", args=[modules[-1].pk]))

    renewal = Certificate.objects.exclude(pk=first.pk).get(user=user)
    assert renewal.previous == first
    assert renewal.pdf_status == PdfStatus.READY
    assert CourseCompletion.objects.filter(enrolment__user=user).count() == 2
    assert len(_ready_mails(user)) == 2  # one for the first certificate, one for the renewal


@requires_postgresql
@pytest.mark.django_db(transaction=True)
def test_simultaneous_restarts_start_one_round_and_simultaneous_completions_renew_once():
    from tests.concurrency import run_concurrently

    course = make_course(make_catalogue(), modules=1)
    module = course_modules(course)[0]
    learner = UserFactory()
    complete_course(learner, course)
    first = Certificate.objects.get(user=learner)

    errors = run_concurrently([lambda: course_services.enrolment_restart(user=learner, course=course)] * 4)
    assert errors == []
    assert Enrolment.objects.get(user=learner).round == 2

    errors = run_concurrently([lambda: course_services.module_complete(user=learner, module=module)] * 4)
    assert errors == []
    assert CourseCompletion.objects.filter(enrolment__user=learner).count() == 2
    renewals = Certificate.objects.filter(user=learner).exclude(pk=first.pk)
    assert renewals.count() == 1 and renewals.get().previous == first
    # Each certificate's «ready» e-mail went out once (the PDFs are rendered after each commit).
    assert len(_ready_mails(learner)) == 2
