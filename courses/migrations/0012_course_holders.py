"""The «Kursholdere» group: what course holders may do in the admin, on a real site as in the demo.

* the admin itself, and a collection «Kursmateriell» they upload images and documents to and
  choose them from (Wagtail asks for collection permissions, not model permissions);
* the review workflow «Fagfellevurdering», whose one task any course holder may approve, so a
  course holder who submits a course for review always meets someone who can review it;
* on every course catalogue: add, change and publish pages, and the review workflow (unless the
  catalogue already has a workflow of its own).

A catalogue made after this migration (a new site) gets the same by running `setup` again, which
the demo loader does, or by hand under «Innstillinger → Grupper / Arbeidsflyter» (see README).
Quizzes and H5P content add their own permissions to the group in their own apps' migrations.

Everything is get-or-create: running it twice, or on a site where an administrator has already
made the group, adds only what is missing and never takes a permission away.
"""

from django.db import migrations

GROUP = "Kursholdere"
COLLECTION = "Kursmateriell"
WORKFLOW = "Fagfellevurdering"
COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", ["add", "change", "choose"]),
    ("wagtaildocs", "document", ["add", "change", "choose"]),
]
PAGE_PERMISSIONS = ["add", "change", "publish"]
# Wagtail's Collection tree (django-treebeard): 4-character steps in base 36.
STEPLEN = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def permission(apps, app_label: str, model: str, codename: str):
    """The permission, made if Django has not made it yet (it does so only after all migrations)."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    found, _ = Permission.objects.get_or_create(
        content_type=content_type,
        codename=codename,
        defaults={"name": f"Can {codename.replace('_', ' ')}"},
    )
    return found


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _collection(apps):
    Collection = apps.get_model("wagtailcore", "Collection")
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = Collection.objects.create(name="Root", path=_step(1), depth=1, numchild=0)
    existing = Collection.objects.filter(depth=2, path__startswith=root.path, name=COLLECTION).first()
    if existing is not None:
        return existing
    last = Collection.objects.filter(depth=2, path__startswith=root.path).order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    collection = Collection.objects.create(
        name=COLLECTION, path=root.path + _step(number), depth=2, numchild=0
    )
    root.numchild = Collection.objects.filter(depth=2, path__startswith=root.path).count()
    root.save(update_fields=["numchild"])
    return collection


def _workflow(apps, group):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow = Workflow.objects.filter(name=WORKFLOW).first()
    if workflow is not None:
        return workflow
    task = GroupApprovalTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        content_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=content_type, active=True)
        task.groups.add(group)
    workflow = Workflow.objects.create(name=WORKFLOW, active=True)
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def setup(apps, schema_editor=None):
    """Make (or complete) the course holders' group, collection and workflow; give the group every
    course catalogue. Also called by the demo loader after it makes its catalogue."""
    Group = apps.get_model("auth", "Group")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")

    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission(apps, "wagtailadmin", "admin", "access_admin"))

    collection = _collection(apps)
    for app_label, model, actions in COLLECTION_PERMISSIONS:
        for action in actions:
            GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=permission(apps, app_label, model, f"{action}_{model}"),
            )

    workflow = _workflow(apps, group)
    catalogue_type = ContentType.objects.filter(app_label="courses", model="coursecatalogpage").first()
    if catalogue_type is None:
        return
    for catalogue in Page.objects.filter(content_type=catalogue_type):
        for action in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page_id=catalogue.pk,
                permission=permission(apps, "wagtailcore", "page", f"{action}_page"),
            )
        if not WorkflowPage.objects.filter(page_id=catalogue.pk).exists():
            WorkflowPage.objects.create(page_id=catalogue.pk, workflow=workflow)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_completion_once_per_round"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
