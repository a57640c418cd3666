"""People on the platform: the custom user with e-mail login and its profile."""

import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Length, Lower, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.exports import BuiltFileMixin
from core.storage import private_storage


class ParticipantType(models.TextChoices):
    HEALTH_PERSONNEL = "helsepersonell", _("Helsepersonell")
    USER_REPRESENTATIVE = "brukerrepresentant", _("Brukerrepresentant")
    OTHER = "annet", _("Annet")


class Language(models.TextChoices):
    NORWEGIAN_BOKMAL = "nb", _("Norsk bokmål")
    ENGLISH = "en", _("English")


class UserManager(BaseUserManager):
    """Users are identified by e-mail address, stored in lower case."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("E-postadresse må oppgis.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in with their e-mail address.

    The name is kept as first and last name (which the Wagtail admin expects);
    `full_name` joins them for certificates and listings.
    """

    username = None
    email = models.EmailField(_("e-postadresse"), unique=True)
    participant_type = models.CharField(
        _("deltakertype"),
        max_length=20,
        choices=ParticipantType.choices,
        default=ParticipantType.OTHER,
    )
    profession = models.CharField(
        _("yrke"),
        max_length=120,
        blank=True,
        help_text=_("For helsepersonell, for eksempel sykepleier eller fysioterapeut."),
    )
    preferred_language = models.CharField(
        _("foretrukket språk"),
        max_length=5,
        choices=Language.choices,
        default=Language.NORWEGIAN_BOKMAL,
    )
    # Set once the account is anonymised (people.privacy.user_anonymise): the row stays, so
    # enrolments, completions and scores still count, but nothing in it names the person.
    anonymised_at = models.DateTimeField(_("anonymisert"), null=True, blank=True, editable=False)
    # The claim of the warning before an inactive account is anonymised (core.mail.send_once);
    # cleared when the person logs in.
    inactivity_warning_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
        ]
        # Lists of people sorted by name (the managers' dashboard) read a page in index order and
        # stop after it, instead of sorting every person in scope.
        indexes = [models.Index(fields=["first_name", "last_name", "id"], name="people_user_name_order")]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs) -> None:
        # Stored in lower case whichever form created the user (sign-up, Wagtail
        # admin, shell), matching allauth's case-insensitive login.
        self.email = self.__class__.objects.normalize_email(self.email).lower()
        super().save(*args, **kwargs)


class UnitType(models.TextChoices):
    REGIONAL_HEALTH_AUTHORITY = "rhf", _("Regionalt helseforetak")
    HEALTH_TRUST = "hf", _("Helseforetak")
    CLINIC = "klinikk", _("Klinikk")
    DEPARTMENT = "avdeling", _("Avdeling")
    MUNICIPALITY = "kommune", _("Kommune")
    MUNICIPAL_SECTOR = "sektor", _("Kommunalt tjenesteområde")
    SERVICE_UNIT = "enhet", _("Enhet")
    USER_ORGANISATION = "brukerorganisasjon", _("Brukerorganisasjon")
    OTHER = "annet", _("Annet")


PATH_SEPARATOR = "/"


class OrganisationUnit(models.Model):
    """A unit in the organisation tree (helseforetak → klinikk → avdeling, kommune → enhet, …).

    `path` is the chain of ids from the root, like "/3/17/42/", kept by save(). A
    manager's scope is "every unit whose path starts with mine": one indexed
    prefix match however deep the tree is.
    """

    name = models.CharField(_("navn"), max_length=200)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices, default=UnitType.OTHER)
    code = models.CharField(
        _("kode"),
        max_length=50,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Valgfri kortkode, for eksempel fra personalsystemet. Brukes ved import."),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("overordnet enhet"),
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")

    class Meta:
        verbose_name = _("enhet")
        verbose_name_plural = _("organisasjon")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        with transaction.atomic():
            if self.pk is None:  # the path needs the id, so a new unit is saved, then given its path
                super().save(*args, **kwargs)
                self.path = self._path_under_parent()
                type(self).objects.filter(pk=self.pk).update(path=self.path)
                self._moved = False
                return
            old_path = type(self).objects.filter(pk=self.pk).values_list("path", flat=True).first() or ""
            self.path = self._path_under_parent()
            # Moved under another parent: receivers (courses) re-check the required learning of
            # everyone below, since the assignments above them have changed; so the paths are
            # right before the save that sends post_save.
            self._moved = bool(old_path) and self.path != old_path
            if self._moved:
                # Every unit below follows (one UPDATE, however many there are).
                type(self).objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                    path=Concat(Value(self.path), Substr(F("path"), Length(Value(old_path)) + 1))
                )
            super().save(*args, **kwargs)

    def _path_under_parent(self) -> str:
        return (self.parent.path if self.parent_id else PATH_SEPARATOR) + f"{self.pk}{PATH_SEPARATOR}"

    def clean(self):
        if self.pk and self.parent_id:
            parent_path = self.parent.path
            if self.parent_id == self.pk or parent_path.startswith(self.path):
                raise ValidationError({"parent": _("En enhet kan ikke ligge under seg selv.")})

    @property
    def depth(self) -> int:
        return self.path.strip(PATH_SEPARATOR).count(PATH_SEPARATOR) + 1 if self.path else 0


