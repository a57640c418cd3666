"""Writes about people that are more than a form save: deletion requests and their answer,
anonymisation, «Mine data» exports, and inactive accounts."""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import datetime, timedelta

from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.mail import absolute_url, send_once

from . import app_settings
from .models import DataExport, DeletionRequest, User, data_export_path
from .privacy import anonymous_email, personal_data_sections
from .signals import user_anonymising

logger = logging.getLogger(__name__)


def deletion_request_create(*, user) -> tuple[DeletionRequest, bool]:
    """Record the request and mail the privacy contact (PRIVACY_CONTACT_EMAIL) after it commits.

    Returns (request, created). While a request is open a second one is not made: the open one is
    returned with created False (the partial unique constraint also stops two at the same moment).
    """
    open_request = DeletionRequest.objects.filter(user=user, status=DeletionRequest.Status.OPEN).first()
    if open_request is not None:
        return open_request, False
    try:
        with transaction.atomic():
            request = DeletionRequest.objects.create(user=user, name=user.full_name, email=user.email)
            transaction.on_commit(lambda: _notify(request))
    except IntegrityError:  # a second click at the same moment made it first
        return DeletionRequest.objects.get(user=user, status=DeletionRequest.Status.OPEN), False
    return request, True


def _recipients() -> list[str]:
    contact = app_settings.PRIVACY_CONTACT_EMAIL
    if contact:
        return [contact]
    return [address for _name, address in getattr(settings, "ADMINS", [])]


def _notify(request: DeletionRequest) -> None:
    recipients = _recipients()
    if not recipients:
        logger.warning("Deletion request %s: no PRIVACY_CONTACT_EMAIL or ADMINS to tell", request.pk)
        return
    link = absolute_url(reverse("wagtailsnippets_people_deletionrequest:edit", args=[request.pk]))
    body = _(
        "%(name)s (%(email)s) ber om at kontoen og opplysningene om dem slettes.\n\n"
        "Forespørselen er registrert %(when)s. Behandle den innen 30 dager under «Sletteforespørsler» "
        "i administrasjonen: «Anonymiser nå» eller «Avvis med begrunnelse». Personen får svaret på "
        "e-post.\n%(link)s\n"
    ) % {
        "name": request.name or request.email,
        "email": request.email,
        "when": timezone.localtime(request.requested_at).strftime("%d.%m.%Y %H:%M"),
        "link": link,
    }
    try:
        send_mail(_("Forespørsel om sletting av konto"), body, None, recipients)
    except Exception:  # the request is stored and listed in the admin either way
        # The count, not the addresses: a log keeps no e-mail address.
        logger.exception("Deletion request %s: mailing %s recipient(s) failed", request.pk, len(recipients))


# --- Anonymisation ------------------------------------------------------------------------------


