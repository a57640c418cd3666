"""Quizzes, attempts, reflections, the course evaluation and self-assessment.

Content a course holder writes (Quiz) is a snippet; everything a learner does
is a plain model keyed to pages and quizzes by id, like the rest of the
learner state. Rules that concurrent requests could break are database
constraints: one attempt in progress per learner and quiz, one answer row per
question in an attempt, one reflection per learner and block, one evaluation
per enrolment.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, MultiFieldPanel
from wagtail.fields import StreamField

from .blocks import QuestionStreamBlock, QuestionType
from .formtokens import new_secret as new_form_secret


class GradingMethod(models.TextChoices):
    BEST = "best", _("Beste forsøk")
    LAST = "last", _("Siste forsøk")


class ReviewPolicy(models.TextChoices):
    NEVER = "never", _("Aldri")
    AFTER_PASS = "after_pass", _("Etter bestått test")
    AFTER_EACH = "after_each", _("Etter hvert forsøk")


# A test that certifies something: a learner who fails does not get the answer key for the next try,
# and the tries are limited. Course holders may choose otherwise, knowing what it means (RULES_HELP).
DEFAULT_MAX_ATTEMPTS = 3


def _rules_help() -> str:
    return format_html(
        "<p>{}</p><p>{}</p>",
        _(
            "Standard: tre forsøk, og riktige svar vises først etter bestått test. Da må deltakeren "
            "kunne stoffet for å bestå, og kursbeviset sier noe."
        ),
        _(
            "Velger du «Etter hvert forsøk», ser deltakeren fasiten etter et stryk. Sammen med mange "
            "eller ubegrensede forsøk kan hvem som helst da bestå ved å skrive av fasiten; bruk det "
            "bare for øvingstester som ikke skal dokumentere kunnskap."
        ),
    )


RULES_HELP = lazy(_rules_help, SafeString)()


class Quiz(models.Model):
    """Kunnskapstest: a pool of questions and the rules for taking them. Belongs to one course."""

    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="quizzes", verbose_name=_("kurs")
    )
    title = models.CharField(_("tittel"), max_length=200)
    intro = models.TextField(_("innledning"), blank=True)
    questions = StreamField(QuestionStreamBlock(), verbose_name=_("spørsmål"))
    questions_per_attempt = models.PositiveSmallIntegerField(
        _("spørsmål per forsøk"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Trekk så mange spørsmål tilfeldig fra spørsmålsbanken. Tomt: alle spørsmålene."),
    )
    shuffle_questions = models.BooleanField(_("stokk rekkefølgen på spørsmålene"), default=False)
    shuffle_options = models.BooleanField(_("stokk svaralternativene"), default=True)
    pass_percent = models.PositiveSmallIntegerField(
        _("grense for bestått (%)"), default=70, validators=[MaxValueValidator(100)]
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maks antall forsøk"),
        null=True,
        blank=True,
        default=DEFAULT_MAX_ATTEMPTS,
        validators=[MinValueValidator(1)],
        help_text=_(
            "Tomt: ubegrenset. Med ubegrensede forsøk og riktige svar vist etter hvert forsøk kan "
            "en deltaker stryke én gang, skrive av svarene og bestå."
        ),
    )
    grading_method = models.CharField(
        _("karakter fra"), max_length=8, choices=GradingMethod.choices, default=GradingMethod.BEST
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("tidsbegrensning (minutter)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Tomt: ingen tidsbegrensning. Deltakere kan få ekstra tid (se «Ekstra tid»)."),
    )
    review_policy = models.CharField(
        _("vis riktige svar"),
        max_length=12,
        choices=ReviewPolicy.choices,
        default=ReviewPolicy.AFTER_PASS,
        help_text=_(
            "«Etter bestått test»: deltakeren ser fasiten først når testen er bestått. «Etter hvert "
            "forsøk» viser fasiten også etter et stryk, så neste forsøk kan besvares med fasiten for hånden."
        ),
    )
    updated_at = models.DateTimeField(_("endret"), auto_now=True)

    panels = [
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("intro"),
        FieldPanel("questions"),
        MultiFieldPanel(
            [
                HelpPanel(content=RULES_HELP),
                FieldRowPanel([FieldPanel("pass_percent"), FieldPanel("max_attempts")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("review_policy")]),
                FieldRowPanel([FieldPanel("questions_per_attempt"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_options")]),
            ],
            heading=_("Regler"),
        ),
    ]

    class Meta:
        verbose_name = _("kunnskapstest")
        verbose_name_plural = _("kunnskapstester")
        ordering = ["course__title", "title"]

    def __str__(self) -> str:
        return self.title

    def clean(self):
        graded = [block for block in self.questions if block.block_type not in QuestionType.UNGRADED]
        if not graded:
            raise ValidationError({"questions": _("Testen trenger minst ett spørsmål som gir poeng.")})
        if self.questions_per_attempt and self.questions_per_attempt > len(self.questions):
            raise ValidationError(
                {
                    "questions_per_attempt": _("Spørsmålsbanken har bare %(count)s spørsmål.")
                    % {"count": len(self.questions)}
                }
            )


class TimeAccommodation(models.Model):
    """Extra time on timed quizzes for a learner who needs it (universal design, WCAG 2.2.1)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="time_accommodation",
        verbose_name=_("deltaker"),
    )
    extra_percent = models.PositiveSmallIntegerField(
        _("ekstra tid (%)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(400)],
        help_text=_("50 betyr at en test på 20 minutter gir 30 minutter."),
    )
    note = models.CharField(_("merknad"), max_length=255, blank=True)

    panels = [FieldPanel("user"), FieldPanel("extra_percent"), FieldPanel("note")]

    class Meta:
        verbose_name = _("ekstra tid")
        verbose_name_plural = _("ekstra tid")

    def __str__(self) -> str:
        return f"{self.user} (+{self.extra_percent} %)"


class AttemptStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Pågår")
    GRADED = "graded", _("Levert")


class QuizAttempt(models.Model):
    """One try at a quiz. The questions drawn are copied in, so later edits never change a graded attempt."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    quiz = models.ForeignKey(Quiz, on_delete=models.PROTECT, related_name="attempts")
    enrolment = models.ForeignKey("courses.Enrolment", on_delete=models.CASCADE, related_name="quiz_attempts")
    # Where the learner started it: completion is reported for this module.
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    block_id = models.CharField(max_length=64)
    number = models.PositiveSmallIntegerField(_("forsøk nr."))
    status = models.CharField(
        _("status"), max_length=12, choices=AttemptStatus.choices, default=AttemptStatus.IN_PROGRESS
    )
    # The drawn questions as the learner saw them, with the answer key. Never sent to the browser.
    questions = models.JSONField()
    # Key of the per-attempt tokens that stand for every id on the attempt page (formtokens.py).
    # Never sent to the browser: with it, the page's names and values could be mapped to the key.
    form_secret = models.CharField(max_length=64, default=new_form_secret, editable=False)
    started_at = models.DateTimeField(_("startet"), auto_now_add=True)
    deadline_at = models.DateTimeField(_("frist"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    expired = models.BooleanField(_("tiden gikk ut"), default=False)
    score = models.FloatField(_("poeng"), null=True, blank=True)
    max_score = models.FloatField(_("maks poeng"), null=True, blank=True)
    percent = models.FloatField(_("prosent"), null=True, blank=True)
    passed = models.BooleanField(_("bestått"), null=True, blank=True)

    class Meta:
        verbose_name = _("testforsøk")
        verbose_name_plural = _("testforsøk")
        ordering = ["quiz", "user", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "quiz"],
                condition=Q(status="in_progress"),
                name="assessments_one_attempt_in_progress",
            ),
            models.UniqueConstraint(
                fields=["user", "quiz", "number"], name="assessments_attempt_number_once"
            ),
            models.CheckConstraint(
                condition=Q(status="in_progress") | Q(submitted_at__isnull=False, percent__isnull=False),
                name="assessments_graded_attempt_has_result",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} – {self.user} #{self.number}"

    @property
    def is_in_progress(self) -> bool:
        return self.status == AttemptStatus.IN_PROGRESS


class AttemptAnswer(models.Model):
    """The learner's answer to one question of an attempt, and its score once graded."""

    attempt = models.ForeignKey(QuizAttempt, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=64)
    position = models.PositiveSmallIntegerField()
    response = models.JSONField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    score = models.FloatField(null=True, blank=True)
    max_score = models.FloatField(default=1)
    is_correct = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question_id"], name="assessments_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} – {self.question_id}"


class ReflectionStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    SUBMITTED = "submitted", _("Levert")


class ReflectionAnswer(models.Model):
    """A learner's answer to a reflection task. Private: only the learner reads it, unless shared."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey("courses.ModulePage", on_delete=models.PROTECT, related_name="+")
    block_id = models.CharField(max_length=64)
    prompt = models.TextField(_("refleksjonsspørsmål"))
    # Cleaned by core.sanitising before it is saved; rendered as stored.
    text = models.TextField(_("svar"), blank=True)
    status = models.CharField(max_length=10, choices=ReflectionStatus.choices, default=ReflectionStatus.DRAFT)
    updated_at = models.DateTimeField(_("sist lagret"), auto_now=True)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)
    shared_at = models.DateTimeField(_("delt med kursholderne"), null=True, blank=True)

    class Meta:
        verbose_name = _("refleksjon")
        verbose_name_plural = _("refleksjoner")
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "module", "block_id"], name="assessments_reflection_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.prompt[:40]}"


class ReflectionFeedback(models.Model):
    """A course holder's reply to a reflection the learner shared."""

    reflection = models.ForeignKey(ReflectionAnswer, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("tilbakemelding"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.reflection_id} – {self.created_at:%Y-%m-%d}"


class EvaluationSubmission(models.Model):
    """That a learner has evaluated the course in a round, without what they answered."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="evaluation_submissions"
    )
    round = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment", "round"], name="assessments_evaluation_once_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.submitted_at:%Y-%m-%d}"


class EvaluationResponse(models.Model):
    """What one learner answered in the course evaluation, with nothing that points back to them.

    No user, no enrolment, no timestamp finer than the month, and a random
    primary key, so neither the row nor its position in the table links an
    answer to an EvaluationSubmission.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    course = models.ForeignKey(
        "courses.CoursePage", on_delete=models.PROTECT, related_name="evaluation_responses"
    )
    month = models.DateField(_("måned"))
    relevance = models.PositiveSmallIntegerField()
    usefulness = models.PositiveSmallIntegerField()
    user_perspective = models.PositiveSmallIntegerField()
    overall = models.PositiveSmallIntegerField()
    most_useful = models.TextField(blank=True)
    improve = models.TextField(blank=True)

    class Meta:
        verbose_name = _("evalueringssvar")
        verbose_name_plural = _("evalueringssvar")
        constraints = [
            models.CheckConstraint(
                condition=Q(relevance__range=(1, 5))
                & Q(usefulness__range=(1, 5))
                & Q(user_perspective__range=(1, 5))
                & Q(overall__range=(1, 5)),
                name="assessments_evaluation_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} – {self.month:%Y-%m}"


class SelfAssessmentPhase(models.TextChoices):
    PRE = "pre", _("Før kurset")
    POST = "post", _("Etter kurset")


class SelfAssessment(models.Model):
    """Egenvurdering: how confident the learner feels in each of the course's competence areas."""

    enrolment = models.ForeignKey(
        "courses.Enrolment", on_delete=models.CASCADE, related_name="self_assessments"
    )
    phase = models.CharField(max_length=4, choices=SelfAssessmentPhase.choices)
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "phase"], name="assessments_self_assessment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} – {self.phase}"


class SelfAssessmentRating(models.Model):
    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    area = models.ForeignKey("courses.CompetenceArea", on_delete=models.PROTECT, related_name="+")
    rating = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(5)])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="assessments_rating_once"),
            models.CheckConstraint(condition=Q(rating__range=(1, 5)), name="assessments_rating_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id}: {self.rating}"
