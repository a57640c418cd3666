"""Site-wide pages that are not courses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from .blocks import SHORT_RICH_TEXT_FEATURES


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
        context = super().get_context(request, *args, **kwargs)
        # The catalogue is the only page type allowed below the home page (subpage_types).
        context["catalogue"] = self.get_children().live().order_by("path").first()
        return context
