"""Anonymising a person: nothing that names them or that they wrote is left anywhere in the
database, statistics stay as they were, sign-in stops, and doing it twice changes nothing."""

import pytest
from django.urls import reverse

from assessments.models import QuizAttempt, ReflectionAnswer, SelfAssessmentRating, TimeAccommodation
from certificates.models import Certificate
from courses.models import ActivityCompletion, CourseCompletion, Enrolment
from h5p.models import H5PResult, H5PStatement
from people.models import DataExport, DeletionRequest, User
from people.services import data_export_request, user_anonymise
from tests.people.privacy_data import leave_trace, text_anywhere

pytestmark = pytest.mark.django_db


@pytest.fixture
def traces(course, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        learner = leave_trace(
            course,
            first_name="Ingrid-Solveig",
            last_name="Personvernsen",
            email="ingrid.p@test.example",
            words="Fjelltrollsk",
        )
        other = leave_trace(
            course,
            first_name="Bjarne-Aksel",
            last_name="Beholdersen",
            email="bjarne.b@test.example",
            words="Havfruevis",
        )
        data_export_request(user=learner.user)
    return learner, other


def statistics():
    return {
        "enrolments": Enrolment.objects.count(),
        "completed": Enrolment.objects.filter(completed_at__isnull=False).count(),
        "completions": CourseCompletion.objects.count(),
        "ledger": ActivityCompletion.objects.count(),
        "attempts": list(QuizAttempt.objects.order_by("pk").values_list("score", "percent", "passed")),
        "reflections": ReflectionAnswer.objects.filter(status="submitted").count(),
        "h5p": list(H5PResult.objects.order_by("pk").values_list("best_percent", "completed_at")),
        "ratings": list(SelfAssessmentRating.objects.order_by("pk").values_list("rating", flat=True)),
        "certificates": Certificate.objects.count(),
    }


def test_nothing_names_the_person_or_holds_their_words_afterwards(traces, django_capture_on_commit_callbacks):
    learner, other = traces
    for needle in learner.needles:
        assert text_anywhere(needle), f"the fixture should have stored {needle!r}"
    before = statistics()

    with django_capture_on_commit_callbacks(execute=True):
        assert user_anonymise(user=learner.user) is True

    for needle in learner.needles:
        assert text_anywhere(needle) == [], needle
    # The other learner is untouched.
    for needle in other.needles:
        assert text_anywhere(needle), needle
    assert statistics() == before


def test_the_account_row_is_blanked_and_sign_in_methods_are_gone(traces, django_capture_on_commit_callbacks):
    learner, _ = traces
    user = learner.user
    with django_capture_on_commit_callbacks(execute=True):
        user_anonymise(user=user)
    user.refresh_from_db()
    assert user.email == f"slettet-{user.pk}@anonymisert.invalid"
    assert (user.first_name, user.last_name, user.profession) == ("", "", "")
    assert user.anonymised_at is not None and not user.is_active and not user.has_usable_password()
    assert not user.emailaddress_set.exists()
    assert not TimeAccommodation.objects.filter(user=user).exists()
    assert not DataExport.objects.filter(user=user).exists()
    assert ReflectionAnswer.objects.get(user=user).text == ""
    statement = H5PStatement.objects.get(result__user=user).statement
    assert "mbox" not in str(statement) and "response" not in statement["result"]
    assert statement["result"]["score"] == {"raw": 1, "max": 1}
    # The request stays as a record, naming nobody.
    request = DeletionRequest.objects.get(user=user)
    assert (request.name, request.email) == ("", user.email)


def test_a_signed_in_session_ends(client, traces):
    learner, _ = traces
    client.force_login(learner.user)
    assert client.get(reverse("people:profile")).status_code == 200
    user_anonymise(user=learner.user)
    response = client.get(reverse("people:profile"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_anonymising_twice_changes_nothing(traces):
    learner, _ = traces
    assert user_anonymise(user=learner.user) is True
    first = User.objects.filter(pk=learner.user.pk).values().get()
    assert user_anonymise(user=learner.user) is False
    assert User.objects.filter(pk=learner.user.pk).values().get() == first


def test_a_failing_app_rolls_everything_back(traces):
    from people.signals import user_anonymising

    learner, _ = traces

    def broken(sender, **kwargs):
        raise RuntimeError("boom")

    user_anonymising.connect(broken, dispatch_uid="test_broken")
    try:
        with pytest.raises(RuntimeError):
            user_anonymise(user=learner.user)
    finally:
        user_anonymising.disconnect(dispatch_uid="test_broken")
    learner.user.refresh_from_db()
    assert learner.user.anonymised_at is None and learner.user.first_name == "Ingrid-Solveig"
    assert "Fjelltrollsk" in ReflectionAnswer.objects.get(user=learner.user).text


def test_second_factors_and_linked_accounts_are_removed(user):
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "HEMMELIG"})
    SocialAccount.objects.create(
        user=user, provider="helse", uid="sub-4242", extra_data={"email": user.email}
    )
    user_anonymise(user=user)
    assert not Authenticator.objects.filter(user=user).exists()
    assert not SocialAccount.objects.filter(user=user).exists()


def test_the_admin_history_of_a_persons_records_loses_their_name():
    """Wagtail labels log entries with the object's name at the time: a membership or extra quiz
    time edited in the admin is named after the person, so those labels are erased too."""
    from wagtail.log_actions import log
    from wagtail.models import ModelLogEntry

    from tests.factories import UserFactory, add_member, make_unit

    person = UserFactory(first_name="Gudbrand-Olai", last_name="Historiksen")
    admin = UserFactory(is_staff=True, is_superuser=True)
    membership = add_member(person, make_unit("Lungeavdelingen"))
    extra_time = TimeAccommodation.objects.create(user=person, note="")
    for record in (membership, extra_time):
        log(record, "wagtail.create", user=admin)
    assert ModelLogEntry.objects.filter(label__contains="Historiksen").count() == 2

    user_anonymise(user=person, by=admin)

    assert text_anywhere("Historiksen") == []
    assert ModelLogEntry.objects.filter(action="wagtail.create").count() == 2  # the history stays
