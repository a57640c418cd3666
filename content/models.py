"""Site-wide pages that are not courses."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from .blocks import SHORT_RICH_TEXT_FEATURES


class HomePage(Page):
    """The front page: what the platform offers and a way into the catalogue."""

    lead = models.TextField(_("ingress"), blank=True)
    body = RichTextField(_("brødtekst"), features=SHORT_RICH_TEXT_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CourseCatalogPage", "content.InformationPage"]
    max_count = 1

    class Meta:
        verbose_name = _("forside")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The catalogue is the only page type below the home page besides information pages.
        context["catalogue"] = (
            self.get_children().live().not_type(InformationPage).order_by("path").first()
        )
        return context


INFORMATION_RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link"]


class InformationPage(Page):
    """A plain page of text under the front page: the privacy and accessibility statements and the like."""

    lead = models.TextField(_("ingress"), blank=True)
    body = RichTextField(_("brødtekst"), features=INFORMATION_RICH_TEXT_FEATURES)

    content_panels = [*Page.content_panels, FieldPanel("lead"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("body")]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("informasjonsside")
        verbose_name_plural = _("informasjonssider")


@register_setting(icon="doc-full")
class StatementSettings(BaseSiteSetting):
    """The pages every footer links to: the privacy statement and the accessibility statement."""

    privacy_page = models.ForeignKey(
        InformationPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("personvernerklæring"),
    )
    accessibility_page = models.ForeignKey(
        InformationPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tilgjengelighetserklæring"),
    )

    # The footer reads both pages with the setting: one query.
    select_related = ["privacy_page", "accessibility_page"]
    panels = [PageChooserPanel("privacy_page"), PageChooserPanel("accessibility_page")]

    class Meta:
        verbose_name = _("Personvern og tilgjengelighet")
        verbose_name_plural = _("Personvern og tilgjengelighet")