def user_anonymise(*, user, by=None, only_if: Q | None = None) -> bool:
    """Erase what names the person and keep the rest, so statistics stay as they were.

    The user row stays (enrolments, completions, scores and certificates point to it) but loses its
    name, e-mail (a placeholder, see privacy.anonymous_email), profile, password, groups and
    sign-in methods; every app erases its own part when people.signals.user_anonymising is sent.
    Sessions end, since the session hash follows the password. Idempotent: an anonymised account
    is left as it is and False returned. Everything happens in one transaction. `only_if` is
    checked on the locked row (the inactivity job's «still away and warned long enough ago», so a
    sign-in during the job's run saves the account); False if it no longer holds.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.anonymised_at is not None:
            return False
        if only_if is not None and not User.objects.filter(only_if, pk=user.pk).exists():
            return False
        placeholder = anonymous_email(user.pk)
        # Before the apps erase their rows: the admin history of those rows is found through them.
        _erase_admin_traces(user, placeholder)
        user_anonymising.send(sender=User, user=user, by=by)
        _erase_own_records(user, placeholder)
        user.first_name = user.last_name = user.profession = ""
        user.email = placeholder
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.last_login = None
        user.inactivity_warning_sent_at = None
        user.anonymised_at = timezone.now()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    logger.info("User %s anonymised (by %s)", user.pk, getattr(by, "pk", None))
    return True


def _erase_own_records(user, placeholder: str) -> None:
    from allauth.account.models import EmailAddress

    EmailAddress.objects.filter(user=user).delete()
    for model_label in ("socialaccount.SocialAccount", "mfa.Authenticator", "usersessions.UserSession"):
        app_label = model_label.split(".")[0]
        if apps.is_installed(f"allauth.{app_label}"):
            apps.get_model(model_label).objects.filter(user=user).delete()
    DeletionRequest.objects.filter(user=user).update(name="", email=placeholder)
    for export in DataExport.objects.filter(user=user):
        _delete_export_file_on_commit(export)
    DataExport.objects.filter(user=user).delete()


def _erase_admin_traces(user, placeholder: str) -> None:
    """Wagtail's avatar and the admin's log entries about this user and their records.

    Wagtail labels a log entry with the object's name at the time, and the records that belong to
    a person (a membership, extra quiz time, a kursbevis, a deletion request) are named after them;
    so the labels of entries about any row whose `user` is this person are erased too.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import ModelLogEntry
    from wagtail.users.models import UserProfile

    profile = UserProfile.objects.filter(user=user).first()
    if profile is not None and profile.avatar:
        name, storage = profile.avatar.name, profile.avatar.storage
        profile.avatar = ""
        profile.save(update_fields=["avatar"])
        transaction.on_commit(lambda: storage.delete(name))
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk)
    ).update(label=placeholder, data={})
    for model in apps.get_models():
        field = next((f for f in model._meta.concrete_fields if f.name == "user" and f.is_relation), None)
        if field is None or field.related_model is not User:
            continue
        ids = [str(pk) for pk in model._base_manager.filter(user=user).values_list("pk", flat=True)]
        if ids:
            ModelLogEntry.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id__in=ids
            ).update(label=placeholder, data={})


def _delete_export_file_on_commit(export: DataExport) -> None:
    if export.file:
        name, storage = export.file.name, export.file.storage
        transaction.on_commit(lambda: storage.delete(name))


# --- Deletion requests: the administrator's answer -----------------------------------------------


class DeletionRequestError(Exception):
    """A request that cannot be handled as asked; the message is shown to the administrator."""


def deletion_request_anonymise(*, request: DeletionRequest, by) -> DeletionRequest:
    """«Anonymiser nå»: tell the person (at the address they had), then anonymise the account."""
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != DeletionRequest.Status.OPEN:
            raise DeletionRequestError(_("Forespørselen er allerede behandlet."))
        name, email = request.name, request.email
        language = request.user.preferred_language if request.user else settings.LANGUAGE_CODE
        request.status = DeletionRequest.Status.HANDLED
        request.note = (request.note + "\n" if request.note else "") + _("Kontoen er anonymisert.")
        request.save()
        # The e-mail goes only once the anonymisation has committed; its address is kept here.
        transaction.on_commit(
            lambda: _send_outcome(
                email, name, language, "people/email/deletion_done.txt", _("Kontoen din er slettet")
            )
        )
        if request.user is not None:
            user_anonymise(user=request.user, by=by)
    request.refresh_from_db()
    return request


def deletion_request_reject(*, request: DeletionRequest, by, reason: str) -> DeletionRequest:
    """«Avvis med begrunnelse»: the request is closed and the person told why."""
    reason = (reason or "").strip()
    if not reason:
        raise DeletionRequestError(_("Skriv en begrunnelse. Den sendes til personen."))
    with transaction.atomic():
        request = DeletionRequest.objects.select_for_update().get(pk=request.pk)
        if request.status != DeletionRequest.Status.OPEN:
            raise DeletionRequestError(_("Forespørselen er allerede behandlet."))
        request.status = DeletionRequest.Status.REJECTED
        request.reason = reason
        request.save()
        language = request.user.preferred_language if request.user else settings.LANGUAGE_CODE
        email, name = request.email, request.name
        transaction.on_commit(
            lambda: _send_outcome(
                email,
                name,
                language,
                "people/email/deletion_rejected.txt",
                _("Forespørselen om sletting er avvist"),
                reason=reason,
            )
        )
    return request


def _send_outcome(email: str, name: str, language: str, template: str, subject: str, **extra) -> None:
    try:
        with translation.override(language):
            body = render_to_string(template, {"name": name, "privacy_contact": _contact(), **extra})
            send_mail(str(subject), body, None, [email])
    except Exception:  # the outcome is recorded either way; the administrator can answer by hand
        logger.exception("The outcome of a deletion request could not be mailed")


