"""Number enrolment rounds and put the modules learners completed into the completion ledger.

Each enrolment's completions are numbered in time order; its current round is
its last completion's (if the enrolment is completed now) or the one after. The
modules completed in the current round (ModuleProgress, reset by «Ta kurset på
nytt») become its ledger rows; the activity apps fill in their own kinds
(assessments 0003, h5p 0002). Earlier rounds are known only by their
CourseCompletion: nothing recorded which activities they contained.
"""

from collections import defaultdict

from django.db import migrations

MODULE_DONE = "module"


def fill(apps, schema_editor):
    Enrolment = apps.get_model("courses", "Enrolment")
    CourseCompletion = apps.get_model("courses", "CourseCompletion")
    ModuleProgress = apps.get_model("courses", "ModuleProgress")
    ActivityCompletion = apps.get_model("courses", "ActivityCompletion")

    completions = defaultdict(list)
    for completion in CourseCompletion.objects.order_by("enrolment_id", "completed_at", "pk"):
        completions[completion.enrolment_id].append(completion)
    numbered = []
    for rows in completions.values():
        for number, completion in enumerate(rows, start=1):
            completion.round = number
            numbered.append(completion)
    CourseCompletion.objects.bulk_update(numbered, ["round"], batch_size=1000)

    enrolments = list(Enrolment.objects.all())
    for enrolment in enrolments:
        count = len(completions.get(enrolment.pk, []))
        enrolment.round = max(1, count if enrolment.completed_at is not None else count + 1)
    Enrolment.objects.bulk_update(enrolments, ["round"], batch_size=1000)

    round_of = {enrolment.pk: enrolment.round for enrolment in enrolments}
    ActivityCompletion.objects.bulk_create(
        (
            ActivityCompletion(
                enrolment_id=progress.enrolment_id,
                round=round_of[progress.enrolment_id],
                module_id=progress.module_id,
                block_id="",
                kind=MODULE_DONE,
                completed_at=progress.completed_at,
            )
            for progress in ModuleProgress.objects.filter(completed_at__isnull=False).iterator()
        ),
        batch_size=1000,
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('courses', '0009_completion_ledger'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
