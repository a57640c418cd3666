"""Where an H5P content item is used, and who may replace its package.

One content item can be placed in modules of several courses. Replacing its package changes the
activity for learners in every one of them (and, with another content type, clears their saved
state), so until courses have their own teams (issue 14) only these may replace it: an
administrator, whoever uploaded the current package, or a course holder who may edit every course
whose modules use the item.
"""

from __future__ import annotations

from courses.models import CoursePage, ModulePage
from courses.selectors import module_blocks

from .models import H5PContent

H5P_BLOCK = "h5p"  # the block type of h5p.blocks.H5PBlock in a module's body (h5p.activities.H5P)


def modules_using(content: H5PContent) -> list[ModulePage]:
    """The modules whose body (as stored: the page row, live or draft) has a block showing the item."""
    modules = ModulePage.objects.only("pk", "path", "depth", "title", "body").order_by("path")
    return [
        module
        for module in modules
        if any(
            (block.get("value") or {}).get("content") == content.pk
            for block in module_blocks(module, block_type=H5P_BLOCK)
        )
    ]


def courses_using(content: H5PContent) -> list[CoursePage]:
    """The courses with a module that shows the item, in tree order."""
    parents = {module.path[: -CoursePage.steplen] for module in modules_using(content)}
    if not parents:
        return []
    return list(CoursePage.objects.filter(path__in=parents).order_by("path"))


def may_replace_package(*, user, content: H5PContent, courses: list[CoursePage] | None = None) -> bool:
    """Whether `user` may upload a new package onto the item (see the module docstring).

    An item no module uses yet affects no learner: any holder who may change it may replace it."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser or (content.uploaded_by_id is not None and content.uploaded_by_id == user.pk):
        return True
    if courses is None:
        courses = courses_using(content)
    return all(course.permissions_for_user(user).can_edit() for course in courses)