def _contact() -> str:
    recipients = _recipients()
    return recipients[0] if recipients else ""


# --- «Mine data» ----------------------------------------------------------------------------------


def data_export_request(*, user) -> tuple[DataExport, bool]:
    """Start building the person's export; while one is being built, that one is returned (False)."""
    active = DataExport.objects.filter(user=user, status__in=DataExport.ACTIVE).first()
    if active is not None:
        return active, False
    try:
        with transaction.atomic():
            export = DataExport.objects.create(user=user)
            transaction.on_commit(lambda: _queue_export(export.pk), robust=True)
    except IntegrityError:  # a second click at the same moment made it first
        return DataExport.objects.get(user=user, status__in=DataExport.ACTIVE), False
    return export, True


def _queue_export(export_id: int) -> None:
    from .tasks import build_data_export

    build_data_export.delay(export_id)


def data_export_build(*, export_id: int) -> DataExport | None:
    """Collect every registered section, write the ZIP, mail the owner a link. Safe to run twice."""
    with transaction.atomic():
        claimed = DataExport.objects.filter(pk=export_id, status=DataExport.Status.PENDING).update(
            status=DataExport.Status.RUNNING, progress=0
        )
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or (not claimed and export.status != DataExport.Status.RUNNING):
        return export  # gone, or already built
    try:
        content = build_export_archive(
            export.user,
            on_progress=lambda percent: DataExport.objects.filter(pk=export_id).update(progress=percent),
        )
    except Exception as error:
        logger.exception("Data export %s failed", export_id)
        DataExport.objects.filter(pk=export_id).update(
            status=DataExport.Status.FAILED, error=repr(error)[:2000]
        )
        raise
    now = timezone.now()
    with transaction.atomic():
        export = DataExport.objects.select_for_update().get(pk=export_id)
        export.file.save(data_export_path(export, ""), ContentFile(content), save=False)
        export.status, export.progress, export.error = DataExport.Status.READY, 100, ""
        export.finished_at = now
        export.expires_at = now + timedelta(days=app_settings.DATA_EXPORT_EXPIRY_DAYS)
        export.save()
        # An earlier export is replaced by the new one.
        for older in (
            DataExport.objects.filter(user=export.user_id)
            .exclude(pk=export.pk)
            .exclude(status__in=DataExport.ACTIVE)
        ):
            _delete_export_file_on_commit(older)
            older.delete()
    send_once(
        queryset=DataExport.objects.filter(pk=export_id),
        claim_field="notified_at",
        now=now,
        send=lambda: _mail_export_ready(export),
        label=f"Data export {export_id} ready e-mail",
    )
    return export


