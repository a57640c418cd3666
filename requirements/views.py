"""The manager's page for assigning required learning (/leder/tildel/).

Two steps: the form posts once to a preview of what the assignment will do (how many people,
how many have completed, how many become overdue at once), then «Bekreft og tildel» saves
exactly what was previewed (a signed token of the choice, issued to this manager).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from people.selectors import can_assign

from .forms import AssignmentForm
from .selectors import assignment_preview
from .services import assignment_create


@login_required
def assign(request):
    if not can_assign(request.user):
        raise PermissionDenied(_("Bare ledere og administratorer kan tildele kurs."))
    form = AssignmentForm(request.POST or None, viewer=request.user)
    step = request.POST.get("step", "")
    if request.method != "POST" or step == "edit" or not form.is_valid():
        if request.method == "POST" and step != "edit":
            form.focus_first_error()
        if step == "edit":
            form = AssignmentForm(initial=request.POST.dict(), viewer=request.user)
        return render(request, "requirements/assign.html", {"form": form})

    data = form.cleaned_data
    if step == "confirm":
        if form.token_matches(request.POST.get("token", ""), viewer=request.user):
            return _save(request, data)
        messages.error(
            request,
            _(
                "Tildelingen ble ikke lagret: den stemmer ikke med forhåndsvisningen, eller "
                "forhåndsvisningen er for gammel. Se over tallene på nytt og bekreft."
            ),
        )
    preview = assignment_preview(
        course=data["course"],
        unit=data["unit"],
        user=data["person"],
        include_subunits=data["include_subunits"],
        due_date=data["due_date"],
        due_days=data["due_days"],
    )
    return render(
        request,
        "requirements/assign.html",
        {
            "form": form,
            "preview": preview,
            "data": data,
            "hidden": form.canonical(),
            "token": form.preview_token(viewer=request.user),
        },
    )


def _save(request, data):
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
