"""H5P content items, the shared library store, and learners' results.

These models were created by the content app and moved here with their tables
(db_table), so no data moved.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from core.storage import private_storage


class H5PLibrary(models.Model):
    """One H5P library version (Machine.Name-Major.Minor), stored once and shared by all content."""

    machine_name = models.CharField(_("maskinnavn"), max_length=127)
    major_version = models.PositiveSmallIntegerField(_("hovedversjon"))
    minor_version = models.PositiveSmallIntegerField(_("delversjon"))
    patch_version = models.PositiveSmallIntegerField(_("retting"))
    title = models.CharField(_("tittel"), max_length=255, blank=True)
    metadata = models.JSONField(_("library.json"), default=dict)
    installed_at = models.DateTimeField(_("installert"), auto_now_add=True)
    installed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        db_table = "content_h5plibrary"
        verbose_name = _("H5P-bibliotek")
        verbose_name_plural = _("H5P-biblioteker")
        ordering = ["machine_name", "major_version", "minor_version"]
        constraints = [
            models.UniqueConstraint(
                fields=["machine_name", "major_version", "minor_version"], name="content_h5p_library_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.machine_name} {self.major_version}.{self.minor_version}.{self.patch_version}"

    @property
    def directory_name(self) -> str:
        return f"{self.machine_name}-{self.major_version}.{self.minor_version}"

    @property
    def storage_prefix(self) -> str:
        return f"h5p/libraries/{self.directory_name}/"


class H5PStatus(models.TextChoices):
    PROCESSING = "processing", _("Behandles")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Feilet")


def h5p_package_path(instance: "H5PContent", filename: str) -> str:
    return f"h5p/packages/{instance.uuid}.h5p"


def h5p_pending_package_path(instance: "H5PContent", filename: str) -> str:
    return f"h5p/packages/{instance.uuid}.{instance.pending_revision}.h5p"


class H5PContent(models.Model):
    """An uploaded H5P package that modules can show."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("tittel"), max_length=255)
    description = models.TextField(_("beskrivelse"), blank=True)
    licence = models.CharField(
        _("lisens"), max_length=100, blank=True, help_text=_("For eksempel CC BY 4.0.")
    )
    source = models.CharField(
        _("kilde"), max_length=255, blank=True, help_text=_("Hvem som har laget innholdet.")
    )
    package = models.FileField(
        _("H5P-pakke"),
        storage=private_storage,
        upload_to=h5p_package_path,
        blank=True,
        help_text=_("Originalpakken, lagret når en bakgrunnsjobb skal pakke den ut."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=H5PStatus.choices, default=H5PStatus.PROCESSING
    )
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    error = models.TextField(_("feil"), blank=True)
    # Background extraction (h5p.recovery): how often a worker has started on the package, and
    # when it was last started or queued. The sweep queues again what stays «Behandles».
    attempts = models.PositiveSmallIntegerField(_("forsøk på utpakking"), default=0)
    attempted_at = models.DateTimeField(_("siste forsøk"), null=True, blank=True)
    warnings = models.JSONField(_("advarsler"), default=list, blank=True)
    h5p_json = models.JSONField(_("h5p.json"), default=dict)
    main_library = models.ForeignKey(
        H5PLibrary,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("hovedbibliotek"),
    )
    libraries = models.ManyToManyField(
        H5PLibrary, related_name="contents", blank=True, db_table="content_h5pcontent_libraries"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("lastet opp"), auto_now_add=True)
    # Raised each time the package is replaced (services.h5p_content_replace): each package's
    # files have their own folder, and the content's addresses change with it.
    revision = models.PositiveIntegerField(_("pakkeversjon"), default=1, editable=False)
    # A replacement too large for the request (h5p.replacement): the new package waits beside the
    # old one, and the worker switches to it only once it is extracted; learners keep playing the
    # current revision meanwhile, and keep it if the extraction fails (replacement_error says why).
    pending_revision = models.PositiveIntegerField(_("ny pakkeversjon som pakkes ut"), null=True, blank=True)
    pending_package = models.FileField(
        _("ny H5P-pakke"), storage=private_storage, upload_to=h5p_pending_package_path, blank=True
    )
    replacement_error = models.TextField(_("feil ved siste erstatning"), blank=True)
    # The first revision of the current content type (raised when a replacement changes the type):
    # results and statements from before it belong to other content (reports.h5p_results).
    type_revision = models.PositiveIntegerField(_("innholdstype fra pakkeversjon"), default=1, editable=False)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("licence"), FieldPanel("source")]

    class Meta:
        db_table = "content_h5pcontent"
        verbose_name = _("H5P-innhold")
        verbose_name_plural = _("H5P-innhold")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def content_prefix(self) -> str:
        """The folder of the current package's content files (a replaced package gets a new one)."""
        return self.prefix_of(self.revision)

    def prefix_of(self, revision: int) -> str:
        if revision <= 1:
            return f"h5p/content/{self.uuid}/"
        return f"h5p/content/{self.uuid}.{revision}/"


