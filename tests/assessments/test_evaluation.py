"""Course evaluation (anonymous, aggregated from 5 answers) and pre/post self-assessment."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from assessments import selectors, services
from assessments.models import EvaluationResponse, EvaluationSubmission, SelfAssessment
from courses import services as course_services
from courses.selectors import course_modules
from tests.factories import UserFactory, complete_course, holder_of, make_course

pytestmark = pytest.mark.django_db

ANSWERS = {
    "relevance": 5,
    "usefulness": 4,
    "user_perspective": 3,
    "overall": 4,
    "most_useful": "Samtalen",
    "improve": "",
}


def finish_modules(user, course):
    course_services.enrolment_create(user=user, course=course)
    for module in course_modules(course):
        course_services.module_complete(user=user, module=module)


def test_required_evaluation_holds_back_completion_until_answered(catalogue, user, client):
    course = make_course(catalogue, evaluation_required=True)
    finish_modules(user, course)
    enrolment = user.enrolments.get()
    assert enrolment.completed_at is None  # all modules done, evaluation missing
    client.force_login(user)
    html = client.get(course.url).content.decode()
    assert "Svar på kursevalueringen for å fullføre kurset" in html
    response = client.post(reverse("assessments:evaluation", args=[course.pk]), ANSWERS)
    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.completed_at is not None
    assert enrolment.completions.count() == 1  # and a certificate was issued through the one door


def test_evaluation_is_closed_before_the_modules_are_done(catalogue, user, client):
    course = make_course(catalogue)
    course_services.enrolment_create(user=user, course=course)
    client.force_login(user)
    response = client.post(reverse("assessments:evaluation", args=[course.pk]), ANSWERS, follow=True)
    assert "åpner når du har fullført alle modulene" in response.content.decode()
    assert not EvaluationResponse.objects.exists()


def test_double_submit_stores_one_response(catalogue, user, client):
    course = make_course(catalogue)
    finish_modules(user, course)
    client.force_login(user)
    url = reverse("assessments:evaluation", args=[course.pk])
    client.post(url, ANSWERS)
    response = client.post(url, ANSWERS, follow=True)
    assert "allerede evaluert" in response.content.decode()
    with pytest.raises(services.AssessmentError):
        services.evaluation_submit(user=user, course=course, answers=ANSWERS)
    assert EvaluationResponse.objects.count() == 1
    assert EvaluationSubmission.objects.count() == 1


def test_out_of_range_answers_are_refused(catalogue, user, client):
    course = make_course(catalogue)
    finish_modules(user, course)
    client.force_login(user)
    response = client.post(reverse("assessments:evaluation", args=[course.pk]), {**ANSWERS, "overall": 9})
    assert response.status_code == 200
    assert not EvaluationResponse.objects.exists()


def test_responses_carry_nothing_that_identifies_the_learner():
    fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert fields == {
        "id",
        "course",
        "month",
        "relevance",
        "usefulness",
        "user_perspective",
        "overall",
        "most_useful",
        "improve",
    }


def test_report_shows_aggregates_only_from_five_responses(catalogue):
    course = make_course(catalogue)
    holder = holder_of(course)
    client = Client()
    client.force_login(holder)
    url = reverse("assessments_course_report", args=[course.pk])
    for number in range(4):
        learner = UserFactory()
        finish_modules(learner, course)
        services.evaluation_submit(
            user=learner, course=course, answers={**ANSWERS, "most_useful": f"Svar {number}"}
        )
    html = client.get(url).content.decode()
    assert "4 svar så langt" in html and "Svar 0" not in html
    assert client.get(reverse("assessments_evaluation_csv", args=[course.pk])).status_code == 302

    learner = UserFactory()
    finish_modules(learner, course)
    services.evaluation_submit(user=learner, course=course, answers={**ANSWERS, "overall": 2})
    summary = selectors.evaluation_summary(course=course)
    overall = next(item for item in summary.items if item.field == "overall")
    assert summary.shown and overall.mean == pytest.approx(3.6)
    assert [count for _label, count in overall.counts] == [0, 1, 0, 4, 0]
    html = client.get(url).content.decode()
    assert "Svar 0" in html and "3,60" in html or "3.60" in html

    response = client.get(reverse("assessments_evaluation_csv", args=[course.pk]))
    rows = list(
        csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";")
    )
    assert len(rows) == 6 and len(rows[0]) == 6
    assert all(learner.email not in ";".join(row) for row in rows)


def test_report_is_404_for_holders_of_other_courses_and_for_learners(catalogue, user):
    course = make_course(catalogue)
    other_holder = holder_of(make_course(catalogue))
    client = Client()
    for person in (other_holder, user):
        client.force_login(person)
        assert client.get(reverse("assessments_course_report", args=[course.pk])).status_code in (302, 404)
    client.force_login(other_holder)
    assert client.get(reverse("assessments_course_report", args=[course.pk])).status_code == 404
    assert client.get(reverse("assessments_evaluation_csv", args=[course.pk])).status_code == 404


class TestSelfAssessment:
    @pytest.fixture
    def course(self, catalogue):
        return make_course(catalogue, areas=("kommunikasjon", "pedagogikk"), self_assessment_enabled=True)

    def post_ratings(self, client, course, phase, value):
        data = {f"area_{area.pk}": value for area in course.competence_areas.all()}
        return client.post(reverse("assessments:self_assessment", args=[course.pk, phase]), data)

    def test_enrolment_leads_to_the_pre_assessment_and_change_is_reported(self, course, user, client):
        client.force_login(user)
        response = client.post(reverse("courses:enrol", args=[course.pk]))
        assert response.url == reverse("assessments:self_assessment", args=[course.pk, "pre"])
        self.post_ratings(client, course, "pre", 2)
        # The post assessment opens only when the course is completed.
        self.post_ratings(client, course, "post", 5)
        assert SelfAssessment.objects.count() == 1
        complete_course(user, course)
        self.post_ratings(client, course, "post", 4)
        assert SelfAssessment.objects.count() == 2

        changes = {row.area: row for row in selectors.self_assessment_change(course=course)}
        assert {row.mean_change for row in changes.values()} == {2.0}
        assert all(row.learners == 1 for row in changes.values())

    def test_incomplete_or_repeated_ratings_are_refused(self, course, user):
        course_services.enrolment_create(user=user, course=course)
        area = course.competence_areas.first()
        with pytest.raises(services.AssessmentError):
            services.self_assessment_submit(user=user, course=course, phase="pre", ratings={area.pk: 3})
        ratings = {a.pk: 3 for a in course.competence_areas.all()}
        services.self_assessment_submit(user=user, course=course, phase="pre", ratings=ratings)
        with pytest.raises(services.AssessmentError):
            services.self_assessment_submit(user=user, course=course, phase="pre", ratings=ratings)
        with pytest.raises(services.AssessmentError):
            services.self_assessment_submit(
                user=user, course=course, phase="pre", ratings=dict.fromkeys(ratings, 7)
            )
