"""People on the platform: the custom user with e-mail login and its profile."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


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

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("bruker")
        verbose_name_plural = _("brukere")
        constraints = [
            models.UniqueConstraint(Lower("email"), name="people_user_email_ci_unique"),
        ]

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