def build_export_archive(user, *, on_progress=None) -> bytes:
    """The ZIP: data.json (every section), les-meg.html (the same, readable) and nothing else."""
    sections = personal_data_sections()
    collected = []
    for index, section in enumerate(sections, start=1):
        records = section.collect(user)
        collected.append({"key": section.key, "title": str(section.title), "records": records})
        if on_progress is not None:
            on_progress(min(95, round(95 * index / max(len(sections), 1))))
    created = timezone.now()
    document = {
        "generated_at": created.isoformat(),
        "platform": absolute_url("/"),
        "sections": {item["key"]: item["records"] for item in collected},
    }
    data_json = json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    with translation.override(user.preferred_language):
        html = render_to_string(
            "people/data_export/readable.html",
            {
                "person": user,
                "language": user.preferred_language,
                "generated_at": created,
                "sections": [{**item, "rows": _readable_rows(item["records"])} for item in collected],
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mine-data.json", data_json)
        archive.writestr("mine-data.html", html)
    return buffer.getvalue()


def _readable_rows(records: list[dict]) -> list[list[tuple[str, str]]]:
    rows = []
    for record in records:
        row = []
        for key, value in record.items():
            if isinstance(value, dict | list):
                text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
            elif value is None:
                text = "–"
            elif isinstance(value, bool):
                text = gettext("Ja") if value else gettext("Nei")
            elif isinstance(value, datetime):
                text = timezone.localtime(value).strftime("%d.%m.%Y %H:%M")
            else:
                text = str(value)
            row.append((key, text))
        rows.append(row)
    return rows


def _mail_export_ready(export: DataExport) -> None:
    user = export.user
    with translation.override(user.preferred_language):
        body = render_to_string(
            "people/email/data_export_ready.txt",
            {"export": export, "url": absolute_url(reverse("people:my_data")), "name": user.full_name},
        )
        send_mail(gettext("Dataene dine er klare til nedlasting"), body, None, [user.email])


# An export still being built after this long lost its task (broker down, worker killed): the
# hourly sweep deletes it, so the person can order a new one.
STUCK_EXPORT_AFTER = timedelta(hours=2)


def data_exports_delete_expired(*, now=None) -> int:
    """Delete exports past their expiry, stuck ones (their task was lost) and failed ones."""
    now = now or timezone.now()
    expired = DataExport.objects.filter(
        Q(expires_at__lte=now)
        | Q(status__in=DataExport.ACTIVE, requested_at__lte=now - STUCK_EXPORT_AFTER)
        | Q(status=DataExport.Status.FAILED, requested_at__lte=now - STUCK_EXPORT_AFTER)
    )
    count = 0
    for export in expired:
        with transaction.atomic():
            _delete_export_file_on_commit(export)
            export.delete()
        count += 1
    return count


# --- Inactive accounts -----------------------------------------------------------------------------


def _inactive_candidates():
    return User.objects.filter(anonymised_at__isnull=True, is_staff=False, is_superuser=False).annotate(
        last_seen=Coalesce("last_login", "date_joined")
    )


def inactive_accounts_process(*, now=None) -> tuple[int, int]:
    """Warn people nearing the limit (once), anonymise those warned long enough ago and still away.

    Returns (warned, anonymised). Off when INACTIVE_ACCOUNT_ANONYMISE_DAYS is 0. Staff and
    superusers are left to the administrators. Logging in clears the warning (receivers.py).
    """
    days = app_settings.INACTIVE_ACCOUNT_ANONYMISE_DAYS
    if not days:
        return 0, 0
    now = now or timezone.now()
    warning_days = app_settings.INACTIVE_ACCOUNT_WARNING_DAYS
    warned = 0
    to_warn = _inactive_candidates().filter(
        inactivity_warning_sent_at__isnull=True, last_seen__lte=now - timedelta(days=days - warning_days)
    )
    for user in to_warn:
        anonymise_on = timezone.localtime(user.last_seen + timedelta(days=days)).date()
        if anonymise_on < timezone.localtime(now).date() + timedelta(days=warning_days):
            anonymise_on = timezone.localtime(now).date() + timedelta(days=warning_days)
        warned += send_once(
            queryset=User.objects.filter(pk=user.pk),
            claim_field="inactivity_warning_sent_at",
            now=now,
            send=lambda user=user, on=anonymise_on: _mail_inactivity_warning(user, on),
            label=f"Inactivity warning to user {user.pk}",
        )
    anonymised = 0
    away_since = now - timedelta(days=days)
    still_due = (
        Q(last_login__lte=away_since) | Q(last_login__isnull=True, date_joined__lte=away_since)
    ) & Q(inactivity_warning_sent_at__lte=now - timedelta(days=warning_days))
    for user in _inactive_candidates().filter(still_due).order_by("pk"):
        # Checked again under the row lock: the run may take minutes, and signing in stops it.
        anonymised += user_anonymise(user=user, only_if=still_due)
    return warned, anonymised


def _mail_inactivity_warning(user, anonymise_on) -> None:
    with translation.override(user.preferred_language):
        body = render_to_string(
            "people/email/inactivity_warning.txt",
            {
                "name": user.full_name,
                "date": anonymise_on,
                "login_url": absolute_url(reverse("account_login")),
                "my_data_url": absolute_url(reverse("people:my_data")),
            },
        )
        send_mail(gettext("Kontoen din blir slettet om kort tid"), body, None, [user.email])


def inactivity_warning_clear(*, user) -> None:
    if user.inactivity_warning_sent_at is not None:
        User.objects.filter(pk=user.pk).update(inactivity_warning_sent_at=None)
        user.inactivity_warning_sent_at = None
