"""`manage.py stuck_work`: background work that is overdue, for monitoring.

Lists certificates still waiting for their PDF, H5P packages still «Behandles» and
required-learning jobs that never started or never finished, each past the point where its
sweep should have picked it up, and large report exports never built. Exits with status 1 when
anything is listed, so a cron job or a monitoring check can alert on it. The sweeps
(CELERY_BEAT_SCHEDULE) queue the first three again by themselves; if this keeps listing the same
items, beat or the workers are not running. A report export has no sweep: the manager asks again
and the nightly clean-up removes the old one.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.services import certificates_missing_pdf
from h5p.recovery import extractions_stuck
from requirements.sync import sync_jobs_stalled

from ...exports import report_exports_stuck


class Command(BaseCommand):
    help = _(
        "Viser bakgrunnsarbeid som står fast (kursbevis-PDF, H5P-utpakking, synkronisering, rapporteksport)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--minutes",
            type=int,
            default=30,
            help=_("Hvor gammelt arbeidet må være for å regnes som fast (standard 30 minutter)."),
        )

    def handle(self, *args, minutes: int, **options):
        older_than = timedelta(minutes=minutes)
        stuck = [
            (_("Kursbevis uten PDF"), certificates_missing_pdf(older_than=older_than)),
            (_("H5P-pakker som står i «Behandles»"), extractions_stuck(older_than=older_than)),
            (_("Synkroniseringsjobber for påkrevd opplæring"), sync_jobs_stalled(older_than=older_than)),
            (_("Rapporteksporter som ikke ble laget"), report_exports_stuck(older_than=older_than)),
        ]
        for label, ids in stuck:
            listed = ", ".join(str(pk) for pk in ids[:50]) + (" …" if len(ids) > 50 else "")
            self.stdout.write(f"{label}: {len(ids)}" + (f" (id {listed})" if ids else ""))
        total = sum(len(ids) for _label, ids in stuck)
        if total:
            raise CommandError(_("%(count)s oppgaver står fast.") % {"count": total})
        self.stdout.write(_("Ingenting står fast."))
