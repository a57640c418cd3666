"""Kursbevis: templates edited in the admin, and the certificates issued from them.

A certificate is issued exactly once per course completion (database
constraint), carries a human-readable serial number and an unguessable
verification code, and is never deleted: revocation and expiry are states.
"""

import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from core.storage import private_storage

PLACEHOLDERS = {
    "navn": _("deltakerens navn"),
    "kurs": _("kursets tittel"),
    "dato": _("fullføringsdato"),
    "varighet": _("kursets varighet, for eksempel «ca. 1 t 20 min»"),
    "timer": _("omfang i timer"),
    "kompetanseomrader": _("kompetanseområder"),
    "deltakertype": _("deltakertype"),
}
PLACEHOLDER_HELP = _(
    "Du kan bruke: {navn}, {kurs}, {dato}, {varighet}, {timer}, {kompetanseomrader}, {deltakertype}."
)


def validate_placeholders(text: str) -> None:
    """Only the documented placeholders are allowed, so rendering can never fail on a typo."""
    import string

    try:
        parsed = [
            (name, spec, conversion) for _text, name, spec, conversion in string.Formatter().parse(text)
        ]
    except ValueError as error:
        raise ValidationError(
            _("Teksten har en ugyldig klammeparentes: %(error)s") % {"error": error}
        ) from None
    fields = {name for name, _spec, _conversion in parsed if name is not None}
    if any(spec or conversion for name, spec, conversion in parsed if name is not None):
        raise ValidationError(_("Plassholdere skrives uten formatering, for eksempel {navn}."))
    unknown = sorted(fields - set(PLACEHOLDERS))
    if unknown:
        raise ValidationError(
            _("Ukjente plassholdere: %(names)s. %(help)s")
            % {"names": ", ".join("{" + n + "}" for n in unknown), "help": PLACEHOLDER_HELP}
        )


