"""Replacing the package of H5P content with a new version (issue 13, point 7).

Modules refer to the content item, and learners' results and saved state to the item too, so a
new version of the same content is uploaded onto the item rather than as a new one:

- The content type is the main library's machine name and major version (H5P.TrueFalse 1.x).
  When it stays the same, results and saved state are kept: H5P content types read a state saved
  by another minor version of themselves (their own upgrade rules), so the learner continues.
- When it changes, the saved state would not fit the new content (another content type reads it
  as its own, or fails): it is cleared. Results, statements and completion are kept as history.
  The admin says so before (the upload field's help, and a confirmation the form asks for) and
  after (the message once it is replaced).

H5P core itself clears saved state marked «delete on content change» on any edit of the content;
here a new version of the same type keeps it, as the issue asks, because course holders replace
packages to fix a typo or a picture far more often than to restructure a question set.

Each revision's content files get their own folder (H5PContent.content_prefix) and addresses
(views._content_version): learners who still have the old frame open are not served a mix,
and the old folder is removed once the new one is in place.

A package too large for the request waits beside the old one (pending_package, pending_revision):
the worker switches revision, h5p.json, libraries and saved state only once it has stored the new
package whole, then removes the old package and folder. If it fails, the item stays on its current
revision, playable, and replacement_error tells the admin why (services._replacement_failed).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import BinaryIO

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from . import app_settings, failures, services
from .models import H5PContent, H5PResult, H5PStatus
from .package import PackageInspection
from .usage import courses_using, may_replace_package

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ContentType:
    machine_name: str
    major: int

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major}.x"


def content_type_of(content: H5PContent) -> ContentType | None:
    """The content type of the item's current package (None before it is extracted)."""
    main = content.main_library
    return ContentType(main.machine_name, main.major_version) if main is not None else None


def content_type_of_package(inspection: PackageInspection) -> ContentType | None:
    """The content type a checked package would have: h5p.json's mainLibrary, at the major version
    its preloadedDependencies name."""
    metadata = inspection.package.metadata if inspection.package is not None else {}
    main = metadata.get("mainLibrary")
    for dependency in metadata.get("preloadedDependencies") or []:
        if isinstance(dependency, dict) and dependency.get("machineName") == main:
            try:
                return ContentType(str(main), int(dependency.get("majorVersion")))
            except (TypeError, ValueError):
                return None
    return None


@dataclass(frozen=True)
class ReplacementPlan:
    """What replacing the item's package with a checked package does to learners' data."""

    before: ContentType | None
    after: ContentType | None
    #: Learners (result rows) with a saved state on this item.
    with_state: int
    #: Titles of the courses whose modules show the item: the replacement reaches all of them.
    courses: tuple[str, ...] = ()

    @property
    def same_type(self) -> bool:
        return self.before is not None and self.before == self.after

    def needs_confirmation(self) -> bool:
        """Whether saved state would be cleared (an item never extracted has none to lose)."""
        return self.before is not None and not self.same_type

    def courses_notice(self) -> str:
        """Which courses the replacement reaches ('' when no module uses the item)."""
        if not self.courses:
            return ""
        return ngettext(
            "Innholdet brukes i kurset %(courses)s, og endringen gjelder deltakerne der.",
            "Innholdet brukes i disse kursene, og endringen gjelder deltakerne i alle: %(courses)s.",
            len(self.courses),
        ) % {"courses": ", ".join(f"«{title}»" for title in self.courses)}

    def warning(self) -> str:
        """Before: why the form asks for a confirmation (the type changes), and which courses it reaches."""
        return " ".join(filter(None, [self._type_warning(), self.courses_notice()]))

    def _type_warning(self) -> str:
        return (
            ngettext(
                "Den nye pakken er %(after)s, ikke %(before)s. Lagret tilstand for %(count)d deltaker "
                "slettes fordi den ikke ville passe det nye innholdet; resultatene beholdes som historikk.",
                "Den nye pakken er %(after)s, ikke %(before)s. Lagret tilstand for %(count)d deltakere "
                "slettes fordi den ikke ville passe det nye innholdet; resultatene beholdes som historikk.",
                self.with_state,
            )
            % self._names()
        )

    def outcome(self) -> str:
        """After: what happened."""
        if self.same_type:
            return (
                ngettext(
                    "Pakken er erstattet. Innholdstypen er den samme (%(after)s), så resultater og lagret "
                    "tilstand er beholdt: %(count)d deltaker kan fortsette der de var.",
                    "Pakken er erstattet. Innholdstypen er den samme (%(after)s), så resultater og lagret "
                    "tilstand er beholdt: %(count)d deltakere kan fortsette der de var.",
                    self.with_state,
                )
                % self._names()
            )
        return (
            ngettext(
                "Pakken er erstattet. Innholdstypen er endret fra %(before)s til %(after)s: lagret tilstand "
                "for %(count)d deltaker er slettet fordi den ikke ville passe; resultatene er beholdt som "
                "historikk.",
                "Pakken er erstattet. Innholdstypen er endret fra %(before)s til %(after)s: lagret tilstand "
                "for %(count)d deltakere er slettet fordi den ikke ville passe; resultatene er beholdt som "
                "historikk.",
                self.with_state,
            )
            % self._names()
        )

    def _names(self) -> dict:
        unknown = gettext("ukjent type")
        return {
            "before": str(self.before) if self.before else unknown,
            "after": str(self.after) if self.after else unknown,
            "count": self.with_state,
        }


