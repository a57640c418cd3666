"""Courses as Wagtail pages, and the learner's state as plain models.

The page types hand their request handling to courses/views.py (imported
inside the methods, because views import these models).

Pages hold content: CourseCatalogPage → CoursePage → ModulePage. What a learner
has done lives in plain models keyed to the pages' ids, so editing and
republishing a course never touches anyone's progress:

* Enrolment: one per learner and course, with the current round (1, then one
  more each time the learner takes the course again);
* ActivityCompletion, the completion ledger: what the learner finished, in
  which round (activity blocks, modules, course-level steps such as the
  evaluation). Module and course completion are decided from the current
  round's rows only; earlier rounds stay as history;
* ModuleProgress: the current round's state per module (opened, completed),
  kept by the completion service for fast progress bars;
* CourseCompletion: one per completed round, the record certificates are
  issued for.
"""

from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from content.blocks import ModuleBodyBlock

from .activities import ModuleBodyField, contributed_module_blocks
from .admin_forms import CoursePageForm, ModulePageForm


class CompetenceArea(models.Model):
    """One of the competence areas in health pedagogy (stored as data, edited as a snippet)."""

    slug = models.SlugField(_("kortnavn"), unique=True)
    name = models.CharField(_("navn (bokmål)"), max_length=100)
    name_en = models.CharField(_("navn (engelsk)"), max_length=100, blank=True)
    description = models.TextField(_("beskrivelse"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("rekkefølge"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kompetanseområde")
        verbose_name_plural = _("kompetanseområder")

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name


class Audience(models.TextChoices):
    HEALTH_PERSONNEL = "helsepersonell", _("Helsepersonell")
    USER_REPRESENTATIVES = "brukerrepresentanter", _("Brukerrepresentanter")
    BOTH = "begge", _("Helsepersonell og brukerrepresentanter")


class CourseLanguage(models.TextChoices):
    NORWEGIAN_BOKMAL = "nb", _("Norsk bokmål")
    NORWEGIAN_NYNORSK = "nn", _("Norsk nynorsk")
    ENGLISH = "en", _("Engelsk")
    NORTHERN_SAMI = "se", _("Nordsamisk")


class CourseFormat(models.TextChoices):
    E_LEARNING = "elaering", _("E-læring")
    BLENDED = "blended", _("Kombinert (e-læring og samling)")


class CourseLevel(models.TextChoices):
    NATIONAL = "nasjonal", _("Nasjonalt")
    REGIONAL = "regional", _("Regionalt")
    LOCAL = "lokal", _("Lokalt")


class ContributorRole(models.TextChoices):
    COURSE_HOLDER = "kursholder", _("Kursholder")
    USER_REPRESENTATIVE = "brukerrepresentant", _("Brukerrepresentant, medutvikler")
    SPECIALIST = "fagperson", _("Fagperson")


class CourseCatalogPage(Page):
    """Kurskatalog: lists its courses with filters and search."""

    intro = models.TextField(_("ingress"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["courses.CoursePage"]

    class Meta:
        verbose_name = _("kurskatalog")

    def get_context(self, request, *args, **kwargs):
        from .views import catalogue_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_context(request, catalogue=self))
        return context


class CoursePage(Page):
    """A course: its description and, as child pages, its modules in order."""

    summary = models.TextField(_("sammendrag"), help_text=_("To–tre setninger som vises i katalogen."))
    learning_outcomes = StreamField(
        [("outcome", blocks.CharBlock(label=_("Læringsutbytte"), max_length=300))],
        verbose_name=_("læringsutbytte"),
        help_text=_("Hva deltakeren kan etter kurset. Ett utsagn per punkt."),
    )
    audience = models.CharField(
        _("målgruppe"), max_length=20, choices=Audience.choices, default=Audience.BOTH
    )
    competence_areas = ParentalManyToManyField(
        CompetenceArea, related_name="courses", verbose_name=_("kompetanseområder")
    )
    estimated_duration = models.PositiveIntegerField(
        _("beregnet tid (minutter)"), help_text=_("Omtrentlig tid for hele kurset.")
    )
    course_language = models.CharField(
        _("kursspråk"), max_length=2, choices=CourseLanguage.choices, default=CourseLanguage.NORWEGIAN_BOKMAL
    )
    format = models.CharField(
        _("format"), max_length=10, choices=CourseFormat.choices, default=CourseFormat.E_LEARNING
    )
    level = models.CharField(
        _("nivå"), max_length=10, choices=CourseLevel.choices, default=CourseLevel.NATIONAL
    )
    evaluation_enabled = models.BooleanField(
        _("kursevaluering"),
        default=True,
        help_text=_("Deltakerne svarer på plattformens standard kursevaluering."),
    )
    evaluation_required = models.BooleanField(
        _("evaluering kreves for å fullføre"),
        default=False,
        help_text=_("Kurset regnes ikke som fullført før deltakeren har svart på evalueringen."),
    )
    self_assessment_enabled = models.BooleanField(
        _("egenvurdering før og etter"),
        default=False,
        help_text=_(
            "Deltakerne vurderer egen trygghet i kursets kompetanseområder ved påmelding og når kurset "
            "er fullført, så dere kan se effekten av kurset."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("learning_outcomes"),
        MultiFieldPanel(
            [
                FieldPanel("competence_areas", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("audience"), FieldPanel("course_language")]),
                FieldRowPanel([FieldPanel("format"), FieldPanel("level"), FieldPanel("estimated_duration")]),
            ],
            heading=_("Om kurset"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("evaluation_enabled"),
                FieldPanel("evaluation_required"),
                FieldPanel("self_assessment_enabled"),
            ],
            heading=_("Evaluering og egenvurdering"),
        ),
        InlinePanel(
            "contributors",
            heading=_("Kursteam"),
            label=_("Bidragsyter"),
            help_text=_("Krediter alle som har utviklet kurset, også brukerrepresentanter."),
        ),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("learning_outcomes_text"),
    ]

    parent_page_types = ["courses.CourseCatalogPage"]
    subpage_types = ["courses.ModulePage"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("kurs")
        verbose_name_plural = _("kurs")

    @property
    def learning_outcomes_text(self) -> str:
        return "\n".join(str(block.value) for block in self.learning_outcomes)

    def get_context(self, request, *args, **kwargs):
        from .views import course_context

        context = super().get_context(request, *args, **kwargs)
        context.update(course_context(request, course=self))
        return context


class CourseContributor(Orderable):
    """Someone credited for developing the course."""

    course = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="contributors")
    name = models.CharField(_("navn"), max_length=150)
    role = models.CharField(_("rolle"), max_length=20, choices=ContributorRole.choices)
    organisation = models.CharField(_("organisasjon"), max_length=200, blank=True)

    panels = [FieldPanel("name"), FieldPanel("role"), FieldPanel("organisation")]

    class Meta(Orderable.Meta):
        verbose_name = _("bidragsyter")
        verbose_name_plural = _("kursteam")

    def __str__(self) -> str:
        return self.name


class ModulePage(Page):
    """A module of a course; its body is built from the shared content blocks."""

    summary = models.TextField(_("sammendrag"), blank=True)
    estimated_duration = models.PositiveIntegerField(_("beregnet tid (minutter)"), default=15)
    body = ModuleBodyField(
        ModuleBodyBlock(local_blocks=contributed_module_blocks()),
        base_block_names=ModuleBodyBlock.base_blocks,
        verbose_name=_("innhold"),
        blank=True,
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("estimated_duration"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary"), index.SearchField("body")]

    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []
    base_form_class = ModulePageForm

    class Meta:
        verbose_name = _("modul")
        verbose_name_plural = _("moduler")

    def get_context(self, request, *args, **kwargs):
        from .views import module_context

        context = super().get_context(request, *args, **kwargs)
        context.update(module_context(request, module=self))
        return context

    def serve(self, request, *args, **kwargs):
        from .views import serve_module

        return serve_module(request, module=self, serve_page=super().serve, args=args, kwargs=kwargs)


class Enrolment(models.Model):
    """A learner taking a course. One per learner and course, ever."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    # PROTECT: a course that learners have taken is unpublished, not deleted,
    # so their completion records survive.
    course = models.ForeignKey(CoursePage, on_delete=models.PROTECT, related_name="enrolments")
    enrolled_at = models.DateTimeField(_("påmeldt"), auto_now_add=True)
    round = models.PositiveIntegerField(
        _("runde"), default=1, help_text=_("1 første gang; én til hver gang kurset tas på nytt.")
    )
    last_activity_at = models.DateTimeField(_("sist aktiv"), auto_now_add=True)
    completed_at = models.DateTimeField(_("fullført"), null=True, blank=True)

    class Meta:
        verbose_name = _("påmelding")
        verbose_name_plural = _("påmeldinger")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="courses_enrolment_once")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.course_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class CourseCompletion(models.Model):
    """One completion of a course by a learner: the record certificates are issued for.

    A learner who takes the course again (to renew an expired certificate)
    gets a new row; earlier completions stay as history.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="completions")
    round = models.PositiveIntegerField(_("runde"), default=1)
    completed_at = models.DateTimeField(_("fullført"))

    class Meta:
        verbose_name = _("kursfullføring")
        verbose_name_plural = _("kursfullføringer")
        ordering = ["-completed_at"]
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "completed_at"], name="courses_completion_once"),
            models.UniqueConstraint(fields=["enrolment", "round"], name="courses_completion_once_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.completed_at:%Y-%m-%d}"


class ModuleProgress(models.Model):
    """How far a learner has come in one module: started, then completed."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="module_progress")
    module = models.ForeignKey(ModulePage, on_delete=models.PROTECT, related_name="learner_progress")
    started_at = models.DateTimeField(_("startet"), auto_now_add=True)
    completed_at = models.DateTimeField(_("fullført"), null=True, blank=True)

    class Meta:
        verbose_name = _("modulfremdrift")
        verbose_name_plural = _("modulfremdrift")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "module"], name="courses_module_progress_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.module_id}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


class ActivityCompletion(models.Model):
    """The completion ledger: one row for each thing a learner finished, per enrolment round.

    Rows are written only by courses.services (the one door every activity kind reports
    through) and never changed or deleted: after «Ta kurset på nytt» the new round starts
    empty and the old rounds stay, so it can always be told who completed what, when, and in
    which round.

    * an activity block in a module: module and block_id set, kind = the block type;
    * a module itself: module set, block_id empty, kind = "module";
    * a step of the whole course (the evaluation): module empty, kind = the step's kind.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="activity_completions")
    round = models.PositiveIntegerField(_("runde"))
    module = models.ForeignKey(
        ModulePage, null=True, blank=True, on_delete=models.PROTECT, related_name="activity_completions"
    )
    block_id = models.CharField(_("blokk"), max_length=64, blank=True)
    kind = models.CharField(_("type"), max_length=40)
    completed_at = models.DateTimeField(_("fullført"))

    class Meta:
        verbose_name = _("fullført aktivitet")
        verbose_name_plural = _("fullførte aktiviteter")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "round", "module", "block_id"],
                condition=models.Q(module__isnull=False),
                name="courses_activity_once_per_round",
            ),
            models.UniqueConstraint(
                fields=["enrolment", "round", "kind"],
                condition=models.Q(module__isnull=True),
                name="courses_course_step_once_per_round",
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "round"], name="courses_ledger_round")]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.kind} {self.block_id} (runde {self.round})"
