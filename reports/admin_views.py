"""Activity statistics in the admin, for administrators: table, chart and CSV/XLSX export."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.services import record_export, record_read
from core.exports import csv_response, xlsx_response
from courses.models import CompetenceArea, CoursePage
from people.models import OrganisationUnit, ParticipantType

from .statistics import GROUPINGS, StatisticsFilter, activity_statistics, statistics_table


class StatisticsForm(forms.Form):
    start = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Til"), widget=forms.DateInput(attrs={"type": "date"}))
    group_by = forms.ChoiceField(label=_("Grupper etter"), choices=list(GROUPINGS.items()))
    course = forms.ModelChoiceField(
        CoursePage.objects.order_by("title"), required=False, label=_("Kurs"), empty_label=_("Alle")
    )
    area = forms.ModelChoiceField(
        CompetenceArea.objects.all(), required=False, label=_("Kompetanseområde"), empty_label=_("Alle")
    )
    unit = forms.ModelChoiceField(
        OrganisationUnit.objects.order_by("path"), required=False, label=_("Enhet"), empty_label=_("Alle")
    )
    participant_type = forms.ChoiceField(
        label=_("Deltakertype"), required=False, choices=[("", _("Alle")), *ParticipantType.choices]
    )

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("«Fra» må være før «Til»."))
        return data


# Groups of fewer people than this may point to a person: their reads are marked in the audit log.
SMALL_GROUP = 5


def _statistics_detail(filters: StatisticsFilter, rows) -> dict:
    """The filters as ids and how many of the groups shown were small (audit log detail)."""
    small = sum(1 for row in rows if any(0 < values["total"] < SMALL_GROUP for values in row.values.values()))
    return {
        "start": filters.start.isoformat(),
        "end": filters.end.isoformat(),
        "group_by": filters.group_by,
        "course": filters.course.pk if filters.course else None,
        "area": filters.area.pk if filters.area else None,
        "unit": filters.unit.pk if filters.unit else None,
        "participant_type": filters.participant_type,
        "groups": len(rows),
        "small_groups": small,
    }


def activity_statistics_view(request):
    if not request.user.is_superuser:
        raise PermissionDenied
    today = timezone.localdate()
    initial = {"start": date(today.year, 1, 1), "end": today, "group_by": "course"}
    form = StatisticsForm(request.GET or None, initial=initial)
    filters = StatisticsFilter(**initial)
    if form.is_valid():
        filters = StatisticsFilter(**form.cleaned_data)
    rows = activity_statistics(filters)
    export = request.GET.get("eksport")
    detail = _statistics_detail(filters, rows)
    if export in ("csv", "xlsx"):
        header, body = statistics_table(rows, str(GROUPINGS[filters.group_by]))
        body = record_export(
            request, action="activity_statistics_export", file_format=export, rows=body, detail=detail
        )
        filename = f"aktivitet-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}"
        make = xlsx_response if export == "xlsx" else csv_response
        return make(filename=filename, header=header, rows=body)
    record_read(request, action="activity_statistics", detail=detail)
    peak = max((row.values["completions"]["total"] for row in rows), default=0)
    query = request.GET.copy()
    query.pop("eksport", None)
    return TemplateResponse(
        request,
        "reports/admin/statistics.html",
        {
            "form": form,
            "rows": rows,
            "filters": filters,
            "group_label": GROUPINGS[filters.group_by],
            "peak": peak or 1,
            "query": query.urlencode(),
            "days": (filters.end - filters.start + timedelta(days=1)).days,
        },
    )