class Role(models.TextChoices):
    MEMBER = "member", _("Medlem")
    MANAGER = "manager", _("Leder")
    REPORTER = "reporter", _("Rapportør")


class Membership(models.Model):
    """A person in a unit with a role. Managers and reporters see their units and everything below."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("person")
    )
    unit = models.ForeignKey(
        OrganisationUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("enhet")
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateField(
        _("startdato"), help_text=_("Fra denne datoen regnes frister som er «N dager etter start».")
    )

    class Meta:
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="people_membership_once"),
        ]
        indexes = [models.Index(fields=["unit", "role"])]

    def __str__(self) -> str:
        return f"{self.user} – {self.unit} ({self.get_role_display()})"


class DeletionRequest(models.Model):
    """A learner's request to have their account and what is stored about them deleted.

    An administrator handles each request under «Sletteforespørsler» in the admin: «Anonymiser nå»
    (people.privacy.deletion_request_anonymise) or «Avvis med begrunnelse»; the person is told the
    outcome by e-mail. A person has at most one open request. Name and e-mail are copied so the
    person can be answered; anonymising replaces them too, and the record of the request (when it
    came and what was done) outlives the account without naming anyone.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Ikke behandlet")
        HANDLED = "handled", _("Behandlet")
        REJECTED = "rejected", _("Avvist")

    user = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deletion_requests",
        verbose_name=_("konto"),
    )
    name = models.CharField(_("navn"), max_length=300, blank=True)
    email = models.EmailField(_("e-postadresse"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    requested_at = models.DateTimeField(_("mottatt"), auto_now_add=True)
    handled_at = models.DateTimeField(_("behandlet"), null=True, blank=True)
    note = models.TextField(
        _("notat"),
        blank=True,
        help_text=_("Hva som ble gjort, for eksempel «Kontoen er slettet, svar sendt»."),
    )
    reason = models.TextField(
        _("begrunnelse"),
        blank=True,
        help_text=_("Hvorfor forespørselen ble avvist. Sendes til personen på e-post."),
    )

    class Meta:
        verbose_name = _("sletteforespørsel")
        verbose_name_plural = _("sletteforespørsler")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="open"),
                name="people_one_open_deletion_request",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or self.email} ({self.get_status_display()})"

    def save(self, *args, **kwargs) -> None:
        if self.status != self.Status.OPEN and self.handled_at is None:
            self.handled_at = timezone.now()
        elif self.status == self.Status.OPEN:
            self.handled_at = None
        super().save(*args, **kwargs)


def data_export_path(export: "DataExport", filename: str) -> str:
    return f"personvern/eksport/{export.public_id}.zip"


class DataExport(BuiltFileMixin, models.Model):
    """«Mine data»: a ZIP with everything the platform holds about one person, built by a task.

    The file lives in private storage and is handed out only to its owner, until `expires_at`;
    then a periodic task deletes it. A person has at most one export being built at a time.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("I kø")
        RUNNING = "running", _("Lages")
        READY = "ready", _("Klar")
        FAILED = "failed", _("Feilet")

    ACTIVE = (Status.PENDING, Status.RUNNING)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(_("fremdrift (%)"), default=0)
    file = models.FileField(storage=private_storage, upload_to=data_export_path, blank=True)
    error = models.TextField(_("feil"), blank=True)
    requested_at = models.DateTimeField(_("bestilt"), auto_now_add=True)
    finished_at = models.DateTimeField(_("ferdig"), null=True, blank=True)
    expires_at = models.DateTimeField(_("slettes"), null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dataeksport")
        verbose_name_plural = _("dataeksporter")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status__in=["pending", "running"]),
                name="people_one_active_data_export",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} – {self.requested_at:%Y-%m-%d %H:%M} ({self.get_status_display()})"
