"""The manager's page for assigning required learning (/leder/tildel/)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.selectors import can_assign

from .forms import AssignmentForm
from .services import assignment_create


@login_required
def assign(request):
    if not can_assign(request.user):
        raise PermissionDenied(_("Bare ledere og administratorer kan tildele kurs."))
    form = AssignmentForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fixed = data["due_kind"] == "fixed"
        assignment = assignment_create(
            by=request.user,
            course=data["course"],
            unit=data["unit"],
            user=data["person"],
            include_subunits=data["include_subunits"],
            due_date=data["due_date"] if fixed else None,
            due_days=None if fixed else data["due_days"],
            renewal_months=data["renewal_months"],
        )
        count = assignment.requirements.count()
        messages.success(
            request,
            ngettext(
                "«%(course)s» er tildelt. %(count)s person har fått kurset som påkrevd.",
                "«%(course)s» er tildelt. %(count)s personer har fått kurset som påkrevd.",
                count,
            )
            % {"course": data["course"].title, "count": count},
        )
        return redirect("reports:dashboard")
    return render(request, "requirements/assign.html", {"form": form})
