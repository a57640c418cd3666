"""Following a re-check of required learning (a SyncJob) in the admin: a page, its status as JSON
for the page to refresh itself, and starting a failed job again."""

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import sync
from .models import SyncJob


def _job_for(request, pk) -> SyncJob:
    job = get_object_or_404(SyncJob.objects.select_related("started_by"), pk=pk)
    if not (request.user.is_superuser or job.started_by_id == request.user.pk):
        raise PermissionDenied
    return job


def progress_text(job: SyncJob) -> str:
    if job.status == SyncJob.Status.DONE:
        return ngettext(
            "Ferdig: påkrevd opplæring er oppdatert for %(total)s person.",
            "Ferdig: påkrevd opplæring er oppdatert for %(total)s personer.",
            job.total,
        ) % {"total": job.total}
    if job.status == SyncJob.Status.FAILED:
        return _("Oppdateringen stoppet etter %(done)s av %(total)s personer.") % {
            "done": job.done,
            "total": job.total,
        }
    if job.status == SyncJob.Status.QUEUED:
        return _("Venter på å starte (%(total)s personer).") % {"total": job.total}
    return _("%(done)s av %(total)s personer er oppdatert.") % {"done": job.done, "total": job.total}


def sync_job(request, pk):
    job = _job_for(request, pk)
    return TemplateResponse(
        request,
        "requirements/admin/sync_job.html",
        {
            "job": job,
            "progress_text": progress_text(job),
            "can_restart": request.user.is_superuser,
            # Its task never arrived (the queue was down when the change was made).
            "stalled": job.pk in sync.sync_jobs_stalled(),
        },
    )


def sync_job_status(request, pk):
    job = _job_for(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "finished": job.is_finished,
            "text": progress_text(job),
        }
    )


@require_POST
def sync_job_restart(request, pk):
    job = _job_for(request, pk)
    if not request.user.is_superuser:
        raise PermissionDenied
    if job.status == SyncJob.Status.FAILED or job.pk in sync.sync_jobs_stalled():
        sync.sync_job_restart(job_id=job.pk)
    return redirect("requirements_sync_job", pk=job.pk)
