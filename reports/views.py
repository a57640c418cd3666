"""Managers' pages: the required-learning dashboard, a person's record, exports and assigning courses.

Scope comes from people.selectors only; a unit or person outside it is "not
found" (404). Users with no manager or reporter role get 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import record_export, record_read
from core.exports import XLSX_CONTENT_TYPE, csv_response, xlsx_response
from people.models import ParticipantType
from people.selectors import can_assign, can_view_reports, person_in_scope

from . import exports, selectors
from .activity_status import activity_status
from .forms import DashboardFilterForm
from .models import ReportExport
from .replica import reports_database


def _reports_allowed(request):
    if not can_view_reports(request.user):
        raise PermissionDenied(_("Denne siden er for ledere og rapportører."))


@login_required
def dashboard(request):
    _reports_allowed(request)
    form = DashboardFilterForm(request.GET or None, viewer=request.user)
    try:
        page = int(request.GET.get("side", 1))
    except ValueError:
        page = 1
    data = selectors.dashboard(viewer=request.user, filters=form.filters(), page=page)
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        "reports/dashboard.html",
        {
            "form": form,
            "data": data,
            "query": query.urlencode(),
            "participant_labels": dict(ParticipantType.choices),
            "can_assign": can_assign(request.user),
            "not_required": _("ikke påkrevd"),
        },
    )


@login_required
def person(request, person_id: int):
    _reports_allowed(request)
    person = person_in_scope(request.user, person_id=person_id)
    if person is None:
        raise Http404
    record = selectors.person_record(viewer=request.user, person=person)
    status = activity_status(enrolments=record["enrolments"], using=reports_database())
    record_read(request, action="person_record", obj=person)
    return render(
        request,
        "reports/person.html",
        {
            "person": person,
            **record,
            "enrolment_status": [(e, status.get(e.pk, [])) for e in record["enrolments"]],
            "status_labels": selectors.Status.LABELS,
        },
    )


@login_required
def export(request, file_format: str):
    _reports_allowed(request)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    form = DashboardFilterForm(request.GET or None, viewer=request.user)
    filters = exports.filter_params(form, request.GET)
    if file_format == "xlsx" and selectors.export_size(viewer=request.user, filters=form.filters()) > (
        exports.xlsx_inline_max_rows()
    ):
        # Too large to build while the manager waits: a task writes it, the status page links to it.
        report = exports.report_export_request(viewer=request.user, file_format=file_format, filters=filters)
        return redirect("reports:export_status", public_id=report.public_id)
    header, rows = selectors.export_table(viewer=request.user, filters=form.filters())
    # Logged with its row count once the last row is out (audit.services.record_export).
    rows = record_export(
        request,
        action="staff_export",
        file_format=file_format,
        rows=rows,
        model="requirements.RequiredLearning",
        detail={"filters": filters},
    )
    filename = f"pakrevd-opplaering-{timezone.localdate():%Y-%m-%d}"
    if file_format == "xlsx":
        return xlsx_response(filename=filename, header=header, rows=rows)
    return csv_response(filename=filename, header=header, rows=rows)


def _own_export(request, public_id) -> ReportExport:
    """The export, only for the manager who asked for it: anyone else's is "not found"."""
    _reports_allowed(request)
    return get_object_or_404(ReportExport, public_id=public_id, requested_by=request.user)


@login_required
def export_status(request, public_id):
    """Where a large export is followed: the manager reloads the page until the link is there."""
    report = _own_export(request, public_id)
    response = render(request, "reports/export_status.html", {"export": report})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def export_download(request, public_id):
    report = _own_export(request, public_id)
    if not report.is_downloadable:
        raise Http404
    # The export is logged when its file is handed out, with the rows it holds, as a streamed one is.
    record_read(
        request,
        action="staff_export",
        model="requirements.RequiredLearning",
        detail={
            "filters": report.filters,
            "format": report.file_format,
            "rows": report.rows,
            "complete": True,
            "export": str(report.public_id),
        },
    )
    response = FileResponse(
        report.file.open("rb"),
        as_attachment=True,
        filename=f"pakrevd-opplaering-{timezone.localtime(report.finished_at):%Y-%m-%d}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
    response["Cache-Control"] = "private, no-store"
    return response
