"""Site-wide pages that are not courses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .blocks import SHORT_RICH_TEXT_FEATURES
from .h5p.models import H5PContent, H5PLibrary, H5PResult, H5PStatement  # noqa: F401 - h5p sub-package


class HomePage(Page):
    """The front page: what the platform offers and a way into the catalogue."""

    lead = models.TextField(_("ingress"), blank=True)
    body = RichTextField(_("brødtekst"), features=SHORT_RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseCatalogPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        from courses.models import CourseCatalogPage

        context = super().get_context(request, *args, **kwargs)
        context["catalogue"] = CourseCatalogPage.objects.live().child_of(self).first()
        return context