class CompletionRule(models.TextChoices):
    OPENED = "opened", _("Åpnet")
    COMPLETED = "completed", _("Fullført (besvart)")
    SCORE = "score", _("Poengsum minst X prosent")


class H5PResult(models.Model):
    """A learner's result for one H5P block in a module: opened, completed, best score, saved state."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="h5p_results")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="h5p_results")
    block_id = models.CharField(max_length=64)
    content = models.ForeignKey(H5PContent, on_delete=models.PROTECT, related_name="results")
    opened_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    best_percent = models.FloatField(null=True, blank=True)
    # Finished attempts: top-level answers (answered/completed) with a score, counted as they come.
    attempts = models.PositiveIntegerField(_("forsøk"), default=0)
    # The content's revision when these scores started (h5p.results.result_for_content): when the
    # block shows other content, or the content changed type, the row starts again for it.
    content_revision = models.PositiveIntegerField(default=1, editable=False)
    # The learner's course round these scores and attempts are from (courses.Enrolment.round): after
    # «Ta kurset på nytt» the row starts again, and the module page shows the current round's only.
    round = models.PositiveIntegerField(_("runde"), default=1, editable=False)
    state = models.TextField(
        blank=True, help_text=_("H5P-innholdets lagrede tilstand, så deltakeren kan fortsette.")
    )

    class Meta:
        db_table = "content_h5presult"
        verbose_name = _("H5P-resultat")
        verbose_name_plural = _("H5P-resultater")
        constraints = [
            models.UniqueConstraint(fields=["user", "module", "block_id"], name="content_h5p_result_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.content} ({self.block_id})"


class H5PStatement(models.Model):
    """An xAPI statement the player sent, kept as received."""

    result = models.ForeignKey(H5PResult, on_delete=models.CASCADE, related_name="statements")
    # The content and its revision the statement was sent from: a block can show other content
    # later, and a replacement can change the content type (reports read only the current one's).
    content = models.ForeignKey(
        H5PContent, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    verb = models.CharField(max_length=255)
    score_raw = models.FloatField(null=True, blank=True)
    score_max = models.FloatField(null=True, blank=True)
    statement = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    # A replay is stored once: the same statement id, or the same statement (its sha256 without
    # id and timestamp, with the learner's course round mixed in so a new round can answer again).
    statement_id = models.UUIDField(null=True, blank=True, editable=False)
    digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    # Where the statement sits in compound content (h5p.xapi): the whole, or one of its parts.
    top_level = models.BooleanField(default=True, editable=False)
    sub_content_id = models.CharField(max_length=64, blank=True, default="", editable=False)
    # None: no parent (the whole); "": a direct child of the whole; else the parent's sub-content id.
    parent_sub_content_id = models.CharField(  # noqa: DJ001 - None and "" say different things (above)
        max_length=64, null=True, blank=True, editable=False
    )
    success = models.BooleanField(null=True, blank=True, editable=False)
    title = models.CharField(max_length=255, blank=True, default="", editable=False)

    class Meta:
        db_table = "content_h5pstatement"
        verbose_name = _("xAPI-utsagn")
        verbose_name_plural = _("xAPI-utsagn")
        ordering = ["received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "statement_id"],
                condition=models.Q(statement_id__isnull=False),
                name="h5p_statement_id_once",
            ),
            models.UniqueConstraint(
                fields=["result", "digest"], condition=~models.Q(digest=""), name="h5p_statement_digest_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.verb} ({self.received_at:%Y-%m-%d %H:%M})"


class H5PFailureKind(models.TextChoices):
    LOAD = "load", _("Et skript eller stilark ble ikke lastet")
    START = "start", _("Innholdet feilet da det startet")


class H5PPlayerFailure(models.Model):
    """A failure of the player for one content item, as frames reported it (h5p.failures).

    Nothing about who saw it: the content, the kind, a short sanitised detail, when it was first
    and last reported, and how often. The same failure is one row, counted."""

    content = models.ForeignKey(H5PContent, on_delete=models.CASCADE, related_name="player_failures")
    kind = models.CharField(_("type feil"), max_length=12, choices=H5PFailureKind.choices)
    detail = models.CharField(_("detaljer"), max_length=200, blank=True)
    first_seen = models.DateTimeField(_("først meldt"), auto_now_add=True)
    last_seen = models.DateTimeField(_("sist meldt"))
    count = models.PositiveIntegerField(_("antall"), default=1)

    class Meta:
        verbose_name = _("feil i H5P-avspilleren")
        verbose_name_plural = _("feil i H5P-avspilleren")
        ordering = ["-last_seen"]
        constraints = [
            models.UniqueConstraint(fields=["content", "kind", "detail"], name="h5p_player_failure_once"),
        ]

    def __str__(self) -> str:
        return f"{self.content} – {self.get_kind_display()}"
