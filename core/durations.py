"""How a duration in minutes is written, the same way on every page and on the kursbevis."""

from __future__ import annotations

from django.utils.translation import gettext


def format_duration(minutes: int | None) -> str:
    """«ca. 45 min», «ca. 1 t», «ca. 1 t 20 min» (English: «about 1 h 20 min»); "" for no duration.

    Estimates are whole minutes; hours are written from 60 minutes on, so 80 minutes reads as
    «ca. 1 t 20 min» everywhere, never «1,3 timer» in one place and «80 min» in another.
    """
    if minutes is None:
        return ""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return gettext("ca. %(minutes)s min") % {"minutes": rest}
    if not rest:
        return gettext("ca. %(hours)s t") % {"hours": hours}
    return gettext("ca. %(hours)s t %(minutes)s min") % {"hours": hours, "minutes": rest}
