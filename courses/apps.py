from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Kurs")

    def ready(self):
        from people.models import Membership

        from . import receivers
        from .models import Assignment

        post_save.connect(
            receivers.membership_changed, sender=Membership, dispatch_uid="courses_membership_saved"
        )
        post_delete.connect(
            receivers.membership_changed, sender=Membership, dispatch_uid="courses_membership_deleted"
        )
        pre_delete.connect(
            receivers.assignment_deleting, sender=Assignment, dispatch_uid="courses_assignment_del1"
        )
        post_delete.connect(
            receivers.assignment_deleted, sender=Assignment, dispatch_uid="courses_assignment_del2"
        )
