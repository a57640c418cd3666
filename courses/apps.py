from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurs")

    def ready(self):
        """Required learning follows memberships, units and assignments (see courses/receivers.py)."""
        from people.models import Membership, OrganisationUnit

        from . import receivers
        from .models import Assignment

        for uid, signal, handler, sender in (
            ("membership_saving", pre_save, receivers.membership_saving, Membership),
            ("membership_saved", post_save, receivers.membership_changed, Membership),
            ("membership_deleted", post_delete, receivers.membership_changed, Membership),
            ("unit_saved", post_save, receivers.unit_saved, OrganisationUnit),
            ("assignment_deleting", pre_delete, receivers.assignment_deleting, Assignment),
            ("assignment_deleted", post_delete, receivers.assignment_deleted, Assignment),
        ):
            signal.connect(handler, sender=sender, dispatch_uid=f"courses_{uid}")
