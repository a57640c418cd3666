"""Course holders upload H5P content for their courses (the «Kursholdere» group, made by courses 0012).

They may add, change and view content, and view the library store. Installing a library version the
platform does not have stays with administrators (h5p.services.h5p_package_check), as in H5P core.
"""

import importlib

from django.db import migrations

COURSE_HOLDER_PERMISSIONS = [
    ("h5pcontent", "add_h5pcontent"),
    ("h5pcontent", "change_h5pcontent"),
    ("h5pcontent", "view_h5pcontent"),
    ("h5plibrary", "view_h5plibrary"),
]


def course_holders_upload_h5p(apps, schema_editor):
    course_holders = importlib.import_module("courses.migrations.0012_course_holders")
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=course_holders.GROUP)
    group.permissions.add(
        *(
            course_holders.permission(apps, "h5p", model, codename)
            for model, codename in COURSE_HOLDER_PERMISSIONS
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("h5p", "0002_fill_ledger"),
        ("courses", "0012_course_holders"),
    ]

    operations = [migrations.RunPython(course_holders_upload_h5p, migrations.RunPython.noop)]
