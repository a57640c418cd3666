"""Writes about people that are more than a form save: a learner's request to be deleted."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.mail import absolute_url

from . import app_settings
from .models import DeletionRequest

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
        "Forespørselen er registrert %(when)s. Behandle den innen 30 dager, svar personen på e-post "
        "og merk den som behandlet:\n%(link)s\n"
    ) % {
        "name": request.name or request.email,
        "email": request.email,
        "when": timezone.localtime(request.requested_at).strftime("%d.%m.%Y %H:%M"),
        "link": link,
    }
    try:
        send_mail(_("Forespørsel om sletting av konto"), body, None, recipients)
    except Exception:  # the request is stored and listed in the admin either way
        logger.exception("Deletion request %s: the e-mail to %s failed", request.pk, recipients)
