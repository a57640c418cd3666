"""The re-cut's migrations keep every row.

The database is taken back to the layout before the re-cut (H5P in content, required learning
in courses and reports, no ledger), filled there through the historical models, and migrated
forward: the moved models keep their rows and content types, and what learners did in their
current round lands in the completion ledger.
"""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from tests.factories import make_catalogue, make_course, make_module

BEFORE_THE_RECUT = [
    ("courses", "0007_assignment_requiredlearning_and_more"),
    ("assessments", "0001_initial"),
    ("content", "0003_h5p"),
    ("reports", "0001_initial"),
    ("h5p", None),
    ("requirements", None),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state([node for node in targets if node[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_moved_models_keep_their_rows_and_progress_lands_in_the_ledger():
    # Pages are the same before and after; make them with today's models.
    course = make_course(make_catalogue(), modules=0)
    quiz_module = make_module(course, title="Test")
    h5p_module = make_module(course, title="H5P")
    h5p_type_id = ContentType.objects.get(app_label="h5p", model="h5pcontent").pk

    old = _migrate(BEFORE_THE_RECUT)
    try:
        User = old.get_model("people", "User")
        Enrolment = old.get_model("courses", "Enrolment")
        CourseCompletion = old.get_model("courses", "CourseCompletion")
        ModuleProgress = old.get_model("courses", "ModuleProgress")
        Assignment = old.get_model("courses", "Assignment")
        RequiredLearning = old.get_model("courses", "RequiredLearning")
        ManagerDigest = old.get_model("reports", "ManagerDigest")
        Quiz = old.get_model("assessments", "Quiz")
        QuizAttempt = old.get_model("assessments", "QuizAttempt")
        ReflectionAnswer = old.get_model("assessments", "ReflectionAnswer")
        EvaluationSubmission = old.get_model("assessments", "EvaluationSubmission")
        H5PContent = old.get_model("content", "H5PContent")
        H5PResult = old.get_model("content", "H5PResult")
        OldContentType = old.get_model("contenttypes", "ContentType")
        assert OldContentType.objects.get(pk=h5p_type_id).app_label == "content"

        now = timezone.now()
        first, second = now - timedelta(days=30), now - timedelta(days=10)
        twice = User.objects.create(email="to.ganger@test.example")
        again = User.objects.create(email="igjen@test.example")

        # Completed twice; the required evaluation completed the second round a moment after it.
        done = Enrolment.objects.create(user=twice, course_id=course.pk, completed_at=second)
        CourseCompletion.objects.create(enrolment=done, completed_at=first)
        CourseCompletion.objects.create(enrolment=done, completed_at=second)
        submission = EvaluationSubmission.objects.create(enrolment=done)
        EvaluationSubmission.objects.filter(pk=submission.pk).update(
            submitted_at=second - timedelta(seconds=1)
        )
        ModuleProgress.objects.create(enrolment=done, module_id=quiz_module.pk, completed_at=second)

        # Completed once, then «Ta kurset på nytt»: in round 2, with work from both rounds.
        restarted = Enrolment.objects.create(user=again, course_id=course.pk, completed_at=None)
        CourseCompletion.objects.create(enrolment=restarted, completed_at=first)
        ModuleProgress.objects.create(enrolment=restarted, module_id=quiz_module.pk, completed_at=None)
        quiz = Quiz.objects.create(course_id=course.pk, title="Test", questions=[])
        for number, submitted in enumerate((first - timedelta(hours=1), now - timedelta(days=1)), start=1):
            QuizAttempt.objects.create(
                user=again,
                quiz=quiz,
                enrolment=restarted,
                module_id=quiz_module.pk,
                block_id="quiz-block",
                number=number,
                status="graded",
                questions=[],
                submitted_at=submitted,
                percent=100.0,
                passed=True,
            )
        answer = ReflectionAnswer.objects.create(
            user=again,
            course_id=course.pk,
            module_id=quiz_module.pk,
            block_id="reflection-block",
            prompt="Hva lærte du?",
            text="<p>Mye.</p>",
            status="submitted",
            submitted_at=first,
        )
        ReflectionAnswer.objects.filter(pk=answer.pk).update(updated_at=first - timedelta(hours=2))
        content = H5PContent.objects.create(title="Sant eller usant", status="ready")
        H5PResult.objects.create(
            user=again,
            module_id=h5p_module.pk,
            block_id="h5p-block",
            content=content,
            completed_at=now - timedelta(days=2),
        )

        assignment = Assignment.objects.create(course_id=course.pk, user=again, due_date=now.date())
        requirement = RequiredLearning.objects.create(
            user=again, course_id=course.pk, assignment=assignment, due_date=now.date()
        )
        digest = ManagerDigest.objects.create(manager=twice, week=now.date())
    finally:
        call_command("migrate", verbosity=0)

    from assessments.models import EvaluationSubmission as Evaluation
    from courses.models import ActivityCompletion
    from courses.models import CourseCompletion as Completion
    from courses.models import Enrolment as Enrolled
    from h5p.models import H5PContent as Content
    from h5p.models import H5PResult as Result
    from requirements.models import (
        Assignment as Assigned,
    )
    from requirements.models import (
        ManagerDigest as Digest,
    )
    from requirements.models import (
        RequiredLearning as Required,
    )

    assert ContentType.objects.get(pk=h5p_type_id).app_label == "h5p"
    assert Content.objects.get().pk == content.pk and Result.objects.get().content_id == content.pk
    assert Assigned.objects.get().pk == assignment.pk
    assert (
        Required.objects.get().pk == requirement.pk and Required.objects.get().certificate_revoked_at is None
    )
    assert Digest.objects.get().pk == digest.pk

    done_now, restarted_now = Enrolled.objects.get(pk=done.pk), Enrolled.objects.get(pk=restarted.pk)
    assert (done_now.round, restarted_now.round) == (2, 2)
    assert list(
        Completion.objects.filter(enrolment=done_now).order_by("round").values_list("round", flat=True)
    ) == [
        1,
        2,
    ]
    assert Evaluation.objects.get().round == 2

    def ledger(enrolment):
        return sorted(
            ActivityCompletion.objects.filter(enrolment=enrolment).values_list("round", "kind", "block_id")
        )

    assert ledger(done_now) == [(2, "evaluation", ""), (2, "module", "")]
    # Round 2 of the restarted enrolment: the pass and the H5P result after the restart count; the
    # pass and the reflection from before it do not.
    assert ledger(restarted_now) == [(2, "h5p", "h5p-block"), (2, "quiz", "quiz-block")]
