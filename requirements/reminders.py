"""Reminders about required learning: learners before and after a due date, managers once a week.

Each reminder is sent once however often the beat job runs and however many
workers run it: learner reminders are claimed with a conditional UPDATE
(core.mail.send_once), a manager's weekly digest by inserting its
unique (manager, week) row.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from core.mail import absolute_url, send_once
from people.models import Membership, Role
from requirements.models import RequiredLearning

from . import app_settings
from .models import ManagerDigest
from .selectors import Status, requirements

logger = logging.getLogger(__name__)


def _send(user, *, subject: str, template: str, context: dict) -> None:
    with translation.override(user.preferred_language):
        send_mail(
            subject=gettext(subject) % context,
            message=render_to_string(template, {"person": user, **context}),
            from_email=None,
            recipient_list=[user.email],
        )


def learner_reminders_send(*, today: date | None = None) -> int:
    """E-mail learners REQUIRED_LEARNING_REMINDER_DAYS before a due date, and once when it has passed."""
    today = today or timezone.localdate()
    now = timezone.now()
    # Inactive accounts (deactivated or anonymised) are never reminded.
    open_rows = RequiredLearning.objects.filter(
        completed_at__isnull=True, course__live=True, user__is_active=True
    ).select_related("user", "course")
    soon = open_rows.filter(
        due_reminder_sent_at__isnull=True,
        due_date__gte=today,
        due_date__lte=today + timedelta(days=app_settings.REQUIRED_LEARNING_REMINDER_DAYS),
    )
    overdue = open_rows.filter(overdue_reminder_sent_at__isnull=True, due_date__lt=today)
    sent = 0
    for claim_field, rows, subject, template in (
        ("due_reminder_sent_at", soon, "Frist snart: «%(course)s»", "requirements/email/due_soon.txt"),
        (
            "overdue_reminder_sent_at",
            overdue,
            "Fristen er passert: «%(course)s»",
            "requirements/email/overdue.txt",
        ),
    ):
        for row in rows:
            context = {
                "course": row.course.title,
                "due_date": row.due_date,
                "course_url": absolute_url(row.course.url or "/"),
            }
            sent += send_once(
                queryset=RequiredLearning.objects.filter(pk=row.pk),
                claim_field=claim_field,
                now=now,
                send=lambda row=row, context=context, subject=subject, template=template: _send(
                    row.user, subject=subject, template=template, context=context
                ),
                label=f"Required-learning reminder {claim_field} for {row.pk}",
            )
    return sent


def manager_digests_send(*, today: date | None = None) -> int:
    """Once a week: each manager gets the overdue and expired required courses in their scope."""
    today = today or timezone.localdate()
    week = today - timedelta(days=today.weekday())
    managers = get_user_model().objects.filter(
        pk__in=Membership.objects.filter(role=Role.MANAGER).values("user_id"), is_active=True
    )
    sent = 0
    for manager in managers:
        rows = list(
            requirements(viewer=manager, today=today)
            .filter(status__in=(Status.OVERDUE, Status.EXPIRED))
            .select_related("user", "course", "unit")
            .order_by("unit_label", "user__last_name", "course__title")[:500]
        )
        if not rows:
            continue
        try:
            with transaction.atomic():
                ManagerDigest.objects.create(manager=manager, week=week)
                _send(
                    manager,
                    subject="Påkrevd opplæring: %(count)s forfalte kurs i enhetene dine",
                    template="requirements/email/manager_digest.txt",
                    context={
                        "count": len(rows),
                        "rows": rows,
                        "dashboard_url": absolute_url(reverse("reports:dashboard")),
                    },
                )
                sent += 1
        except IntegrityError:
            continue  # this week's digest went out already
        except SoftTimeLimitExceeded:
            raise  # the task's time is up: the next run sends the rest
        except Exception:
            logger.exception("Weekly digest for manager %s failed; the next run tries again", manager.pk)
    return sent
