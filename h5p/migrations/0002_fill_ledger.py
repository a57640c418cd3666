"""Put the H5P blocks learners completed in their current round into the completion ledger.

A round began at the completion before it (none for the first); an H5P result
counts if its rule was met after that.
"""

from collections import defaultdict

from django.db import migrations

STEPLEN = 4  # Wagtail's tree path: four characters per level, so a module's course is path[:-4]


def fill(apps, schema_editor):
    Enrolment = apps.get_model("courses", "Enrolment")
    CourseCompletion = apps.get_model("courses", "CourseCompletion")
    CoursePage = apps.get_model("courses", "CoursePage")
    ModulePage = apps.get_model("courses", "ModulePage")
    ActivityCompletion = apps.get_model("courses", "ActivityCompletion")
    H5PResult = apps.get_model("h5p", "H5PResult")

    times = defaultdict(list)
    for enrolment_id, completed_at in CourseCompletion.objects.order_by("completed_at").values_list(
        "enrolment_id", "completed_at"
    ):
        times[enrolment_id].append(completed_at)
    enrolments = {(e.user_id, e.course_id): e for e in Enrolment.objects.all()}
    course_by_path = dict(CoursePage.objects.values_list("path", "pk"))
    course_of_module = {
        module_id: course_by_path.get(path[:-STEPLEN])
        for module_id, path in ModulePage.objects.values_list("pk", "path")
    }
    rows = []
    for result in H5PResult.objects.filter(completed_at__isnull=False).iterator():
        enrolment = enrolments.get((result.user_id, course_of_module.get(result.module_id)))
        if enrolment is None:
            continue
        earlier = times.get(enrolment.pk, [])
        if enrolment.completed_at is not None:
            earlier = earlier[:-1]
        if earlier and result.completed_at <= earlier[-1]:
            continue  # met in an earlier round
        rows.append(
            ActivityCompletion(
                enrolment_id=enrolment.pk,
                round=enrolment.round,
                module_id=result.module_id,
                block_id=result.block_id,
                kind="h5p",
                completed_at=result.completed_at,
            )
        )
    ActivityCompletion.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('h5p', '0001_initial'),
        ('courses', '0011_completion_once_per_round'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
