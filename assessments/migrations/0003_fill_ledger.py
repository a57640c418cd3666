"""Put what learners did in their current round into the completion ledger (courses 0010).

A round began at the completion before it (none for the first). Counted in the
current round: a quiz attempt passed, a reflection submitted (or re-submitted,
by its last change), the evaluation answered, each after the round began. The
evaluations already given are numbered with the round they were given in.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import migrations


SAME_MOMENT = timedelta(seconds=5)
STEPLEN = 4  # Wagtail's tree path: four characters per level, so a module's course is path[:-4]


def _rounds(apps):
    """Per enrolment id: (current round, when it began or None, the enrolment, its completion times)."""
    Enrolment = apps.get_model("courses", "Enrolment")
    CourseCompletion = apps.get_model("courses", "CourseCompletion")
    times = defaultdict(list)
    for enrolment_id, completed_at in CourseCompletion.objects.order_by("completed_at").values_list(
        "enrolment_id", "completed_at"
    ):
        times[enrolment_id].append(completed_at)
    rounds = {}
    for enrolment in Enrolment.objects.all():
        earlier = times.get(enrolment.pk, [])
        if enrolment.completed_at is not None:
            earlier = earlier[:-1]
        rounds[enrolment.pk] = (enrolment.round, earlier[-1] if earlier else None, enrolment, times.get(enrolment.pk, []))
    return rounds


def fill(apps, schema_editor):
    ActivityCompletion = apps.get_model("courses", "ActivityCompletion")
    ModulePage = apps.get_model("courses", "ModulePage")
    QuizAttempt = apps.get_model("assessments", "QuizAttempt")
    ReflectionAnswer = apps.get_model("assessments", "ReflectionAnswer")
    EvaluationSubmission = apps.get_model("assessments", "EvaluationSubmission")
    rounds = _rounds(apps)
    CoursePage = apps.get_model("courses", "CoursePage")
    enrolment_of = {(e.user_id, e.course_id): pk for pk, (_round, _began, e, _times) in rounds.items()}
    course_by_path = dict(CoursePage.objects.values_list("path", "pk"))
    course_of_module = {
        module_id: course_by_path.get(path[:-STEPLEN])
        for module_id, path in ModulePage.objects.values_list("pk", "path")
    }

    rows = []

    def add(enrolment_id, module_id, block_id, kind, at):
        if enrolment_id is None:
            return
        current, began, _enrolment, _times = rounds[enrolment_id]
        if began is None or at > began:  # only what was done in the current round
            rows.append(
                ActivityCompletion(
                    enrolment_id=enrolment_id, round=current, module_id=module_id,
                    block_id=block_id, kind=kind, completed_at=at,
                )
            )

    for attempt in QuizAttempt.objects.filter(passed=True, submitted_at__isnull=False).iterator():
        add(attempt.enrolment_id, attempt.module_id, attempt.block_id, "quiz", attempt.submitted_at)
    for answer in ReflectionAnswer.objects.filter(status="submitted").iterator():
        enrolment_id = enrolment_of.get((answer.user_id, course_of_module.get(answer.module_id)))
        add(enrolment_id, answer.module_id, answer.block_id, "reflection", answer.updated_at)

    numbered = []
    for submission in EvaluationSubmission.objects.all():
        current, _began, _enrolment, times = rounds[submission.enrolment_id]
        # The evaluation opens when a round's modules are all done, which completes that round at the
        # same moment (or, where the evaluation is required, a moment after it): the round it was
        # given in is the number of completions up to a few seconds after it.
        submission.round = max(1, sum(1 for t in times if t <= submission.submitted_at + SAME_MOMENT))
        numbered.append(submission)
        if submission.round == current:
            rows.append(
                ActivityCompletion(
                    enrolment_id=submission.enrolment_id, round=current, module_id=None,
                    block_id="", kind="evaluation", completed_at=submission.submitted_at,
                )
            )
    EvaluationSubmission.objects.bulk_update(numbered, ["round"], batch_size=1000)
    ActivityCompletion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0002_evaluation_per_round'),
        ('courses', '0011_completion_once_per_round'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
