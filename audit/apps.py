from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    default = True
    name = "audit"
    verbose_name = _("Revisjonslogg")

    def ready(self):
        from django.conf import settings
        from django.core import checks
        from django.db.models.signals import post_delete, pre_delete

        from people import signals as people_signals

        from . import checks as app_checks
        from . import receivers
        from .registry import register_audited_models

        checks.register(app_checks.retention_check)
        checks.register(app_checks.entry_model_check)
        checks.register(app_checks.middleware_check)

        register_audited_models()

        pre_delete.connect(
            receivers.user_deleting, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_user_deleting"
        )
        post_delete.connect(
            receivers.user_deleted, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit_user_deleted"
        )
        people_signals.memberships_imported.connect(
            receivers.memberships_imported, dispatch_uid="audit_memberships_imported"
        )
        anonymising = getattr(people_signals, "user_anonymising", None)
        if anonymising is not None:
            anonymising.connect(receivers.user_anonymising, dispatch_uid="audit_user_anonymising")
