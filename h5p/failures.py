"""Failures of the H5P player, as its frame reports them (issue 13, point 4).

The frame page (js/h5p-frame.js) notices when a library's script or style sheet does not load
(a file missing from the package or from storage: the joined bundle then says which, see
bundles.py) or when the content throws while starting, shows the learner a message and tells
the module page, which posts the report here with the learner's session (views.failure).

Nothing about the person is kept: the content item, the kind of failure, a short detail with
addresses, numbers that could be ids and anything like an e-mail address removed, when it was
first and last reported, and how often. The same failure reported again is counted on its row.
Course holders and administrators see the recent ones on the content's admin page.

The detail comes from the learner's browser, so at most MAX_DISTINCT rows are kept per content
item: further distinct failures are counted on one «annet» row of their kind. The rows belong to
the package they were reported for: replacing the package clears them (failures_clear).
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import H5PContent, H5PFailureKind, H5PPlayerFailure

DETAIL_CHARS = 200
RECENT = 10
#: Distinct failures kept per content item; beyond them, each kind counts on one OTHER row.
MAX_DISTINCT = 50
OTHER = "annet"

_EMAIL = re.compile(r"[^\s@/]+@[^\s@/]+")
# An address: kept as its path without query or fragment, and without the signed token of the
# content's files (h5p/innhold/<token>/...), which is not for the admin page.
_URL = re.compile(r"(?:https?://[^/\s]+)?(/[^\s?#'\"]*)(?:[?#][^\s'\"]*)?")
_TOKEN_SEGMENT = re.compile(r"/h5p/innhold/[^/\s]+/")
_LONG_NUMBER = re.compile(r"\d{6,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def detail_sanitise(text: str) -> str:
    """A short, single-line detail with nothing in it that could point to a person."""
    text = _CONTROL.sub(" ", str(text or ""))
    text = _EMAIL.sub("[e-post]", text)
    text = _URL.sub(lambda match: match.group(1), text)
    text = _TOKEN_SEGMENT.sub("/h5p/innhold/…/", text)
    text = _LONG_NUMBER.sub("…", text)
    text = " ".join(text.split())
    return text if len(text) <= DETAIL_CHARS else text[: DETAIL_CHARS - 1] + "…"


def failure_record(*, content: H5PContent, kind: str, detail: str) -> H5PPlayerFailure:
    """Count one report of a failure of `content`'s player (kind from H5PFailureKind)."""
    if kind not in H5PFailureKind.values:
        raise ValueError(kind)
    detail = detail_sanitise(detail)
    now = timezone.now()
    with transaction.atomic():
        # One report at a time per content item, so the cap holds under concurrent reports.
        H5PContent.objects.select_for_update().filter(pk=content.pk).values_list("pk", flat=True).first()
        rows = H5PPlayerFailure.objects.filter(content=content)
        if (
            not rows.filter(kind=kind, detail=detail).exists()
            and rows.exclude(detail=OTHER).count() >= MAX_DISTINCT
        ):
            detail = OTHER
        failure, created = H5PPlayerFailure.objects.get_or_create(
            content=content, kind=kind, detail=detail, defaults={"last_seen": now}
        )
        if not created:
            H5PPlayerFailure.objects.filter(pk=failure.pk).update(count=F("count") + 1, last_seen=now)
            failure.refresh_from_db()
    return failure


def failures_clear(content: H5PContent) -> int:
    """Forget the failures reported for the item's earlier package (it has just been replaced)."""
    deleted, _by_model = H5PPlayerFailure.objects.filter(content=content).delete()
    return deleted


def recent_failures(content: H5PContent, *, limit: int = RECENT) -> list[H5PPlayerFailure]:
    """The failures last reported for `content`, newest first."""
    return list(H5PPlayerFailure.objects.filter(content=content).order_by("-last_seen")[:limit])
