"""Admin wiring for certificates: templates, issued certificates (revoke), re-rendering."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import AdminOnlyMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSet, SnippetViewSetGroup

from audit.services import record_read
from core.permissions import NoAddOrDeletePermissionPolicy
from courses.hooks import COURSE_PAGE_PANELS, MY_COURSES_COURSE_LINKS, CourseLink, Panel

from . import selectors, services
from .forms import CertificateAdminForm, RerenderForm
from .models import Certificate, CertificateStatus, CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = gettext_lazy("Maler")
    list_display = ["name", "course", "validity_months"]


class _RecordsRead:
    """An administrator opening a certificate (the holder's name, course and status) is logged."""

    audit_view = ""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        record_read(request, action="certificate_admin", obj=self.object, detail={"view": self.audit_view})
        return response


class CertificateInspectView(_RecordsRead, InspectView):
    audit_view = "inspect"


class CertificateEditView(_RecordsRead, EditView):
    audit_view = "edit"


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "tick-inverse"
    menu_label = gettext_lazy("Utstedte kursbevis")
    list_display = [
        "serial",
        "holder_name",
        "course_title",
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("pdf_status", label=gettext_lazy("PDF"), accessor="get_pdf_status_display"),
        "issued_at",
    ]
    list_filter = ["pdf_status"]
    search_fields = ["serial", "holder_name", "course_title"]
    inspect_view_enabled = True
    inspect_view_class = CertificateInspectView
    edit_view_class = CertificateEditView
    add_to_admin_menu = False
    edit_handler = ObjectList(
        [FieldPanel("revoke"), FieldPanel("revoked_reason"), FieldPanel("rerender")],
        base_form_class=CertificateAdminForm,
    )


class CertificatesGroup(SnippetViewSetGroup):
    items = (CertificateViewSet, CertificateTemplateViewSet)
    menu_icon = "tick-inverse"
    menu_label = gettext_lazy("Kursbevis")
    menu_name = "kursbevis"
    menu_order = 310


# Certificates are issued by course completion and never deleted: revocation is the only way out.
register_permission_policy(Certificate, NoAddOrDeletePermissionPolicy(Certificate))
register_snippet(CertificatesGroup)


def rerender_view(request):
    """Make new PDFs after a template change; serial numbers and codes stay the same."""
    if not request.user.is_superuser:
        raise PermissionDenied
    form = RerenderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        count = services.certificates_rerender(template=form.cleaned_data["template"])
        messages.success(request, _("%(count)s kursbevis får ny PDF.") % {"count": count})
        return redirect("certificates_rerender")
    return TemplateResponse(request, "certificates/admin/rerender.html", {"form": form})


@hooks.register("register_admin_urls")
def register_rerender_url():
    return [path("kursbevis/ny-pdf/", rerender_view, name="certificates_rerender")]


@hooks.register("register_settings_menu_item")
def register_rerender_menu_item():
    return AdminOnlyMenuItem(
        gettext_lazy("Lag kursbevis-PDF på nytt"),
        reverse("certificates_rerender"),
        icon_name="repeat",
        order=900,
    )


@hooks.register(MY_COURSES_COURSE_LINKS)
def certificate_links(request, *, enrolments):
    """«Mine kurs» links each course to the learner's newest kursbevis for it (one query for all)."""
    links = {}
    for course_id, certificate in selectors.latest_certificates_by_course(enrolments=enrolments).items():
        valid = certificate.status == CertificateStatus.VALID
        links[course_id] = [
            CourseLink(
                label=_("Se kursbeviset"),
                url=reverse("certificates:detail", args=[certificate.public_id]),
                note="" if valid else certificate.get_status_display().lower(),
            )
        ]
    return links


@hooks.register(COURSE_PAGE_PANELS)
def latest_certificate_panel(request, *, course, enrolment, progress):
    """The course page links to the learner's newest kursbevis for the course."""
    certificate = selectors.latest_certificate(enrolment=enrolment)
    if certificate is None:
        return None
    return Panel(
        template="certificates/includes/course_panel.html",
        context={"latest_certificate": certificate},
        order=50,
    )


@hooks.register("after_copy_page")
def copy_certificate_template_with_the_course(request, page, new_page):
    """«Kopier» on a course: the copy gets its own copy of the course's kursbevis template."""
    from courses.models import CoursePage

    if not isinstance(page.specific_deferred, CoursePage) or not isinstance(
        new_page.specific_deferred, CoursePage
    ):
        return
    template = CertificateTemplate.objects.filter(course_id=page.pk).first()
    if template is None or CertificateTemplate.objects.filter(course_id=new_page.pk).exists():
        return
    template.pk = None
    template.course_id = new_page.pk
    template.name = _("%(name)s (kopi)") % {"name": template.name}
    template.save()
