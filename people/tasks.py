"""Celery tasks for people. Each takes an id (or nothing), re-reads and is safe to run twice;
send_account_mail, which carries a rendered e-mail, says why it is the exception."""

from celery import shared_task
from django.core.mail import EmailMultiAlternatives

from . import services


@shared_task(acks_late=True)
def build_data_export(export_id: int) -> None:
    services.data_export_build(export_id=export_id)


@shared_task
def delete_expired_data_exports() -> int:
    return services.data_exports_delete_expired()


@shared_task
def process_inactive_accounts() -> tuple[int, int]:
    return services.inactive_accounts_process()


MAX_MAIL_RETRIES = 5


@shared_task(bind=True, max_retries=MAX_MAIL_RETRIES, acks_late=True)
def send_account_mail(self, message: dict) -> None:
    """Send one of allauth's sign-up e-mails, rendered in the request (people.adapters).

    It carries the whole message rather than an id: the confirmation link in it exists nowhere
    else (allauth does not store it), so there is no row to re-read. Sending the same message twice
    is harmless, so retrying is safe.
    """
    try:
        account_mail_send(message)
    except Exception as error:
        if self.request.retries >= MAX_MAIL_RETRIES:
            raise
        # Backoff while the mail server is away: 30 s, 60 s, 120 s …
        raise self.retry(exc=error, countdown=30 * 2**self.request.retries) from error


def account_mail_send(message: dict) -> None:
    """Send a message rendered by people.adapters (the task's body; also its fallback when the
    broker cannot be reached, see adapters._queue_account_mail)."""
    mail = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["body"],
        from_email=message["from_email"],
        to=message["to"],
        headers=message.get("headers") or None,
    )
    for content, mimetype in message.get("alternatives", []):
        mail.attach_alternative(content, mimetype)
    mail.send()
