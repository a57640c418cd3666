"""Required learning: assignments, each person's required courses, and the reminder claims.

Assignment and RequiredLearning were created by the courses app and ManagerDigest by
reports; they moved here with their tables (db_table), so no data moved.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """Required learning: a course assigned to a person or to a unit (and, by default, its sub-units).

    A unit assignment also covers people who join the unit later. Each person
    it covers gets a RequiredLearning row (requirements.services keeps them in step).
    """

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="assignments", verbose_name=_("kurs")
    )
    unit = models.ForeignKey(
        "people.OrganisationUnit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("enhet"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("person"),
    )
    include_subunits = models.BooleanField(_("gjelder også underenheter"), default=True)
    due_date = models.DateField(_("fast frist"), null=True, blank=True)
    due_days = models.PositiveIntegerField(_("frist i dager etter start"), null=True, blank=True)
    renewal_months = models.PositiveSmallIntegerField(
        _("fornyes hver N. måned"),
        null=True,
        blank=True,
        help_text=_("Tomt: ingen fornyelse, eller kursbevisets egen gyldighet."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "courses_assignment"  # the table it had before it moved here
        verbose_name = _("tildeling")
        verbose_name_plural = _("tildelinger")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, user__isnull=True)
                | models.Q(unit__isnull=True, user__isnull=False),
                name="courses_assignment_one_target",
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__isnull=False, due_days__isnull=True)
                | models.Q(due_date__isnull=True, due_days__isnull=False),
                name="courses_assignment_one_due_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course} → {self.unit or self.user}"


class RequiredLearning(models.Model):
    """One person's required course, with its due date and what they have done about it.

    Start, completion, expiry and revocation are copied here when courses and certificates
    announce them (receivers.py), so the manager dashboard computes every status from this one
    table; reminder columns are claimed with a conditional UPDATE so each reminder goes out once.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="required_learning"
    )
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="requirements")
    # The unit through which it applies (the person's unit), for managers' scope and per-unit figures.
    unit = models.ForeignKey(
        "people.OrganisationUnit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("frist"))
    renewal_months = models.PositiveSmallIntegerField(null=True, blank=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    completed_at = models.DateTimeField(_("fullført"), null=True, blank=True)
    expires_at = models.DateField(_("utløper"), null=True, blank=True)
    # Set when the certificate for the latest completion is revoked; cleared by the next completion.
    certificate_revoked_at = models.DateTimeField(_("kursbevis tilbakekalt"), null=True, blank=True)
    due_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "courses_requiredlearning"  # the table it had before it moved here
        verbose_name = _("påkrevd kurs")
        verbose_name_plural = _("påkrevde kurs")
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="courses_required_once"),
        ]
        indexes = [models.Index(fields=["unit", "course"]), models.Index(fields=["due_date"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_id} ({self.due_date})"


class ManagerDigest(models.Model):
    """That a manager's weekly digest for a week went out: the unique row is the claim."""

    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(help_text="Monday of the week")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "reports_managerdigest"  # the table it had before it moved here
        constraints = [models.UniqueConstraint(fields=["manager", "week"], name="reports_digest_once_a_week")]

    def __str__(self) -> str:
        return f"{self.manager_id} {self.week}"


class SyncJob(models.Model):
    """A re-check of many people's required learning, run by one Celery task after a change commits.

    Whoever started it follows its progress in the admin. The people are listed when the change
    is made (they are known then: the members below a moved unit, the people a withdrawn
    assignment covered, those an import added); the task reads everything else afresh, so
    running a job twice gives the same result.
    """

    class Kind(models.TextChoices):
        IMPORT = "import", _("Import av ansatte")
        UNIT_MOVED = "unit_moved", _("Enhet flyttet")
        UNIT_DELETED = "unit_deleted", _("Enhet slettet")
        ASSIGNMENT_WITHDRAWN = "assignment_withdrawn", _("Tildeling trukket tilbake")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Ferdig")
        FAILED = "failed", _("Feilet")

    kind = models.CharField(_("hva"), max_length=30, choices=Kind.choices)
    subject = models.CharField(_("gjelder"), max_length=255, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("startet av"),
    )
    user_ids = models.JSONField(default=list, editable=False)
    total = models.PositiveIntegerField(_("personer"), default=0)
    done = models.PositiveIntegerField(_("ferdige"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(_("feil"), blank=True)
    created_at = models.DateTimeField(_("startet"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("oppdatering av påkrevd opplæring")
        verbose_name_plural = _("oppdateringer av påkrevd opplæring")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="sync_job_done_le_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.subject} ({self.done}/{self.total})".replace("  ", " ")

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