class CertificateTemplate(models.Model):
    """How a course's certificate looks. One site-wide default; a course may have its own."""

    name = models.CharField(_("navn"), max_length=120)
    course = models.OneToOneField(
        "courses.CoursePage",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="certificate_template",
        verbose_name=_("kurs"),
        help_text=_("Tomt: malen er standard for alle kurs uten egen mal."),
    )
    title = models.CharField(_("tittel"), max_length=120, default="Kursbevis")
    body_health_personnel = models.TextField(
        _("tekst for helsepersonell"),
        validators=[validate_placeholders],
        help_text=PLACEHOLDER_HELP,
        default="{navn} har fullført kurset «{kurs}» ({varighet}) den {dato}. "
        "Kurset dekker kompetanseområdene {kompetanseomrader}.",
    )
    body_user_representative = models.TextField(
        _("tekst for brukerrepresentanter"),
        validators=[validate_placeholders],
        help_text=PLACEHOLDER_HELP,
        default="{navn} har som brukerrepresentant fullført kurset «{kurs}» ({varighet}) den {dato}. "
        "Kurset dekker kompetanseområdene {kompetanseomrader}.",
    )
    signatory_name = models.CharField(_("navn på den som signerer"), max_length=120)
    signatory_title = models.CharField(_("tittel på den som signerer"), max_length=160)
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("signatur (bilde)"),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
    )
    validity_months = models.PositiveSmallIntegerField(
        _("gyldighet (måneder)"), null=True, blank=True, help_text=_("Tomt: kursbeviset utløper ikke.")
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("course"),
        FieldPanel("title"),
        FieldPanel("body_health_personnel"),
        FieldPanel("body_user_representative"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("signatory_name"), FieldPanel("signatory_title")]),
                FieldPanel("signature_image"),
                FieldPanel("logo"),
            ],
            heading=_("Signatur og logo"),
        ),
        FieldPanel("validity_months"),
    ]

    class Meta:
        verbose_name = _("kursbevismal")
        verbose_name_plural = _("kursbevismaler")
        constraints = [
            # At most one template without a course: the site-wide default.
            models.UniqueConstraint(
                Coalesce("course", Value(0)),
                name="certificates_one_default_template",
                violation_error_message=_("Det finnes allerede en standardmal (uten kurs)."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_course(cls, course) -> "CertificateTemplate | None":
        return cls.objects.filter(course=course).first() or cls.objects.filter(course__isnull=True).first()


@register_setting(icon="home")
class IssuerSettings(BaseSiteSetting):
    """Who issues the site's kursbevis: the organisation's name and logo at the top of every certificate."""

    name = models.CharField(
        _("navn på utstederen"),
        max_length=160,
        blank=True,
        help_text=_("For eksempel «Lærings- og mestringssenteret, Helse Nord». Tomt: nettstedets navn."),
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("logo"),
        help_text=_("Vises øverst på kursbeviset. En kursbevismal kan i tillegg ha sin egen logo."),
    )

    panels = [FieldPanel("name"), FieldPanel("logo")]

    class Meta:
        verbose_name = _("Utsteder")
        verbose_name_plural = _("Utsteder")

    def display_name(self) -> str:
        return self.name.strip() or getattr(settings, "WAGTAIL_SITE_NAME", "")


# The short check code printed beside the serial number, to read aloud and type: no I, L, O, 0 or 1,
# which are easily mixed up. 31 symbols, 8 of them: 31**8 ≈ 8.5e11 codes, about 39.6 bits. The
# serial is public and sequential, so the check code alone stands between a guesser and a
# certificate; at the verification page's rate limit (30 lookups a minute per address) a thousand
# addresses would need on average some 27 years to find the code of a chosen certificate.
CHECK_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CHECK_CODE_LENGTH = 8


def new_check_code() -> str:
    return "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(CHECK_CODE_LENGTH))


def format_check_code(code: str) -> str:
    """Grouped in fours for reading: 7K3MQX9D → 7K3M-QX9D."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class SerialCounter(models.Model):
    """The last serial number handed out in a year, counted up outside the completing transaction
    (services._next_serial), so numbers are unique and rising but may have gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class PdfStatus(models.TextChoices):
    PENDING = "pending", _("Under arbeid")
    READY = "ready", _("Klar")
    FAILED = "failed", _("Feilet")


class CertificateStatus(models.TextChoices):
    VALID = "gyldig", _("Gyldig")
    EXPIRED = "utlopt", _("Utløpt")
    REVOKED = "tilbakekalt", _("Tilbakekalt")


def certificate_pdf_path(certificate: "Certificate", filename: str) -> str:
    return f"kursbevis/{certificate.issued_at:%Y}/{certificate.public_id}.pdf"


class Certificate(models.Model):
    """A kursbevis. Public URLs use `public_id` (a UUID), never the sequential id."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.PROTECT, related_name="certificates")
    completion = models.OneToOneField(
        "courses.CourseCompletion", on_delete=models.PROTECT, related_name="certificate"
    )
    # PROTECT: a template that certificates were issued from stays, so a re-render keeps its wording.
    template = models.ForeignKey(CertificateTemplate, null=True, on_delete=models.PROTECT, related_name="+")
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewed_by",
        verbose_name=_("forrige kursbevis"),
    )
    serial = models.CharField(_("serienummer"), max_length=20, unique=True)
    verification_code = models.CharField(_("verifiseringskode"), max_length=64, unique=True)
    # Stored without the dash. Looked up only together with the (unique) serial, so it need not be
    # unique on its own: serial + check code identify one certificate.
    check_code = models.CharField(
        _("kontrollkode"), max_length=CHECK_CODE_LENGTH, default=new_check_code, editable=False
    )
    holder_name = models.CharField(_("navn"), max_length=300)
    course_title = models.CharField(_("kurs"), max_length=255)
    completed_at = models.DateTimeField(_("fullført"))
    issued_at = models.DateTimeField(_("utstedt"), default=timezone.now)
    expires_at = models.DateTimeField(_("utløper"), null=True, blank=True)

    revoked_at = models.DateTimeField(_("tilbakekalt"), null=True, blank=True)
    revoked_reason = models.TextField(_("begrunnelse for tilbakekalling"), blank=True)

    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to=certificate_pdf_path, blank=True)
    pdf_status = models.CharField(
        _("PDF-status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING
    )
    pdf_error = models.TextField(_("feilmelding"), blank=True)
    learner_notified_at = models.DateTimeField(null=True, blank=True)
    expiry_reminder_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kursbevis")
        verbose_name_plural = _("kursbevis")
        ordering = ["-issued_at"]
        indexes = [models.Index(fields=["pdf_status"]), models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.serial} – {self.holder_name}"

    @property
    def check_code_display(self) -> str:
        return format_check_code(self.check_code)

    def status_at(self, moment) -> str:
        if self.revoked_at is not None:
            return CertificateStatus.REVOKED
        if self.expires_at is not None and self.expires_at <= moment:
            return CertificateStatus.EXPIRED
        return CertificateStatus.VALID

    @property
    def status(self) -> str:
        return self.status_at(timezone.now())

    def get_status_display(self) -> str:
        return CertificateStatus(self.status).label