def replacement_plan(
    content: H5PContent, inspection: PackageInspection, *, courses: list | None = None
) -> ReplacementPlan:
    if courses is None:
        courses = courses_using(content)
    return ReplacementPlan(
        before=content_type_of(content),
        after=content_type_of_package(inspection),
        with_state=H5PResult.objects.filter(content=content).exclude(state="").count(),
        courses=tuple(course.title for course in courses),
    )


def replace_refused_message(courses: list) -> str:
    """Why this user may not replace the package (usage.may_replace_package), in the admin's words."""
    message = gettext(
        "Bare en administrator, den som lastet opp pakken, eller en kursholder som kan redigere alle "
        "kursene som bruker innholdet, kan erstatte pakken."
    )
    if courses:
        message += " " + gettext("Innholdet brukes i: %(courses)s.") % {
            "courses": ", ".join(f"«{course.title}»" for course in courses)
        }
    return message


_delete_folder = services.delete_folder
_delete_folder_quietly = services.delete_folder_quietly


@dataclass(frozen=True)
class Replacement:
    content: H5PContent
    plan: ReplacementPlan
    #: The package is extracted by a worker (it is large): the content is «Behandles» until then.
    in_background: bool


def h5p_content_replace(
    *,
    content: H5PContent,
    user,
    upload: BinaryIO | None = None,
    data: bytes | None = None,
    inspection: PackageInspection | None = None,
) -> Replacement:
    """Replace the item's package with a new one; raises H5PPackageRejected and changes nothing.

    Results are always kept; saved state only when the content type is the same (see the module
    docstring). A package small enough is extracted now, in the transaction: until it commits,
    learners keep playing the old revision, and a failure leaves it as it was. A larger one is
    stored and extracted by a worker, the item «Behandles» meanwhile."""
    courses = courses_using(content)
    if not may_replace_package(user=user, content=content, courses=courses):
        raise services.H5PPackageRejected([replace_refused_message(courses)])
    upload, size = services._source(data, upload)
    if inspection is None:
        inspection = services.h5p_package_check(upload=upload, user=user)
    extract_now = size <= app_settings.H5P_EXTRACT_INLINE_BYTES
    with transaction.atomic():
        content = (
            H5PContent.objects.select_for_update(of=("self",))
            .select_related("main_library")
            .get(pk=content.pk)
        )
        if content.pending_revision is not None or content.status == H5PStatus.PROCESSING:
            raise services.H5PPackageRejected(
                [gettext("Innholdet pakkes ut nå. Vent til det er klart før du erstatter pakken.")]
            )
        plan = replacement_plan(content, inspection, courses=courses)
        if not extract_now:
            return _replace_in_background(content, user=user, upload=upload, inspection=inspection, plan=plan)
        old_prefix = content.content_prefix
        content.revision += 1
        new_prefix = content.content_prefix
        _delete_folder(new_prefix)  # left by a replacement that failed before it could clean up
        content.h5p_json = inspection.package.metadata
        content.warnings = inspection.warnings
        content.uploaded_by = user
        content.replacement_error = ""
        content.save(update_fields=["revision", "h5p_json", "warnings", "uploaded_by", "replacement_error"])
        # The links are written again by the extraction (it adds the new package's libraries).
        content.libraries.clear()
        if not plan.same_type:
            H5PResult.objects.filter(content=content).exclude(state="").update(state="")
            # Results and statements from here on are the new type's (results.result_for_content).
            content.type_revision = content.revision
            content.save(update_fields=["type_revision"])
        try:
            content = services._extract_observed(content, upload=upload, inspection=inspection, strict=True)
            if content.status != H5PStatus.READY:
                raise services.H5PPackageRejected([content.error or gettext("Pakken kunne ikke pakkes ut.")])
        except BaseException:  # rolled back: learners keep the old revision
            _delete_folder_quietly(new_prefix)
            raise
        failures.failures_clear(content)  # they were the old package's
        transaction.on_commit(lambda: _delete_folder_quietly(old_prefix), robust=True)
    return Replacement(content=content, plan=plan, in_background=False)


def _replace_in_background(
    content: H5PContent, *, user, upload: BinaryIO, inspection: PackageInspection, plan: ReplacementPlan
) -> Replacement:
    """Store the new package beside the old one for a worker (services.h5p_content_extract).

    Nothing learners see changes here: the revision, h5p.json, libraries and saved state switch only
    when the worker has stored the new package whole, and the old package and folder are removed
    then. Should the worker fail, the item stays on its current revision and the admin says why."""
    from h5p.tasks import extract_h5p_content

    content.pending_revision = content.revision + 1
    _delete_folder(content.prefix_of(content.pending_revision))  # left by an earlier failed attempt
    upload.seek(0)
    content.pending_package.save("pakke.h5p", File(upload), save=False)
    content.uploaded_by = user
    content.replacement_error = ""
    # A fresh count of starts and a fresh clock for the sweep (h5p.recovery).
    content.attempts, content.attempted_at = 0, timezone.now()
    content.save(
        update_fields=[
            "pending_revision",
            "pending_package",
            "uploaded_by",
            "replacement_error",
            "attempts",
            "attempted_at",
        ]
    )
    content_id = content.pk
    transaction.on_commit(lambda: extract_h5p_content.delay(content_id), robust=True)
    return Replacement(content=content, plan=plan, in_background=True)
