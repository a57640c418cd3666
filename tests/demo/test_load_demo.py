import re
from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command

from courses.models import CompetenceArea, CoursePage, Enrolment, ModulePage
from people.models import ParticipantType, User

pytestmark = pytest.mark.django_db


def words(html: str) -> int:
    return len(re.sub(r"<[^>]+>", " ", html).split())


def test_demo_builds_a_catalogue_with_a_course_per_competence_area():
    call_command("load_demo", stdout=StringIO())

    courses = CoursePage.objects.live()
    assert courses.count() >= 6
    main_areas = {course.competence_areas.order_by("sort_order").first() for course in courses}
    covered = set(CompetenceArea.objects.filter(courses__in=courses).values_list("slug", flat=True))
    assert covered == set(CompetenceArea.objects.values_list("slug", flat=True))
    assert len(main_areas) >= 3
    for course in courses:
        modules = ModulePage.objects.child_of(course).live()
        assert modules.count() >= 3, course.title
        assert len(course.learning_outcomes) >= 3
        assert course.contributors.filter(role="brukerrepresentant").exists(), course.title
        for module in modules:
            kinds = [block.block_type for block in module.body]
            assert "experience_voice" in kinds and "callout" in kinds, module.title
            text = " ".join(str(block.value) for block in module.body if block.block_type == "rich_text")
            assert words(text) >= 300, module.title


def test_demo_users_can_log_in_with_verified_addresses(client):
    call_command("load_demo", stdout=StringIO())
    kinds = dict(User.objects.values_list("email", "participant_type"))
    assert kinds["helsepersonell@demo.example"] == ParticipantType.HEALTH_PERSONNEL
    assert kinds["brukerrepresentant@demo.example"] == ParticipantType.USER_REPRESENTATIVE
    assert User.objects.get(email="admin@demo.example").is_superuser
    assert User.objects.get(email="kursholder@demo.example").has_perm("wagtailadmin.access_admin")
    assert not User.objects.get(email="leder@demo.example").has_perm("wagtailadmin.access_admin")
    assert EmailAddress.objects.filter(verified=True, primary=True, email__startswith="ansatt").count() == 40
    assert EmailAddress.objects.filter(verified=True, primary=True).count() == 6 + 40
    response = client.post(
        "/konto/login/", {"login": "helsepersonell@demo.example", "password": "demo-passord-2026"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_demo_is_idempotent_and_keeps_progress():
    call_command("load_demo", stdout=StringIO())
    counts = (CoursePage.objects.count(), ModulePage.objects.count(), User.objects.count())
    completed = list(
        Enrolment.objects.filter(completed_at__isnull=False).order_by("pk").values_list("pk", "completed_at")
    )
    assert (
        Enrolment.objects.filter(
            completed_at__isnull=False, user__email="helsepersonell@demo.example"
        ).count()
        == 1
    )
    assert len(completed) > 10  # and demo staff have finished courses

    call_command("load_demo", stdout=StringIO())

    assert (CoursePage.objects.count(), ModulePage.objects.count(), User.objects.count()) == counts
    assert (
        list(
            Enrolment.objects.filter(completed_at__isnull=False)
            .order_by("pk")
            .values_list("pk", "completed_at")
        )
        == completed
    )


def test_demo_prints_the_logins(capsys):
    call_command("load_demo")
    output = capsys.readouterr().out
    for email in ["helsepersonell@", "brukerrepresentant@", "kursholder@", "leder@", "admin@"]:
        assert email in output
    assert "demo-passord-2026" in output


def test_demo_courses_have_a_quiz_a_reflection_and_the_evaluation():
    from assessments.blocks import QuestionType
    from assessments.models import Quiz

    call_command("load_demo", stdout=StringIO())
    activity_ids = {}
    for course in CoursePage.objects.live():
        quiz = Quiz.objects.get(course=course)
        kinds = {block.block_type for block in quiz.questions}
        assert len(quiz.questions) >= 6 and len(kinds) >= 4
        assert kinds - QuestionType.UNGRADED  # something to score
        quiz.full_clean()
        blocks = [
            (block["type"], block["id"])
            for module in ModulePage.objects.child_of(course)
            for block in module.body.raw_data
            if block["type"] in ("quiz", "reflection")
        ]
        assert sorted(kind for kind, _id in blocks) == ["quiz", "reflection"]
        assert course.evaluation_enabled
        activity_ids[course.slug] = blocks
    assert list(CoursePage.objects.filter(self_assessment_enabled=True).values_list("slug", flat=True)) == [
        "kommunikasjon"
    ]

    # A re-run keeps the blocks' ids (learners' answers are keyed to them) and adds no second quiz.
    call_command("load_demo", stdout=StringIO())
    assert Quiz.objects.count() == len(activity_ids)
    for course in CoursePage.objects.live():
        blocks = [
            (block["type"], block["id"])
            for module in ModulePage.objects.child_of(course)
            for block in module.body.raw_data
            if block["type"] in ("quiz", "reflection")
        ]
        assert blocks == activity_ids[course.slug]


def test_demo_organisation_with_staff_assignments_and_a_manager():
    from people.models import Membership, OrganisationUnit
    from reports.selectors import Status, requirements
    from requirements.models import Assignment

    call_command("load_demo", stdout=StringIO())
    trust = OrganisationUnit.objects.get(code="DEMO-HF")
    municipality = OrganisationUnit.objects.get(code="DEMO-KOM")
    assert trust.children.count() == 2 and municipality.children.count() == 2
    assert Membership.objects.filter(role="member", user__email__startswith="ansatt").count() == 40
    manager = User.objects.get(email="leder@demo.example")
    (led,) = Membership.objects.filter(user=manager, role="manager")
    assert led.unit.parent == trust
    assert Assignment.objects.count() == 3
    statuses = set(requirements(viewer=manager).values_list("status", flat=True))
    assert {Status.OVERDUE, Status.COMPLETED, Status.STARTED} <= statuses
    call_command("load_demo", stdout=StringIO())
    assert Assignment.objects.count() == 3
    assert OrganisationUnit.objects.count() == 6
