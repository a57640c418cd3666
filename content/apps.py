from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("Innhold")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

        from .footer import forget_statement_links
        from .models import InformationPage, StatementSettings

        # The footer's cached statement links follow the pages and the setting.
        uid = "content.forget_statement_links"
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move, post_delete):
            signal.connect(forget_statement_links, sender=InformationPage, dispatch_uid=uid)
        post_save.connect(forget_statement_links, sender=StatementSettings, dispatch_uid=uid)

        # Cached routes, sites and content fragments (content/routing.py) follow every page, site
        # and view restriction (a page saved outside the publishing workflow too). post_save and
        # post_delete are connected per model, never for all senders: a post_delete receiver for
        # every model would cost Django's fast deletes everywhere (each cascade would fetch its rows).
        from wagtail.models import Page, PageViewRestriction, Site, get_page_models

        from .routing import forget_content

        uid = "content.forget_content"
        for signal in (page_published, page_unpublished, page_slug_changed, post_page_move):
            signal.connect(forget_content, dispatch_uid=uid)
        for model in {Page, Site, PageViewRestriction, *get_page_models()}:
            for signal in (post_save, post_delete):
                signal.connect(forget_content, sender=model, dispatch_uid=f"{uid}.{model._meta.label_lower}")
