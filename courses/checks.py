"""System checks for the courses app (registered in CoursesConfig.ready())."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.core.checks import Warning

from . import activities


def activity_scripts_check(app_configs=None, **kwargs) -> list:
    """The scripts the installed activity kinds ask the module page to load must be static files,
    or quizzes, reflections and H5P activities lose their autosave, timers and players."""
    kinds = [*activities.module_kinds().values(), *activities.course_kinds().values()]
    missing = sorted({script for kind in kinds for script in kind.scripts if not finders.find(script)})
    if not missing:
        return []
    return [
        Warning(
            f"Static files the activity kinds load are missing: {', '.join(missing)}.",
            hint="They ship with the reference site (site/static/); copy them into your STATICFILES_DIRS.",
            id="courses.W001",
        )
    ]
